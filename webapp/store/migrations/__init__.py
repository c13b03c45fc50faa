"""Bringing a database to the newest schema (the history itself is in sqlite.py)."""
from __future__ import annotations

import sqlite3

from .. import engine
from ..engine import DatabaseNotUsable
from .sqlite import MIGRATIONS, SCHEMA_VERSION

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "init_db", "migrate", "schema_version"]


def schema_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def migrate(db: sqlite3.Connection, migrations: list[tuple] = MIGRATIONS) -> int:
    """Bring the database to the newest schema, one migration per transaction; the
    version it was at. Two processes starting at once apply each migration once: the
    version is read again under the write lock."""
    found = schema_version(db)
    if found > len(migrations):
        raise DatabaseNotUsable(
            f"the database was made by a newer Dramatis (schema version {found}; this one "
            f"knows up to {len(migrations)}): upgrade Dramatis, or set DRAMATIS_DB to another file")
    while schema_version(db) < len(migrations):
        with db:  # commits, or rolls the whole migration back on any error
            db.execute("BEGIN IMMEDIATE")
            version = schema_version(db)
            if version >= len(migrations):
                break
            for step in migrations[version]:
                if callable(step):
                    step(db)
                else:
                    db.execute(step)
            db.execute(f"PRAGMA user_version = {version + 1}")
    return found


def init_db(path: str, timeout: float = 10.0) -> None:
    """Switch the file to WAL mode and bring its schema up to date."""
    try:
        db = engine.connect(path, timeout)
        try:
            # WAL lets readers go on while an article is being added; the mode is stored
            # in the file, so setting it once here covers every later connection.
            db.execute("PRAGMA journal_mode = WAL")
            migrate(db)
        finally:
            db.close()
    except DatabaseNotUsable as exc:
        raise DatabaseNotUsable(f"{path}: {exc}") from None
    except sqlite3.DatabaseError as exc:  # not a database, unreadable, or locked too long
        raise DatabaseNotUsable(f"{path}: cannot open the database ({exc})") from None
