"""`dramatis refresh [--all | SLUG...]` (issue 19): articles added from a web address are
fetched again, against a local HTTP server whose page the tests change, and a new version is
stored only when the article's text changed, never for page furniture alone."""
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from webapp import cli

PAGE = (Path(__file__).parent / "fixtures" / "pages" / "harbour-vote.html").read_text("utf-8")
SLUG = "port-council-backs-harbour-expansion-after-long-night"


class Site(BaseHTTPRequestHandler):
    """Serves whatever the test put in `pages` (path -> HTML); 404 for anything else."""

    pages: dict = {}

    def do_GET(self):
        body = self.pages.get(self.path)
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def site():
    Site.pages = {"/story.html": PAGE}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/story.html"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def db(tmp_path, monkeypatch):
    path = tmp_path / "refresh.sqlite"
    monkeypatch.setenv("DRAMATIS_DB", str(path))
    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "127.0.0.1")
    return path


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def versions(db):
    with sqlite3.connect(db) as connection:
        return [row[0] for row in connection.execute("SELECT text FROM versions ORDER BY id")]


@pytest.fixture
def added(capsys, db, site, loads):
    assert run(capsys, "add", site.url)[0] == 0
    return site


def test_an_unchanged_page_stores_nothing_and_is_not_analysed_again(capsys, db, added, loads):
    before = len(loads)
    code, out, err = run(capsys, "refresh", "--all")
    assert code == 0 and out == f"{SLUG}: unchanged\n"
    assert err == "new versions 0, unchanged 1, failed 0\n"
    assert len(versions(db)) == 1 and len(loads) == before


def test_page_furniture_changing_alone_stores_nothing(capsys, db, added):
    Site.pages["/story.html"] = (PAGE.replace("Ferry operator cuts winter timetable again",
                                              "Ferry operator adds a summer route")
                                 .replace("We use cookies", "This site uses cookies"))
    code, out, _ = run(capsys, "refresh", SLUG)
    assert code == 0 and out == f"{SLUG}: unchanged\n" and len(versions(db)) == 1


def test_a_changed_article_text_is_stored_as_a_new_version(capsys, db, added):
    Site.pages["/story.html"] = PAGE.replace("for more than nine hours", "for more than eleven hours")
    code, out, err = run(capsys, "refresh", SLUG)
    assert code == 0 and out.startswith(f"{SLUG}: new version (") and out.endswith(f"/articles/{SLUG}\n")
    assert err == "new versions 1, unchanged 0, failed 0\n"
    old, new = versions(db)
    assert "nine hours" in old and "eleven hours" in new and "eleven" not in old
    assert run(capsys, "refresh", "--all")[1] == f"{SLUG}: unchanged\n"


def test_a_page_that_is_gone_is_a_failure_and_keeps_the_stored_version(capsys, db, added):
    Site.pages.clear()
    code, out, err = run(capsys, "refresh", "--all")
    first, summary = err.splitlines()
    assert code == 1 and out == "" and first.startswith(f"{SLUG}: ") and "404" in first
    assert summary == "new versions 0, unchanged 0, failed 1" and len(versions(db)) == 1


def test_the_fetch_rules_of_adding_apply(capsys, db, added, monkeypatch):
    """Refreshing goes through the same SSRF check: loopback is refused unless allowed."""
    monkeypatch.delenv("DRAMATIS_FETCH_ALLOW")
    code, _, err = run(capsys, "refresh", SLUG)
    assert code == 1 and "loopback" in err.splitlines()[0] and len(versions(db)) == 1


def test_a_slug_not_added_from_an_address_is_one_line_and_the_others_go_on(capsys, db, added, tmp_path):
    text = tmp_path / "rain.txt"
    text.write_text("Rain in Oslo\n\nAnna Berg measured it.\n", encoding="utf-8")
    assert run(capsys, "add", str(text))[0] == 0
    code, out, err = run(capsys, "refresh", "rain-in-oslo", "no-such-article", SLUG)
    assert code == 1 and out == f"{SLUG}: unchanged\n"
    assert err.splitlines() == ["rain-in-oslo: no article added from a web address has this slug",
                                "no-such-article: no article added from a web address has this slug",
                                "new versions 0, unchanged 1, failed 2"]


@pytest.mark.parametrize("argv", [["refresh"], ["refresh", "--all", SLUG]])
def test_refresh_needs_all_or_slugs_but_not_both(capsys, db, argv):
    code, _, err = run(capsys, *argv)
    assert code == 1 and err == "dramatis: give --all, or the slugs of the articles to refresh\n"
