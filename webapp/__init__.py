"""Dramatis: a web reader for news articles with their people, organisations and countries."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from .analysis.article import MAX_ARTICLE_CHARS
from .web import security
from .web.cache import PageCache

PACKAGE_DIR = Path(__file__).resolve().parent

# A pasted or uploaded article is at most MAX_ARTICLE_CHARS characters, up to 4 bytes
# each in UTF-8, plus the form's own fields; anything bigger is refused before parsing.
MAX_CONTENT_LENGTH = 4 * MAX_ARTICLE_CHARS + 64 * 1024


def shipped_folder(name: str) -> str:
    """templates/ or static/: at the top of the source tree (and so in an editable install),
    inside the package once installed from a wheel (pyproject.toml maps them there)."""
    installed = PACKAGE_DIR / name
    return str(installed if installed.is_dir() else PACKAGE_DIR.parent / name)


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True,
                template_folder=shipped_folder("templates"), static_folder=shipped_folder("static"))
    app.config.from_mapping(
        DATABASE=os.environ.get("DRAMATIS_DB") or os.path.join(app.instance_path, "dramatis.sqlite"),
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        # Werkzeug caps non-file form fields at 500 kB by default; a pasted article is one.
        MAX_FORM_MEMORY_SIZE=MAX_CONTENT_LENGTH,
        # Stored versions never change, so parsed articles can be kept in memory.
        ARTICLE_CACHE_SIZE=64,
        # How stale "the newest version" may be after `dramatis add` in another process.
        LATEST_VERSION_TTL=1.0,
        # Seconds a request waits for another connection's write lock before a 503.
        DB_TIMEOUT=10.0,
        # The host names requests may be sent to, and the site's address for absolute links.
        SERVED_HOSTS=security.served_hosts(os.environ.get("DRAMATIS_HOSTS")),
        PUBLIC_URL=security.public_url(os.environ.get("DRAMATIS_PUBLIC_URL")),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["PUBLIC_URL"]:
        # The site's public address is a name the server answers to, whatever else is listed.
        public_host = security.served_hosts(urlsplit(app.config["PUBLIC_URL"]).hostname)[0]
        if public_host not in app.config["SERVED_HOSTS"]:
            app.config["SERVED_HOSTS"] = [*app.config["SERVED_HOSTS"], public_host]
    os.makedirs(os.path.dirname(os.path.abspath(app.config["DATABASE"])), exist_ok=True)

    from . import db
    from .web import errors, library, reader

    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    reader.init_app(app)
    app.register_blueprint(library.bp)
    app.register_blueprint(reader.bp)
    # Outermost, so that a replayed page carries the security headers it was served with.
    app.wsgi_app = app.extensions["dramatis.pagecache"] = PageCache(
        app.wsgi_app, ttl=app.config["LATEST_VERSION_TTL"], size=app.config["ARTICLE_CACHE_SIZE"] * 16)
    return app
