"""People, organisations, countries and places across the library: /entities and /entities/<id>,
each with a .json twin."""
from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, redirect, render_template, request, url_for

from ..similar import possibly_same
from ..store import ENTITIES_PER_PAGE as PER_PAGE
from ..store import (
    appearances,
    find_entity,
    list_entities,
    merge_library_entities,
    merged_into,
    merges_into,
    names_of_type,
    undo_library_merge,
)
from .articles import article_added
from .cache import mark_cacheable
from .db import get_db
from .paging import Pages, page_number
from .views import SHOWN_TYPES, TYPE_LABELS, type_label

bp = Blueprint("entities", __name__)

TYPES = SHOWN_TYPES


def listing(endpoint: str):
    type_ = request.args.get("type") or None
    if type_ is not None and type_ not in TYPES:
        abort(400, "The type must be person, organization, country or place.")
    query = request.args.get("q", "").strip()[:200]
    number = page_number()
    rows, total = list_entities(get_db(), type_, query, number)
    mark_cacheable(request.environ)
    return rows, type_, query, Pages(number, PER_PAGE, total, endpoint, {"type": type_, "q": query or None})


@bp.get("/entities")
def index():
    rows, type_, query, pages = listing("entities.index")
    return render_template("entities.html", entities=rows, type=type_, query=query, pages=pages,
                           types=TYPES, type_labels=TYPE_LABELS)


@bp.get("/entities.json")
def index_json():
    rows, type_, query, pages = listing("entities.index_json")
    for row in rows:
        row["url"] = url_for("entities.entity", entity=row["id"])
    return jsonify(entities=rows, type=type_, query=query, **pages.to_json())


def entity_number(entity: str) -> int | None:
    return int(entity) if entity.isascii() and entity.isdigit() and len(entity) < 19 else None


def get_library_entity(entity: str) -> tuple[dict, list, Pages]:
    endpoint = request.endpoint
    number = entity_number(entity)
    found = find_entity(get_db(), number) if number is not None else None
    if found is None:
        kept = merged_into(get_db(), number) if number is not None else None
        if kept is not None:  # an editor merged it into another: its page is that one's
            abort(redirect(url_for(endpoint, entity=kept), 303))
        abort(404, "The library has no such person, organisation, country or place.")
    page = page_number()
    rows = appearances(get_db(), found["id"], page)
    mark_cacheable(request.environ)
    return found, rows, Pages(page, PER_PAGE, found["articles"], endpoint, {"entity": entity})


def possibly_the_same(found: dict) -> list[dict]:
    """The library's entities whose names are a letter or two from this one's, of its type
    (for people, with the same given name): offered to an editor, never merged unasked."""
    return [{"id": other, "name": name, "url": url_for("entities.entity", entity=other)}
            for other, name in names_of_type(get_db(), found["type"], found["id"], found["name"])
            if possibly_same(found["name"], name, found["type"], found["type"])]


@bp.get("/entities/<entity>")
def entity(entity):
    found, rows, pages = get_library_entity(entity)
    return render_template("entity.html", entity=found, appearances=rows, pages=pages,
                           type_label=type_label(found["type"]), possibly=possibly_the_same(found),
                           merges=merges_into(get_db(), found["id"]))


@bp.post("/entities/<entity>/merge")
def merge(entity):
    """An editor's word that another library entity is this one (issue 16): kept as data,
    undoable, and every article's panel and the entity pages follow it."""
    number, other = entity_number(entity), entity_number(request.form.get("other", ""))
    if number is None or other is None or merge_library_entities(get_db(), number, other, g.editor) is None:
        abort(400, "Those two cannot be merged: choose another name of the same type that the library holds.")
    article_added()
    return redirect(url_for("entities.entity", entity=number), 303)


@bp.post("/entities/merges/<int:merge_id>/undo")
def undo_merge(merge_id):
    undone = undo_library_merge(get_db(), merge_id, g.editor)
    if undone is None:
        abort(404, "There is no such merge to undo (it may be undone already).")
    article_added()
    return redirect(url_for("entities.entity", entity=undone["kept"]), 303)


@bp.get("/entities/<entity>.json")
def entity_json(entity):
    found, rows, pages = get_library_entity(entity)
    articles = []
    for row in rows:
        data = row.to_json()
        data["url"] = url_for("reader.article", slug=row.slug, entity=row.entity_id)
        articles.append(data)
    return jsonify(entity=found, articles=articles, possibly_the_same=possibly_the_same(found),
                   **pages.to_json())
