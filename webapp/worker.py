"""The analysis worker: articles are analysed off the request threads, a bounded number at once.

A request that adds an article hands its text to the worker and waits for the result; the
request threads never run spaCy themselves, so reading never waits on adding, and the queue
has a limit, so a burst of adds is refused (503 with Retry-After) instead of piling up.

The default worker is one process (spawned, so it shares no threads or locks with the
server): spaCy then runs on another core than the pages (issue 7; measured in
benchmarks/bench_worker.py). A thread worker, which can be handed a loaded pipeline, serves
tests and single-core machines. Either way spaCy is used by one thread at a time.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from .analysis import analyse

WORKER_KINDS = ("process", "thread")


class WorkerBusy(Exception):
    """Every place in the analysis queue is taken: try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the analysis queue is full; try again in {retry_after} seconds")
        self.retry_after = retry_after


class WorkerFailed(Exception):
    """The worker process died during an analysis (killed, or out of memory)."""


def _prepare_worker_process() -> None:
    """Runs first in the worker process: it stops with the server, however the server stops."""
    # Ctrl+C reaches the whole process group: the server stops the worker, which must not
    # die first with a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # systemd and container runtimes send SIGTERM to every process of the service: the
    # server stops the worker itself once the requests in flight (an add waiting for this
    # analysis) are answered.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # blocked by submit()
    # A server killed outright (SIGTERM, SIGKILL) cannot stop its worker, which would wait
    # for work forever: it watches the server and exits when the server is gone.
    server = multiprocessing.parent_process()
    if server is not None:
        threading.Thread(target=_exit_when_gone, args=(server.sentinel,), daemon=True).start()


def _exit_when_gone(sentinel) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(0)


def analyse_with(model: str | None, text: str):
    """`text` analysed by the pipeline `model` (loaded once in this process)."""
    from .analysis.pipeline import get_nlp

    return analyse(text, get_nlp(model))


class AnalysisWorker:
    """One analysis worker (a process or a thread) with a queue of at most `capacity` articles,
    the one being analysed included; it analyses with `nlp`, else with the pipeline `model`
    (the config's DRAMATIS_MODEL), loaded in the worker on its first article."""

    def __init__(self, kind: str = "process", capacity: int = 2, nlp=None, retry_after: int = 10,
                 model: str | None = None):
        if kind not in WORKER_KINDS:
            raise ValueError(f"unknown analysis worker {kind!r}; choose one of {WORKER_KINDS}")
        if kind == "process" and nlp is not None:
            raise ValueError("a loaded pipeline can only be handed to a thread worker")
        if capacity < 1:
            raise ValueError("the analysis queue needs room for at least one article")
        self.kind = kind
        self.retry_after = retry_after
        self._analyse = partial(analyse, nlp=nlp) if nlp is not None else partial(analyse_with, model)
        self._places = threading.BoundedSemaphore(capacity)
        self._lock = threading.Lock()
        self._executor: Executor | None = None

    def _get_executor(self) -> Executor:
        with self._lock:
            if self._executor is None:
                if self.kind == "process":
                    # Spawned, not forked: a fork of a threaded server can inherit held locks.
                    self._executor = ProcessPoolExecutor(
                        max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                        initializer=_prepare_worker_process)
                else:
                    self._executor = ThreadPoolExecutor(max_workers=1,
                                                        thread_name_prefix="dramatis-analysis")
            return self._executor

    def submit(self, text: str) -> Future:
        """Queue `text` for analysis; WorkerBusy at once when the queue is full."""
        if not self._places.acquire(blocking=False):
            raise WorkerBusy(self.retry_after)
        try:
            # A process started now inherits this thread's signal mask: SIGTERM stays blocked
            # in it until its initializer has chosen to ignore it (_prepare_worker_process).
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            try:
                future = self._get_executor().submit(self._analyse, text)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        except BaseException:
            self._places.release()
            raise
        future.add_done_callback(lambda _: self._places.release())
        return future

    def analyse(self, text: str):
        """The analysis of `text`, computed by the worker; the caller waits for it.

        Raises WorkerBusy when the queue is full, WorkerFailed when the worker process died
        (the next call starts a new one), and whatever the analysis raised (ModelNotInstalled).
        """
        executor = self._get_executor()
        try:
            return self.submit(text).result()
        except BrokenProcessPool:
            self._discard_broken(executor)
            raise WorkerFailed("the analysis worker stopped unexpectedly; "
                               "please try again") from None

    def _discard_broken(self, broken) -> None:
        """Forget the executor whose process died, unless another request already replaced
        it: the new one may be analysing someone else's article."""
        with self._lock:
            if self._executor is not broken:
                return
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


# Config keys and defaults: the worker kind, how many articles may be queued (the one being
# analysed included; each holds a waiting request thread, so keep it below waitress's 4
# threads), and the Retry-After sent when the queue is full.
DEFAULTS = {"ANALYSIS_WORKER": "process", "ANALYSIS_QUEUE": 2, "ANALYSIS_RETRY_AFTER": 10}
_create_lock = threading.Lock()


def get_worker(app) -> AnalysisWorker:
    """The app's analysis worker, made from its config on first use (tests may set their own)."""
    with _create_lock:
        worker = app.extensions.get("dramatis.worker")
        if worker is None:
            config = {key: app.config.get(key, default) for key, default in DEFAULTS.items()}
            worker = app.extensions["dramatis.worker"] = AnalysisWorker(
                config["ANALYSIS_WORKER"], capacity=config["ANALYSIS_QUEUE"],
                retry_after=config["ANALYSIS_RETRY_AFTER"], model=app.config.get("MODEL"))
        return worker
