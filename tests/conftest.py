"""Shared fixtures, by topic: the environment, the analysis, the app and its store, editors
and CSRF, real servers (the reader in its own process, fixture web pages), the browser."""
import os
import re
import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from live import LOG_TAIL_LINES, LiveServer, running_servers
from webapp.analysis.pipeline import get_nlp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "webapp" / "samples" / "harbour-deal.txt"
EVAL_DIR = ROOT.parent / "shared" / "eval"
PAGES = ROOT / "tests" / "fixtures" / "pages"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# --- The environment (issue 18) -------------------------------------------------------

@pytest.fixture(autouse=True)
def no_dramatis_settings(monkeypatch):
    """No DRAMATIS_* variable of the developer's shell reaches a test (DRAMATIS_PUBLIC_URL
    would close the open desk, DRAMATIS_DB point at their library); a test that needs one
    sets it with monkeypatch."""
    for name in [name for name in os.environ if name.startswith("DRAMATIS_")]:
        monkeypatch.delenv(name)


# --- The analysis ---------------------------------------------------------------------

@pytest.fixture(scope="session")
def nlp():
    return get_nlp()


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_analysis(sample_text, nlp):
    """The sample article analysed once; tests store it without running spaCy again."""
    from webapp.analysis import analyse

    return analyse(sample_text, nlp)


@pytest.fixture(scope="session")
def eval_dir():
    if not (EVAL_DIR / "score.py").exists():
        pytest.skip(f"evaluation data not found at {EVAL_DIR} (it sits beside the repo, in ../shared/eval)")
    return EVAL_DIR


@pytest.fixture
def loads(nlp, monkeypatch):
    """Counts model loads through the real accessor; each load returns the session's model."""
    from webapp.analysis import pipeline

    count = []
    monkeypatch.setattr(pipeline, "_loaded", {})
    monkeypatch.setattr(pipeline, "load_model", lambda name: count.append(name) or nlp)
    return count


# --- The reader web app and its store (issue 3) ---------------------------------------

# --- The store on SQLite and on PostgreSQL (issue 17) ---------------------------------

BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    """A test in a module marked `both_backends` runs once per store: its `database` (and so
    its `app`) is a SQLite file, then a PostgreSQL database of a throwaway cluster."""
    if "database" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_backends"):
        metafunc.parametrize("database", BACKENDS, indirect=True)


@pytest.fixture(scope="session")
def pg_cluster():
    from pg_cluster import Cluster

    cluster = Cluster()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster):
    """A database upgraded to the newest schema once; each test's database is a copy."""
    from webapp.store import migrations

    name = pg_cluster.database()
    migrations.upgrade(pg_cluster.url(name))
    return name


@pytest.fixture
def database(request, tmp_path):
    """Where the test's app keeps its store: a SQLite file (the default), or, for a test of
    a `both_backends` module in its PostgreSQL run, a new database at the newest schema."""
    from pg_cluster import new_store

    yield from new_store(request, tmp_path / "dramatis.sqlite")


@pytest.fixture
def app(database):
    from webapp import create_app

    # A thread worker shares the session's loaded pipeline (a process would load its own).
    # Open (no editor accounts) and without CSRF tokens, so that tests of what a change does
    # can post plainly; tests/test_accounts.py turns both on and checks they are enforced.
    # On PostgreSQL too, adds are analysed by the app's own worker here, not queued for
    # `dramatis worker` (tests/test_jobs.py tests the queue).
    return create_app({"TESTING": True, "DATABASE": database, "QUEUE": False,
                       "ANALYSIS_WORKER": "thread", "WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def store_article(app):
    """store_article(analysis, title=None) -> slug, straight into the app's database."""
    from webapp.web.db import get_db
    from webapp.store import save_analysis
    from webapp.web.articles import article_added

    def store(analysis, title=None):
        with app.app_context():
            slug = save_analysis(get_db(), analysis, title,
                                 learn_names=app.config["LEARN_NAMES"]).slug
            article_added()
            return slug

    return store


@pytest.fixture
def sample_slug(store_article, sample_analysis):
    return store_article(sample_analysis)


@pytest.fixture
def impatient_db(monkeypatch):
    """Call it to make every new database connection wait 50 ms for a lock, not seconds."""
    from webapp.store import engine as database

    def patch():
        connect = database.connect

        def impatient(*args, **kwargs):
            connection = connect(*args, **kwargs)
            connection.execute("PRAGMA busy_timeout = 50")
            return connection

        monkeypatch.setattr(database, "connect", impatient)
    return patch


# --- Editors and CSRF (issue 10) ------------------------------------------------------

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(client) -> str:
    """The CSRF token of the client's session, as a form on the login page carries it."""
    match = _CSRF_FIELD.search(client.get("/login").get_data(as_text=True))
    assert match, "the login form carries no CSRF token"
    return match[1]


def send_form(client, url, data=None, **kwargs):
    """Post a form as a browser would: with the session's CSRF token among its fields."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)


@pytest.fixture
def post_form():
    """post_form(client, url, data): a form posted with its CSRF token."""
    return send_form


# --- Real servers: the reader in its own process, fixture pages (issues 3, 9, 18) -----

@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The reader served by waitress in its own process on a free loopback port, one per
    test module, so that no module sees what another stored: `.url`, and `.app` on the same
    database to store articles straight into it (pages show them at once). Its log is added
    to the report of a test that fails. A test that changes the library in ways others of its
    module would see (adding through the form, deleting) takes `own_server` instead."""
    folder = tmp_path_factory.mktemp("live")
    server = LiveServer(str(folder / "dramatis.sqlite"), folder / "server.log").start()
    yield server
    server.stop()


@pytest.fixture
def own_server(tmp_path):
    """own_server(config=None, env=None) -> a started reader of its own, for one test; its
    DRAMATIS_* settings in `env` (DRAMATIS_FETCH_ALLOW), app config in `config`."""
    servers = []

    def start(config=None, env=None):
        n = len(servers)
        server = LiveServer(str(tmp_path / f"own{n}.sqlite"), tmp_path / f"own{n}.log",
                            config=config, env=env)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test's report ends with the log of each reader server running for it."""
    report = (yield).get_result()
    if report.failed:
        for server in running_servers():
            report.sections.append((f"server log ({server.url or 'not started'})",
                                    server.log(tail=LOG_TAIL_LINES)))


class QuietPages(SimpleHTTPRequestHandler):
    """The fixture pages as files; quiet, so the test output stays readable."""

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def pages_server():
    """tests/fixtures/pages served on a free loopback port: `pages_server.url + "/name.html"`.

    Loopback is refused by the fetcher unless DRAMATIS_FETCH_ALLOW allows it (monkeypatch it,
    or give it in a reader server's env). tests/test_ingest_fetch.py has its own server, with
    routes that misbehave on purpose.
    """
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietPages, directory=str(PAGES)))
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


# --- The browser ----------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium under Playwright: skipped locally when missing, a failure in CI."""
    missing = None
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing = f"{CHROMIUM} is not installed (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[test]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
