"""Search: /search?q= as a page of results with marked snippets, /search.json?q= as data."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..store import SEARCH_PER_PAGE as PER_PAGE
from ..store import search_articles
from .cache import mark_cacheable
from .db import get_db
from .paging import Pages, page_number

bp = Blueprint("search", __name__)


def run_search(endpoint: str):
    query = request.args.get("q", "").strip()
    number = page_number()
    hits, total = search_articles(get_db(), query, number) if query else ([], 0)
    mark_cacheable(request.environ)  # until the next change to the store
    return query, hits, Pages(number, PER_PAGE, total, endpoint, {"q": query})


@bp.get("/search")
def results():
    query, hits, pages = run_search("search.results")
    return render_template("search.html", query=query, hits=hits, pages=pages)


@bp.get("/search.json")
def results_json():
    query, hits, pages = run_search("search.results_json")
    return jsonify(query=query, results=[hit.to_json() for hit in hits], **pages.to_json())
