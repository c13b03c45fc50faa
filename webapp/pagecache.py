"""A short-lived cache of whole article pages and panels, in front of Flask."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

# The view sets this in the WSGI environ when its response may be replayed.
CACHEABLE = "dramatis.cacheable"


def mark_cacheable(environ) -> None:
    environ[CACHEABLE] = True


class PageCache:
    """WSGI middleware that replays a page the reader has just served, without Flask.

    Why: a stored version never changes, so the same URL gives the same bytes until an
    article is added; yet Flask's request machinery alone costs more than a "hello" app's
    whole request, and issue 3 asks article pages to reach 0.8x a hello app's throughput.
    Only responses the view marks (article pages and panels of stored versions) are kept,
    and each for `ttl` seconds: the time `dramatis add` in another process may take to show,
    the same bound the reader already has for "the newest version". Adding an article in
    this process clears the cache at once.
    """

    def __init__(self, wsgi_app, ttl: float, size: int):
        self.wsgi_app = wsgi_app
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    @staticmethod
    def key(environ):
        # Everything a page may depend on: the URL, and the headers that pick page or
        # fragment (htmx) — the same ones the views name in Vary.
        return (environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
                environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"),
                environ.get("QUERY_STRING"), environ.get("HTTP_HX_REQUEST"),
                environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST"))

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        key = self.key(environ)
        entry = self._entries.get(key)
        if entry is not None and entry[0] > time.monotonic():
            start_response(entry[1], list(entry[2]))
            return [entry[3]]
        seen = {}

        def keep_start(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, list(headers)
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, keep_start)
        if not environ.get(CACHEABLE) or not seen.get("status", "").startswith("200"):
            return body
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        with self._lock:
            self._entries[key] = (time.monotonic() + self.ttl, seen["status"], seen["headers"], data)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return [data]
