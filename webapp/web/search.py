"""Search: /search?q= as a page of results with marked snippets, /search.json?q= as data."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request, url_for

from ..anchors import Anchor
from ..store import SEARCH_PER_PAGE as PER_PAGE
from ..store import search_articles, search_ranked_among, suggest_search
from .cache import mark_cacheable
from .db import get_db
from .links import link_to
from .paging import Pages, page_number

bp = Blueprint("search", __name__)


def run_search(endpoint: str):
    query = request.args.get("q", "").strip()
    number = page_number()
    hits, total = search_articles(get_db(), query, number) if query else ([], 0)
    suggestion = suggest_search(get_db(), query) if query else None
    mark_cacheable(request.environ)  # until the next change to the store
    # With more matches than a search ranks, the pages hold the newest it ranked (issue 17).
    ranked = search_ranked_among(total)
    return query, hits, suggestion, Pages(number, PER_PAGE, ranked or total, endpoint, {"q": query}), \
        total, ranked


def hit_url(hit) -> str:
    """A result opens its article at the match, marked, as a shared passage does (issue 16);
    at the top when the words matched only in the title or the names."""
    if hit.match is None:
        return url_for("reader.article", slug=hit.slug)
    m = hit.match
    return link_to(Anchor(exact=m.exact, prefix=m.prefix, suffix=m.suffix, start=m.start,
                          end=m.end, version=m.version), hit.slug)


@bp.get("/search")
def results():
    query, hits, suggestion, pages, found, ranked = run_search("search.results")
    return render_template("search.html", query=query, hits=hits, pages=pages, found=found,
                           ranked_among=ranked, suggestion=suggestion, hit_url=hit_url)


@bp.get("/search.json")
def results_json():
    query, hits, suggestion, pages, found, ranked = run_search("search.results_json")
    # total: every match; ranked_among: how many of the newest the pages hold, when fewer.
    return jsonify(query=query, suggestion=suggestion, ranked_among=ranked,
                   results=[dict(hit.to_json(), url=hit_url(hit)) for hit in hits],
                   **dict(pages.to_json(), total=found))
