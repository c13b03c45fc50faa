"""Checked hosts (issue 7): the server answers only to the names it is configured for."""
import sqlite3

import pytest
from test_security import security_headers_ok

from webapp import create_app
from webapp.server import make_server
from webapp.web.security import ConfigError, public_url, served_hosts


def stored_articles(app):
    with sqlite3.connect(app.config["DATABASE"]) as db:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]


@pytest.fixture
def configured(tmp_path, monkeypatch):
    """create_app(hosts=..., public=...) with DRAMATIS_HOSTS / DRAMATIS_PUBLIC_URL set."""
    def make(hosts=None, public=None):
        for name, value in (("DRAMATIS_HOSTS", hosts), ("DRAMATIS_PUBLIC_URL", public)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        # Without CSRF tokens, as the app fixture: these tests are about hosts and origins.
        return create_app({"TESTING": True, "DATABASE": str(tmp_path / "hosts.sqlite"),
                           "WTF_CSRF_ENABLED": False})
    return make


def test_a_forged_host_is_refused_with_our_page_and_headers(client):
    """Guards against Host reflection: an unknown name gets a 400, not the library."""
    response = client.get("/", headers={"Host": "evil.example"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'data-status="400"' in html and "does not answer to the host name" in html
    assert "&#39;evil.example&#39;" in html and "DRAMATIS_HOSTS" in html
    assert security_headers_ok(response)


def test_a_dns_rebinding_post_is_refused_and_stores_nothing(app, client, sample_text):
    """Guards the origin check: a rebinding page's Host and Origin agree, so only the host
    list can tell it from the reader's own form."""
    response = client.post("/articles", data={"text": sample_text}, headers={
        "Host": "evil.example:8000", "Origin": "http://evil.example:8000",
        "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 400
    assert "does not answer to the host name" in response.get_data(as_text=True)
    assert stored_articles(app) == 0


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000",
                                  "[0:0:0:0:0:0:0:1]", "LOCALHOST"])
def test_loopback_names_are_served_by_default(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["", "evil.example", "127.0.0.2", "[::2]:8000", "localhost:99999",
                                  "localhost.evil.example", "local host", "[::1"])
def test_other_and_malformed_hosts_are_refused_by_default(client, host):
    assert client.get("/", headers={"Host": host}).status_code == 400


def test_configured_hosts_replace_the_loopback_names(configured):
    client = configured(hosts="reader.example.org, 192.0.2.7 ,::1").test_client()
    assert client.get("/", headers={"Host": "reader.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "192.0.2.7:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 400
    # A form sent from the configured site gets past the host and origin checks, to the
    # editor policy: a server named beyond loopback (often behind a proxy listening on
    # 127.0.0.1) is never open to all without editor accounts (issue 10).
    response = client.post("/articles", data={"text": ""}, headers={
        "Host": "reader.example.org", "Origin": "http://reader.example.org",
        "Sec-Fetch-Site": "same-origin"})
    assert response.status_code == 403 and "dramatis user add" in response.get_data(as_text=True)


def test_the_public_url_is_configured_and_its_host_served(configured):
    app = configured(public="https://Reader.Example.org/")
    assert app.config["PUBLIC_URL"] == "https://reader.example.org"
    client = app.test_client()
    assert client.get("/", headers={"Host": "reader.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "localhost"}).status_code == 200
    assert configured().config["PUBLIC_URL"] is None


@pytest.mark.parametrize("setting", ["reader.example.org:8000", "http://reader.example.org",
                                     "reader example", "[::1]:80", "a/b"])
def test_a_host_list_that_cannot_be_used_is_refused_at_start(setting):
    with pytest.raises(ConfigError, match="DRAMATIS_HOSTS"):
        served_hosts(setting)


@pytest.mark.parametrize("setting", ["reader.example.org", "ftp://reader.example.org",
                                     "https://reader.example.org/news", "https://u:p@reader.example.org",
                                     "https://reader.example.org/?q=1"])
def test_a_public_url_that_cannot_be_used_is_refused_at_start(setting):
    with pytest.raises(ConfigError, match="DRAMATIS_PUBLIC_URL"):
        public_url(setting)


def test_serving_everywhere_without_a_host_list_says_how_to_set_one(configured, capsys):
    """Guards `dramatis serve --host 0.0.0.0`: it serves, and one line says why other
    machines' requests are refused until DRAMATIS_HOSTS names the server."""
    server = make_server(configured(), host="0.0.0.0", port=0)
    server.close()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and "DRAMATIS_HOSTS" in lines[0] and "0.0.0.0" in lines[0]
    for app, host in ((configured(hosts="reader.example.org"), "0.0.0.0"), (configured(), "127.0.0.1")):
        make_server(app, host=host, port=0).close()
        assert capsys.readouterr().err == ""


@pytest.mark.parametrize("variable,value,says", [
    ("DRAMATIS_HOSTS", "reader.example.org:8000", "DRAMATIS_HOSTS: 'reader.example.org:8000' is not"),
    ("DRAMATIS_PUBLIC_URL", "reader.example.org", "DRAMATIS_PUBLIC_URL: 'reader.example.org' is not"),
])
def test_the_command_reports_a_setting_it_cannot_use_in_one_line(monkeypatch, capsys, tmp_path,
                                                                 variable, value, says):
    from webapp.cli import main

    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "cli.sqlite"))
    monkeypatch.setenv(variable, value)
    assert main(["serve", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"dramatis: {says}") and err.count("\n") == 1


def test_a_form_from_the_public_url_behind_a_tls_proxy_passes_the_origin_check(configured):
    """A proxy that ends TLS forwards http requests; an older browser's Origin then names
    the https public URL, which is the reader's own page, not another site."""
    client = configured(public="https://reader.example.org").test_client()
    # Past the origin check, the editor policy answers (no accounts yet: nothing changes).
    response = client.post("/articles", data={"text": ""}, headers={
        "Host": "reader.example.org", "Origin": "https://reader.example.org"})
    assert response.status_code == 403 and "dramatis user add" in response.get_data(as_text=True)
    response = client.post("/articles", data={"text": ""}, headers={
        "Host": "reader.example.org", "Origin": "https://evil.example"})
    assert response.status_code == 403 and "Dramatis page itself" in response.get_data(as_text=True)


def test_the_settings_are_read_once_into_one_object(tmp_path):
    """Guards webapp/config.py: each DRAMATIS_* variable the app uses is read there, checked,
    and create_app takes what it says (nothing deeper reads the environment for it)."""
    from webapp.config import Config

    config = Config.from_environ({"DRAMATIS_DB": "/srv/desk.sqlite", "DRAMATIS_CACHE_BYTES": "1_000",
                                  "DRAMATIS_LEARN_NAMES": "Off", "DRAMATIS_PROXIES": "1"})
    assert (config.database, config.cache_bytes, config.learn_names, config.proxies) == (
        "/srv/desk.sqlite", 1000, False, 1)
    assert Config.from_environ({}).learn_names and Config.from_environ({}).database is None
    with pytest.raises(ConfigError, match="DRAMATIS_PROXIES"):
        Config.from_environ({"DRAMATIS_PROXIES": "two"})
    app = create_app({"DATABASE": str(tmp_path / "c.sqlite")}, config=Config(learn_names=False, cache_bytes=5000))
    assert app.config["LEARN_NAMES"] is False and app.config["CACHE_BYTES"] == 5000
