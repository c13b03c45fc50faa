"""The queue (issue 17): with the PostgreSQL store, adds are jobs that `dramatis worker` runs.

Every test here needs PostgreSQL (a throwaway cluster, tests/pg_cluster.py): skipped without
it, a failure under CI.
"""
from __future__ import annotations

import asyncio
import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from webapp.jobs.worker import drain

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "webapp" / "samples" / "harbour-deal.txt"
STORY = ("Ferry strike halts crossings on the Tagus\n\nFerry crews in Lisbon stopped work on "
         "Monday, said Marta Quintela, a spokeswoman for the Transtejo operator.\n")


@pytest.fixture
def pg_url(pg_cluster, pg_template):
    """A new PostgreSQL database at the newest schema (the queue's tables included)."""
    name = pg_cluster.database(template=pg_template)
    yield pg_cluster.url(name)
    pg_cluster.drop(name)


@pytest.fixture
def queued_app(pg_url):
    from webapp import create_app, close_app

    app = create_app({"TESTING": True, "DATABASE": pg_url, "QUEUE": True,
                      "WTF_CSRF_ENABLED": False})
    yield app
    close_app(app)


def job_token(response) -> str:
    assert response.status_code == 303, response.get_data(as_text=True)
    match = re.fullmatch(r"/adding/([\w-]+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return match[1]


def test_an_add_through_the_web_is_queued_and_opens_when_analysed(queued_app, pg_url, nlp):
    """Guards the queued add: the form answers at once with the job's page (which says it is
    waiting, polls with htmx and reloads without it); once a worker has analysed it, the
    page sends the reader to the article, and the article is in the library."""
    client = queued_app.test_client()
    token = job_token(client.post("/articles", data={"text": STORY}))
    waiting = client.get(f"/adding/{token}")
    page = waiting.get_data(as_text=True)
    assert waiting.status_code == 200 and "Waiting to be analysed" in page
    assert 'hx-trigger="every 1s"' in page and 'http-equiv="refresh"' in page
    assert "Ferry strike halts crossings" not in client.get("/").get_data(as_text=True)
    drain(pg_url, nlp)
    done = client.get(f"/adding/{token}")
    assert done.status_code == 303
    assert done.headers["Location"].startswith("/articles/ferry-strike-halts-crossings")
    assert client.get(f"/adding/{token}", headers={"HX-Request": "true"}).headers["HX-Redirect"] \
        == done.headers["Location"]
    article = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Marta Quintela" in article
    assert "Ferry strike halts crossings" in client.get("/").get_data(as_text=True)


def test_a_text_without_a_headline_is_refused_at_once(queued_app):
    """What the form can check without the model it still checks at once: no job is made."""
    client = queued_app.test_client()
    response = client.post("/articles", data={"text": "just some words, no headline at all, "
                                              "written in lower case and ending with a comma,"})
    assert response.status_code == 400 and "give it a title" in response.get_data(as_text=True)


def test_a_job_failing_three_times_is_kept_with_its_error_for_editors(queued_app, pg_url, nlp,
                                                                      monkeypatch):
    """Guards the failure path: an analysis that fails every time is tried three times, then
    kept as failed with its error, on its page and in the library for editors only."""
    from webapp import jobs
    from webapp.jobs import run
    from webapp.store import connect
    from webapp.store.accounts import add_user

    def broken(text, nlp=None):
        raise RuntimeError("the model ran out of memory")

    monkeypatch.setattr(run, "analyse", broken)
    monkeypatch.setattr(jobs, "RETRY_WAIT", 0)
    client = queued_app.test_client()
    token = job_token(client.post("/articles", data={"text": STORY}))
    drain(pg_url, nlp)
    page = client.get(f"/adding/{token}").get_data(as_text=True)
    assert "the model ran out of memory" in page and "Analysing" not in page
    library = client.get("/").get_data(as_text=True)  # at the desk: everyone is the editor
    assert "Could not be added" in library and "3 attempts" in library
    db = connect(pg_url)
    try:
        add_user(db, "editor", "correct horse battery")
    finally:
        db.close()
    assert "Could not be added" not in queued_app.test_client().get("/").get_data(as_text=True)


def test_a_page_that_is_not_an_article_fails_once_without_retries(queued_app, pg_url, nlp):
    """An input that can never become an article is failed at its first attempt, with why."""
    from webapp.store import connect
    from webapp.store.jobs import find_add_job

    client = queued_app.test_client()
    upload = (io.BytesIO(b"<html><body><nav>Home</nav></body></html>"), "empty.html")
    token = job_token(client.post("/articles", data={"file": upload},
                                  content_type="multipart/form-data"))
    drain(pg_url, nlp)
    db = connect(pg_url)
    try:
        job = find_add_job(db, token)
    finally:
        db.close()
    assert job.state == "failed" and job.attempts == 1
    assert job.error.startswith("This article cannot be added")


# --- `dramatis worker` processes ------------------------------------------------------

def start_worker(url: str, *args: str, stalled: int = 2) -> tuple[subprocess.Popen, list[str]]:
    env = {**os.environ, "DRAMATIS_DATABASE_URL": url, "DRAMATIS_DB": url,
           "DRAMATIS_WORKER_STALLED_SECONDS": str(stalled), "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker", *args], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              start_new_session=True)
    log: list[str] = []
    deadline = time.monotonic() + 120
    for line in worker.stdout:
        log.append(line)
        if "ready" in line or time.monotonic() > deadline:
            break
    else:
        pytest.fail("dramatis worker did not start:\n" + "".join(log))
    import threading

    threading.Thread(target=lambda: log.extend(worker.stdout), daemon=True).start()
    return worker, log


