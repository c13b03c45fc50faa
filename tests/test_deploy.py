"""deploy/nginx.conf in front of two `dramatis serve` processes on one library (issue 17).

The shipped file is used as it is, with only its upstream addresses and listen line
rewritten to free loopback ports (tests/proxy.py); nginx is Debian's package, started here.
"""
from __future__ import annotations

import os
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from proxy import PUBLIC_NAME, Proxied, ProxyFailed, nginx_binary


@pytest.fixture
def library(tmp_path, sample_analysis):
    """A library with the sample article, made through the store as `dramatis add` would."""
    from webapp import create_app
    from webapp.store import save_analysis
    from webapp.web.db import get_db

    path = tmp_path / "library.sqlite"
    app = create_app({"DATABASE": str(path)})
    with app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
    return path, slug


@pytest.fixture
def proxied(tmp_path, library):
    """nginx on a free port in front of two serve processes on the library."""
    if nginx_binary() is None:
        message = "nginx is not installed (apt-get install nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        with Proxied(tmp_path, library[0], processes=2) as setup:
            setup.slug = library[1]
            yield setup
    except ProxyFailed as exc:
        pytest.fail(str(exc))


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
    url, slug, processes = proxied.url, proxied.slug, proxied.servers
    status, headers, body = fetch(f"{url}/articles/{slug}")
    assert status == 200, proxied.log()
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

    url = proxied.url
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
    assert seen == 2, proxied.log()

