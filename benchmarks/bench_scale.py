"""A newsroom's library (issue 17): the library page, a search, an entity page and an article
page at 200,000 articles beside the same at 1,000, on PostgreSQL and on SQLite.

    python benchmarks/bench_scale.py [--articles 200000] [--runs 25] [--batch 20]
                                     [--backends postgresql,sqlite] [--library DIR]

Fills each database through the store (store.save_analyses: what an add writes, articles,
versions, search index and library entities, 20 articles to a transaction) with
synthetic_library.VariedWriter's articles: generated words at Zipf's frequencies, briefs to
long reads, 100,000 people, and every tenth article a real analysis of a GUM text from
../shared/eval (analysed once here, by the engine) with a generated paragraph added. It
prints the fill rate every 10,000 articles; then it times each page through the Flask test
client with the response cache bypassed (the store generation bumped before each request),
so the database is what is timed, beside a library of the same first 1,000 articles, the
two taking turns request by request; and prints medians, their ratio, the database's and
its indexes' sizes, and the disk used. PostgreSQL runs in a throwaway cluster
(tests/pg_cluster.py: Debian's PostgreSQL 15, fsync off), vacuumed and analysed after the
fill as autovacuum would have done on a live server. With --library the libraries stay in
DIR, and a later run fills them further from where they stand (each article is made from
its number alone) or, as large as asked already, times them as they are.
Targets: under 50 ms at the median, within 1.5x of 1,000 articles. Asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

from synthetic_library import VariedWriter, article_metadata, median_ms, real_analyses  # noqa: E402

from flask import url_for  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.evaluation import DEFAULT_EVAL_DIR, eval_sets  # noqa: E402
from webapp.store import connect, list_entities, migrations, save_analyses  # noqa: E402
from webapp.web.db import get_db  # noqa: E402

BASELINE = 1_000
STEP = 10_000  # articles filled between two reports of the rate (and records)
TARGET_MS, TARGET_RATIO = 50.0, 1.5
# The PostgreSQL tables whose sizes are printed (each with its indexes and TOAST).
TABLES = ("articles", "versions", "blocks", "entities", "mentions", "quotes", "article_search",
          "library_entities", "library_names", "article_entities")


def real_texts() -> list[str]:
    """The GUM news and other-genre texts (50, about 4,500 characters each), if present."""
    if not DEFAULT_EVAL_DIR.is_dir():
        return []
    sets = eval_sets(DEFAULT_EVAL_DIR)
    return [doc["text"] for name in ("gum_news_public", "gum_other_public")
            for doc in sets.get(name, [])]


def title(n: int) -> str:
    return f"Story {n}"


def fill(db, writer: VariedWriter, start: int, stop: int, batch: int) -> None:
    for at in range(start, stop, batch):
        save_analyses(db, [(writer.article(n), title(n), article_metadata(n))
                           for n in range(at, min(at + batch, stop))])


def pages(app, writer: VariedWriter, shown: int) -> dict[str, str]:
    """The pages timed, each named with what makes it a fair choice."""
    client = app.test_client()
    with app.app_context():
        top = list_entities(get_db())[0][0]
    matches = {}
    for word in (writer.common_word, writer.rare_word):
        matches[word] = client.get(f"/search.json?q={word}").get_json()["total"]
    return {
        "library page": "/",
        f'search, a common word ("{writer.common_word}": {matches[writer.common_word]:,} articles)':
            f"/search?q={writer.common_word}",
        f'search, a rare word ("{writer.rare_word}": {matches[writer.rare_word]:,} articles)':
            f"/search?q={writer.rare_word}",
        f"entity page, the most mentioned ({top['name']}: {top['articles']:,} articles)":
            f"/entities/{top['id']}",
        # The same article at every size: a real analysis, whose entities other articles name.
        f"article page ({title(shown)}, a real analysis)": article_url(app, shown),
    }


def article_url(app, n: int) -> str:
    with app.test_request_context():
        slug = get_db().execute("SELECT slug FROM articles WHERE title = ?", (title(n),)).fetchone()[0]
        return url_for("reader.article", slug=slug)


def sizes_postgres(url: str) -> list[str]:
    db = connect(url)
    try:
        lines = [f"  database {megabytes(db.execute('SELECT pg_database_size(current_database())').fetchone()[0])}"]
        for table in TABLES:
            total, indexes = db.execute("SELECT pg_total_relation_size(?), pg_indexes_size(?)",
                                        (table, table)).fetchone()
            lines.append(f"  {table:18} {megabytes(total)} with its indexes {megabytes(indexes)}")
        gin = db.execute("SELECT pg_relation_size('article_search_by_document')").fetchone()[0]
        indexes = db.execute("SELECT sum(pg_indexes_size(oid)) FROM pg_class WHERE relkind = 'r'"
                             " AND relnamespace = 'public'::regnamespace").fetchone()[0]
        lines.append(f"  indexes in all {megabytes(int(indexes))}, of which the search index (GIN)"
                     f" {megabytes(gin)}")
        return lines
    finally:
        db.close()


def sizes_sqlite(path: str) -> list[str]:
    db = connect(path)
    try:
        lines = [f"  database file {megabytes(Path(path).stat().st_size)}"
                 f" (-wal {megabytes(Path(path + '-wal').stat().st_size if Path(path + '-wal').exists() else 0)})"]
        try:
            rows = db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
        except Exception:  # SQLite built without the dbstat table
            return lines + ["  (no dbstat: sizes per table unknown)"]
        kinds = {r[0]: r[1] for r in db.execute("SELECT name, type FROM sqlite_master")}
        tables = sum(size for name, size in rows if kinds.get(name) == "table")
        indexes = sum(size for name, size in rows if kinds.get(name) == "index")
        search = sum(size for name, size in rows if name.startswith("article_search"))
        lines.append(f"  tables {megabytes(tables)}, indexes {megabytes(indexes)},"
                     f" of which the search index (FTS5 tables) {megabytes(search)}")
        return lines
    finally:
        db.close()


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e7 else f"{size / 1e6:,.1f} MB"


def run(backend: str, target: str, baseline: str, writer: VariedWriter, args, vacuum,
        record: Path | None = None) -> dict:
    """Fill `target` to the size asked (further from where it stands, with a `record` of an
    earlier run), then time its pages beside those of a `baseline` database filled afresh
    with the first 1,000 articles; the figures."""
    migrations.upgrade(target)
    figures = json.loads(record.read_text()) if record and record.is_file() else {"rates": []}
    db = connect(target)
    try:
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        if stored > args.articles:
            sys.exit(f"bench_scale: {target} holds {stored:,} articles, more than --articles")
        if stored:
            print(f"[{backend}] {stored:,} articles stored before", flush=True)
        while stored < args.articles:
            step = min(args.articles, BASELINE if stored < BASELINE else (stored // STEP + 1) * STEP)
            started = time.perf_counter()
            fill(db, writer, stored, step, args.batch)
            seconds = time.perf_counter() - started
            figures["rates"].append([step - stored, seconds])
            stored = step
            if record is not None:
                record.write_text(json.dumps(figures))
            done = sum(n for n, _ in figures["rates"])
            spent = sum(s for _, s in figures["rates"])
            print(f"[{backend}] {stored:,} articles stored ({done / spent:,.0f}"
                  f" articles/s so far, {figures['rates'][-1][0] / seconds:,.0f}/s the last"
                  f" {figures['rates'][-1][0]:,}; {(args.articles - stored) * spent / done / 60:,.0f}"
                  " min to go at that rate)", flush=True)
    finally:
        db.close()
    started = time.perf_counter()
    if vacuum(target):
        print(f"[{backend}] vacuumed and analysed in {time.perf_counter() - started:,.0f} s", flush=True)
    results: dict = {}
    small = min(BASELINE, args.articles)
    measure(backend, [(small, fresh(baseline, writer, small, args, vacuum)), (args.articles, target)],
            args, results, writer)
    return {"stages": [small, args.articles], "results": results, "rates": figures["rates"],
            "fill_seconds": sum(s for _, s in figures["rates"])}


def fresh(target: str, writer: VariedWriter, size: int, args, vacuum) -> str:
    """`target`, an empty database, filled with the first `size` articles."""
    migrations.upgrade(target)
    db = connect(target)
    try:
        fill(db, writer, 0, size, args.batch)
    finally:
        db.close()
    vacuum(target)
    return target


def measure(backend: str, libraries: list[tuple[int, str]], args, results: dict,
            writer: VariedWriter) -> None:
    """Time each page of each library (size, target) into `results`; the libraries take
    turns request by request, so that the machine's load weighs on each alike."""
    apps = [create_app({"DATABASE": target, "QUEUE": False}) for _, target in libraries]
    clients = [app.test_client() for app in apps]
    shown = 9  # a real analysis (every tenth is), of the first GUM news text
    labelled = [list(pages(app, writer, shown).items()) for app in apps]
    for page in range(len(labelled[0])):
        times: list[list[float]] = [[] for _ in apps]
        for _ in range(args.runs):
            for n, (app, client) in enumerate(zip(apps, clients)):
                times[n].append(median_ms(client, app, labelled[n][page][1], 1, False))
        for n, (size, _) in enumerate(libraries):
            label = labelled[n][page][0]
            # Labels name the matches, which grow: the page is the first words.
            results.setdefault(label.split(" (")[0], []).append((size, statistics.median(times[n]), label))
            print(f"[{backend}] {size:>9,} {statistics.median(times[n]):8.1f} ms  {label}", flush=True)
    for app in apps:
        for db in app.extensions["dramatis.all_connections"]:
            db.close()
        app.extensions["dramatis.generation"].close()


