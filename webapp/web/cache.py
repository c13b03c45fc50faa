"""Caches of things made from stored versions: a bounded LRU, and whole pages in front of Flask."""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

# The view sets this in the WSGI environ when its response may be replayed.
CACHEABLE = "dramatis.cacheable"


class BoundedCache:
    """A small LRU of things made from stored versions, which never change once stored.

    Locked, because waitress serves requests from a pool of threads; making a missing
    value happens outside the lock (two threads may both make it, harmlessly).
    """

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def peek(self, key):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get(self, key, make):
        value = self.peek(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


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
        self._entries = BoundedCache(size)

    def clear(self) -> None:
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
        entry = self._entries.peek(key)
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
        self._entries.put(key, (time.monotonic() + self.ttl, seen["status"], seen["headers"], data))
        return [data]
