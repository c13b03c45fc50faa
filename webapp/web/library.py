"""The library: every stored article, and the form that adds one."""
from __future__ import annotations

import sqlite3

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from ..analysis.article import (
    MAX_ARTICLE_CHARS,
    ArticleError,
    clean_article_text,
    read_article,
)
from ..analysis.pipeline import ModelNotInstalled
from ..db import get_db, is_busy
from ..store import list_articles, save_analysis
from ..worker import WorkerBusy, WorkerFailed, get_worker
from .cache import mark_cacheable
from .reader import article_added

bp = Blueprint("library", __name__)

RETRY_AFTER_LOCKED = 5


@bp.get("/")
def index():
    mark_cacheable(request.environ)  # the response cache replays it until the next add
    return render_template("library.html", articles=list_articles(get_db()),
                           form={"title": "", "text": ""}, error=None)


def form_error(message: str, status: int, title: str = "", text: str = "", headers=None):
    """The library page with the add form refilled and the reason it was refused."""
    return render_template("library.html", articles=list_articles(get_db()),
                           form={"title": title, "text": text}, error=message), status, headers or {}


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

    # The worker runs spaCy off the request threads; this thread only waits for the result.
    try:
        analysis = get_worker(current_app).analyse(article_text)
    except WorkerBusy as exc:
        return form_error("Other articles are being analysed right now; please send this one "
                          f"again in {exc.retry_after} seconds.", 503, title, text,
                          {"Retry-After": str(exc.retry_after)})
    except (ModelNotInstalled, WorkerFailed) as exc:
        return form_error(f"This article cannot be analysed here: {exc}.", 503, title, text)
    try:
        added = save_analysis(get_db(), analysis, title or None)
    except sqlite3.OperationalError as exc:
        if not is_busy(exc):
            raise
        # Another process (`dramatis add`) held the write lock past the timeout.
        return form_error("The library is busy storing other articles; please send this one "
                          f"again in {RETRY_AFTER_LOCKED} seconds.", 503, title, text,
                          {"Retry-After": str(RETRY_AFTER_LOCKED)})
    article_added()
    return redirect(url_for("reader.article", slug=added.slug), 303)
