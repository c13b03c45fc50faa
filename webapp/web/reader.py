"""Reading an article: the page, the entity panel fragment and the JSON export."""
from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import BadRequest, NotFound

from ..anchors import MalformedLink, decode, make_anchor, resolve, split_by_blocks
from ..db import get_db
from ..store import Version, find_version, list_versions, load_analysis
from .cache import BoundedCache, mark_cacheable
from .htmx import vary_on_htmx, wants_fragment
from .links import (
    SharedPassage,
    anchor_url,
    article_description,
    block_links,
    is_passage_link,
    link_to,
    sentence_links,
)
from .views import TYPE_LABELS, ArticleView, article_view, mark_passage

bp = Blueprint("reader", __name__, url_prefix="/articles")


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


@bp.before_request
def readable_query():
    """Refuse a query string of raw bytes that are not UTF-8 (browsers percent-encode, but
    any client can send them): Werkzeug's request.args raises UnicodeDecodeError on them,
    which would be a 500."""
    try:
        request.query_string.decode("utf-8")
    except UnicodeDecodeError:
        abort(400, "This address is not valid UTF-8 text.")


@bp.get("/<slug>")
def article(slug):
    if is_passage_link(request.args) and not wants_fragment():
        return passage_page(slug)
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
        entity = get_entity(view, entity_id)
        html = pages.get(key, lambda: render_article(version, view, entity, fragment).encode("utf-8"))
    mark_cacheable(request.environ)  # the same URL gives these bytes until an article is added
    return vary_on_htmx(current_app.make_response(html))


def get_entity(view: ArticleView, entity_id: str | None):
    if entity_id is None:
        return None
    entity = view.entities.get(entity_id)
    if entity is None:
        abort(404, "This article mentions no such person, organisation or country.")
    return entity


def render_article(version: Version, view: ArticleView, entity, fragment: bool,
                   passage: SharedPassage | None = None) -> str:
    """The article page, or the panel fragment that htmx swaps into #panel; with a shared
    passage marked when a passage link was opened."""
    slug = version.slug
    pinned = None if version.is_latest else version.hash
    close_url = url_for("reader.article", slug=slug, version=pinned)
    panel = {}
    if entity is not None:
        mentions = view.panel_mentions(entity)
        panel = dict(mentions=mentions, spellings=view.spellings(entity),
                     type_label=TYPE_LABELS.get(entity.type, (entity.type.title(),))[0],
                     entity_url=url_for("reader.article", slug=slug, version=pinned, entity=entity.id),
                     sentence_links=sentence_links(version, view, mentions))
    if fragment:
        return render_template("_panel.html", entity=entity, close_url=close_url, **panel)
    entity_urls = {e: url_for("reader.article", slug=slug, version=pinned, entity=e)
                   for e in view.entities}
    items = view.items
    if passage is not None and passage.found:
        items = mark_passage(items, passage.pieces)
    return render_template("article.html", version=version, view=view, items=items, entity=entity,
                           selected=entity.id if entity else None, entity_urls=entity_urls,
                           close_url=close_url, block_links=block_links(version, view),
                           description=passage.description if passage else article_description(view),
                           passage=passage, **panel)


# --- shared passages (issue 4) ------------------------------------------------------------

def passage_page(slug: str):
    """The article opened by a passage link, the passage marked, or the honest failures.

    The rule for a link we cannot read (negative, reversed or huge offsets, broken
    encoding, oversized quotes): a 400 page that says what is wrong in plain words and
    links to the article, rather than the article as if nothing was shared. Nothing from
    the link is ever redirected to, and the page is rendered fresh: passage pages vary with
    every link, so they stay out of the page caches.
    """
    try:
        # The raw query, not request.args: Werkzeug keeps percent-encoding that is not
        # UTF-8 as literal "%FF" text, and the link would look like a changed quote.
        # (readable_query() has made sure the raw bytes are UTF-8.)
        anchor, problem = decode(request.query_string.decode("utf-8")), None
    except MalformedLink as error:
        anchor, problem = None, error
    try:
        version = get_version(slug)
    except NotFound as error:
        error.quote = anchor.quote if anchor else None  # shown on the 404 page
        raise
    if problem is not None:
        error = BadRequest(f"This passage link is broken: {problem}")
        error.article_url = url_for("reader.article", slug=slug)
        raise error
    view = get_view(version)
    entity = get_entity(view, request.args.get("entity") or None)
    text = view.analysis.text
    old_text = None
    if anchor.version and anchor.version != version.hash:
        linked = find_version(get_db(), slug, anchor.version)
        if linked is not None:
            old_text = get_view(linked).analysis.text
    resolution = resolve(anchor, text, version.hash, old_text)
    pieces, link = [], link_to(anchor, slug)
    if resolution.found:
        pieces = split_by_blocks(resolution.start, resolution.end, view.analysis.blocks)
        try:  # shared again, the link points at the shown version
            anchor = make_anchor(text, resolution.start, resolution.end, version.hash)
            link = link_to(anchor, slug)
        except ValueError:
            pass
    pinned = None if version.is_latest else version.hash
    passage = SharedPassage(anchor=anchor, resolution=resolution, pieces=pieces, link=link,
                            canonical=anchor_url(slug, anchor, external=True),
                            clear_url=url_for("reader.article", slug=slug, version=pinned))
    return vary_on_htmx(current_app.make_response(
        render_article(version, view, entity, fragment=False, passage=passage)))


@bp.get("/<slug>/passage-link")
def passage_link(slug):
    """The link to a selection, for passages.js: ?start=&end= are code-point offsets into
    the text of the version asked for (?version=, else the newest). The link is made here
    rather than in JavaScript so that there is one encoding of it."""
    version = get_version(slug)
    start = request.args.get("start", type=int)
    end = request.args.get("end", type=int)
    if start is None or end is None:
        abort(400, "A passage needs whole-number start and end offsets.")
    text = get_view(version).analysis.text
    try:
        anchor = make_anchor(text, start, end, version.hash)
    except ValueError as error:
        abort(400, f"No link can be made to that selection: {error}.")
    return jsonify(url=link_to(anchor, slug), quote=anchor.exact,
                   start=anchor.start, end=anchor.end, version=version.hash)


@bp.get("/<slug>.json")
def export(slug):
    """The analysis in the DESIGN.md format, with the title and version as extra fields."""
    version = get_version(slug)
    data = get_view(version).analysis.to_json()
    data.update(slug=version.slug, title=version.title, version=version.hash,
                version_number=version.number, added_at=version.added_at,
                versions=list_versions(get_db(), version.article_id))
    return jsonify(data)
