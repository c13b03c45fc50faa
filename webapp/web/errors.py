"""One error handler: an error page for browsers, a fragment for htmx."""
from __future__ import annotations

from flask import make_response, render_template
from werkzeug.exceptions import HTTPException

from .htmx import vary_on_htmx, wants_fragment


def handle_http_error(error: HTTPException):
    # The entity panel is the only thing htmx loads, so the fragment is shaped to sit in it.
    template = "errors/_error.html" if wants_fragment() else "errors/error.html"
    response = make_response(render_template(template, error=error), error.code)
    if getattr(error, "valid_methods", None):  # 405 must name the allowed methods
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return vary_on_htmx(response)


def init_app(app) -> None:
    app.register_error_handler(HTTPException, handle_http_error)
