"""Reading an article: the page, the entity panel fragment and the JSON export."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for

from .db import get_db
from .htmx import vary_on_htmx, wants_fragment
from .pagecache import mark_cacheable
from .reading import TYPE_LABELS, ArticleView, article_view
from .store import Version, find_version, list_versions, load_analysis

bp = Blueprint("reader", __name__, url_prefix="/articles")


class BoundedCache:
    """A small LRU of things made from stored versions, which never change once stored.

    Locked, because waitress serves requests from a pool of threads; making a missing
    value happens outside the lock (two threads may both make it, harmlessly).
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def get(self, key, make):
        value = self.peek(key)
        if value is not None:
            return value
        value = make()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class LatestVersions:
    """Which version is the newest for each slug, re-read at most every `ttl` seconds.

    The one lookup left on a cached page costs more than the rest of the request under
    waitress's threads (each SQLite call hands the GIL over). Articles added through this
    app clear it at once; `dramatis add` from another process shows within `ttl`.
    """

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._versions: dict[str, tuple[float, Version]] = {}

    def get(self, slug: str) -> Version | None:
        hit = self._versions.get(slug)
        if hit is not None and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        version = find_version(get_db(), slug)
        if version is not None:  # unknown slugs are not remembered, so cannot pile up
            self._versions[slug] = (time.monotonic(), version)
        return version

    def clear(self) -> None:
        self._versions.clear()


def article_added() -> None:
    """Called after storing an article, so that its newest version shows at once."""
    current_app.extensions["dramatis.latest"].clear()
    current_app.extensions["dramatis.pagecache"].clear()


def init_app(app) -> None:
    app.extensions["dramatis.latest"] = LatestVersions(app.config["LATEST_VERSION_TTL"])
    size = app.config["ARTICLE_CACHE_SIZE"]
    app.extensions["dramatis.views"] = BoundedCache(size)
    # Rendered pages and panels: rendering is most of a request's cost (issue 3 asks for
    # 0.8x the throughput of a bare "hello" app), and for a given version, entity and
    # page-or-fragment the HTML is always the same.
    app.extensions["dramatis.pages"] = BoundedCache(size * 16)


def get_version(slug: str) -> Version:
    """The version asked for by ?version=<hash>, else the newest; 404 if there is none."""
    wanted = request.args.get("version") or None
    if wanted is None:
        version = current_app.extensions["dramatis.latest"].get(slug)
    else:
        version = find_version(get_db(), slug, wanted)
    if version is None:
        if wanted and find_version(get_db(), slug):
            abort(404, "That version of the article is not stored.")
        abort(404, "There is no article at this address.")
    return version


def get_view(version: Version) -> ArticleView:
    return current_app.extensions["dramatis.views"].get(
        (version.id, version.hash), lambda: article_view(load_analysis(get_db(), version.id)))


@bp.get("/<slug>")
def article(slug):
    version = get_version(slug)
    entity_id = request.args.get("entity") or None
    fragment = wants_fragment()
    # The latest number is part of the key: the page says "version 1 of N".
    key = (version.id, version.hash, version.latest_number, entity_id, fragment,
           request.script_root)
    pages = current_app.extensions["dramatis.pages"]
    html = pages.peek(key)
    if html is None:
        view = get_view(version)
        entity = None
        if entity_id is not None:
            entity = view.entities.get(entity_id)
            if entity is None:
                abort(404, "This article mentions no such person, organisation or country.")
        html = pages.get(key, lambda: render_article(version, view, entity, fragment).encode("utf-8"))
    mark_cacheable(request.environ)  # the same URL gives these bytes until an article is added
    return vary_on_htmx(current_app.make_response(html))


def render_article(version: Version, view: ArticleView, entity, fragment: bool) -> str:
    """The article page, or the panel fragment that htmx swaps into #panel."""
    slug = version.slug
    pinned = None if version.is_latest else version.hash
    close_url = url_for("reader.article", slug=slug, version=pinned)
    panel = {}
    if entity is not None:
        panel = dict(mentions=view.panel_mentions(entity), spellings=view.spellings(entity),
                     type_label=TYPE_LABELS.get(entity.type, (entity.type.title(),))[0],
                     entity_url=url_for("reader.article", slug=slug, version=pinned, entity=entity.id))
    if fragment:
        return render_template("_panel.html", entity=entity, close_url=close_url, **panel)
    entity_urls = {e: url_for("reader.article", slug=slug, version=pinned, entity=e)
                   for e in view.entities}
    return render_template("article.html", version=version, view=view, entity=entity,
                           selected=entity.id if entity else None, entity_urls=entity_urls,
                           close_url=close_url, **panel)


@bp.get("/<slug>.json")
def export(slug):
    """The analysis in the DESIGN.md format, with the title and version as extra fields."""
    version = get_version(slug)
    data = get_view(version).analysis.to_json()
    data.update(slug=version.slug, title=version.title, version=version.hash,
                version_number=version.number, added_at=version.added_at,
                versions=list_versions(get_db(), version.article_id))
    return jsonify(data)
