"""The analysis worker: adds are analysed off the request threads, through a bounded queue."""
import os
import signal
import sqlite3
import threading

import pytest

from webapp.worker import AnalysisWorker, WorkerBusy, WorkerFailed

ARTICLE = "Rain in Oslo\n\nAnna Berg of the Norwegian weather service measured it on Monday.\n"


class GatedPipeline:
    """The real pipeline behind a gate: each pipe waits until the test opens it, and the
    gate counts how many threads are inside spaCy at once."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.open = threading.Event()
        self.entered = threading.Semaphore(0)
        self.inside = 0
        self.most_inside = 0
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def pipe(self, texts, **options):
        with self._lock:
            self.inside += 1
            self.most_inside = max(self.most_inside, self.inside)
            self.threads.add(threading.current_thread().name)
        self.entered.release()
        try:
            assert self.open.wait(timeout=30), "the test never opened the gate"
            yield from self.nlp.pipe(list(texts), **options)
        finally:
            with self._lock:
                self.inside -= 1


@pytest.fixture
def gate(nlp):
    gate = GatedPipeline(nlp)
    yield gate
    gate.open.set()


@pytest.fixture
def gated_app(app, gate):
    """The app with a one-place thread worker whose spaCy waits for the test's gate."""
    worker = AnalysisWorker("thread", capacity=1, nlp=gate, retry_after=7)
    app.extensions["dramatis.worker"] = worker
    yield app
    gate.open.set()
    worker.close()


def count_articles(app):
    with sqlite3.connect(app.config["DATABASE"]) as db:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]


def post_in_background(app, text):
    """POST the add form from another thread (as another browser would); its response."""
    result = {}

    def post():
        result["response"] = app.test_client().post("/articles", data={"text": text})

    thread = threading.Thread(target=post)
    thread.start()
    return thread, result


def test_a_full_queue_is_a_503_with_retry_after_and_stores_nothing(gated_app, gate):
    """Guards issue 7: a burst of adds is refused with Retry-After instead of piling up."""
    first, result = post_in_background(gated_app, ARTICLE)
    assert gate.entered.acquire(timeout=30)  # the first add is being analysed
    refused = gated_app.test_client().post("/articles", data={"title": "Mine", "text": ARTICLE})
    assert refused.status_code == 503 and refused.headers["Retry-After"] == "7"
    html = refused.get_data(as_text=True)
    assert 'class="form-error"' in html and "again in 7 seconds" in html
    assert 'value="Mine"' in html  # the form keeps what was typed
    assert count_articles(gated_app) == 0

    gate.open.set()
    first.join(timeout=30)
    assert result["response"].status_code == 303
    assert count_articles(gated_app) == 1
    # The place is free again: the next add goes through end to end.
    again = gated_app.test_client().post("/articles", data={"text": ARTICLE.replace("Rain", "Snow")})
    assert again.status_code == 303 and again.headers["Location"] == "/articles/snow-in-oslo"
    page = gated_app.test_client().get(again.headers["Location"]).get_data(as_text=True)
    assert 'data-type="person"' in page and "Anna Berg" in page


def test_reading_does_not_wait_on_an_add(gated_app, gate, store_article, sample_analysis):
    """Guards issue 7: pages are served while an article is being analysed."""
    slug = store_article(sample_analysis)
    adding, result = post_in_background(gated_app, ARTICLE)
    assert gate.entered.acquire(timeout=30)
    reader = gated_app.test_client()
    for path in ("/", f"/articles/{slug}", f"/articles/{slug}.json"):
        assert reader.get(path).status_code == 200
    assert adding.is_alive() and "response" not in result  # the add was still waiting
    gate.open.set()
    adding.join(timeout=30)
    assert result["response"].status_code == 303


def test_spacy_is_never_used_by_two_threads_at_once(app, nlp):
    """Guards issue 7: every add runs spaCy on the worker's one thread, one at a time."""
    gate = GatedPipeline(nlp)
    gate.open.set()
    worker = AnalysisWorker("thread", capacity=3, nlp=gate)
    app.extensions["dramatis.worker"] = worker
    posts = [post_in_background(app, ARTICLE.replace("Oslo", city))
             for city in ("Oslo", "Bergen", "Tromsø")]
    for thread, result in posts:
        thread.join(timeout=60)
        assert result["response"].status_code == 303
    worker.close()
    assert gate.most_inside == 1 and len(gate.threads) == 1
    assert gate.threads != {threading.current_thread().name}


def test_a_worker_refuses_more_than_its_capacity(nlp):
    gate = GatedPipeline(nlp)
    worker = AnalysisWorker("thread", capacity=2, nlp=gate, retry_after=3)
    try:
        first, second = worker.submit(ARTICLE), worker.submit(ARTICLE)
        with pytest.raises(WorkerBusy) as busy:
            worker.submit(ARTICLE)
        assert busy.value.retry_after == 3
        gate.open.set()
        assert first.result(timeout=30).entities and second.result(timeout=30).entities
        assert worker.submit(ARTICLE).result(timeout=30).entities  # places were given back
    finally:
        gate.open.set()
        worker.close()


def test_the_process_worker_analyses_and_replaces_a_dead_process(sample_analysis):
    """The default worker: spaCy in its own process; if that process dies (killed, out of
    memory) the add fails with a message once and the next one starts a new process."""
    worker = AnalysisWorker("process", capacity=1)
    try:
        analysis = worker.analyse(sample_analysis.text)
        assert analysis.to_json() == sample_analysis.to_json()
        (pid,) = worker._executor._processes  # the one worker process
        os.kill(pid, signal.SIGKILL)
        with pytest.raises(WorkerFailed):
            worker.analyse(ARTICLE)
        assert worker.analyse(ARTICLE).entities
    finally:
        worker.close()


def test_a_process_worker_cannot_take_a_loaded_pipeline(nlp):
    with pytest.raises(ValueError):
        AnalysisWorker("process", nlp=nlp)


def test_the_worker_process_stops_when_the_server_is_killed(tmp_path):
    """Regression: a server stopped with SIGTERM left its spawned worker waiting forever."""
    import subprocess
    import sys
    import time

    script = tmp_path / "server.py"
    script.write_text(
        "import os, sys, time\n"
        "from webapp.worker import AnalysisWorker\n"
        "if __name__ == '__main__':\n"
        "    worker = AnalysisWorker('process')\n"
        "    print(worker._get_executor().submit(os.getpid).result(), flush=True)\n"
        "    time.sleep(60)\n")
    server = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        pid = int(server.stdout.readline())
        server.kill()
        server.wait(timeout=10)
        for _ in range(100):  # polled: the worker notices within moments
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            pytest.fail("the worker process outlived its server")
    finally:
        server.kill()


def test_a_locked_database_is_a_503_in_the_form_and_stores_nothing(app, client, impatient_db):
    """Guards issue 7: another process holding the write lock past the timeout is a 503 with
    Retry-After and the form's message, not a 500."""

    impatient_db()
    holder = sqlite3.connect(app.config["DATABASE"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = client.post("/articles", data={"title": "Mine", "text": ARTICLE})
    finally:
        holder.rollback()
        holder.close()
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    html = response.get_data(as_text=True)
    assert 'class="form-error"' in html and "busy storing other articles" in html
    assert 'value="Mine"' in html
    assert count_articles(app) == 0
    assert client.post("/articles", data={"text": ARTICLE}).status_code == 303  # lock gone
