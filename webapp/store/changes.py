"""The change counter: how every web process learns that what pages show has changed."""
from __future__ import annotations

import threading
import time

from . import engine


def change_count(db) -> int:
    """The count of changes to what pages show, kept by the database itself (migration 6),
    whoever wrote."""
    return db.execute("SELECT count FROM store_changes").fetchone()[0]


class Generation:
    """A number that changes whenever what pages show may have changed.

    An add in this process bumps it at once. An add by another process (`dramatis add`)
    shows in the store's change count (migration 6: triggers on the tables pages
    show, so a failed login's write leaves the cache alone); it is read at most every
    `interval` seconds, because an SQLite call hands the GIL over, which under waitress's
    threads costs more than a replayed page does.
    Cache keys carry the generation, so nothing is ever cleared: entries of an older
    generation are simply never asked for again, and age out (no race between a clear and a
    render that began before it).
    """

    def __init__(self, database: str, interval: float):
        self.database = database
        self.interval = interval
        self._local = 0
        self._seen = 0
        self._checked = 0.0
        self._db = None
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self._local += 1

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def current(self) -> tuple[int, int]:
        now = time.monotonic()
        if now - self._checked >= self.interval and self._lock.acquire(blocking=False):
            try:
                if self._db is None:
                    self._db = engine.connect(self.database, timeout=5.0)
                self._seen = change_count(self._db)
                self._checked = now
            except engine.Error:
                # A busy or missing file, a lost server: keep the last value, try again
                # next time (on a new connection if this one was lost).
                if self._db is not None and self._db.broken:
                    self._db.close()
                    self._db = None
            finally:
                self._lock.release()
        return self._local, self._seen
