"""Atom feeds of what a reader watches (issue 19): a library entity (/entities/<id>.atom:
the articles that mention it), the library (/library.atom) and a search (/search.atom?q=).
Each is the first page of the list it follows, newest first, cached and revalidated like
the pages (ETag, 304 until the store changes)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, current_app, request, url_for

from ..feeds import MEDIA_TYPE, Feed, FeedEntry, render
from ..store import appearances, find_entity, list_articles, search_articles
from .articles import public_url
from .cache import mark_cacheable
from .db import get_db

bp = Blueprint("feeds", __name__)


def feed_response(feed: Feed):
    response = current_app.response_class(render(feed), mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "no-cache"  # revalidated: its ETag makes that a 304
    mark_cacheable(request.environ)
    return response


def article_entry(slug: str, title: str, link: str, updated: str, summary: str,
                  source: str | None, **fields) -> FeedEntry:
    return FeedEntry(id=public_url(url_for("reader.article", slug=slug)), title=title,
                     link=public_url(link), updated=updated, summary=summary, source=source, **fields)


@bp.get("/entities/<entity>.atom")
def entity(entity):
    found = (find_entity(get_db(), int(entity))
             if entity.isascii() and entity.isdigit() and len(entity) < 19 else None)
    if found is None:
        abort(404, "The library has no such person, organisation or country.")
    entries = [article_entry(row.slug, row.title,
                             url_for("reader.article", slug=row.slug, entity=row.entity_id),
                             row.added_at, f"{row.before}{row.mention}{row.after}", row.source)
               for row in appearances(get_db(), found["id"])]
    page = url_for("entities.entity", entity=entity)
    return feed_response(Feed(id=public_url(page), title=f"{found['name']} · Dramatis",
                              subtitle=f"New articles that mention {found['name']}",
                              link=public_url(page), self_link=public_url(request.path),
                              entries=entries))


@bp.get("/library.atom")
def library():
    articles, _ = list_articles(get_db())
    entries = [article_entry(a["slug"], a["title"], url_for("reader.article", slug=a["slug"]),
                             a["updated_at"], "", a["source"], author=a["author"],
                             published=a["published"])
               for a in articles]
    page = url_for("library.index")
    return feed_response(Feed(id=public_url(page), title="The library · Dramatis",
                              subtitle="Articles added or updated", link=public_url(page),
                              self_link=public_url(request.path), entries=entries))


def at_match(url: str, snippet: list[tuple[str, bool]]) -> str:
    """The article's address with a Text Fragment at the first word matched, so that a
    browser opens it there."""
    match = next((text for text, is_match in snippet if is_match), None)
    return url + ("#:~:text=" + quote(match, safe="") if match else "")


@bp.get("/search.atom")
def search():
    query = request.args.get("q", "").strip()
    hits, _ = search_articles(get_db(), query) if query else ([], 0)
    entries = [article_entry(hit.slug, "".join(text for text, _ in hit.title),
                             at_match(url_for("reader.article", slug=hit.slug), hit.snippet),
                             hit.added_at, "".join(text for text, _ in hit.snippet), hit.site_name)
               for hit in hits]
    page = url_for("search.results", q=query or None)
    return feed_response(Feed(id=public_url(url_for("feeds.search", q=query or None)),
                              title=f"Search: {query} · Dramatis" if query else "Search · Dramatis",
                              subtitle=f"Articles with every word of “{query}”" if query else None,
                              link=public_url(page), self_link=public_url(request.full_path.rstrip("?")),
                              entries=entries))
