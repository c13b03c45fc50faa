"""Correcting an article's names (issue 10): plain forms that POST a correction or an undo,
then go back to the article with the panel open; and the article's history of corrections."""
from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from ..anchors import make_anchor
from ..corrections import (
    Correction,
    CorrectionError,
    apply_corrections,
    check,
    mention_anchor,
)
from ..store import (
    add_correction,
    count_search_words,
    find_version,
    index_article,
    load_analysis,
    load_corrections,
    undo_correction,
)
from .articles import article_added, get_version, get_view
from .auth import ANNOUNCEMENT
from .db import get_db

bp = Blueprint("corrections", __name__, url_prefix="/articles")


def editor() -> str:
    """Who makes this change: auth.check_editor refuses a change unless there is one."""
    return g.editor


def fail(message: str):
    abort(400, f"That correction cannot be made: {message}.")


def first_mention(entity):
    return min(entity.mentions, key=lambda m: m.start)


@bp.post("/<slug>/corrections")
def correct(slug):
    """One correction to the names of the version shown (?version=, else the newest).

    Besides the stored kinds, the form's "same-as" (issue 16) merges two entities keeping
    the fuller name, and a rename to the name of another entity of the article offers to
    merge them instead of making two entities of one name.
    """
    version = get_version(slug)
    view = get_view(version)
    text = view.analysis.text
    form = request.form
    kind = form.get("kind", "")
    if kind == "mark" and form.get("every"):
        kind = "mark-all"
    if kind == "same-as":
        kind = "merge"
        entity, merged = two_entities(view, form.get("entity", ""), form.get("other", ""))
        if len(merged.name) > len(entity.name):  # the fuller name stays
            entity, merged = merged, entity
        form = {"entity": entity.id, "other": merged.id}
    try:
        value = check(kind, form.get("value"))
    except CorrectionError as error:
        fail(str(error))
    other = None
    stay = form.get("entity")  # the panel's entity, kept open while it exists
    if kind in ("mark", "mark-all"):
        anchor = marked_words(text, form)
    else:
        entity = view.entities.get(form.get("entity", ""))
        if entity is None or not entity.mentions:
            abort(404, "This article mentions no such person, organisation, country or place.")
        mention = first_mention(entity)
        if kind in ("split", "remove"):
            mention = next((m for m in entity.mentions if m.id == form.get("mention")), None)
            if mention is None:
                fail("choose one mention of the name")
        if kind == "split" and form.get("to"):
            _, target = two_entities(view, entity.id, form.get("to"))
            other = mention_anchor(text, first_mention(target), version.hash)
        if kind == "merge":
            entity, merged = two_entities(view, entity.id, form.get("other", ""))
            other = mention_anchor(text, first_mention(merged), version.hash)
            stay = entity.id
        if kind == "rename" and not form.get("anyway"):
            namesake = next((e for e in view.entities.values() if e is not entity and e.mentions
                             and e.name.casefold() == value.casefold()), None)
            if namesake is not None:
                return offer_merge(version, entity, namesake, value)
        anchor = mention_anchor(text, mention, version.hash)
    made = {}
    newest, analysis = corrected(lambda db: made.setdefault("id", add_correction(
        db, version.article_id, kind, anchor, value, editor(), other)))
    if version.id != newest.id:
        analysis = corrected_analysis(version)
    correction = Correction(made["id"], kind, anchor, value, editor(), "", other)
    return go_back(back_to(version, anchor, analysis, stay), announce(
        correction.describe(), ("Undo", url_for("corrections.undo", slug=slug,
                                                 correction_id=made["id"]), {})))


def two_entities(view, entity_id: str, other_id: str):
    """The entity and another of the article, or a 400 saying what to choose."""
    entity, other = view.entities.get(entity_id), view.entities.get(other_id)
    if entity is None or not entity.mentions:
        abort(404, "This article mentions no such person, organisation, country or place.")
    if other is None or other is entity or not other.mentions:
        fail("choose another name of this article")
    return entity, other


def offer_merge(version, entity, namesake, name: str):
    """A rename to a name another entity has: merging is offered, or renaming anyway."""
    same_as = {"kind": "same-as", "entity": entity.id, "other": namesake.id}
    anyway = {"kind": "rename", "entity": entity.id, "value": name, "anyway": "1"}
    correct_url = url_for("corrections.correct", slug=version.slug, version=version.pinned)
    if request.headers.get("HX-Request") == "true":
        response = current_app.response_class(status=204)
        response.headers["HX-Trigger"] = trigger(announce(
            f"“{namesake.name}” is already another name in this article. The same one?",
            ("Merge them", correct_url, same_as), ("Rename anyway", correct_url, anyway)))
        return response
    return render_template("merge_offer.html", version=version, entity=entity, namesake=namesake,
                           correct_url=correct_url, same_as=same_as, anyway=anyway,
                           back=url_for("reader.article", slug=version.slug,
                                        version=version.pinned, entity=entity.id))


