"""An editor logs in and adds an article, in a browser (issue 10)."""
import re

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def guarded_server(tmp_path):
    """The reader with one editor account, in its own process on a free loopback port."""
    from live import LiveServer
    from webapp.store import accounts
    from webapp.web.db import get_db

    server = LiveServer(str(tmp_path / "guarded.sqlite"), tmp_path / "guarded.log")
    with server.app.app_context():
        accounts.add_user(get_db(), "editor", PASSWORD)
    yield server.start()
    server.stop()


def test_an_editor_logs_in_and_adds_an_article(page, guarded_server):
    page.goto(guarded_server.url + "/")
    assert page.locator(".add-form").count() == 0  # a reader gets no form, but a way in
    page.click(".form-refused a")
    page.fill("#login-name", "editor")
    page.fill("#login-password", PASSWORD)
    page.click(".login-form button[type=submit]")
    page.wait_for_url(guarded_server.url + "/")
    assert page.locator(".account-form button").inner_text() == "Log out editor"
    page.fill("#title", "Desk report")
    page.fill("#text", "Ana Costa met officials from Petrobras in Lisbon on Monday.")
    page.click(".add-form button[type=submit]", timeout=60_000)  # a new server: its worker loads spaCy
    page.wait_for_url(re.compile(r"/articles/desk-report$"), timeout=60_000)
    assert page.locator("#article a.mention").count() > 0