def enqueue(url: str, text: str, title: str | None = None):
    from webapp.jobs import Enqueuer
    from webapp.store import connect
    from webapp.store.jobs import create_add_job

    db = connect(url)
    queue = Enqueuer(url)
    try:
        job = create_add_job(db, "text", text.encode(), title or "a story", title)
        queue.enqueue(job.id)
        return job
    finally:
        queue.close()
        db.close()


def wait_for(url: str, token: str, states: tuple[str, ...], seconds: float, log: list[str]):
    from webapp.store import connect
    from webapp.store.jobs import find_add_job

    db = connect(url)
    try:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            job = find_add_job(db, token)
            if job.state in states:
                return job
            time.sleep(0.05)
    finally:
        db.close()
    pytest.fail(f"job still {job.state} after {seconds} s:\n" + "".join(log))


def long_article() -> str:
    """About 60,000 characters: long enough that its analysis takes seconds."""
    paragraphs = SAMPLE.read_text().split("\n\n")[1:]
    body = "\n\n".join(f"{p} (Part {n}.)" for n in range(1, 30) for p in paragraphs)
    return f"Harbour inquiry hears a month of evidence\n\n{body}\n"


def counts(url: str) -> tuple[int, int]:
    from webapp.store import connect

    db = connect(url)
    try:
        return (db.execute("SELECT count(*) FROM articles").fetchone()[0],
                db.execute("SELECT count(*) FROM versions").fetchone()[0])
    finally:
        db.close()


def test_a_worker_killed_mid_analysis_has_its_job_run_by_another(pg_url):
    """Guards recovery: kill -9 during an analysis; another worker runs the job again once
    the first one's heartbeat is stale; the article is stored once, nothing half-stored."""
    first, log = start_worker(pg_url)
    job = enqueue(pg_url, long_article())
    wait_for(pg_url, job.token, ("analysing",), 60, log)
    os.killpg(first.pid, signal.SIGKILL)  # the command and its worker process, no goodbye
    first.wait(timeout=10)
    assert counts(pg_url) == (0, 0)
    second, log2 = start_worker(pg_url)
    try:
        done = wait_for(pg_url, job.token, ("done", "failed"), 120, log2)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)
    assert done.state == "done" and done.attempts == 2, done
    assert counts(pg_url) == (1, 1)