def report(backend: str, figures: dict, runs: int, sizes: list[str]) -> list[str]:
    stages, results = figures["stages"], figures["results"]
    lines = [f"\n{backend}: median of {runs} requests through the Flask test client, the response "
             f"cache bypassed; ratio = at {stages[-1]:,} / at {stages[0]:,}"]
    lines.append(f"{'page':32}" + "".join(f"{s:>11,}" for s in stages) + "    ratio")
    missed = []
    for key, rows in results.items():
        ratio = rows[-1][1] / rows[0][1]
        lines.append(f"{key:32}" + "".join(f"{ms:9.1f}ms" for _, ms, _ in rows) + f"  {ratio:6.2f}x")
        if rows[-1][1] >= TARGET_MS or ratio > TARGET_RATIO:
            missed.append(key)
    lines.append("  chosen: " + "; ".join(label for _, _, label in (rows[-1] for rows in results.values())))
    rates = figures["rates"]
    timed = sum(n for n, _ in rates)  # less than all when a run was stopped between records
    lines.append(f"  fill: {timed:,} articles timed in {figures['fill_seconds'] / 60:,.1f} min,"
                 f" {timed / figures['fill_seconds']:,.0f} articles/s"
                 f" ({rates[0][0] / rates[0][1]:,.0f}/s for the first {rates[0][0]:,},"
                 f" {rates[-1][0] / rates[-1][1]:,.0f}/s for the last {rates[-1][0]:,})")
    lines.extend(sizes)
    lines.append(f"  targets (< {TARGET_MS:.0f} ms, <= {TARGET_RATIO}x): "
                 + ("met" if not missed else "missed by " + ", ".join(missed)))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--batch", type=int, default=20, help="articles stored per transaction")
    parser.add_argument("--backends", default="postgresql,sqlite")
    parser.add_argument("--library", type=Path, help="keep the filled libraries in this folder"
                        " (and time them as they are when run again with as many articles),"
                        " instead of a temporary one removed at the end")
    args = parser.parse_args()
    backends = args.backends.split(",")
    if set(backends) - {"postgresql", "sqlite"}:
        sys.exit(f"bench_scale: --backends: {args.backends!r} (postgresql and/or sqlite)")
    print(f"disk before: {disk()}", flush=True)
    started = time.perf_counter()
    texts = real_texts()
    real = real_analyses(texts) if texts else []
    print(f"{len(real)} real analyses (GUM texts of {DEFAULT_EVAL_DIR}) in"
          f" {time.perf_counter() - started:.0f} s" + ("" if real else ": none, all generated"),
          flush=True)
    writer = VariedWriter(real=real)  # the same library on each backend
    folder = args.library or Path(tempfile.mkdtemp(prefix="dramatis-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    lines, cluster = [], None
    try:
        for backend in backends:
            record = folder / f"{backend}.json" if args.library else None
            if backend == "postgresql":
                from pg_cluster import Cluster

                cluster = Cluster(folder / "postgresql" if args.library else None)
                if "scale" not in [r[0] for r in psycopg_rows(cluster.url("postgres"),
                                                             "SELECT datname FROM pg_database")]:
                    cluster.admin("CREATE DATABASE scale")
                cluster.admin("DROP DATABASE IF EXISTS baseline WITH (FORCE)")
                cluster.admin("CREATE DATABASE baseline")
                target = cluster.url("scale")
                figures = run(backend, target, cluster.url("baseline"), writer, args,
                              vacuum_postgres, record)
                sizes = sizes_postgres(target)
            else:
                target, baseline = str(folder / "scale.sqlite"), str(folder / "baseline.sqlite")
                for path in (baseline, baseline + "-wal", baseline + "-shm"):
                    Path(path).unlink(missing_ok=True)
                figures = run(backend, target, baseline, writer, args, lambda target: None, record)
                sizes = sizes_sqlite(target)
            print(f"disk with the {backend} library: {disk()}", flush=True)
            lines += report(backend, figures, args.runs, sizes)
    finally:
        if cluster is not None:
            cluster.stop(remove=not args.library)
        if not args.library:
            shutil.rmtree(folder, ignore_errors=True)
    print("\n".join(lines))
    print(f"\ndisk after{' (libraries kept in ' + str(folder) + ')' if args.library else ' cleaning up'}:"
          f" {disk()}; {(time.perf_counter() - started) / 60:,.0f} min in all")


def psycopg_rows(url: str, sql: str) -> list:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        return db.execute(sql).fetchall()


def vacuum_postgres(url: str) -> bool:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute("VACUUM ANALYZE")
    return True


def disk() -> str:
    usage = shutil.disk_usage("/work")
    return f"/work {usage.used / 1e9:,.1f} GB used, {usage.free / 1e9:,.1f} GB free"


if __name__ == "__main__":
    main()
