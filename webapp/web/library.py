"""The library: every stored article, and the form that adds one."""
from __future__ import annotations

import threading

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from ..analysis.article import (
    MAX_ARTICLE_CHARS,
    ArticleError,
    clean_article_text,
    read_article,
)
from ..analysis.pipeline import ModelNotInstalled
from ..ingest import (
    Extracted,
    IngestError,
    article_from_address,
    article_from_document,
    article_from_text,
    is_page_file,
    looks_like_html,
    plain_article,
)
from ..jobs import ATTEMPTS
from ..store import ARTICLES_PER_PAGE as PER_PAGE
from ..store import SORTS, OperationalError, is_busy, list_articles, list_sources, save_analysis
from ..store.jobs import create_add_job, fail_add_job, failed_add_jobs, find_add_job
from ..worker import WorkerBusy, WorkerFailed, get_worker
from .articles import article_added
from .cache import mark_cacheable
from .db import get_db
from .errors import RETRY_AFTER
from .paging import Pages, page_number

bp = Blueprint("library", __name__)



@bp.record_once
def set_up_fetches(state) -> None:
    state.app.extensions["dramatis.fetches"] = threading.BoundedSemaphore(
        state.app.config["FETCH_CONCURRENCY"])


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
                           failed=failed_adds(), **library_listing())


@bp.get("/library.json")
def index_json():
    """The library page's twin (Datasette's convention: a list page has a .json twin)."""
    listing = library_listing("library.index_json")
    mark_cacheable(request.environ)
    return jsonify(articles=listing["articles"], sort=listing["sort"], source=listing["source"],
                   **listing["pages"].to_json())


def failed_adds() -> list:
    """For editors, with the queue: the articles that could not be added, and why."""
    if current_app.extensions.get("dramatis.queue") is None or not g.get("editor"):
        return []
    return failed_add_jobs(get_db())


def form_error(message: str, status: int, title: str = "", text: str = "", headers=None,
               url: str = ""):
    """The library page with the add form refilled and the reason it was refused."""
    return render_template("library.html", form={"title": title, "text": text, "url": url},
                           error=message, failed=failed_adds(),
                           **library_listing()), status, headers or {}


@bp.post("/articles")
def add():
    try:
        title = request.form.get("title", "").strip()
        text = request.form.get("text", "")
        address = request.form.get("url", "").strip()
        upload = request.files.get("file")
    except RequestEntityTooLarge:
        limit = current_app.config["MAX_UPLOAD_LENGTH"] // 1024
        return form_error(f"That is too large to be an article: the limit is "
                          f"{MAX_ARTICLE_CHARS:,} characters of text, or {limit:,} KB for a "
                          "saved web page (give a larger page's web address instead).", 413)
    # Browsers send a textarea's line breaks as CRLF; the text is stored as pasted.
    text = text.replace("\r\n", "\n")
    kept = text if len(text) <= MAX_ARTICLE_CHARS else ""
    given = [name for name, value in (("text", text.strip()), ("file", upload and upload.filename),
                                      ("address", address)) if value]
    if len(given) > 1:
        return form_error("Paste the text, choose a file or give a web address, one at a "
                          f"time (this had {' and '.join(given)}).", 400, title, kept, url=address)
    allow = current_app.config["FETCH_ALLOW"]  # read at start (a bad entry stops the start)
    if current_app.extensions.get("dramatis.queue") is not None:
        return enqueue_add(title, text, kept, address, upload)
    try:
        if address:
            extracted = fetch_article(address, allow)
            if extracted is None:
                return form_error("Another web page is being fetched right now; please send this "
                                  f"one again in {RETRY_AFTER_FETCHING} seconds.", 503, title, kept,
                                  {"Retry-After": str(RETRY_AFTER_FETCHING)}, url=address)
        elif upload and upload.filename:
            extracted = read_upload(upload)
            if extracted is None:
                return form_error("Another web page is being read right now; please send this "
                                  f"one again in {RETRY_AFTER_FETCHING} seconds.", 503, title, kept,
                                  {"Retry-After": str(RETRY_AFTER_FETCHING)})
        else:
            extracted = article_from_text(text)
        article_text = clean_article_text(extracted.text)
    except (ArticleError, IngestError) as exc:
        # 413 for a text over the article limit; a fetched page over its limit is a 400.
        too_long = isinstance(exc, ArticleError) and "limit" in str(exc)
        return form_error(f"This article cannot be added: {exc}.", 413 if too_long else 400,
                          title, kept, url=address)
    title = title or extracted.title
    if not title:
        # Keep the text (an uploaded file's too) so that adding a title is all that is left.
        return form_error("No line of this article reads as a headline: please give it a "
                          "title.", 400, "", article_text if not address else kept, url=address)

    # The worker runs spaCy off the request threads; this thread only waits for the result.
    try:
        analysis = get_worker(current_app).analyse(article_text)
    except WorkerBusy as exc:
        return form_error("Other articles are being analysed right now; please send this one "
                          f"again in {exc.retry_after} seconds.", 503, title, kept,
                          {"Retry-After": str(exc.retry_after)}, url=address)
    except (ModelNotInstalled, WorkerFailed) as exc:
        return form_error(f"This article cannot be analysed here: {exc}.", 503, title, kept,
                          url=address)
    try:
        added = save_analysis(get_db(), analysis, title, metadata=extracted,
                              learn_names=current_app.config["LEARN_NAMES"])
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        # Another process (`dramatis add`) held the write lock past the timeout.
        return form_error("The library is busy storing other articles; please send this one "
                          f"again in {RETRY_AFTER} seconds.", 503, title, kept,
                          {"Retry-After": str(RETRY_AFTER)}, url=address)
    article_added()
    return redirect(url_for("reader.article", slug=added.slug), 303)


