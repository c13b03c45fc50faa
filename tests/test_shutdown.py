"""`dramatis serve` stopped as systemd and containers stop it: SIGTERM (issue 17)."""
from __future__ import annotations

import http.client
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start_server(database: Path, *extra: str) -> tuple[subprocess.Popen, int, list[str]]:
    """`dramatis serve` on a free port; its output is collected in the returned list."""
    env = {**os.environ, "DRAMATIS_DB": str(database), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "webapp.cli", "serve", "--port", "0", *extra],
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log: list[str] = []
    for line in server.stdout:
        log.append(line)
        match = re.search(r"Open http://127\.0\.0\.1:(\d+)/", line)
        if match:
            break
    else:
        pytest.fail("dramatis serve did not start:\n" + "".join(log))
    threading.Thread(target=lambda: log.extend(server.stdout), daemon=True).start()
    return server, int(match[1]), log


def stop(server: subprocess.Popen, log: list[str]) -> int:
    server.send_signal(signal.SIGTERM)
    try:
        return server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        pytest.fail("dramatis serve did not stop within 30 s of SIGTERM:\n" + "".join(log))


def leftovers(database: Path) -> list[str]:
    return [p.name for p in database.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]


def test_sigterm_on_an_idle_server_exits_0_and_leaves_no_wal_files(tmp_path):
    """Guards the report that SIGTERM killed the server outright, printed "leaked semaphore
    objects" and left the SQLite -wal and -shm files beside the database."""
    database = tmp_path / "library.sqlite"
    server, port, log = start_server(database)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/")  # a keep-alive connection left open: it must not hold the stop
    assert connection.getresponse().read()
    assert stop(server, log) == 0, "".join(log)
    time.sleep(0.2)  # the reader thread collects the last lines
    output = "".join(log)
    assert "leaked" not in output and "Traceback" not in output, output
    assert leftovers(database) == []


def test_signals_in_quick_succession_stop_the_server_too(tmp_path):
    """Guards a deadlock seen from `timeout 120 dramatis serve` stopped with `pkill`: the
    second SIGTERM (timeout passes its own on) came while the handler of the first held a
    threading.Event's lock, and the handler run again inside it waited on that lock for
    ever. Many signals at once must stop the server as one does."""
    database = tmp_path / "library.sqlite"
    server, port, log = start_server(database)
    for _ in range(200):
        server.send_signal(signal.SIGTERM)
    try:
        code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        pytest.fail("dramatis serve hung after many SIGTERMs:\n" + "".join(log))
    assert code == 0 and leftovers(database) == [], "".join(log)


def test_sigterm_during_an_add_answers_it_stores_it_and_exits_0(tmp_path):
    """Guards a graceful stop: an article being added when SIGTERM arrives is analysed,
    stored and answered before the server exits 0; the analysis worker (which the signal
    reaches too under systemd) is stopped by the server, not killed mid-article."""
    database = tmp_path / "library.sqlite"
    server, port, log = start_server(database)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    text = ("Ferry strike halts crossings on the Tagus\n\nFerry crews in Lisbon stopped work on "
            "Monday, said Marta Quintela, a spokeswoman for the Transtejo operator.\n")
    # At a desk with no editor accounts a same-origin post needs no CSRF token.
    body = urllib.parse.urlencode({"text": text})
    answer = {}

    def add():
        connection.request("POST", "/articles", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://127.0.0.1:{port}"})
        reply = connection.getresponse()
        answer["status"], answer["location"] = reply.status, reply.getheader("Location")
        reply.read()

    adding = threading.Thread(target=add)
    adding.start()
    time.sleep(0.5)  # the worker process is loading spaCy: the add is in flight
    # systemd's default: SIGTERM to every process of the service, the worker included.
    for child in subprocess.run(["pgrep", "-P", str(server.pid)], capture_output=True,
                                text=True).stdout.split():
        os.kill(int(child), signal.SIGTERM)
    assert stop(server, log) == 0, "".join(log)
    adding.join(timeout=30)
    assert answer.get("status") == 303, (answer, "".join(log))
    assert "/articles/ferry-strike-halts-crossings" in answer["location"]
    assert leftovers(database) == []
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
