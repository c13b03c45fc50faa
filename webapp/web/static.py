"""Static files under versioned URLs (?v=<hash of the file>), cached by browsers for a year,
our CSS and JavaScript minified once per version."""
from __future__ import annotations

import hashlib
import mimetypes
import os

import rcssmin
import rjsmin
from flask import request
from werkzeug.security import safe_join

from .cache import mark_cacheable

IMMUTABLE = "public, max-age=31536000, immutable"

# Our own stylesheet and scripts are written to be read (comments, indentation); what pages
# load is minified: a third fewer bytes after gzip (issue 11: a long article's page with its
# CSS and JS under 50 KB). Vendored files come minified already.
MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


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
        path = safe_join(self.folder, filename)
        try:
            mtime = os.stat(path).st_mtime if path else None
        except OSError:
            return None
        if mtime is None:
            return None
        if known is None or known[0] != mtime:
            with open(path, "rb") as file:
                known = (mtime, hashlib.sha256(file.read()).hexdigest()[:12])
            self._hashes[filename] = known
        return known[1]


def minifier(filename: str):
    if filename.endswith(".min.js"):
        return None
    return MINIFIERS.get(os.path.splitext(filename)[1])


def init_app(app) -> None:
    versions = StaticVersions(app.static_folder, check=app.debug)
    send_static = app.view_functions["static"]
    minified: dict[tuple[str, str], bytes] = {}  # one entry per file and version

    def static_file(filename):
        """A versioned CSS or JS file of ours minified (made once); anything else, or an
        unversioned URL (for reading the source), as the file is."""
        version = request.args.get("v")
        if not version or version != versions.get(filename):
            return send_static(filename=filename)
        minify = minifier(filename)
        if minify is None:
            response = send_static(filename=filename)
        else:
            body = minified.get((filename, version))
            if body is None:
                with open(safe_join(app.static_folder, filename), encoding="utf-8") as file:
                    body = minify(file.read()).encode("utf-8")
                minified[(filename, version)] = body
            response = app.response_class(body, mimetype=mimetypes.guess_type(filename)[0])
        if response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
            mark_cacheable(request.environ)  # the response cache keeps it, gzipped once
        return response

    # Set here rather than in an after_request hook, which every request would run.
    app.view_functions["static"] = static_file

    @app.url_defaults
    def versioned_static(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = versions.get(values["filename"])
            if version:
                values["v"] = version
