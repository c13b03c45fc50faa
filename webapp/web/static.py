"""Static files under versioned URLs (?v=<hash of the file>), cached by browsers for a year."""
from __future__ import annotations

import hashlib
import os

from flask import request

from .cache import mark_cacheable

IMMUTABLE = "public, max-age=31536000, immutable"


class StaticVersions:
    """The hash of each static file, read once per process (a deploy restarts the server;
    in debug mode the file is hashed again whenever it changes)."""

    def __init__(self, folder: str, check: bool):
        self.folder = folder
        self.check = check
        self._hashes: dict[str, tuple[float, str | None]] = {}

    def get(self, filename: str) -> str | None:
        known = self._hashes.get(filename)
        if known is not None and not self.check:
            return known[1]
        path = os.path.join(self.folder, filename)
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        if known is None or known[0] != mtime:
            with open(path, "rb") as file:
                known = (mtime, hashlib.sha256(file.read()).hexdigest()[:12])
            self._hashes[filename] = known
        return known[1]


def init_app(app) -> None:
    versions = StaticVersions(app.static_folder, check=app.debug)

    @app.url_defaults
    def versioned_static(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = versions.get(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_static(response):
        if request.endpoint == "static" and response.status_code == 200:
            filename = (request.view_args or {}).get("filename", "")
            if request.args.get("v") and request.args.get("v") == versions.get(filename):
                response.headers["Cache-Control"] = IMMUTABLE
                mark_cacheable(request.environ)  # the response cache keeps it, gzipped once
        return response
