"""People, organisations and countries across the library: /entities and /entities/<id>,
each with a .json twin."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, render_template, request, url_for

from ..analysis.article import HIGHLIGHTED_TYPES
from ..store import ENTITIES_PER_PAGE as PER_PAGE
from ..store import appearances, find_entity, list_entities
from .cache import mark_cacheable
from .db import get_db
from .paging import Pages, page_number
from .views import TYPE_LABELS, type_label

bp = Blueprint("entities", __name__)

TYPES = HIGHLIGHTED_TYPES


def listing(endpoint: str):
    type_ = request.args.get("type") or None
    if type_ is not None and type_ not in TYPES:
        abort(400, "The type must be person, organization or country.")
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


def get_library_entity(entity: str) -> tuple[dict, list, Pages]:
    endpoint = request.endpoint
    found = find_entity(get_db(), int(entity)) if entity.isascii() and entity.isdigit() and len(entity) < 19 else None
    if found is None:
        abort(404, "The library has no such person, organisation or country.")
    number = page_number()
    rows = appearances(get_db(), found["id"], number)
    mark_cacheable(request.environ)
    return found, rows, Pages(number, PER_PAGE, found["articles"], endpoint, {"entity": entity})


@bp.get("/entities/<entity>")
def entity(entity):
    found, rows, pages = get_library_entity(entity)
    return render_template("entity.html", entity=found, appearances=rows, pages=pages,
                           type_label=type_label(found["type"]))


@bp.get("/entities/<entity>.json")
def entity_json(entity):
    found, rows, pages = get_library_entity(entity)
    articles = []
    for row in rows:
        data = row.to_json()
        data["url"] = url_for("reader.article", slug=row.slug, entity=row.entity_id)
        articles.append(data)
    return jsonify(entity=found, articles=articles, **pages.to_json())
