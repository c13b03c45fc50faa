"""Connections to the store's database: SQLite (a file in WAL mode, the default) or
PostgreSQL (a postgresql:// URL, through psycopg; see postgres.py)."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class PostgresError(Exception):
    """An error PostgreSQL reported (psycopg's, as the store raises it)."""


class PostgresIntegrityError(PostgresError):
    """A constraint refused a write."""


class PostgresOperationalError(PostgresError):
    """The database cannot do it now or at all; `busy` when a lock was held too long."""

    def __init__(self, message: str, busy: bool = False):
        super().__init__(message)
        self.busy = busy


# The store's errors whatever the database (catch them as `except engine.IntegrityError`).
# OperationalError: what a query raises when the database cannot do it now or at all
# (locked past the timeout, read-only, a full disk): the web layer answers it with a 503,
# the CLI with a line.
Error = (sqlite3.Error, PostgresError)
IntegrityError = (sqlite3.IntegrityError, PostgresIntegrityError)
OperationalError = (sqlite3.OperationalError, PostgresOperationalError)


class DatabaseNotUsable(Exception):
    """The database cannot be used by this version of Dramatis; the message says why."""


class SqliteConnection(sqlite3.Connection):
    dialect = "sqlite"
    broken = False  # a file does not go away as a server's connection can


def is_postgres(target: str) -> bool:
    """Whether DRAMATIS_DATABASE_URL (or DRAMATIS_DB) names PostgreSQL rather than a file."""
    return target.startswith(POSTGRES_SCHEMES)


def connect(target: str, timeout: float = 10.0):
    """A connection that waits up to `timeout` seconds for another one's write lock: to the
    SQLite file at `target`, or to the PostgreSQL database its URL names. Either has
    `dialect` ("sqlite" or "postgresql") for the few statements that differ."""
    if is_postgres(target):
        from .postgres import Connection

        return Connection(target, timeout)
    # check_same_thread off: waitress may tear a request down on another thread than
    # the one that opened it; each connection is still used by one request at a time.
    db = sqlite3.connect(target, timeout=timeout, check_same_thread=False,
                         factory=SqliteConnection)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    return db


def is_busy(error: Exception) -> bool:
    """Whether an error means another connection held a lock for longer than we waited."""
    if isinstance(error, PostgresOperationalError):
        return error.busy
    return ((getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF
            in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED))


def shown(target: str) -> str:
    """The database as a message may name it: a URL without its password."""
    if not is_postgres(target):
        return target
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def greatest(db) -> str:
    """The function for the larger of two values: SQLite's max(a, b), PostgreSQL's greatest."""
    return "greatest" if db.dialect == "postgresql" else "max"


def timestamp() -> str:
    """Now, as the store writes when a row was made: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# Values in one multi-row INSERT: well under SQLite's limit on parameters (32,766), and a
# statement short enough for psycopg to keep its parsed form (it keeps those under 4 KB).
INSERT_VALUES = 400


def insert_rows(db, insert: str, rows, then: str = "") -> None:
    """`insert` ("INSERT INTO t (a, b)") with every row of `rows` in its VALUES, a few
    hundred rows to a statement, `then` after them ("ON CONFLICT DO NOTHING"). On
    PostgreSQL executemany sends a statement per row, which costs most of an add's time."""
    rows = [tuple(row) for row in rows]
    if not rows:
        return
    one = "(" + ", ".join("?" * len(rows[0])) + ")"
    per = max(1, INSERT_VALUES // len(rows[0]))
    for at in range(0, len(rows), per):
        chunk = rows[at:at + per]
        db.execute(f"{insert} VALUES {', '.join([one] * len(chunk))} {then}".rstrip(),
                   [value for row in chunk for value in row])
