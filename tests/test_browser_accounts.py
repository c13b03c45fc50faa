"""An editor logs in and adds an article, in a browser (issue 10)."""
import re
import threading

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def guarded_server(tmp_path, nlp):
    """The reader with one editor account, served by waitress on a free loopback port."""
    from webapp import create_app
    from webapp.store import accounts
    from webapp.web.db import get_db
    from webapp.server import make_server

    app = create_app({"DATABASE": str(tmp_path / "guarded.sqlite"), "ANALYSIS_WORKER": "thread"})
    with app.app_context():
        accounts.add_user(get_db(), "editor", PASSWORD)
    server = make_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    server.url = f"http://127.0.0.1:{server.effective_port}"
    yield server
    server.close()


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
    page.click(".add-form button[type=submit]")
    page.wait_for_url(re.compile(r"/articles/desk-report$"), timeout=60_000)
    assert page.locator("#article a.mention").count() > 0
