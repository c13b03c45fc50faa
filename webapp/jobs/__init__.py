"""The queue (issue 17): with PostgreSQL as the store, an article added through the web or
with `dramatis add --enqueue` is a job that `dramatis worker` processes run, on any machine
that reaches the database.

The queue is procrastinate's: its tables live in the same PostgreSQL database (no other
server to run), workers take jobs with row locks, send heartbeats, and a job whose worker
died (killed, out of memory, its machine gone) is run again by another. Each job names a row
of the store's add_jobs table (store/jobs.py), which holds what was given and what became
of it: readers follow it on /adding/<token>, editors see the failures in the library.

With a schedule (DRAMATIS_REFRESH_CRON), the workers also refresh the library periodically,
as `dramatis refresh --all` does: procrastinate's periodic task, deferred once per scheduled
time however many workers run, puts one refresh job per article added from a web address on
the queue, and those jobs spread over the workers.
"""
from __future__ import annotations

import threading

import procrastinate
from procrastinate import RetryStrategy

QUEUE = "dramatis-add"
TASK = "dramatis.add_article"
REFRESH_TASK = "dramatis.refresh_article"
REFRESH_LIBRARY_TASK = "dramatis.refresh_library"
# Three attempts in all: a failure that is not the input's fault (a crash, the database
# gone for a moment) is tried twice more, a few seconds apart, then kept as failed.
ATTEMPTS = 3
RETRY_WAIT = 2  # seconds before the next attempt


def queue_app(database_url: str, refresh_cron: str | None = None) -> procrastinate.App:
    """A procrastinate app on the store's PostgreSQL database, with the add and refresh
    tasks; with `refresh_cron` (a cron schedule), the library's refresh as a periodic task."""
    from .run import add_article, refresh_article, refresh_library

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=database_url))
    app.task(name=TASK, queue=QUEUE, pass_context=True,
             retry=RetryStrategy(max_attempts=ATTEMPTS - 1, wait=RETRY_WAIT))(add_article)
    # A refresh that fails is not tried again: the next scheduled one will be.
    app.task(name=REFRESH_TASK, queue=QUEUE, pass_context=True)(refresh_article)
    library = app.task(name=REFRESH_LIBRARY_TASK, queue=QUEUE, pass_context=True)(refresh_library)
    if refresh_cron:
        app.periodic(cron=refresh_cron)(library)
    return app


def queue_schema() -> str:
    """procrastinate's tables and functions, as SQL (applied by `dramatis db upgrade`)."""
    return procrastinate.schema.SchemaManager.get_schema()


class Enqueuer:
    """Puts add jobs on the queue from a web process or the CLI (synchronous, thread-safe:
    procrastinate's synchronous connector keeps a pool of connections)."""

    def __init__(self, database_url: str):
        self.app = queue_app(database_url)
        self._opened = False
        self._lock = threading.Lock()

    def enqueue(self, add_job_id: int) -> int:
        """Queue the store's add job; the queue's own job id."""
        with self._lock:
            if not self._opened:  # on first use: a web process that never adds opens nothing
                self.app.open()
                self._opened = True
        return self.app.configure_task(TASK).defer(job=add_job_id)

    def close(self) -> None:
        with self._lock:
            if self._opened:
                self.app.close()
                self._opened = False
