"""Telling an htmx request for a fragment from a request for a whole page."""
from __future__ import annotations

from flask import request


def wants_fragment() -> bool:
    """True when htmx will swap the response into part of the page.

    htmx also sends HX-Request when it restores history from the server after a cache
    miss, and then swaps the response into the whole body, so that one gets the page.
    """
    # The WSGI names of the headers: request.headers spells each lookup out again.
    environ = request.environ
    return (environ.get("HTTP_HX_REQUEST") == "true"
            and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true")


def vary_on_htmx(response):
    """Routes answering both a page and a fragment say so, for caches."""
    # headers.add, not response.vary.add: no route sets another Vary, and parsing the
    # header costs more than the rest of a cached page request does.
    response.headers.add("Vary", "HX-Request, HX-History-Restore-Request")
    return response
