"""PostgreSQL behind the few calls the store makes of a connection (psycopg 3).

The store's SQL is written once, with `?` placeholders, for both SQLite and PostgreSQL; where
the dialects differ, a store module asks `db.dialect`. This connection takes that SQL as
sqlite3 would: `?` placeholders, rows readable by position and by name, `with db:` as one
transaction (committed, or rolled back on an error), "BEGIN IMMEDIATE" as the store's one
write lock, and psycopg's errors raised as the store's own (engine.IntegrityError, ...).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import psycopg
from psycopg import errors as pg_errors

from .engine import PostgresError, PostgresIntegrityError, PostgresOperationalError

# The key of the advisory lock that stands for SQLite's write lock (BEGIN IMMEDIATE): one
# writer at a time decides what is new (a title, a slug, a version number).
WRITE_LOCK = 0x64726D74  # "drmt"
BEGIN_IMMEDIATE = "BEGIN IMMEDIATE"

# A `?` outside quotes, a `%` anywhere: psycopg's placeholders are %s, so a literal % is %%
# (inside quotes too: psycopg reads placeholders there as well).
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%")


def translate(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (never inside a quoted literal, a quoted name or a
    comment)."""
    def token(match: re.Match) -> str:
        text = match.group(0)
        return "%s" if text == "?" else text.replace("%", "%%")
    return _TOKENS.sub(token, sql)


class Row:
    """A row read by position (row[0]), by name (row["slug"]), or whole (dict(row))."""

    __slots__ = ("_values", "_index")

    def __init__(self, values: Sequence, index: dict[str, int]):
        self._values = values
        self._index = index

    def __getitem__(self, key):
        if isinstance(key, str):
            return self._values[self._index[key]]
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))!r})"


def _row_factory(cursor):
    index = {column.name: n for n, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


def _store_error(exc: psycopg.Error) -> PostgresError:
    if isinstance(exc, psycopg.IntegrityError):
        return PostgresIntegrityError(str(exc))
    if isinstance(exc, psycopg.OperationalError):
        # Waited past lock_timeout (LockNotAvailable), or the statement was cancelled by it.
        busy = isinstance(exc, (pg_errors.LockNotAvailable, pg_errors.QueryCanceled))
        return PostgresOperationalError(str(exc), busy=busy)
    return PostgresError(str(exc))


class Cursor:
    """What the store reads from an executed statement."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor):
        self._cursor = cursor

    def fetchone(self):
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount


class Connection:
    """One psycopg connection in autocommit mode: a statement outside `with db:` commits
    on its own (as a read does in SQLite), a `with db:` block is one transaction."""

    dialect = "postgresql"

    def __init__(self, url: str, timeout: float = 10.0):
        try:
            # lock_timeout: a writer waits this long for another's lock, then the store
            # answers busy (a 503 to retry), as SQLite's busy timeout does.
            self._db = psycopg.connect(url, autocommit=True, row_factory=_row_factory,
                                       connect_timeout=max(1, int(timeout)),
                                       options=f"-c lock_timeout={int(timeout * 1000)}")
        except psycopg.Error as exc:
            raise _store_error(exc) from exc
        self._depth = 0
        self._sql: dict[str, str] = {}

    def _translated(self, sql: str) -> str:
        found = self._sql.get(sql)
        if found is None:
            found = self._sql[sql] = translate(sql)
        return found

    def execute(self, sql: str, params: Sequence = ()) -> Cursor:
        if sql == BEGIN_IMMEDIATE:
            if not self._depth:
                raise RuntimeError("BEGIN IMMEDIATE outside `with db:`")
            sql, params = "SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,)
        try:
            return Cursor(self._db.execute(self._translated(sql), tuple(params) or None))
        except psycopg.Error as exc:
            raise _store_error(exc) from exc

    def execute_script(self, sql: str) -> None:
        """SQL written for PostgreSQL itself, run as it is (no placeholders: `?` and `%`
        keep their PostgreSQL meanings), such as a library's own schema."""
        try:
            self._db.execute(sql)
        except psycopg.Error as exc:
            raise _store_error(exc) from exc

    def executemany(self, sql: str, rows: Iterable[Sequence]) -> None:
        rows = [tuple(row) for row in rows]
        if not rows:
            return
        try:
            with self._db.cursor() as cursor:
                cursor.executemany(self._translated(sql), rows)
        except psycopg.Error as exc:
            raise _store_error(exc) from exc

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Rows into a table through COPY (many times faster than INSERTs)."""
        try:
            with self._db.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        except psycopg.Error as exc:
            raise _store_error(exc) from exc

    def __enter__(self) -> Connection:
        if not self._depth:
            self._db.execute("BEGIN")
        self._depth += 1
        return self

    def __exit__(self, kind, value, traceback) -> None:
        self._depth -= 1
        if self._depth:
            return
        try:
            self._db.execute("ROLLBACK" if kind else "COMMIT")
        except psycopg.Error as exc:
            if kind is None:
                raise _store_error(exc) from exc

    @property
    def broken(self) -> bool:
        """Whether the connection was lost (the server restarted, the network failed)."""
        return self._db.broken or self._db.closed

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def rollback(self) -> None:
        if self._depth:
            self._depth = 0
            self._db.execute("ROLLBACK")

    def close(self) -> None:
        self._db.close()