def test_sigterm_lets_the_job_in_flight_finish_and_exits_0(pg_url):
    """Guards a graceful stop of `dramatis worker`: SIGTERM (to the whole service, as
    systemd sends it) during an analysis; the article is stored, the command exits 0."""
    worker, log = start_worker(pg_url)
    job = enqueue(pg_url, long_article())
    wait_for(pg_url, job.token, ("analysing",), 60, log)
    os.killpg(worker.pid, signal.SIGTERM)
    assert worker.wait(timeout=90) == 0, "".join(log)
    assert counts(pg_url) == (1, 1)
    assert wait_for(pg_url, job.token, ("done",), 1, log).attempts == 1


def test_add_enqueue_follows_the_workers_and_prints_each_path(pg_url, tmp_path, capsys,
                                                              monkeypatch):
    """`dramatis add --enqueue FOLDER`: every file a job, progress until the workers finish,
    each stored path printed, a file without a headline one failure line; exit 1."""
    from webapp.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY)
    (folder / "sample.txt").write_text(SAMPLE.read_text())
    (folder / "untitled.txt").write_text("no headline here, only a lower-case line that runs on,")
    worker, log = start_worker(pg_url)
    monkeypatch.setenv("DRAMATIS_DATABASE_URL", pg_url)
    monkeypatch.setenv("DRAMATIS_DB", pg_url)
    try:
        code = main(["add", "--enqueue", str(folder)])
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    out, err = capsys.readouterr()
    assert code == 1, err
    assert sorted(line.split("/")[2][:10] for line in out.split()) == ["ferry-stri", "port-deal-"]
    assert "untitled.txt: No line of this article reads as a headline" in err
    assert "stored 2, failed 1" in err


