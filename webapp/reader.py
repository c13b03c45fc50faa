"""Reading an article: the page, the entity panel fragment and the JSON export."""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from .db import get_db
from .htmx import vary_on_htmx, wants_fragment
from .reading import TYPE_LABELS, ArticleView, article_view
from .store import Version, find_version, list_versions, load_analysis

bp = Blueprint("reader", __name__, url_prefix="/articles")


class ArticleCache:
    """Parsed articles by version: a stored version never changes, so it can be kept.

    Bounded, and locked because waitress serves requests from a pool of threads.
    """

    def __init__(self, size: int):
        self.size = size
        self._views: OrderedDict[tuple[int, str], ArticleView] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: Version) -> ArticleView:
        key = (version.id, version.hash)
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        view = article_view(load_analysis(get_db(), version.id))
        with self._lock:
            self._views[key] = view
            while len(self._views) > self.size:
                self._views.popitem(last=False)
        return view


def init_app(app) -> None:
    app.extensions["dramatis.articles"] = ArticleCache(app.config["ARTICLE_CACHE_SIZE"])


def get_version(slug: str) -> Version:
    """The version asked for by ?version=<hash>, else the newest; 404 if there is none."""
    wanted = request.args.get("version") or None
    version = find_version(get_db(), slug, wanted)
    if version is None:
        if wanted and find_version(get_db(), slug):
            abort(404, "That version of the article is not stored.")
        abort(404, "There is no article at this address.")
    return version


def get_view(version: Version) -> ArticleView:
    return current_app.extensions["dramatis.articles"].get(version)


@bp.get("/<slug>")
def article(slug):
    version = get_version(slug)
    view = get_view(version)
    pinned = None if version.is_latest else version.hash
    entity = None
    if request.args.get("entity"):
        entity = view.entities.get(request.args["entity"])
        if entity is None:
            abort(404, "This article mentions no such person, organisation or country.")
    close_url = url_for("reader.article", slug=slug, version=pinned)
    panel = {}
    if entity is not None:
        panel = dict(mentions=view.panel_mentions(entity), spellings=view.spellings(entity),
                     type_label=TYPE_LABELS.get(entity.type, (entity.type.title(),))[0],
                     entity_url=url_for("reader.article", slug=slug, version=pinned, entity=entity.id))
    if wants_fragment():
        return vary_on_htmx(current_app.make_response(render_template(
            "_panel.html", entity=entity, close_url=close_url, **panel)))
    entity_urls = {e: url_for("reader.article", slug=slug, version=pinned, entity=e)
                   for e in view.entities}
    return vary_on_htmx(current_app.make_response(render_template(
        "article.html", version=version, view=view, entity=entity,
        selected=entity.id if entity else None, entity_urls=entity_urls,
        close_url=close_url, **panel)))


@bp.get("/<slug>.json")
def export(slug):
    """The analysis in the DESIGN.md format, with the title and version as extra fields."""
    version = get_version(slug)
    data = get_view(version).analysis.to_json()
    data.update(slug=version.slug, title=version.title, version=version.hash,
                version_number=version.number, added_at=version.added_at,
                versions=list_versions(get_db(), version.article_id))
    return jsonify(data)
