"""`dramatis worker`: processes that take add jobs from the queue, each with its own model.

Each process loads the spaCy pipeline once and runs one job at a time (spaCy is CPU-bound:
two processes on two cores analyse about twice as fast as one, where threads would share
one core's worth of Python). Each also looks, every few seconds, for jobs whose worker
stopped sending heartbeats (killed with kill -9, out of memory, its machine gone) and puts
them back on the queue, so another worker runs them; storing an article is one transaction
and the same text is never stored twice, so a job run again leaves one article.

SIGTERM or Ctrl+C: each process finishes the job it is running (within the grace period),
takes no new one, and exits; the command exits 0 once they all have.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from . import QUEUE, queue_app

log = logging.getLogger("dramatis.worker")


@dataclass(frozen=True)
class WorkerSettings:
    database_url: str
    learn_names: bool = True
    # A worker that has sent no heartbeat for this long is taken for dead, and its job is
    # run again by another (DRAMATIS_WORKER_STALLED_SECONDS).
    stalled_after: float = 30.0
    grace: float = 60.0  # how long a stopping worker may take to finish its job
    # The config's DRAMATIS_MODEL and DRAMATIS_FETCH_ALLOW (an AllowList, None for none),
    # handed to each process (spawned: it reads no setting of its own).
    model: str | None = None
    allow: object = None
    refresh_cron: str | None = None  # DRAMATIS_REFRESH_CRON: the library's periodic refresh

    @property
    def heartbeat(self) -> float:
        return max(0.2, self.stalled_after / 4)


async def retry_stalled(app, settings: WorkerSettings, stop: asyncio.Event) -> None:
    """Put the jobs of dead workers back on the queue, every heartbeat, until `stop`."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.heartbeat)
        except asyncio.TimeoutError:
            pass
        if stop.is_set():
            return
        try:
            await app.job_manager.prune_stalled_workers(settings.stalled_after)
            for job in await app.job_manager.get_stalled_jobs(
                    queue=QUEUE, seconds_since_heartbeat=settings.stalled_after):
                log.warning("job %s: its worker stopped answering; running it again", job.id)
                await app.job_manager.retry_job(job)
        except Exception:  # noqa: BLE001 - another worker may have retried it first
            log.debug("looking for stalled jobs failed", exc_info=True)


async def run_one(settings: WorkerSettings, runner, until_idle: bool = False) -> None:
    """One worker: jobs until SIGTERM or SIGINT (or, `until_idle`, until none can run now)."""
    app = queue_app(settings.database_url, settings.refresh_cron)
    stop = asyncio.Event()
    async with app.open_async():
        retrier = asyncio.create_task(retry_stalled(app, settings, stop))
        try:
            await app.run_worker_async(
                queues=[QUEUE], concurrency=1, additional_context={"runner": runner},
                wait=not until_idle, install_signal_handlers=not until_idle,
                update_heartbeat_interval=settings.heartbeat,
                stalled_worker_timeout=settings.stalled_after,
                shutdown_graceful_timeout=settings.grace)
        finally:
            stop.set()
            await retrier


def drain(database_url: str, nlp, allow=None) -> None:
    """Run, in this process, every queued job that can run now, then return (tests and
    benchmarks; `dramatis worker` runs until stopped)."""
    from .run import Runner

    runner = Runner(database_url, nlp, allow=allow)
    try:
        # In a thread of its own: the caller's thread may run an event loop already (a test
        # session's Playwright does), and asyncio.run refuses to start a second one there.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, run_one(WorkerSettings(database_url), runner,
                                               until_idle=True)).result()
    finally:
        runner.db.close()


def worker_process(settings: WorkerSettings) -> None:
    """One worker process: the model loaded once, then jobs until SIGTERM or SIGINT."""
    from ..analysis.pipeline import get_nlp
    from .run import Runner

    logging.basicConfig(level=logging.INFO, format="dramatis worker %(process)d: %(message)s",
                        stream=sys.stderr)
    # procrastinate stops gracefully on the first SIGTERM and then puts back the handler it
    # found: ignoring, so that a second SIGTERM (from `dramatis worker` and from a service
    # manager both) does not kill the process in the middle of a job.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    runner = Runner(settings.database_url, get_nlp(settings.model), learn_names=settings.learn_names,
                    allow=settings.allow)
    print(f"dramatis worker {multiprocessing.current_process().pid}: ready", file=sys.stderr,
          flush=True)
    asyncio.run(run_one(settings, runner))


def run_workers(settings: WorkerSettings, concurrency: int) -> int:
    """`concurrency` worker processes until SIGTERM or SIGINT; 0 when they all stopped
    cleanly, else 1."""
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=worker_process, args=(settings,), daemon=False)
                 for _ in range(concurrency)]

    def stop(number, frame):
        # Ctrl+C reaches every process of the terminal's group by itself; SIGTERM from `kill`
        # reaches only this one (a service manager sends it to all: they ignore a second).
        if number == signal.SIGTERM:
            for process in processes:
                if process.is_alive():
                    process.terminate()

    previous = {number: signal.signal(number, stop) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        for process in processes:
            process.start()
        for process in processes:
            process.join()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
    return 0 if all(p.exitcode == 0 for p in processes) else 1
