"""One error handler: an error page for browsers, a fragment for htmx; a database that
stays locked is a 503 to retry, not a 500."""
from __future__ import annotations

from flask import jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from ..store import OperationalError, is_busy
from .htmx import vary_on_htmx, wants_fragment

# Seconds a client is asked to wait after a 503: about one article's analysis and storage.
RETRY_AFTER = 5


# Our own words for every error page (issue 16), never the framework's: a title, and the
# message for an error raised without one of ours.
TITLES = {
    400: ("This cannot be used", "Something in the address or the form is not as it should be."),
    401: ("Not logged in", "That name and password do not match an editor."),
    403: ("Only editors can do that", "Log in as an editor first."),
    404: ("This page does not exist", "There is nothing at this address. It may have been mistyped, "
                                      "or the page may have moved."),
    405: ("That cannot be done here", "This address does not take that kind of request."),
    413: ("That is too large", "What was sent is larger than the library takes."),
    429: ("Too many tries", "Please wait a few minutes, then try again."),
    500: ("Something went wrong on our side", "The page could not be made. Please try again; "
                                               "if it keeps happening, tell whoever runs this library."),
    503: ("The library is busy", "Please try again in a few seconds."),
}


def in_our_words(error: HTTPException) -> tuple[str, str]:
    """The page's title and message: ours, keeping a message the app gave (abort(4xx, ...))."""
    title, message = TITLES.get(error.code, (error.name, error.description))
    if error.description and error.description != type(error).description:
        message = error.description
    return title, message


def handle_http_error(error: HTTPException):
    if request.path.endswith((".json", ".jsonld")):  # a script asked: it gets JSON (issue 9)
        response = jsonify(error={"status": error.code, "title": error.name,
                                  "message": error.description})
        response.status_code = error.code
    else:
        # The entity panel is the only thing htmx loads, so the fragment is shaped to sit in it.
        template = "errors/_error.html" if wants_fragment() else "errors/error.html"
        title, message = in_our_words(error)
        response = vary_on_htmx(make_response(
            render_template(template, error=error, title=title, message=message), error.code))
    if getattr(error, "valid_methods", None):  # 405 must name the allowed methods
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_database_error(error: Exception):
    """Another connection (another request, or `dramatis add`) held the write lock for
    longer than DB_TIMEOUT: the reader may simply try again. Any other database error
    is a real fault, left to the 500 handler."""
    if not is_busy(error):
        raise error
    response = handle_http_error(ServiceUnavailable(
        "The library is busy saving another article. Please try again in a few seconds."))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
    for error in OperationalError:  # SQLite's and PostgreSQL's
        app.register_error_handler(error, handle_database_error)
