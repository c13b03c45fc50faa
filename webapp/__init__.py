"""Dramatis: a web reader for news articles with their people, organisations and countries."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from .analysis.article import MAX_ARTICLE_CHARS, MAX_PAGE_BYTES
from .config import Config
from .store.engine import is_postgres
from .web import security

PACKAGE_DIR = Path(__file__).resolve().parent

# A pasted or uploaded article is at most MAX_ARTICLE_CHARS characters, up to 4 bytes
# each in UTF-8, plus the form's own fields; anything bigger is refused before parsing.
MAX_CONTENT_LENGTH = 4 * MAX_ARTICLE_CHARS + 64 * 1024
# Except a saved web page uploaded to the add form: as large as a page fetched by its
# address may be (a news site's page saved from a browser is often 1-3 MB of markup).
MAX_UPLOAD_LENGTH = MAX_PAGE_BYTES + 64 * 1024


def shipped_folder(name: str) -> str:
    """templates/ or static/: at the top of the source tree (and so in an editable install),
    inside the package once installed from a wheel (pyproject.toml maps them there)."""
    installed = PACKAGE_DIR / name
    return str(installed if installed.is_dir() else PACKAGE_DIR.parent / name)


def close_app(app: Flask) -> None:
    """Stop what the app started, once the server has stopped: the analysis worker (after
    the article it is analysing) and every database connection."""
    from .web import db

    worker = app.extensions.pop("dramatis.worker", None)
    if worker is not None:
        worker.close()
    queue = app.extensions.pop("dramatis.queue", None)
    if queue is not None:
        queue.close()
    app.extensions["dramatis.generation"].close()
    db.close_all(app)


def database_of(config: Config, instance_path: str | None = None) -> str:
    """The database the app keeps its store in: the configured one, else dramatis.sqlite in
    the app's instance folder."""
    if config.database:
        return config.database
    if instance_path is None:
        instance_path = Flask(__name__, instance_relative_config=True).instance_path
    return os.path.join(instance_path, "dramatis.sqlite")


def create_app(test_config: dict | None = None, config: Config | None = None) -> Flask:
    """The app with `config`'s settings (else the environment's), then `test_config`'s."""
    config = Config.from_environ() if config is None else config
    app = Flask(__name__, instance_relative_config=True,
                template_folder=shipped_folder("templates"), static_folder=shipped_folder("static"))
    app.config.from_mapping(
        DATABASE=database_of(config, app.instance_path),
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        MAX_UPLOAD_LENGTH=MAX_UPLOAD_LENGTH,
        # Werkzeug caps non-file form fields at 500 kB by default; a pasted article is one.
        MAX_FORM_MEMORY_SIZE=MAX_CONTENT_LENGTH,
        # Seconds a request waits for another connection's write lock before a 503.
        DB_TIMEOUT=10.0,
        # The host names requests may be sent to, and the site's address for absolute links.
        SERVED_HOSTS=list(config.hosts),
        PUBLIC_URL=config.public_url,
        # The one cache (rendered responses, article bodies, parsed versions), in bytes.
        CACHE_BYTES=config.cache_bytes,
        # The reverse proxies in front of the server (nginx, a load balancer): their
        # X-Forwarded-For and -Proto say who the visitor is (the login limit counts failed
        # logins per address) and whether they came over https (Secure cookies, og:url).
        PROXIES=config.proxies,
        # What `dramatis serve` (waitress) allows each client (server.py; README): connections
        # open at once, seconds an idle one is kept, and seconds a request may take from its
        # first byte to the end of its headers.
        CONNECTION_LIMIT=config.connection_limit,
        CHANNEL_TIMEOUT=config.idle_timeout,
        HEADER_TIMEOUT=config.header_timeout,
        # Seconds an editor's session lasts without a request (issue 18).
        SESSION_IDLE=config.session_idle,
        # How often the cache asks SQLite whether another process (`dramatis add`) wrote.
        CACHE_CHECK_INTERVAL=0.05,
        # Web pages fetched at once for the add form; more get a 503 with Retry-After.
        FETCH_CONCURRENCY=1,
        # Signs the session cookie; when unset, a key generated once into the database.
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME="dramatis_session",  # the response cache passes it by (cache.py)
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Anyone may change the library while it has no editor accounts: for one person at
        # a desk. `dramatis serve` turns this off when it listens beyond loopback, and so
        # does a host list or public address beyond loopback (below).
        OPEN_WHEN_NO_USERS=True,
        # Editors' corrected names applied to articles stored later (DRAMATIS_LEARN_NAMES).
        LEARN_NAMES=config.learn_names,
        # The spaCy pipeline the analysis worker loads (DRAMATIS_MODEL), and the private
        # hosts the add form may fetch (DRAMATIS_FETCH_ALLOW, an AllowList; None for none).
        MODEL=config.model,
        FETCH_ALLOW=config.fetch_allow,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app.config["PUBLIC_URL"] or not set(app.config["SERVED_HOSTS"]) <= set(security.LOOPBACK_HOSTS):
        # Served under a public name (often behind a proxy on 127.0.0.1): never open to all.
        app.config["OPEN_WHEN_NO_USERS"] = False
    if app.config["PUBLIC_URL"]:
        # The site's public address is a name the server answers to, whatever else is listed.
        public_host = security.served_hosts(urlsplit(app.config["PUBLIC_URL"]).hostname)[0]
        if public_host not in app.config["SERVED_HOSTS"]:
            app.config["SERVED_HOSTS"] = [*app.config["SERVED_HOSTS"], public_host]
    if not is_postgres(app.config["DATABASE"]):
        os.makedirs(os.path.dirname(os.path.abspath(app.config["DATABASE"])), exist_ok=True)

    from .web import (
        annotations,
        articles,
        auth,
        changes,
        corrections,
        db,
        editing,
        entities,
        errors,
        feeds,
        library,
        reader,
        search,
        static,
    )

    db.init_app(app)
    # With PostgreSQL, articles added through the web are analysed by `dramatis worker`
    # processes fed by the queue (issue 17); with SQLite, by this process's own worker.
    if app.config.get("QUEUE", is_postgres(app.config["DATABASE"])):
        from .jobs import Enqueuer

        app.extensions["dramatis.queue"] = Enqueuer(app.config["DATABASE"])
    security.init_app(app)
    errors.init_app(app)
    static.init_app(app)
    auth.init_app(app)
    app.register_blueprint(library.bp)
    app.register_blueprint(reader.bp)
    app.register_blueprint(editing.bp)
    app.register_blueprint(corrections.bp)
    app.register_blueprint(annotations.bp)
    app.register_blueprint(search.bp)
    app.register_blueprint(entities.bp)
    app.register_blueprint(changes.bp)
    app.register_blueprint(feeds.bp)
    # The one response cache: outermost, so that a replayed page carries the security
    # headers it was served with.
    articles.init_app(app)
    if app.config["PROXIES"]:
        # Outside the response cache too, which keys on the scheme. Trusted only when set:
        # otherwise anyone could claim an address in X-Forwarded-For to dodge the limit.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"],
                                x_proto=app.config["PROXIES"])
    return app
