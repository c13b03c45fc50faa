"""The schema version and its migrations (issue 7): a database made by an earlier release
opens, upgraded; one made by a later release is refused with a clear message."""
import sqlite3
from pathlib import Path

import pytest

from webapp import create_app
from webapp.store import DatabaseNotUsable, connect
from webapp.store.migrations import MIGRATIONS, SCHEMA_VERSION, init_db, migrate

RELEASE_0_1_0 = Path(__file__).parent / "fixtures" / "release-0.1.0.sql"


def database_from(sql: Path, path: Path) -> Path:
    with sqlite3.connect(path) as db:
        db.executescript(sql.read_text(encoding="utf-8"))
    return path


def tables(path) -> dict[str, list[str]]:
    """Each table and index with its columns (indexes: the columns they cover)."""
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL")]
        return {name: [r[2] for r in db.execute(f'PRAGMA index_info("{name}")')]
                or [r[1] for r in db.execute(f'PRAGMA table_info("{name}")')] for name in names}


def test_a_database_from_release_0_1_0_is_upgraded_and_reads_as_before(tmp_path, post_form):
    """Guards upgrades: 0.1.0 set no schema version, so its file is at 0 with the tables
    in place; opening it applies the later migrations and loses nothing."""
    path = database_from(RELEASE_0_1_0, tmp_path / "old.sqlite")
    assert connect(str(path)).execute("PRAGMA user_version").fetchone()[0] == 0
    client = create_app({"TESTING": True, "DATABASE": str(path)}).test_client()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert tables(path)["versions_by_hash"] == ["hash"]

    slug = "/articles/harbour-talks-resume-in-lisbon"
    newest = client.get(slug + ".json").get_json()
    assert "on Tuesday" in newest["text"] and newest["version_number"] == 2
    # What 0.1.0 stored, exactly (its analysis, not today's).
    assert {(e["name"], e["type"]) for e in newest["entities"]} == {
        ("Lisbon", "place"), ("Portugal", "country"), ("Brazil", "country"),
        ("Costa", "organization"), ("Reuters", "organization")}
    first = client.get(slug + ".json", query_string={"version": newest["versions"][1]["hash"]}).get_json()
    assert "on Monday" in first["text"]
    for entity in first["entities"]:
        for mention in entity["mentions"]:
            assert first["text"][mention["start"]:mention["end"]] == mention["text"]
    page = client.get(slug)
    assert page.status_code == 200 and 'data-entity="brazil"' in page.get_data(as_text=True)
    assert "Harbour talks resume in Lisbon" in client.get("/").get_data(as_text=True)
    # And it takes new versions as a new database would.
    edited = newest["text"].replace("on Tuesday", "on Wednesday")
    response = post_form(client, "/articles", {"title": "Harbour talks resume in Lisbon", "text": edited})
    assert response.headers["Location"] == slug
    assert client.get(slug + ".json").get_json()["version_number"] == 3


def test_a_new_database_and_a_migrated_one_have_the_same_schema(tmp_path):
    init_db(str(tmp_path / "new.sqlite"))
    old = database_from(RELEASE_0_1_0, tmp_path / "old.sqlite")
    init_db(str(old))
    assert tables(tmp_path / "new.sqlite") == tables(old)
    init_db(str(old))  # starting again changes nothing
    assert connect(str(old)).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_database_from_a_newer_release_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "newer.sqlite"
    init_db(str(path))
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(DatabaseNotUsable, match=r"newer\.sqlite: the database was made by a newer "
                                                r"Dramatis .*upgrade Dramatis"):
        create_app({"TESTING": True, "DATABASE": str(path)})


def test_a_file_that_is_not_a_database_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(DatabaseNotUsable, match="notes.sqlite: cannot open the database"):
        init_db(str(path))


def test_migrations_run_in_order_and_a_failing_one_changes_nothing(tmp_path):
    """Guards the transaction per migration: a step that fails leaves neither a half-made
    table nor a raised version behind, and the migrations before it stay applied."""
    db = connect(str(tmp_path / "m.sqlite"))
    ran = []
    migrations = [*MIGRATIONS,
                  ("CREATE TABLE later_step (id INTEGER PRIMARY KEY)", lambda db: ran.append("ok")),
                  ("CREATE TABLE half (id INTEGER)", "INSERT INTO no_such_table VALUES (1)")]
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrate(db, migrations)
    assert ran == ["ok"]
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "later_step" in names and "half" not in names
    assert migrate(db, migrations[:-1]) == len(MIGRATIONS) + 1  # nothing left to do


def test_the_command_reports_a_database_it_cannot_use_in_one_line(monkeypatch, capsys, tmp_path):
    from webapp.cli import main

    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 100)
    monkeypatch.setenv("DRAMATIS_DB", str(path))
    assert main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"dramatis: {path}: cannot open the database") and err.count("\n") == 1