def announce(message: str, *actions) -> dict:
    """What a change did, for the page's announcement (a live region): the message, and
    buttons that post (label, url, fields)."""
    return {"message": message,
            "actions": [{"label": label, "url": url, "fields": fields} for label, url, fields in actions]}


def trigger(announcement: dict) -> str:
    """The HX-Trigger header that reader.js turns into the announcement."""
    return json.dumps({"dramatis:announce": announcement})


def corrected_analysis(version):
    """The version's analysis with the article's corrections applied. Made here, not through
    the reader's caches: this request still sees the generation it started under, from
    before the change."""
    db = get_db()
    return apply_corrections(load_analysis(db, version.id),
                             load_corrections(db, version.article_id), version.hash).analysis


def corrected(change):
    """Make a correction or an undo (`change`, given the connection) and re-index the
    article in one transaction, so that search and the library's entities never lag behind
    it (nothing is stored when either fails); then cached pages must show it. The newest
    version and its corrected analysis."""
    db = get_db()
    with db:
        change(db)
        newest = find_version(db, request.view_args["slug"])
        analysis = corrected_analysis(newest)
        index_article(db, newest.article_id, newest.id, analysis.entities)
    count_search_words(db)
    article_added()
    return newest, analysis


def go_back(url: str, announcement: dict | None = None):
    """A plain form goes back to the page (303); htmx swaps the new page's <main> in place
    (HX-Location), asking for the whole page the way its history restore does, so that the
    response cache keeps it apart from the panel fragment; reader.js keeps the scroll, the
    panel's scroll and focus, and says what changed (HX-Trigger, see announce)."""
    if request.headers.get("HX-Request") != "true":
        if announcement:  # said on the page gone back to (base.html), as reader.js says it
            flash(announcement, ANNOUNCEMENT)
        return redirect(url, 303)
    response = current_app.response_class(status=204)
    response.headers["HX-Location"] = json.dumps({
        "path": url, "target": "#main", "select": "#main", "swap": "outerHTML show:none",
        "headers": {"HX-History-Restore-Request": "true"}})
    if announcement:
        response.headers["HX-Trigger"] = trigger(announcement)
    return response


def marked_words(text: str, form):
    """The anchor of the words to mark: a selection's offsets (start, end), or, from the
    form without JavaScript, the first place the typed words stand."""
    start, end = form.get("start", type=int), form.get("end", type=int)
    if start is None or end is None:
        words = " ".join(form.get("words", "").split())
        if not words:
            fail("type the words to mark")
        start = text.find(words)
        if start < 0:
            fail(f"“{words}” is not in the article")
        end = start + len(words)
    try:
        return make_anchor(text, start, end)
    except ValueError as error:
        fail(str(error))


def back_to(version, anchor, corrected, stay: str | None = None) -> str:
    """The article with the panel open on `stay` (the panel's entity) while it still has
    mentions, else on the entity the corrected words now belong to (none when they are no
    longer a name), given the version's corrected analysis."""
    entity = next((e.id for e in corrected.entities if e.id == stay and e.mentions), None)
    if entity is None:
        entity = next((e.id for e in corrected.entities for m in e.mentions
                       if m.start <= anchor.start < m.end), None)
    return url_for("reader.article", slug=version.slug, version=version.pinned, entity=entity)


@bp.post("/<slug>/corrections/<int:correction_id>/undo")
def undo(slug, correction_id):
    version = get_version(slug)
    undone = next((c for c in load_corrections(get_db(), version.article_id)
                   if c.id == correction_id and c.active), None)

    def undo_it(db):
        if undone is None or not undo_correction(db, version.article_id, correction_id, editor()):
            abort(404, "There is no such correction to undo (it may be undone already).")

    _, analysis = corrected(undo_it)
    if request.form.get("next") == "history":
        return redirect(url_for("corrections.history", slug=slug), 303)
    stay = request.form.get("entity") or (request.args.get("entity") or None)
    return go_back(back_to(version, undone.anchor, analysis, stay),
                   announce(f"Undone: {undone.describe()}"))


@bp.get("/<slug>/corrections")
def history(slug):
    """Who changed what and when, newest first, with an undo for each."""
    version = get_version(slug)
    view = get_view(version)
    outcomes = {o.correction.id: o for o in view.outcomes}
    corrections = list(reversed(load_corrections(get_db(), version.article_id)))
    return render_template("corrections.html", version=version, corrections=corrections,
                           outcomes=outcomes)
