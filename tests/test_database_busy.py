"""A database locked by another writer for longer than DB_TIMEOUT (issue 7): a 503 with a
message and Retry-After, not a 500 or a traceback; reading goes on meanwhile."""
import sqlite3

import pytest
from test_security import security_headers_ok

from webapp import create_app
from webapp.store import connect, is_busy, save_analysis
from webapp.web.db import get_db

HX = {"HX-Request": "true", "HX-Target": "panel"}


@pytest.fixture
def busy_app(tmp_path):
    """The app with a short lock timeout, and a route that writes as adding does."""
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "busy.sqlite"), "DB_TIMEOUT": 0.05,
                      "WTF_CSRF_ENABLED": False})  # as the app fixture: about locks, not tokens

    @app.post("/write-probe")
    def write_probe():
        with get_db() as db:
            db.execute("INSERT INTO articles (slug, title, added_at) VALUES ('probe', 'Probe', 'now')")
        return "stored"

    return app


@pytest.fixture
def write_lock(busy_app):
    """Another connection (as `dramatis add` in another process would) holding the write lock."""
    other = sqlite3.connect(busy_app.config["DATABASE"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.execute("ROLLBACK")
    other.close()


@pytest.mark.parametrize("headers", [{}, HX])
def test_a_write_that_waits_too_long_is_a_503_with_retry_after(busy_app, write_lock, headers):
    client = busy_app.test_client()
    response = client.post("/write-probe", headers=headers)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "busy saving another article" in response.get_data(as_text=True)
    assert security_headers_ok(response)
    write_lock.execute("ROLLBACK")
    write_lock.execute("BEGIN")  # the fixture's ROLLBACK ends this one
    assert client.post("/write-probe").get_data(as_text=True) == "stored"


def test_requests_wait_db_timeout_for_a_lock(busy_app):
    with busy_app.app_context():
        assert get_db().execute("PRAGMA busy_timeout").fetchone()[0] == 50  # ms: 0.05 s


def test_reading_goes_on_while_another_connection_writes(busy_app, write_lock, sample_analysis):
    write_lock.execute("ROLLBACK")
    with busy_app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
    write_lock.execute("BEGIN IMMEDIATE")
    client = busy_app.test_client()
    assert client.get("/").status_code == 200
    assert client.get(f"/articles/{slug}").status_code == 200


def test_other_database_errors_stay_errors(busy_app):
    @busy_app.get("/broken")
    def broken():
        get_db().execute("SELECT * FROM no_such_table")

    busy_app.testing = False  # the 500 handler, as a served app has it
    response = busy_app.test_client().get("/broken")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_a_store_write_past_the_timeout_is_recognised_as_busy(busy_app, write_lock, sample_analysis):
    db = connect(busy_app.config["DATABASE"], timeout=0.05)
    with pytest.raises(sqlite3.OperationalError) as raised:
        save_analysis(db, sample_analysis)
    assert is_busy(raised.value)
