"""Bringing a database to the newest schema. Each dialect has its own history (sqlite.py,
postgresql.py): a list of migrations, each run once, in order, in its own transaction."""
from __future__ import annotations

import sqlite3

from .. import engine
from ..engine import DatabaseNotUsable
from . import postgresql
from .sqlite import MIGRATIONS, SCHEMA_VERSION

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "history", "init_db", "migrate", "schema_version",
           "upgrade"]


def history(db) -> list[tuple]:
    """The migrations of the connection's dialect."""
    return postgresql.MIGRATIONS if db.dialect == "postgresql" else MIGRATIONS


def schema_version(db) -> int:
    if db.dialect == "postgresql":
        if db.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            return 0
        return db.execute("SELECT version FROM schema_version").fetchone()[0]
    return db.execute("PRAGMA user_version").fetchone()[0]


def _set_version(db, version: int) -> None:
    if db.dialect == "postgresql":
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        db.execute("DELETE FROM schema_version")
        db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    else:
        db.execute(f"PRAGMA user_version = {int(version)}")


def check_version(db, migrations: list[tuple] | None = None) -> int:
    """The database's schema version; DatabaseNotUsable when a newer Dramatis made it."""
    migrations = history(db) if migrations is None else migrations
    found = schema_version(db)
    if found > len(migrations):
        raise DatabaseNotUsable(
            f"the database was made by a newer Dramatis (schema version {found}; this one "
            f"knows up to {len(migrations)}): upgrade Dramatis, or set DRAMATIS_DB to another file")
    return found


def migrate(db, migrations: list[tuple] | None = None) -> int:
    """Bring the database to the newest schema, one migration per transaction; the
    version it was at. Two processes starting at once apply each migration once: the
    version is read again under the write lock."""
    migrations = history(db) if migrations is None else migrations
    found = check_version(db, migrations)
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
            _set_version(db, version + 1)
    return found


def _opened(target: str, timeout: float, use) -> int:
    """`use(db)` on a new connection to `target`, its errors as DatabaseNotUsable."""
    try:
        db = engine.connect(target, timeout)
        try:
            return use(db)
        finally:
            db.close()
    except DatabaseNotUsable as exc:
        raise DatabaseNotUsable(f"{engine.shown(target)}: {exc}") from None
    except (sqlite3.DatabaseError, engine.PostgresError) as exc:
        # not a database, unreadable, unreachable, or locked too long
        raise DatabaseNotUsable(f"{engine.shown(target)}: cannot open the database ({exc})") from None


def upgrade(target: str, timeout: float = 10.0) -> tuple[int, int]:
    """`dramatis db upgrade`: bring the database to the newest schema; (from, to)."""
    def use(db):
        if db.dialect == "sqlite":
            # WAL lets readers go on while an article is being added; the mode is stored
            # in the file, so setting it once here covers every later connection.
            db.execute("PRAGMA journal_mode = WAL")
        return migrate(db), len(history(db))
    return _opened(target, timeout, use)


def init_db(target: str, timeout: float = 10.0) -> None:
    """Make the database ready for the app. A SQLite file is upgraded in place (one desk, one
    machine: as it always was). PostgreSQL is only checked: a newsroom migrates with
    `dramatis db upgrade` before it rolls out web processes, so an older schema is refused
    with that advice, like a newer one."""
    if not engine.is_postgres(target):
        upgrade(target, timeout)
        return

    def use(db):
        found, wanted = check_version(db), len(history(db))
        if found < wanted:
            raise DatabaseNotUsable(f"the database is at schema version {found}, this Dramatis "
                                    f"needs {wanted}: run `dramatis db upgrade` first")
        return found
    _opened(target, timeout, use)
