"""One error handler: an error page for browsers, a fragment for htmx; a database that
stays locked is a 503 to retry, not a 500."""
from __future__ import annotations

from flask import jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from ..store import OperationalError, is_busy
from .htmx import vary_on_htmx, wants_fragment

# Seconds a client is asked to wait after a 503: about one article's analysis and storage.
RETRY_AFTER = 5


def handle_http_error(error: HTTPException):
    if request.path.endswith((".json", ".jsonld")):  # a script asked: it gets JSON (issue 9)
        response = jsonify(error={"status": error.code, "title": error.name,
                                  "message": error.description})
        response.status_code = error.code
    else:
        # The entity panel is the only thing htmx loads, so the fragment is shaped to sit in it.
        template = "errors/_error.html" if wants_fragment() else "errors/error.html"
        response = vary_on_htmx(make_response(render_template(template, error=error), error.code))
    if getattr(error, "valid_methods", None):  # 405 must name the allowed methods
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def handle_database_error(error: OperationalError):
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
    app.register_error_handler(OperationalError, handle_database_error)
