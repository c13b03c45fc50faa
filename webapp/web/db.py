"""The store's connection for a request: one per serving thread, kept between requests."""
from __future__ import annotations

import threading

from flask import current_app, g

from ..store import engine, migrations


def get_db():
    """The database connection for this request.

    Each thread keeps its connection between requests (the Flask tutorial opens one per
    request): a new SQLite connection re-reads the schema on its first query, which costs
    more than serving a cached article page does.
    """
    if "db" not in g:
        connections = current_app.extensions["dramatis.connections"]
        every = current_app.extensions["dramatis.all_connections"]
        lost = getattr(connections, "db", None)
        if lost is not None and lost.broken:  # PostgreSQL restarted, or the network failed
            every.remove(lost)
            lost.close()
            connections.db = None
        if getattr(connections, "db", None) is None:
            connections.db = engine.connect(current_app.config["DATABASE"],
                                            current_app.config["DB_TIMEOUT"])
            every.append(connections.db)
        g.db = connections.db
    return g.db


def release_db(e=None) -> None:
    """End the request's use of the connection; never leave a transaction open."""
    db = g.pop("db", None)
    if db is not None and db.in_transaction:
        db.rollback()


def close_all(app) -> None:
    """Close every serving thread's connection (when the server has stopped): the last one
    to close folds SQLite's -wal file into the database and removes it and the -shm file."""
    connections = app.extensions["dramatis.all_connections"]
    while connections:
        connections.pop().close()


def init_app(app) -> None:
    app.extensions["dramatis.connections"] = threading.local()
    app.extensions["dramatis.all_connections"] = []
    app.teardown_appcontext(release_db)
    migrations.init_db(app.config["DATABASE"], app.config["DB_TIMEOUT"])
