"""deploy/nginx.conf in front of two `dramatis serve` processes on one library (issue 17).

The shipped file is used as it is, with only its upstream addresses and listen line
rewritten to free loopback ports; nginx is Debian's package, started by the test.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
PUBLIC_NAME = "reader.example.org"


def nginx_binary() -> str:
    """Debian's nginx: skipped locally when missing, a failure in CI."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    pytest.fail(f"{what} did not listen on {port} within 30 s:\n{log.read_text()}")


def site_config(upstreams: list[int], listen: int) -> str:
    """deploy/nginx.conf with its upstream servers and listen port replaced."""
    text = NGINX_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
    text, count = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+;\n", "", text)
    assert count, "deploy/nginx.conf lists no upstream servers to replace"
    text = text.replace("upstream dramatis {\n", "upstream dramatis {\n" + servers, 1)
    text, count = re.subn(r"(?m)^    listen 80;", f"    listen 127.0.0.1:{listen};", text)
    assert count == 1, "deploy/nginx.conf has no `listen 80;` line to replace"
    return text


@pytest.fixture
def library(tmp_path, sample_analysis):
    """A library with the sample article, made through the store as `dramatis add` would."""
    from webapp import create_app
    from webapp.web.db import get_db
    from webapp.store import save_analysis

    path = tmp_path / "library.sqlite"
    app = create_app({"DATABASE": str(path)})
    with app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
    return path, slug


@pytest.fixture
def proxied(tmp_path, library):
    """nginx on a free port in front of two serve processes; yields (url, [processes], logs)."""
    nginx = nginx_binary()
    database, slug = library
    env = {**os.environ, "DRAMATIS_DB": str(database), "DRAMATIS_PROXIES": "1",
           "DRAMATIS_HOSTS": PUBLIC_NAME, "PYTHONPATH": str(ROOT)}
    processes, logs, ports = [], [], []
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    try:
        for number in (1, 2):
            port = free_port()
            log = tmp_path / f"serve-{number}.log"
            with log.open("w") as out:
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1",
                     "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT))
            logs.append(log)
            ports.append(port)
            wait_until_listening(port, processes[-1], f"dramatis serve #{number}", log)
        listen = free_port()
        # A minimal main configuration around the shipped site file, everything in tmp_path.
        (prefix / "site.conf").write_text(site_config(ports, listen))
        (prefix / "nginx.conf").write_text(
            f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
            + ("user root;\n" if os.geteuid() == 0 else "")
            + "events {}\nhttp {\n"
            f"  access_log {prefix}/access.log;\n"
            + "".join(f"  {kind}_temp_path {prefix}/{kind};\n"
                      for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
            + f"  include {prefix}/site.conf;\n}}\n")
        nginx_log = prefix / "error.log"
        nginx_log.touch()
        processes.append(subprocess.Popen(
            [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT))
        logs.append(nginx_log)
        wait_until_listening(listen, processes[-1], "nginx", nginx_log)
        yield f"http://127.0.0.1:{listen}", slug, processes, logs
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def fetch(url: str, **headers):
    """(status, headers (case-insensitive), body) of a GET through nginx as PUBLIC_NAME."""
    request = urllib.request.Request(url, headers={"Host": PUBLIC_NAME, **headers})
    request.host = urllib.parse.urlsplit(url).netloc  # connect to nginx, send the Host given
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_nginx_serves_the_library_from_either_process(proxied, sample_analysis):
    """Guards the shipped nginx configuration: pages come through with the public name, our
    ETag and Cache-Control pass untouched (a 304 comes back through the proxy), and with one
    process stopped the other still answers."""
    url, slug, processes, logs = proxied
    status, headers, body = fetch(f"{url}/articles/{slug}")
    assert status == 200, logs[0].read_text()
    page = body.decode()
    assert "Helena Vasconcelos" in page
    # Host is passed on as the client sent it: the app answers only to its public name.
    assert fetch(f"{url}/articles/{slug}", Host="attacker.example")[0] == 400
    etag = headers["ETag"]
    assert etag.startswith('"') and headers.get("Cache-Control")
    status, revalidated, _ = fetch(f"{url}/articles/{slug}", **{"If-None-Match": etag})
    assert status == 304 and revalidated["ETag"] == etag
    # The app's own compression passes through, with its strong ETag.
    status, zipped, _ = fetch(f"{url}/articles/{slug}", **{"Accept-Encoding": "gzip"})
    assert zipped.get("Content-Encoding") == "gzip" and not zipped["ETag"].startswith("W/")
    processes[0].terminate()
    processes[0].wait(timeout=15)
    for _ in range(4):  # nginx's round robin reaches the stopped process and moves on
        assert fetch(f"{url}/articles/{slug}")[0] == 200


def test_an_article_stored_by_another_process_shows_through_the_proxy(proxied, library, nlp):
    """Guards the shared library behind a proxy: an article stored by another process (as
    `dramatis add` does) is on the library page of every serving process within a second."""
    from webapp import create_app
    from webapp.analysis import analyse
    from webapp.web.db import get_db
    from webapp.store import save_analysis

    url, _, _, logs = proxied
    before = [fetch(f"{url}/")[2].decode() for _ in range(2)]  # both processes cache the page
    title = "Harbour workers vote to strike at the container terminal"
    assert all(title not in page for page in before)
    text = (f"{title}\n\nDock workers at the Porto Leixoes terminal voted on Tuesday to stop "
            "work for two days, their union, Sindicato dos Estivadores, said.\n")
    app = create_app({"DATABASE": str(library[0])})
    with app.app_context():
        save_analysis(get_db(), analyse(text, nlp), title)
    deadline = time.monotonic() + 1.0
    seen = 0
    while time.monotonic() < deadline and seen < 2:
        seen = seen + 1 if title in fetch(f"{url}/")[2].decode() else 0
        time.sleep(0.02)
    assert seen == 2, logs[0].read_text() + logs[1].read_text()

