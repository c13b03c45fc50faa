"""The SQLite database: a connection per serving thread, the schema, WAL mode."""
from __future__ import annotations

import sqlite3
import threading

from flask import current_app, g

# An article is a stable slug and title with one or more text versions. A version is
# immutable: its text, blocks, entities and mentions never change once stored, so a
# passage link can name the version it was made on (issue 4) and still find it after
# the article is re-added with edits.
SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL UNIQUE,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hash TEXT NOT NULL,            -- first 10 hex digits of the text's sha256
    number INTEGER NOT NULL,       -- 1, 2, ... within the article
    text TEXT NOT NULL,
    added_at TEXT NOT NULL,
    UNIQUE (article_id, hash),
    UNIQUE (article_id, number)
);
CREATE TABLE IF NOT EXISTS blocks (
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    credits TEXT NOT NULL,         -- JSON list of credited names
    PRIMARY KEY (version_id, id)
);
CREATE TABLE IF NOT EXISTS entities (
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    notes TEXT NOT NULL,           -- JSON list of notes
    code TEXT,
    PRIMARY KEY (version_id, id)
);
CREATE TABLE IF NOT EXISTS mentions (
    version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    block_id TEXT NOT NULL,
    credit INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (version_id, id),
    FOREIGN KEY (version_id, entity_id) REFERENCES entities(version_id, id)
);
"""


def connect(path: str) -> sqlite3.Connection:
    # check_same_thread off: waitress may tear a request down on another thread than
    # the one that opened it; each connection is still used by one request at a time.
    db = sqlite3.connect(path, timeout=10, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA busy_timeout = 10000")
    return db


def get_db() -> sqlite3.Connection:
    """The database connection for this request.

    Each thread keeps its connection between requests (the Flask tutorial opens one per
    request): a new SQLite connection re-reads the schema on its first query, which costs
    more than serving a cached article page does.
    """
    if "db" not in g:
        connections = current_app.extensions["dramatis.connections"]
        if getattr(connections, "db", None) is None:
            connections.db = connect(current_app.config["DATABASE"])
        g.db = connections.db
    return g.db


def release_db(e=None) -> None:
    """End the request's use of the connection; never leave a transaction open."""
    db = g.pop("db", None)
    if db is not None and db.in_transaction:
        db.rollback()


def init_db(path: str) -> None:
    """Create the tables if they are missing and switch the file to WAL mode."""
    db = connect(path)
    try:
        # WAL lets readers go on while an article is being added; the mode is stored
        # in the file, so setting it once here covers every later connection.
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(SCHEMA)
    finally:
        db.close()


def init_app(app) -> None:
    app.extensions["dramatis.connections"] = threading.local()
    app.teardown_appcontext(release_db)
    init_db(app.config["DATABASE"])
