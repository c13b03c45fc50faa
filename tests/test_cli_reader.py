"""`dramatis add` and `dramatis serve`: output, versions, one-line errors, a real server."""
import re
import socket
import subprocess
import sys
import urllib.request

import pytest

from webapp.cli import SAMPLE_ARTICLE, main

SAMPLE_PATH = "/articles/port-deal-draws-scrutiny-as-lisbon-and-brasilia-weigh-their"


@pytest.fixture
def db(tmp_path, monkeypatch, nlp):
    path = tmp_path / "cli.sqlite"
    monkeypatch.setenv("DRAMATIS_DB", str(path))
    return path


def test_add_prints_each_articles_path(db, tmp_path, capsys):
    other = tmp_path / "other.txt"
    other.write_text("Rain in Oslo\n\nNorway's weather service said Anna Berg measured it.\n")
    assert main(["add", str(SAMPLE_ARTICLE), str(other)]) == 0
    assert capsys.readouterr().out.splitlines() == [SAMPLE_PATH, "/articles/rain-in-oslo"]


def test_same_title_needs_replace_for_a_new_version(db, tmp_path, capsys, sample_text):
    edited = tmp_path / "edited.txt"
    edited.write_text(sample_text.replace("Portuguese ministers", "Ministers"))
    assert main(["add", str(SAMPLE_ARTICLE)]) == 0
    assert main(["add", str(SAMPLE_ARTICLE)]) == 0  # the same text again: nothing new
    assert "already stored, unchanged" in capsys.readouterr().err
    assert main(["add", str(edited)]) == 1
    failure, summary = capsys.readouterr().err.splitlines()
    assert failure.startswith(f"{edited}: ") and "--replace" in failure and SAMPLE_PATH in failure
    assert summary == "added 0, new versions 0, unchanged 0, failed 1"
    assert main(["add", "--replace", str(edited)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == SAMPLE_PATH and "new version" in captured.err


@pytest.mark.parametrize("content, message", [(b"a\x00b", "looks binary"),
                                              (b"\xff\xfe caf\xe9", "not UTF-8"),
                                              (b"  \n", "empty")])
def test_a_bad_file_is_one_line_and_the_others_still_go_in(db, tmp_path, capsys, content,
                                                          message):
    """Guards issue 9: one unreadable file among many fails alone, with its reason, and the
    exit code says something failed."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert main(["add", str(bad), str(SAMPLE_ARTICLE)]) == 1
    captured = capsys.readouterr()
    assert captured.out == SAMPLE_PATH + "\n"
    failure, summary = captured.err.splitlines()
    assert failure.startswith(f"{bad}: ") and message in failure
    assert summary == "added 1, new versions 0, unchanged 0, failed 1"
    assert _count(db) == 1


def _count(path):
    import sqlite3

    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM articles").fetchone()[0]


def test_serve_refuses_a_port_in_use(db, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dramatis: cannot listen on 127.0.0.1:") and err.count("\n") == 1


def test_serve_sample_on_a_port_in_use_stores_nothing(db, capsys):
    """Guards issue 17: `serve --sample` on a taken port added the sample (loading spaCy)
    before finding that it could not listen."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--sample", "--port", str(taken.getsockname()[1])]) == 1
    assert capsys.readouterr().err.startswith("dramatis: cannot listen on 127.0.0.1:")
    assert _count(db) == 0


def test_serve_sample_adds_the_sample_and_says_which_url_to_open(db):
    """The README's first command: `dramatis serve --sample` must serve the sample."""
    server = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", "0", "--sample"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        log = []
        for line in server.stdout:
            log.append(line)
            match = re.search(r"Open (http://127\.0\.0\.1:\d+(/\S*))", line)
            if match:
                break
        else:
            pytest.fail("dramatis serve did not start:\n" + "".join(log))
        assert match.group(2) == SAMPLE_PATH
        with urllib.request.urlopen(match.group(1), timeout=10) as response:
            page = response.read().decode()
            assert "Helena Vasconcelos" in page and response.headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("variable", ["DRAMATIS_CACHE_BYTES", "DRAMATIS_PROXIES"])
def test_a_bad_count_setting_is_one_line(tmp_path, monkeypatch, capsys, variable):
    """Guards the CLI's promise (one line, no traceback) for the settings that are counts."""
    from webapp import cli

    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "d.sqlite"))
    monkeypatch.setenv(variable, "lots")
    assert cli.main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and variable in err


@pytest.mark.parametrize("args", [["serve", "--port", "70000"], ["serve", "--port", "-1"],
                                  ["serve", "--threads", "0"], ["eval", "--repeat", "0"]])
def test_numbers_out_of_range_are_one_usage_line(args, capsys):
    """Guards the review of issue 7: --port 70000 served on another port, --port -1 printed a
    traceback, --threads 0 started a server that answers nothing, --repeat 0 crashed."""
    from webapp import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(args)
    assert stop.value.code == 2
    assert "not between" in capsys.readouterr().err
