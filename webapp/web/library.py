"""The library: every stored article, and the form that adds one."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..analysis.article import MAX_ARTICLE_CHARS, ArticleError, clean_article_text, read_article
from ..analysis.pipeline import ModelNotInstalled
from ..db import get_db
from ..store import PER_PAGE, SORTS, list_articles, list_sources, save_analysis
from .cache import mark_cacheable
from .paging import Pages, page_number
from .reader import article_added

bp = Blueprint("library", __name__)


def library_listing(endpoint: str = "library.index") -> dict:
    """One page of the library as ?sort= (added, published, title), ?source= and ?page= ask."""
    sort = request.args.get("sort", "added")
    if sort not in SORTS:
        sort = "added"
    source = request.args.get("source") or None
    number = page_number()
    articles, total = list_articles(get_db(), sort, source, number)
    args = {"sort": None if sort == "added" else sort, "source": source}
    return dict(articles=articles, sort=sort, source=source, sources=list_sources(get_db()),
                pages=Pages(number, PER_PAGE, total, endpoint, args))


@bp.get("/")
def index():
    mark_cacheable(request.environ)  # the response cache replays it until the next add
    return render_template("library.html", form={"title": "", "text": ""}, error=None,
                           **library_listing())


@bp.get("/library.json")
def index_json():
    """The library page's twin (Datasette's convention: a list page has a .json twin)."""
    listing = library_listing("library.index_json")
    mark_cacheable(request.environ)
    return jsonify(articles=listing["articles"], sort=listing["sort"], source=listing["source"],
                   **listing["pages"].to_json())


def form_error(message: str, status: int, title: str = "", text: str = ""):
    """The library page with the add form refilled and the reason it was refused."""
    return render_template("library.html", form={"title": title, "text": text}, error=message,
                           **library_listing()), status


@bp.post("/articles")
def add():
    try:
        title = request.form.get("title", "").strip()
        text = request.form.get("text", "")
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        return form_error(f"That is too large to be an article: the limit is "
                          f"{MAX_ARTICLE_CHARS:,} characters.", 413)
    try:
        if upload and upload.filename:
            if text.strip():
                return form_error("Paste the text or choose a file, not both.", 400, title, text)
            article_text = read_article(upload.read())
        else:
            # Browsers send a textarea's line breaks as CRLF; the text is stored as pasted.
            article_text = clean_article_text(text.replace("\r\n", "\n"))
    except ArticleError as exc:
        message = f"This article cannot be added: {exc}."
        return form_error(message, 413 if "limit" in str(exc) else 400, title,
                          text if len(text) <= MAX_ARTICLE_CHARS else "")

    # Imported here so that a process that only reads never loads the analysis engine.
    from ..analysis import analyse

    try:
        analysis = analyse(article_text)
    except ModelNotInstalled as exc:
        return form_error(f"This article cannot be analysed here: {exc}.", 503, title, text)
    added = save_analysis(get_db(), analysis, title or None)
    article_added()
    return redirect(url_for("reader.article", slug=added.slug), 303)
