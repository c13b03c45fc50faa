"""PostgreSQL as the shared store (issue 17): its schema built from empty by `dramatis db
upgrade`, a database newer or older than the code refused by `serve`, a SQLite library
copied in by `dramatis db copy`, and two server processes that see each other's adds."""
import re
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest

from webapp import cli, create_app
from webapp.analysis.names import fold_accents
from webapp.store import accounts, connect, delete_article, migrations, save_analysis
from webapp.web.db import get_db


@pytest.fixture
def pg_url(pg_cluster):
    """A new, empty PostgreSQL database (not upgraded)."""
    name = pg_cluster.database()
    yield pg_cluster.url(name)
    pg_cluster.drop(name)


def run(capsys, *args):
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sqlite_tables(path) -> set[str]:
    with sqlite3.connect(path) as db:
        names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {n for n in names if not n.startswith(("article_search_", "sqlite_"))}


def postgres_columns(url) -> dict[str, set[str]]:
    db = connect(url)
    try:
        rows = db.execute("SELECT table_name, column_name FROM information_schema.columns"
                          " WHERE table_schema = 'public'").fetchall()
    finally:
        db.close()
    columns = {}
    for table, column in rows:
        columns.setdefault(table, set()).add(column)
    return columns


def test_db_upgrade_builds_an_empty_postgresql_database_to_the_sqlite_tables(
        capsys, monkeypatch, tmp_path, pg_url):
    """Guards the PostgreSQL schema: `dramatis db upgrade` makes every table SQLite's head has,
    with the same columns, and a second run changes nothing."""
    monkeypatch.setenv("DRAMATIS_DATABASE_URL", pg_url)
    code, _, err = run(capsys, "db", "upgrade")
    assert code == 0 and f"schema version 0 -> {migrations.postgresql.SCHEMA_VERSION}" in err
    assert "at schema version" in run(capsys, "db", "upgrade")[2]
    path = tmp_path / "head.sqlite"
    migrations.upgrade(str(path))
    columns = postgres_columns(pg_url)
    # The queue's tables exist on PostgreSQL only (webapp/jobs: the queue needs PostgreSQL).
    queue = {table for table in columns if table.startswith("procrastinate_")} | {"add_jobs"}
    assert queue > {"add_jobs", "procrastinate_jobs"}
    # The search index's vocabulary is PostgreSQL's own table (FTS5's fts5vocab on SQLite),
    # with the words of writes still to be counted into it.
    assert columns["search_words"] == {"term", "doc"}
    assert columns["search_words_pending"] == {"id", "terms", "n"}
    # The words of the library's names and SQLite's list of the index's words are SQLite's
    # own tables (a trigram index on PostgreSQL, and search_words).
    sqlite_only = {"library_name_words", "search_vocabulary"}
    assert sqlite_tables(path) - sqlite_only == \
        set(columns) - {"schema_version", "search_words", "search_words_pending"} - queue
    with sqlite3.connect(path) as db:
        for table in sqlite_tables(path) - {"article_search", *sqlite_only}:
            assert {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')} == columns[table]
    assert columns["article_search"] == {"article_id", "title", "body", "names", "document"}


def test_the_vocabulary_migration_counts_the_words_already_indexed(pg_url, sample_analysis):
    """Guards PostgreSQL's migration 6 on a library stored before it: its vocabulary holds
    every word already indexed, counted per article, without their punctuated compounds,
    and follows the deletes made after it. (Today's store needs the later migrations' columns
    to save, so the library is saved at head and its vocabulary emptied, then filled by
    migration 6's own statement, as on a library that had none.)"""
    db = connect(pg_url)
    try:
        migrations.migrate(db)
        slug = save_analysis(db, sample_analysis).slug
        save_analysis(db, sample_analysis, "The same text under a second title")
        fill = next(step for step in migrations.postgresql.MIGRATIONS[5]
                    if isinstance(step, str) and step.startswith("INSERT INTO search_words"))
        with db:
            db.execute("DELETE FROM search_words")
            db.execute(fill)
        words = dict(db.execute("SELECT term, doc FROM search_words").fetchall())
        assert words["vasconcelos"] == 2 and words["second"] == 1
        assert not [word for word in words if not re.fullmatch(r"\w+", word)]
        text = db.execute("SELECT body FROM article_search LIMIT 1").fetchone()[0]
        assert {fold_accents(w).lower() for w in re.findall(r"[^\W_]+", text)} <= set(words)
        delete_article(db, slug)
        assert db.execute("SELECT doc FROM search_words WHERE term = 'vasconcelos'").fetchone()[0] == 1
    finally:
        db.close()


def test_the_vocabulary_is_counted_after_the_write_not_inside_it(pg_url, sample_analysis):
    """Guards PostgreSQL's migration 12: a write to the search index leaves its words to be
    counted (counting them held the store's write lock 3 ms of an add's 10), the store
    counts them once the write has committed, and what a write left uncounted (its process
    gone before it counted) is counted by the next "Did you mean" before it reads. A word
    added and removed in one batch of waiting words never appears; one no article holds goes."""
    from webapp.store import search

    db = connect(pg_url)
    try:
        migrations.migrate(db)
        slug = save_analysis(db, sample_analysis).slug
        assert db.execute("SELECT count(*) FROM search_words_pending").fetchone()[0] == 0
        assert db.execute("SELECT doc FROM search_words WHERE term = 'vasconcelos'").fetchone()[0] == 1
        with db:  # as a write whose process died before counting would leave them
            db.execute("INSERT INTO search_words_pending (terms, n) VALUES"
                       " (ARRAY['zelkova', 'vasconcelos'], 1), (ARRAY['zelkova'], -1),"
                       " (ARRAY['quillwort'], 1)")
        assert search.suggest(db, "quilwort") == "quillwort"
        words = dict(db.execute("SELECT term, doc FROM search_words"
                                " WHERE term IN ('zelkova', 'vasconcelos', 'quillwort')").fetchall())
        assert words == {"vasconcelos": 2, "quillwort": 1}
        delete_article(db, slug)
        words = dict(db.execute("SELECT term, doc FROM search_words"
                                " WHERE term IN ('vasconcelos', 'quillwort')").fetchall())
        assert words == {"vasconcelos": 1, "quillwort": 1}
        with db:
            db.execute("INSERT INTO search_words_pending (terms, n) VALUES (ARRAY['quillwort'], -1)")
        search.count_words(db)
        assert db.execute("SELECT count(*) FROM search_words WHERE term = 'quillwort'").fetchone()[0] == 0
    finally:
        db.close()


def test_the_trigram_indexes_take_new_words_at_once(pg_url, sample_analysis):
    """Guards PostgreSQL's migration 10: the words an add brings go straight into the
    trigram indexes that "Did you mean" and other spellings read, none left in GIN's pending
    list, which each of those queries would read whole until a vacuum (7.6 ms a suggestion
    at 1,000 articles instead of 0.6 ms)."""
    db = connect(pg_url)
    try:
        migrations.migrate(db)
        save_analysis(db, sample_analysis)
        db.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        for index in ("search_words_by_trigram", "library_names_by_words"):
            pending = db.execute("SELECT pending_tuples FROM pgstatginindex(?)", (index,)).fetchone()[0]
            assert pending == 0, index
        assert db.execute("SELECT count(*) FROM search_words").fetchone()[0] > 100
    finally:
        db.close()


def test_a_search_row_holds_pointers_not_the_text(pg_url, sample_analysis):
    """Guards PostgreSQL's migration 11: an article's row in the search table keeps its text
    and document in TOAST, so that a search, which visits the row of every match, reads few
    pages (rows that kept the compressed text inline went 11 to a page; a common word's
    matches took 4 times as long to read)."""
    db = connect(pg_url)
    try:
        migrations.migrate(db)
        save_analysis(db, sample_analysis)
        db.execute("CREATE EXTENSION IF NOT EXISTS pgstattuple")
        row = db.execute("SELECT tuple_len FROM pgstattuple('article_search')").fetchone()[0]
        text = db.execute("SELECT length(body) FROM article_search").fetchone()[0]
    finally:
        db.close()
    assert text > 1_500 and row < 200


def test_serve_refuses_a_postgresql_database_newer_or_older_than_itself(capsys, monkeypatch, pg_url):
    """Guards rolling upgrades: `serve` never migrates PostgreSQL; a database from a newer
    Dramatis, or one not yet upgraded, is one line on stderr and a non-zero exit."""
    monkeypatch.setenv("DRAMATIS_DATABASE_URL", pg_url)
    code, out, err = run(capsys, "serve", "--port", "0")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "run `dramatis db upgrade` first" in err
    migrations.upgrade(pg_url)
    db = connect(pg_url)
    db.execute("UPDATE schema_version SET version = 99")
    db.close()
    code, out, err = run(capsys, "serve", "--port", "0")
    assert code == 1 and out == "" and err.count("\n") == 1
    assert "made by a newer Dramatis (schema version 99" in err


def test_db_copy_moves_a_library_and_its_pages_read_the_same(capsys, tmp_path, pg_url,
                                                              sample_analysis, monkeypatch):
    """Guards `dramatis db copy`: articles, versions, corrections, editors and the search
    index arrive whole (counts checked), the article's page is the same from either store,
    and a second copy into the now full database is refused and stores nothing."""
    path = str(tmp_path / "desk.sqlite")
    desk = create_app({"TESTING": True, "DATABASE": path})
    with desk.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
    corrected = desk.test_client().post(f"/articles/{slug}/corrections",
                                        data={"kind": "retype", "entity": "singapore", "value": "person"})
    assert corrected.status_code == 303
    with desk.app_context():
        accounts.add_user(get_db(), "ana", "correct horse battery")
    code, out, err = run(capsys, "db", "copy", path, pg_url)
    assert code == 0, err
    counts = dict(line.split("\t") for line in out.splitlines())
    assert counts["articles"] == "1" and counts["corrections"] == "1" and counts["users"] == "1"
    assert int(counts["mentions"]) > 10 and counts["article_search"] == "1"
    newsroom = create_app({"TESTING": True, "DATABASE": pg_url})
    for url in (f"/articles/{slug}", f"/articles/{slug}.json", f"/articles/{slug}/corrections",
                "/entities", "/"):
        assert (desk.test_client().get(url).get_data(as_text=True)
                == newsroom.test_client().get(url).get_data(as_text=True)), url
    # Each engine makes its own snippets; both find the article.
    for app in (desk, newsroom):
        found = app.test_client().get("/search.json?q=Vasconcelos").get_json()["results"]
        assert [hit["slug"] for hit in found] == [slug]
        # The copied index's vocabulary ("Did you mean") came with it.
        assert app.test_client().get("/search.json?q=Vasconcelso").get_json()["suggestion"] == "Vasconcelos"
    with newsroom.app_context():
        assert accounts.check_password(get_db(), "ANA", "correct horse battery") == "ana"
    code, out, err = run(capsys, "db", "copy", path, pg_url)
    assert code == 1 and out == "" and "is not empty" in err and err.count("\n") == 1


def start_server(env) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    for line in server.stdout:
        match = re.search(r"Open (http://127\.0\.0\.1:\d+)/", line)
        if match:
            return server, match.group(1)
    server.wait(timeout=10)
    pytest.fail("dramatis serve did not start")


def library_page(base: str) -> str:
    with urllib.request.urlopen(base + "/", timeout=10) as response:
        return response.read().decode()


def test_two_server_processes_on_one_database_see_each_others_adds(pg_url, monkeypatch, nlp):
    """Guards cache invalidation across processes: an article added through one server's
    form (and stored by a queue worker) shows on both servers' cached library pages at their
    next check of the change counter (every 50 ms; the bound below only keeps a broken check
    from hanging the test)."""
    from webapp.jobs.worker import drain

    import os

    migrations.upgrade(pg_url)
    env = dict(os.environ, DRAMATIS_DATABASE_URL=pg_url)
    first, first_url = start_server(env)
    second, second_url = start_server(env)
    try:
        assert "Harbour cranes idle" not in library_page(second_url)  # now kept in its cache
        form = urllib.parse.urlencode({"title": "Harbour cranes idle",
                                       "text": "Dockworkers in Lisbon stopped work on Monday."})
        request = urllib.request.Request(first_url + "/articles", data=form.encode(),
                                         headers={"Origin": first_url})
        with urllib.request.urlopen(request, timeout=120) as response:
            assert "Waiting to be analysed" in response.read().decode()  # the job's page
        drain(pg_url, nlp)
        added = time.monotonic()
        for url in (second_url, first_url):
            while "Harbour cranes idle" not in library_page(url):
                assert time.monotonic() - added < 5.0, "a server still shows its old page"
                time.sleep(0.02)
    finally:
        for server in (first, second):
            server.terminate()
            server.wait(timeout=10)


def test_the_store_sql_reaches_psycopg_with_its_placeholders_only():
    """Guards the dialect layer's translation: a `?` is a parameter only outside quotes and
    comments, and every literal % reaches PostgreSQL as one % (psycopg reads %s anywhere)."""
    from webapp.store.postgres import translate

    assert (translate("SELECT '50% ?', \"a?\" FROM t WHERE x LIKE ? -- what? 100%\n AND y = ?")
            == "SELECT '50%% ?', \"a?\" FROM t WHERE x LIKE %s -- what? 100%%\n AND y = %s")


def test_a_write_lock_held_too_long_is_a_503_to_retry(pg_url, sample_analysis):
    """Guards busy PostgreSQL as busy SQLite: a writer that waits past DB_TIMEOUT for the
    store's write lock answers 503 with Retry-After, and nothing is half stored."""
    migrations.upgrade(pg_url)
    app = create_app({"TESTING": True, "DATABASE": pg_url, "DB_TIMEOUT": 0.3})
    with app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
    holder = connect(pg_url)
    try:
        with holder:
            holder.execute("BEGIN IMMEDIATE")  # the store's write lock, held
            response = app.test_client().post(f"/articles/{slug}/rename", data={"title": "Renamed"})
    finally:
        holder.close()
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert app.test_client().get(f"/articles/{slug}.json").get_json()["title"] != "Renamed"


def test_a_lost_connection_is_made_again(pg_cluster, pg_url):
    """Guards a PostgreSQL restart under a running server: the request that finds its
    thread's connection gone fails, and the next one connects again instead of failing for
    good."""
    migrations.upgrade(pg_url)
    client = create_app({"TESTING": True, "DATABASE": pg_url}).test_client()
    assert client.get("/").status_code == 200
    name = pg_url.rpartition("/")[2].partition("?")[0]
    pg_cluster.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    try:
        client.get("/")
    except Exception:  # TESTING lets the failed request's error through
        pass
    assert client.get("/").status_code == 200
