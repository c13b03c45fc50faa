"""Connections to the store's database: SQLite, one file in WAL mode."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

# What a query raises when the database cannot do it now or at all (locked past the
# timeout, read-only, a full disk): the web layer answers it with a 503, the CLI with a line.
OperationalError = sqlite3.OperationalError
Connection = sqlite3.Connection
Error = sqlite3.Error


class DatabaseNotUsable(Exception):
    """The database file cannot be used by this version of Dramatis; the message says why."""


def connect(path: str, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection that waits up to `timeout` seconds for another one's write lock."""
    # check_same_thread off: waitress may tear a request down on another thread than
    # the one that opened it; each connection is still used by one request at a time.
    db = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA foreign_keys = ON")
    return db


def is_busy(error: sqlite3.Error) -> bool:
    """Whether an error means another connection held a lock for longer than we waited."""
    return (error.sqlite_errorcode or 0) & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def timestamp() -> str:
    """Now, as the store writes when a row was made: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