def enqueue_add(title: str, text: str, kept: str, address: str, upload):
    """With the queue (PostgreSQL): what can be checked at once is (the text's length, its
    headline); the rest (fetching, reading a page, analysing) is a job for `dramatis worker`,
    and the reader is sent to the job's page, which opens the article when it is stored."""
    if address:
        job = ("address", address.encode(), address)
    elif upload and upload.filename:
        data = upload.read()
        if is_page_file(upload.filename, data, upload.mimetype):
            job = ("page", data, title or upload.filename)
        else:
            try:
                text = read_article(data)
            except ArticleError as exc:
                return form_error(f"This article cannot be added: {exc}.", 400, title)
            job = None
    else:
        job = None
    if job is None:  # plain text, pasted or uploaded
        try:
            extracted = article_from_text(text) if not looks_like_html(text) else None
        except ArticleError as exc:
            too_long = "limit" in str(exc)
            return form_error(f"This article cannot be added: {exc}.", 413 if too_long else 400,
                              title, kept)
        if extracted is not None and not (title or extracted.title):
            return form_error("No line of this article reads as a headline: please give it a "
                              "title.", 400, "", extracted.text)
        label = title or (extracted.title if extracted else "A pasted web page")
        job = ("text", text.encode(), label)
    kind, data, label = job
    db = get_db()
    added = create_add_job(db, kind, data, label, title or None)
    try:
        current_app.extensions["dramatis.queue"].enqueue(added.id)
    except Exception:  # noqa: BLE001 - the queue's tables missing, the database gone away
        current_app.logger.exception("could not queue add job %s", added.id)
        fail_add_job(db, added.id, "The queue could not take this article.", final=True)
        return form_error("Articles cannot be queued for analysis right now; please try again "
                          f"in {RETRY_AFTER} seconds.", 503, title, kept,
                          {"Retry-After": str(RETRY_AFTER)}, url=address)
    return redirect(url_for("library.adding", token=added.token), 303)


# Seconds between reloads of a job's page without JavaScript.
RELOAD_AFTER = 3


@bp.get("/adding/<token>")
def adding(token: str):
    """An article on its way through the queue: waiting, analysing, failed (why), or stored
    (then this sends the reader to it; htmx's poll follows HX-Redirect)."""
    job = find_add_job(get_db(), token)
    if job is None:
        abort(404, "There is no article being added at this address.")
    if job.state == "done":
        target = url_for("reader.article", slug=job.slug)
        if request.headers.get("HX-Request"):
            return "", 200, {"HX-Redirect": target}
        return redirect(target, 303)
    context = dict(job=job, attempts=ATTEMPTS, reload_after=RELOAD_AFTER)
    if request.headers.get("HX-Request"):
        return render_template("_adding.html", **context), 200, {"Vary": "HX-Request"}
    return render_template("adding.html", **context), 200, {"Vary": "HX-Request"}


RETRY_AFTER_FETCHING = 10


def one_page_at_a_time(read):
    """read(), or None when FETCH_CONCURRENCY web pages are already being fetched or read:
    a fetch may wait up to its timeout on a slow site, and reading a page of megabytes
    takes its memory, on a request thread; the readers must always have threads left
    (issue 7: reading never waits on adding)."""
    slots = current_app.extensions["dramatis.fetches"]
    if not slots.acquire(blocking=False):
        return None
    try:
        return read()
    finally:
        slots.release()


def fetch_article(address: str, allow) -> Extracted | None:
    """The article at a web address, or None when other pages are being read."""
    return one_page_at_a_time(lambda: article_from_address(address, allow))


def read_upload(upload) -> Extracted | None:
    """An uploaded file: a web page (.html, .htm, or one that starts as a page) is extracted
    (None when other pages are being read); anything else must be UTF-8 plain text, titled
    by its headline."""
    data = upload.read()
    if is_page_file(upload.filename, data, upload.mimetype):
        return one_page_at_a_time(lambda: article_from_document(data, content_type="text/html"))
    return plain_article(read_article(data))
