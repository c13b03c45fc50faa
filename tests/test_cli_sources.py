"""`dramatis add PATH...` over folders, HTML files and web addresses (issue 9): one line per
failure and the others still stored, a summary, --title, --json, a progress bar on terminals."""
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from webapp import cli

PAGES = Path(__file__).parent / "fixtures" / "pages"
HARBOUR_PATH = "/articles/port-council-backs-harbour-expansion-after-long-night"
NO_HEADLINE = "Angela Merkel visited Paris on Monday, her office said.\n"


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "cli.sqlite"
    monkeypatch.setenv("DRAMATIS_DB", str(path))
    return path


@pytest.fixture
def folder(tmp_path):
    """Two good articles (one a saved page, in a subfolder), a binary file, a text with no
    headline, and files that are not articles (skipped)."""
    root = tmp_path / "articles"
    (root / "pages").mkdir(parents=True)
    (root / "a-rain.txt").write_text("Rain in Oslo\n\nAnna Berg of the Norwegian weather "
                                     "service measured it.\n", encoding="utf-8")
    shutil.copy(PAGES / "harbour-vote.html", root / "pages" / "b-harbour.html")
    (root / "c-broken.txt").write_bytes(b"\x89PNG\x00\x00")
    (root / "d-untitled.txt").write_text(NO_HEADLINE, encoding="utf-8")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "draft.txt").write_text("Draft\n\nNot for the library.\n")
    return root


def run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def stored_titles(db):
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM articles ORDER BY id")]


def test_a_folder_adds_its_articles_and_reports_each_failure(capsys, db, folder, loads):
    code, out, err = run(capsys, "add", folder)
    assert code == 1 and len(loads) == 1  # something failed; the model loaded once
    assert out.splitlines() == ["/articles/rain-in-oslo", HARBOUR_PATH]
    assert err.splitlines() == [
        f"{folder / 'c-broken.txt'}: the file looks binary (it contains NUL bytes), not plain text",
        f"{folder / 'd-untitled.txt'}: no line reads as a headline; give it a title with "
        "--title TITLE (adding it on its own)",
        "added 2, new versions 0, unchanged 0, failed 2"]
    assert stored_titles(db) == ["Rain in Oslo",
                                 "Port council backs harbour expansion after long night"]


def test_the_same_folder_again_is_unchanged(capsys, db, folder, loads):
    (folder / "c-broken.txt").unlink()
    (folder / "d-untitled.txt").unlink()
    assert run(capsys, "add", folder)[0] == 0
    code, out, err = run(capsys, "add", folder)
    assert code == 0 and out.splitlines() == ["/articles/rain-in-oslo", HARBOUR_PATH]
    assert err.splitlines()[-1] == "added 0, new versions 0, unchanged 2, failed 0"


def test_a_folder_without_articles_is_a_failure(capsys, db, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out, err = run(capsys, "add", empty)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"{empty}: no .txt, .html or .htm files in this folder",
                                "added 0, new versions 0, unchanged 0, failed 1"]


def test_an_address_is_fetched_and_stored(capsys, db, pages_server, monkeypatch, loads):
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "127.0.0.1")
    code, out, err = run(capsys, "add", pages_server.url + "/harbour-vote.html")
    assert code == 0 and out == HARBOUR_PATH + "\n"
    assert err == "added 1, new versions 0, unchanged 0, failed 0\n"
    with sqlite3.connect(db) as connection:
        text = connection.execute("SELECT text FROM versions").fetchone()[0]
    assert "<" not in text and "Mayor Elena Varga" in text


def test_a_refused_address_fails_alone(capsys, db, pages_server, monkeypatch, folder, loads):
    monkeypatch.delenv("DRAMATIS_FETCH_ALLOW", raising=False)
    url = pages_server.url + "/harbour-vote.html"
    code, out, err = run(capsys, "add", url, folder / "a-rain.txt")
    assert code == 1 and out == "/articles/rain-in-oslo\n"
    failure, summary = err.splitlines()
    assert failure.startswith(f"{url}: 127.0.0.1 is a loopback address")
    assert "DRAMATIS_FETCH_ALLOW" in failure
    assert summary == "added 1, new versions 0, unchanged 0, failed 1"


def test_a_bad_allow_list_stops_before_anything_is_stored(capsys, db, monkeypatch, folder):
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "!bad")
    code, out, err = run(capsys, "add", "https://news.example/a", folder / "a-rain.txt")
    assert code == 1 and out == "" and err.count("\n") == 1 and "DRAMATIS_FETCH_ALLOW" in err
    assert not db.exists() or stored_titles(db) == []


def test_json_lists_the_stored_paths_and_the_failures(capsys, db, folder, loads):
    code, out, _ = run(capsys, "add", "--json", folder)
    assert code == 1
    result = json.loads(out)
    assert result["articles"] == [
        {"input": str(folder / "a-rain.txt"), "path": "/articles/rain-in-oslo", "status": "added"},
        {"input": str(folder / "pages" / "b-harbour.html"), "path": HARBOUR_PATH,
         "status": "added"}]
    assert [f["input"] for f in result["failed"]] == [str(folder / "c-broken.txt"),
                                                      str(folder / "d-untitled.txt")]
    assert "--title" in result["failed"][1]["reason"]


def test_title_names_a_text_without_a_headline(capsys, db, folder, loads):
    code, out, err = run(capsys, "add", "--title", "Merkel in Paris", folder / "d-untitled.txt")
    assert code == 0 and out == "/articles/merkel-in-paris\n"
    assert stored_titles(db) == ["Merkel in Paris"]


def test_title_wins_over_a_pages_own(capsys, db, folder, loads):
    code, out, _ = run(capsys, "add", "--title", "Harbour, my notes",
                       folder / "pages" / "b-harbour.html")
    assert code == 0 and out == "/articles/harbour-my-notes\n"


def test_title_with_several_inputs_is_refused(capsys, db, folder):
    code, out, err = run(capsys, "add", "--title", "One", folder)
    assert code == 1 and out == "" and err.count("\n") == 1 and "--title" in err
    assert not db.exists() or stored_titles(db) == []


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_with_counts_shows_on_a_terminal_only(capsys, db, folder, loads,
                                                              monkeypatch):
    """On a terminal the bar shows the counts; otherwise (every other test here) stderr holds
    only the failure lines and the summary."""
    (folder / "c-broken.txt").unlink()
    (folder / "d-untitled.txt").unlink()
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert cli.main(["add", str(folder)]) == 0
    shown = terminal.getvalue()
    assert "reading" in shown and "analysing" in shown and "2/2" in shown
    assert shown.rstrip().endswith("added 2, new versions 0, unchanged 0, failed 0")
