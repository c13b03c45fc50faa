"""Ingest throughput of the queue (issue 17): `dramatis worker` with 1 and 2 processes.

    python benchmarks/bench_queue.py [--articles 40] [--rounds 2]

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py: Debian's PostgreSQL 15), queues
N articles (the GUM news and other-genre texts of ../shared/eval, whole) as `dramatis add
--enqueue` does, to `dramatis worker --concurrency 1` and then `--concurrency 2` once their
processes have loaded the model, and times it to the last article stored, on a fresh
database each time; beside it, spaCy's own `nlp.pipe` over the same texts in this
process. Prints articles per second and the ratio of two workers to one (target >= 1.7x on
this machine's 2 cores). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pg_cluster import Cluster  # noqa: E402

from webapp.evaluation import DEFAULT_EVAL_DIR, eval_sets  # noqa: E402


def articles(count: int) -> list[str]:
    sets = eval_sets(DEFAULT_EVAL_DIR)
    texts = [doc["text"] for name in ("gum_news_public", "gum_other_public") for doc in sets[name]]
    return [f"Benchmark article number {n + 1}\n\n{texts[n % len(texts)].strip()}\n"
            for n in range(count)]


def queue_all(url: str, texts: list[str]) -> list[int]:
    from webapp.jobs import Enqueuer
    from webapp.store import connect
    from webapp.store.jobs import create_add_job

    db, queue = connect(url), Enqueuer(url)
    try:
        ids = []
        for number, text in enumerate(texts):
            job = create_add_job(db, "text", text.encode(), f"article {number}")
            queue.enqueue(job.id)
            ids.append(job.id)
        return ids
    finally:
        queue.close()
        db.close()


def run_workers(url: str, texts: list[str], concurrency: int) -> float:
    """Seconds from queueing the articles (the workers started and their models loaded) to
    the last one stored."""
    from webapp.store import connect, migrations
    from webapp.store.jobs import add_jobs

    migrations.upgrade(url)
    env = {**os.environ, "DRAMATIS_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    worker = subprocess.Popen([sys.executable, "-m", "webapp.cli", "worker", "--concurrency",
                               str(concurrency)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    db = connect(url)
    try:
        ready = 0
        for line in worker.stderr:
            ready += line.rstrip().endswith(": ready")
            if ready == concurrency:
                break
        started = time.perf_counter()
        ids = queue_all(url, texts)
        while True:
            jobs = add_jobs(db, ids)
            if all(job.state in ("done", "failed") for job in jobs):
                failed = [job for job in jobs if job.state == "failed"]
                if failed:
                    sys.exit(f"{len(failed)} jobs failed: {failed[0].error}")
                return time.perf_counter() - started
            time.sleep(0.05)
    finally:
        db.close()
        worker.terminate()
        worker.wait(timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    texts = articles(args.articles)
    from webapp.analysis.pipeline import get_nlp

    nlp = get_nlp()
    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    pipe_rate = len(texts) / (time.perf_counter() - started)
    cluster = Cluster()
    rates: dict[int, list[float]] = {1: [], 2: []}
    try:
        for _ in range(args.rounds):
            for concurrency in (1, 2):
                name = cluster.database()
                url = cluster.url(name)
                rates[concurrency].append(len(texts) / run_workers(url, texts, concurrency))
                cluster.drop(name)
    finally:
        cluster.stop()
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"{len(texts)} articles ({sum(map(len, texts)) // len(texts):,} characters on average), "
          f"median of {args.rounds}, from queueing to the last stored:")
    print(f"  spaCy nlp.pipe, one process:  {pipe_rate:6.2f} articles/s (the pipeline alone)")
    print(f"  1 worker:                     {one:6.2f} articles/s  {[round(r, 2) for r in rates[1]]}")
    print(f"  2 workers:                    {two:6.2f} articles/s  {[round(r, 2) for r in rates[2]]}")
    print(f"  ratio 2/1:                    {two / one:6.2f}x (target >= 1.7x)")


if __name__ == "__main__":
    main()
