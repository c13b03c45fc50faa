"""What the blueprints share about articles: the cache and its generation, the version a
request asks for, its corrected view, a passage found in it, and the response headers and
addresses every article response uses."""
from __future__ import annotations

from functools import lru_cache

from flask import abort, current_app, g, request, url_for
from werkzeug.sansio.utils import get_current_url

from ..anchors import resolve
from ..corrections import apply_corrections
from ..store import (
    Generation,
    Version,
    also_in,
    find_version,
    load_analysis,
    load_corrections,
    removed_article,
)
from .cache import GENERATION, ByteCache, ResponseCache
from .db import get_db
from .views import ArticleView, article_view


def cache() -> ByteCache:
    return current_app.extensions["dramatis.cache"]


def generation():
    """The store generation this request is served under (set by the response cache)."""
    value = request.environ.get(GENERATION)
    if value is None:
        value = current_app.extensions["dramatis.generation"].current()
    return value


def query_arg(name: str) -> str | None:
    """request.args.get(name), without the exception Werkzeug raises and catches inside it
    for a parameter that is absent, as most are (it cost more than the lookup)."""
    args = request.args
    return args.get(name) if name in args else None


def article_added() -> None:
    """Called after storing an article, so that its newest version shows at once."""
    current_app.extensions["dramatis.generation"].bump()


def init_app(app) -> None:
    """The one byte-bounded cache, and the response cache in front of the app (call it
    after every other middleware, so that it is the outermost)."""
    app.extensions["dramatis.cache"] = ByteCache(app.config["CACHE_BYTES"])
    app.extensions["dramatis.generation"] = Generation(app.config["DATABASE"],
                                                       app.config["CACHE_CHECK_INTERVAL"])
    app.wsgi_app = ResponseCache(app.wsgi_app, app.extensions["dramatis.cache"],
                                 app.extensions["dramatis.generation"],
                                 app.config["SESSION_COOKIE_NAME"])


def get_version(slug: str) -> Version:
    """The version asked for by ?version=<hash>, else the newest; 404 if there is none."""
    wanted = query_arg("version") or None
    version = cache().get_or_make(("version", generation(), slug, wanted),
                                  lambda: find_version(get_db(), slug, wanted), lambda v: 400)
    if version is None:
        if wanted and find_version(get_db(), slug):
            abort(404, "That version of the article is not stored.")
        removed = removed_article(get_db(), slug)  # its passage links say so (issue 9)
        abort(404, "This article was removed." if removed else "There is no article at this address.")
    return version


def view_bytes(view: ArticleView) -> int:
    """A rough count of the memory a parsed version takes (measured: about 7 bytes a
    character of text plus about 900 bytes a mention, with the Python objects)."""
    mentions = sum(len(e.mentions) for e in view.analysis.entities)
    return 7 * len(view.analysis.text) + 900 * mentions + 500 * len(view.analysis.blocks)


def get_corrections(version: Version) -> tuple:
    """The article's corrections (undone ones too), read again whenever the store changes."""
    return cache().get_or_make(("corrections", generation(), version.article_id),
                               lambda: tuple(load_corrections(get_db(), version.article_id)),
                               lambda rows: 300 + 600 * len(rows))


def revision(corrections) -> tuple:
    """Changes with every correction made or undone (ids only grow; an undo is never undone)."""
    return (max((c.id for c in corrections), default=0), sum(not c.active for c in corrections))


def get_view(version: Version) -> ArticleView:
    """The version as the reader shows it: the stored analysis with the corrections applied."""
    corrections = get_corrections(version)
    key = revision(corrections)

    def make():
        analysis = load_analysis(get_db(), version.id)
        if not corrections:
            return article_view(analysis)
        corrected = apply_corrections(analysis, corrections, version.hash)
        view = article_view(corrected.analysis)
        view.outcomes, view.revision = corrected.outcomes, key
        return view

    return cache().get_or_make(("view", version.id, key), make, view_bytes)


def cache_control() -> str:
    """Every article response is revalidated (its ETag makes that a 304): corrections,
    renames and deletes change even a pinned version's page; a logged-in editor's page
    carries their name and token, so no shared cache may keep it."""
    return "private, no-cache" if g.get("logged_in") else "no-cache"


def public_url(path: str) -> str:
    """An absolute URL for link previews (og:url): the configured public base URL, else this
    request's host, which security.check_host has already found among the served hosts."""
    base = current_app.config.get("PUBLIC_URL") or _host_url(request.scheme, request.host)
    return base.rstrip("/") + path


@lru_cache(maxsize=64)
def _host_url(scheme: str, host: str) -> str:
    """request.host_url, made once per scheme and host: Werkzeug decodes it as an IRI on
    every request, 3% of a first-seen passage link's time in the app."""
    return get_current_url(scheme, host)


def find_passage(version: Version, view: ArticleView, anchor):
    """Where a link's passage is in this version: resolved once per (version, anchor)."""
    def make():
        old_text = None
        if anchor.version and anchor.version != version.hash:
            linked = find_version(get_db(), version.slug, anchor.version)
            if linked is not None:
                old_text = get_view(linked).analysis.text
        return resolve(anchor, view.analysis.text, version.hash, old_text)

    size = 300 + 2 * (len(anchor.exact) + len(anchor.tail) + len(anchor.prefix) + len(anchor.suffix))
    return cache().get_or_make(("resolution", version.id, anchor), make, lambda _: size)


def panel_link(article_id: int, entity_id: str) -> dict | None:
    """What the article panel says about an entity beyond its article: "also in N other
    articles", with the link to the library entity; None when it is in no other."""
    found = also_in(get_db(), article_id, entity_id)
    if found is None or found[1] < 1:
        return None
    return {"others": found[1], "url": url_for("entities.entity", entity=found[0])}
