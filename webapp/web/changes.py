"""What changed between an article's versions: /articles/<slug>/changes and its .json twin
(issue 19). Each version against the one before it, word by word, with the names the change
added or dropped; the page is plain HTML (<ins>, <del>) and needs no JavaScript."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, jsonify, render_template, request, url_for

from ..analysis.article import HIGHLIGHTED_TYPES
from ..revisions import Change, NameChanges, name_changes, paragraphs, reading_text, word_diff
from ..store import Version, removed_article, version_history
from .articles import cache, cache_control, generation, get_view
from .cache import mark_cacheable
from .db import get_db

bp = Blueprint("changes", __name__, url_prefix="/articles")


@dataclass
class Revision:
    """One version against the one before it."""

    version: Version
    before: Version
    changes: list[Change]
    names: NameChanges

    @property
    def paragraphs(self) -> list[list[Change]]:
        return paragraphs(self.changes)

    @property
    def words_added(self) -> int:
        return sum(len(c.text.split()) for c in self.changes if c.kind == "added")

    @property
    def words_removed(self) -> int:
        return sum(len(c.text.split()) for c in self.changes if c.kind == "removed")

    def to_json(self) -> dict:
        return {"version": self.version.hash, "number": self.version.number,
                "added_at": self.version.added_at, "before": self.before.hash,
                "before_number": self.before.number, "before_added_at": self.before.added_at,
                "names": self.names.to_json(), "changes": [c.to_json() for c in self.changes]}


def _highlighted(view):
    return [e for e in view.analysis.entities if e.type in HIGHLIGHTED_TYPES and e.mentions]


def compare(before: Version, version: Version) -> Revision:
    """A version against the one before it, as the reader shows both (corrections applied)."""
    old, new = get_view(before), get_view(version)
    changes = word_diff(reading_text(old.analysis.text, old.analysis.blocks),
                        reading_text(new.analysis.text, new.analysis.blocks))
    return Revision(version, before, changes, name_changes(_highlighted(old), _highlighted(new)))


def get_history(slug: str) -> list[Version]:
    history = version_history(get_db(), slug)
    if not history:
        abort(404, "This article was removed." if removed_article(get_db(), slug)
              else "There is no article at this address.")
    return history


def revisions(history: list[Version]) -> list[Revision]:
    """Every version against the one before, the newest first; each compared once per
    state of the store (a correction changes the names)."""
    def make():
        return [compare(before, version) for before, version in zip(history, history[1:])][::-1]

    size = lambda found: 400 + sum(3 * len(c.text) + 100 for r in found for c in r.changes)  # noqa: E731
    return cache().get_or_make(("revisions", generation(), history[-1].id), make, size)


@bp.get("/<slug>/changes")
def changes(slug):
    history = get_history(slug)
    mark_cacheable(request.environ)
    response = render_template("changes.html", latest=history[-1], first=history[0],
                               revisions=revisions(history))
    return response, {"Cache-Control": cache_control()}


@bp.get("/<slug>/changes.json")
def changes_json(slug):
    history = get_history(slug)
    latest = history[-1]
    mark_cacheable(request.environ)
    response = jsonify(slug=latest.slug, title=latest.title,
                       versions=[{"version": v.hash, "number": v.number, "added_at": v.added_at,
                                  "url": url_for("reader.article", slug=slug, version=v.pinned)}
                                 for v in history],
                       revisions=[r.to_json() for r in revisions(history)])
    response.headers["Cache-Control"] = cache_control()
    return response