def test_worker_without_postgresql_is_one_line(tmp_path, capsys, monkeypatch):
    from webapp.cli import main

    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "desk.sqlite"))
    monkeypatch.delenv("DRAMATIS_DATABASE_URL", raising=False)
    assert main(["worker"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dramatis: the queue needs the PostgreSQL store") and err.count("\n") == 1


# --- the library refreshed by the workers on a schedule (DRAMATIS_REFRESH_CRON) ---------

def test_the_refresh_is_periodic_only_with_a_schedule(pg_url):
    """Guards the refresh's schedule: off by default; a cron schedule makes the library's
    refresh a periodic task of the workers (procrastinate defers it once per scheduled time,
    however many workers run); a schedule that is not one stops the start, naming it."""
    from webapp.config import Config
    from webapp.jobs import REFRESH_LIBRARY_TASK, queue_app
    from webapp.web.security import ConfigError

    assert not queue_app(pg_url).periodic_registry.periodic_tasks
    [periodic] = queue_app(pg_url, "*/30 * * * *").periodic_registry.periodic_tasks.values()
    assert periodic.task.name == REFRESH_LIBRARY_TASK and periodic.cron == "*/30 * * * *"
    assert Config.from_environ({}).refresh_cron is None
    assert Config.from_environ({"DRAMATIS_REFRESH_CRON": " 0  * * * *"}).refresh_cron == "0 * * * *"
    with pytest.raises(ConfigError, match="DRAMATIS_REFRESH_CRON: 'hourly' is not a cron schedule"):
        Config.from_environ({"DRAMATIS_REFRESH_CRON": "hourly"})


def test_the_scheduled_refresh_queues_a_large_library_in_batches(pg_url, nlp, monkeypatch):
    """Guards the periodic refresh of a large library: the refresh jobs go on the queue a
    batch to an insert, not one round trip per article; an article whose refresh still waits
    is not queued again, even when it was queued after the task looked (the batch it is in
    then goes one job at a time, and the rest of it is still queued)."""
    from types import SimpleNamespace

    from webapp.analysis import analyse
    from webapp.jobs import REFRESH_TASK, queue_app, run
    from webapp.store import connect, save_analyses

    db = connect(pg_url)
    try:
        save_analyses(db, [(analyse(f"{STORY}\nCrossing {n} stayed shut.\n", nlp), f"Strike {n}",
                            {"source_url": f"https://news.example/strike-{n}"}) for n in range(5)])
        slugs = [r[0] for r in db.execute("SELECT slug FROM articles ORDER BY id")]
        queue = queue_app(pg_url)
        inserts = []
        monkeypatch.setattr(run, "REFRESH_BATCH", 2)
        with queue.open():
            queue.configure_task(REFRESH_TASK, queueing_lock=f"refresh {slugs[2]}").defer(slug=slugs[2])
            batch_defer = queue.job_manager.batch_defer_jobs
            monkeypatch.setattr(queue.job_manager, "batch_defer_jobs", lambda jobs, connection=None:
                                inserts.append(len(jobs)) or batch_defer(jobs, connection))
            context = SimpleNamespace(app=queue, additional_context={"runner": SimpleNamespace(db=db)})
            run.refresh_library(context, timestamp=0)
            assert inserts == [2, 1, 1]  # five articles, two to an insert, the waiting one left out
            run.refresh_library(context, timestamp=1)
            assert inserts == [2, 1, 1]  # all still waiting: nothing queued, no insert
            db.execute("DELETE FROM procrastinate_jobs WHERE args->>'slug' <> ?", (slugs[0],))
            monkeypatch.setattr(run, "waiting_locks", lambda db, prefix: set())  # looked too early
            run.refresh_library(context, timestamp=2)
        queued = [r[0] for r in db.execute(
            "SELECT args->>'slug' FROM procrastinate_jobs WHERE task_name = ? AND status = 'todo'"
            " ORDER BY args->>'slug'", (REFRESH_TASK,))]
    finally:
        db.close()
    assert queued == sorted(slugs)  # one job each, the first article's not twice


@pytest.fixture
def changing_pages(tmp_path):
    """A folder of web pages on a free loopback port, changed by the test: (folder, url)."""
    from functools import partial
    from http.server import ThreadingHTTPServer
    from threading import Thread

    from conftest import PAGES, QuietPages

    folder = tmp_path / "site"
    folder.mkdir()
    for name in ("harbour-vote.html", "river-inquiry.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietPages, directory=str(folder)))
    httpd.daemon_threads = True
    Thread(target=httpd.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_scheduled_refresh_stores_a_new_version_of_each_changed_page_once(queued_app, pg_url,
                                                                            nlp, changing_pages):
    """Guards the periodic refresh: the scheduled task queues one refresh job per article
    added from a web address (not a second while the first waits), and the workers store a
    new version of the page whose text changed, and of no other."""
    from webapp.ingest import AllowList
    from webapp.jobs import REFRESH_LIBRARY_TASK, REFRESH_TASK, queue_app
    from webapp.store import connect

    folder, base = changing_pages
    allow = AllowList.parse("127.0.0.1")
    client = queued_app.test_client()
    for name in ("harbour-vote.html", "river-inquiry.html"):
        job_token(client.post("/articles", data={"url": f"{base}/{name}"}))
    drain(pg_url, nlp, allow)
    page = folder / "harbour-vote.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "would bring work to the docks for a decade", "would bring work to the docks for twenty years"),
        encoding="utf-8")
    queue = queue_app(pg_url)
    with queue.open():
        for _ in range(2):  # two scheduled times before a worker came by
            queue.configure_task(REFRESH_LIBRARY_TASK).defer(timestamp=int(time.time()))
    drain(pg_url, nlp, allow)
    db = connect(pg_url)
    try:
        versions = dict(db.execute("SELECT a.slug, count(*) FROM articles a JOIN versions v"
                                   " ON v.article_id = a.id GROUP BY a.slug").fetchall())
        refreshes = db.execute("SELECT count(*) FROM procrastinate_jobs WHERE task_name = ?",
                               (REFRESH_TASK,)).fetchone()[0]
    finally:
        db.close()
    assert sorted(versions.values()) == [1, 2] and refreshes == 2
    [changed] = [slug for slug, count in versions.items() if count == 2]
    article = client.get(f"/articles/{changed}").get_data(as_text=True)
    assert "for twenty years" in article
