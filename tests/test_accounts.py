"""Who may change the library (issue 10): editors, login, the policy, CSRF, the rate limit."""
import io
import re
from urllib.parse import unquote

import pytest

from webapp import cli, create_app
from webapp.store import accounts
from webapp.web.db import get_db
from webapp.store import save_analysis

pytestmark = pytest.mark.both_backends  # every test on SQLite and on PostgreSQL (issue 17)

PASSWORD = "correct horse battery"


def make_app(tmp_path, users=(("editor", PASSWORD),), **config):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "guarded.sqlite"),
                      "ANALYSIS_WORKER": "thread", **config})
    with app.app_context():
        for name, password in users:
            accounts.add_user(get_db(), name, password)
    return app


@pytest.fixture
def guarded(tmp_path, sample_analysis):
    """An app with one editor account, CSRF on, and the sample article stored."""
    app = make_app(tmp_path)
    with app.app_context():
        app.slug = save_analysis(get_db(), sample_analysis).slug
    return app


def token(client) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))[1]


def log_in(client, name="editor", password=PASSWORD, **kwargs):
    return client.post("/login", data={"name": name, "password": password,
                                       "csrf_token": token(client), **kwargs})


def library_state(app):
    with app.app_context():
        return [tuple(row) for row in get_db().execute(
            "SELECT slug, title FROM articles ORDER BY id").fetchall()]


def changes(slug):
    """Every change route of this branch, with a form that would succeed for an editor."""
    return [("/articles", {"title": "A new piece", "text": "Ana Costa met Petrobras in Lisbon."}),
            (f"/articles/{slug}/rename", {"title": "Renamed"}),
            (f"/articles/{slug}/corrections",
             {"kind": "rename", "entity": "lisbon-courier", "value": "The Courier"}),
            (f"/articles/{slug}/delete", {})]


def test_every_change_without_login_is_refused_and_changes_nothing(guarded):
    """Guards the policy: with editors, an anonymous post (even with a valid CSRF token)
    is a 403 that says why, and the library is as it was."""
    client = guarded.test_client()
    before = library_state(guarded)
    for url, data in changes(guarded.slug):
        response = client.post(url, data={**data, "csrf_token": token(client)})
        assert response.status_code == 403, url
        assert "log in first" in response.get_data(as_text=True)
    assert library_state(guarded) == before


def test_a_wrong_or_missing_csrf_token_is_refused_and_changes_nothing(guarded):
    """Guards CSRF on every form: a logged-in editor's post without the session's own
    token is a 400, and nothing changes."""
    client = guarded.test_client()
    assert log_in(client).status_code == 303
    other = guarded.test_client()
    foreign = token(other)  # a real token, of another session
    before = library_state(guarded)
    for url, data in changes(guarded.slug):
        for bad in ({}, {"csrf_token": "forged"}, {"csrf_token": foreign}):
            response = client.post(url, data={**data, **bad})
            assert response.status_code == 400, (url, bad)
            assert "CSRF" in response.get_data(as_text=True)
    assert library_state(guarded) == before


def test_a_logged_in_editor_adds_renames_and_deletes(guarded):
    client = guarded.test_client()
    response = log_in(client)
    assert response.status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Log out editor" in page and 'name="csrf_token"' in page
    added = client.post("/articles", data={"title": "A new piece", "csrf_token": token(client),
                                           "text": "Ana Costa met Petrobras in Lisbon."})
    assert added.status_code == 303
    assert client.post(f"/articles/{guarded.slug}/rename",
                       data={"title": "Renamed", "csrf_token": token(client)}).status_code == 303
    assert ("a-new-piece", "A new piece") in library_state(guarded)
    assert (guarded.slug, "Renamed") in library_state(guarded)
    assert client.post(f"/articles/{guarded.slug}/delete",
                       data={"csrf_token": token(client)}).status_code == 303
    assert guarded.slug not in [slug for slug, _ in library_state(guarded)]
    login_page = client.get("/login").get_data(as_text=True)
    assert "You are logged in as editor" in login_page
    # Logged out, the same client is refused again.
    assert client.post("/logout", data={"csrf_token": token(client)}).status_code == 303
    assert client.post("/articles", data={"text": "x", "csrf_token": token(client)}).status_code == 403


def test_forms_say_who_may_use_them(guarded):
    """Guards the pages: an anonymous reader sees why there is no form, not a form that
    will refuse them; an editor's page is never replayed to a reader by the cache."""
    editor = guarded.test_client()
    log_in(editor)
    assert 'class="add-form"' in editor.get("/").get_data(as_text=True)
    reader = guarded.test_client()
    for _ in range(2):  # rendered, then maybe replayed
        page = reader.get("/").get_data(as_text=True)
        assert 'class="add-form"' not in page and "Log out" not in page
        assert "Only editors can change the library" in page
    delete_page = reader.get(f"/articles/{guarded.slug}/delete").get_data(as_text=True)
    assert "<form method=\"post\"" not in delete_page and "Log in" in delete_page


def test_the_session_is_read_only_from_a_cookie_of_its_name(guarded):
    """Guards auth.sent_cookie and the session interface, which skip the cookies (reading,
    parsing and saving) of a request whose Cookie header does not name the session: among
    other cookies the session still logs in, a cookie that has the name only in its value
    does not, and a reader's page sets no cookie and does not vary on Cookie."""
    editor = guarded.test_client()
    session = session_cookie(log_in(editor)).split(";")[0]
    url = f"/articles/{guarded.slug}"
    for cookies in (f"theme=dark; {session}; lang=pt", f"{session}"):
        page = guarded.test_client(use_cookies=False).get(url, headers={"Cookie": cookies})
        assert "Log out" in page.get_data(as_text=True) and "Cookie" in page.headers["Vary"]
    value = session.partition("=")[2]
    for cookies in (f"note=dramatis_session; other={value}", "lang=pt", f"x{session}", ""):
        page = guarded.test_client(use_cookies=False).get(url, headers={"Cookie": cookies})
        assert page.status_code == 200 and "Log out" not in page.get_data(as_text=True)
    plain = guarded.test_client().get(url)
    assert "Set-Cookie" not in plain.headers and "Cookie" not in plain.headers["Vary"]


def test_a_wrong_password_or_name_does_not_log_in(guarded):
    client = guarded.test_client()
    for name, password in (("editor", "wrong password"), ("nobody", PASSWORD), ("editor", "")):
        response = log_in(client, name, password)
        assert response.status_code == 401
        assert "do not match an editor" in response.get_data(as_text=True)
    assert client.post("/articles", data={"text": "x", "csrf_token": token(client)}).status_code == 403


def test_logins_are_rate_limited_per_name_and_address(guarded):
    """Guards against password guessing: the sixth try within 15 minutes is a 429 with
    Retry-After, even with the right password; another address may still log in."""
    client = guarded.test_client()
    for _ in range(accounts.MAX_FAILURES):
        assert log_in(client, password="wrong password").status_code == 401
    refused = log_in(client)
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= accounts.FAILURE_WINDOW
    assert "Too many failed logins" in refused.get_data(as_text=True)
    elsewhere = guarded.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert log_in(elsewhere).status_code == 303


def test_failed_logins_leave_the_page_cache_alone(guarded):
    """Guards the cache's generation (issue 11): a failed login is a database write anyone
    can cause, and while the generation followed every commit each one emptied the page
    cache; a change pages show (a new editor account) must still be seen."""
    guarded.extensions["dramatis.generation"].interval = 0  # look at the store every request
    rendered = []
    guarded.before_request(lambda: rendered.append(1))
    reader, url = guarded.test_client(), f"/articles/{guarded.slug}"
    first = reader.get(url)
    for _ in range(3):
        assert log_in(guarded.test_client(), password="wrong password").status_code == 401
    rendered.clear()
    assert reader.get(url).data == first.data and not rendered  # replayed
    with guarded.app_context():
        accounts.add_user(get_db(), "second", PASSWORD)
    assert reader.get(url).status_code == 200 and rendered


def test_the_limit_ends_after_its_window(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        db = get_db()
        for second in range(accounts.MAX_FAILURES):
            assert accounts.claim_attempt(db, "editor", "127.0.0.1", now=1000.0 + second) == (0, "")
        assert accounts.claim_attempt(db, "editor", "127.0.0.1", now=1010.0)[0] > 0
        assert accounts.retry_after(db, "editor", "127.0.0.1", now=1010.0) == accounts.FAILURE_WINDOW - 9
        assert accounts.retry_after(db, "EDITOR", "127.0.0.1", now=1010.0) > 0  # names ignore case
        assert accounts.retry_after(db, "editor", "127.0.0.1", now=1000.0 + accounts.FAILURE_WINDOW + 1) == 0


def test_login_only_sends_back_to_this_site(guarded):
    client = guarded.test_client()
    assert log_in(client, next=f"/articles/{guarded.slug}").headers["Location"] == f"/articles/{guarded.slug}"
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        client = guarded.test_client()
        assert log_in(client, next=target).headers["Location"] == "/"


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("dramatis_session="))


def test_the_session_cookie_is_httponly_lax_and_secure_behind_https(tmp_path, monkeypatch):
    plain = make_app(tmp_path / "a").test_client()
    cookie = session_cookie(log_in(plain))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie

    over_https = make_app(tmp_path / "b").test_client()
    # Over https Flask-WTF also wants a same-site Referer (browsers send it: same-origin policy).
    response = over_https.post("/login", base_url="https://localhost",
                               headers={"Referer": "https://localhost/login"}, data={
        "name": "editor", "password": PASSWORD,
        "csrf_token": re.search(r'value="([^"]+)"', over_https.get(
            "/login", base_url="https://localhost").get_data(as_text=True))[1]})
    assert response.status_code == 303 and "Secure" in session_cookie(response)

    monkeypatch.setenv("DRAMATIS_PUBLIC_URL", "https://reader.example.org")
    behind_proxy = make_app(tmp_path / "c").test_client()
    assert "Secure" in session_cookie(log_in(behind_proxy))


def test_the_signing_key_persists_and_can_be_set(tmp_path, monkeypatch):
    """Guards sessions across restarts: the key is generated once, never hard-coded."""
    first = make_app(tmp_path, users=())
    again = make_app(tmp_path, users=())
    other = make_app(tmp_path / "other", users=())
    assert len(first.secret_key) >= 32 and first.secret_key == again.secret_key != other.secret_key
    monkeypatch.setenv("DRAMATIS_SECRET_KEY", "set-by-the-operator")
    assert make_app(tmp_path, users=()).secret_key == "set-by-the-operator"


def test_open_at_a_desk_when_there_are_no_editors(tmp_path):
    """Guards the one-person mode: no accounts and OPEN_WHEN_NO_USERS (loopback) lets
    changes through. There is no session to ride on, so no token: the page stays shareable
    by the response cache, and a post from another site is refused by its Origin."""
    app = make_app(tmp_path, users=())
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert 'class="add-form"' in page and 'name="csrf_token"' not in page
    forged = client.post("/articles", data={"text": "Ana Costa met Petrobras in Lisbon.",
                                            "title": "Forged"},
                         headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"})
    assert forged.status_code == 403 and library_state(app) == []
    response = client.post("/articles", data={"text": "Ana Costa met Petrobras in Lisbon.",
                                              "title": "Desk"})
    assert response.status_code == 303 and library_state(app) == [("desk", "Desk")]


def test_closed_beyond_loopback_until_an_editor_exists(tmp_path):
    app = make_app(tmp_path, users=(), OPEN_WHEN_NO_USERS=False)
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert 'class="add-form"' not in page and "dramatis user add NAME" in page
    response = client.post("/articles", data={"text": "Ana Costa met Petrobras in Lisbon.",
                                              "title": "Far", "csrf_token": token(client)})
    assert response.status_code == 403 and "no editor accounts yet" in response.get_data(as_text=True)
    assert library_state(app) == []


@pytest.mark.parametrize("host, is_open", [("127.0.0.1", True), ("::1", True), ("localhost", True),
                                           ("0.0.0.0", False), ("192.0.2.7", False), ("::", False)])
def test_serve_is_open_only_on_loopback(tmp_path, monkeypatch, capsys, host, is_open):
    """Guards `dramatis serve`: beyond loopback, with no editors, changes are refused and
    one line on stderr says so."""
    from webapp import server

    made = {}

    class Idle:
        effective_port = 8000

        def run(self):
            pass

    def fake_server(app, **kwargs):
        made["app"] = app
        return Idle()

    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "serve.sqlite"))
    monkeypatch.setattr(server, "make_server", fake_server)
    monkeypatch.setattr(server, "serve_until_stopped", lambda server, grace: None)
    assert cli.main(["serve", "--host", host]) == 0
    assert made["app"].config["OPEN_WHEN_NO_USERS"] is is_open
    warning = capsys.readouterr().err.strip().splitlines()
    assert (warning == []) if is_open else (len(warning) == 1 and "dramatis user add" in warning[0])


def user_add(monkeypatch, tmp_path, name, stdin):
    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "users.sqlite"))
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["user", "add", name])


def test_user_add_reads_the_password_from_a_pipe(tmp_path, monkeypatch, capsys):
    assert user_add(monkeypatch, tmp_path, "ana", PASSWORD + "\n") == 0
    app = create_app({"DATABASE": str(tmp_path / "users.sqlite")})
    with app.app_context():
        stored = get_db().execute("SELECT password_hash FROM users WHERE name = 'ana'").fetchone()[0]
        assert PASSWORD not in stored  # hashed, not kept
        assert accounts.check_password(get_db(), "ana", PASSWORD) == "ana"
        assert accounts.check_password(get_db(), "ana", PASSWORD + "\n") is None
    client = app.test_client()
    assert log_in(client, "Ana", PASSWORD).status_code == 303


@pytest.mark.parametrize("name, stdin, message", [
    ("ana", "\n", "the password is empty"),
    ("ana", "", "the password is empty"),
    ("ana", "short\n", "at least 8 characters"),
    ("  ", PASSWORD, "a name cannot be empty"),
    ("ana\tb", PASSWORD, "control characters"),
])
def test_user_add_refuses_bad_input_in_one_line(tmp_path, monkeypatch, capsys, name, stdin, message):
    assert user_add(monkeypatch, tmp_path, name, stdin) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and err[0].startswith("dramatis: ")


def test_user_add_refuses_an_existing_name(tmp_path, monkeypatch, capsys):
    assert user_add(monkeypatch, tmp_path, "ana", PASSWORD) == 0
    capsys.readouterr()
    assert user_add(monkeypatch, tmp_path, "ANA", "another password") == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "exists already" in err[0]


def test_user_add_on_a_terminal_asks_twice(tmp_path, monkeypatch, capsys):
    answers = iter([PASSWORD, "something else"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    monkeypatch.setattr(cli, "sys", type("S", (), {"stdin": type("T", (), {"isatty": lambda self: True})(),
                                                  "stderr": __import__("sys").stderr,
                                                  "stdout": __import__("sys").stdout}))
    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "tty.sqlite"))
    assert cli.main(["user", "add", "ana"]) == 1
    assert "the two passwords differ" in capsys.readouterr().err


def test_g_editor_names_who_is_changing(tmp_path):
    """Guards the seam with corrections: g.editor is the logged-in editor's name, "local"
    at a desk with no accounts, and None for a reader when editors exist."""
    from flask import g

    def probe(app):
        app.add_url_rule("/who", "who", lambda: repr(g.editor))
        return app.test_client()

    desk = probe(make_app(tmp_path / "desk", users=()))
    assert desk.get("/who").get_data(as_text=True) == "'local'"
    guarded = make_app(tmp_path / "guarded")
    reader = probe(guarded)
    assert reader.get("/who").get_data(as_text=True) == "None"
    assert log_in(reader, "EDITOR").status_code == 303
    assert reader.get("/who").get_data(as_text=True) == "'editor'"  # as stored


def test_correction_forms_follow_the_visitor_not_the_cache(guarded, sample_analysis):
    """Guards the shared panel cache against the editors' forms (issue 10): a reader who may
    not change anything never gets correction forms, even after an editor opened the same
    panel, and an editor always gets forms with their own token, even after readers did."""
    entity = sample_analysis.entities[0].id
    url = f"/articles/{guarded.slug}?entity={entity}"
    reader, editor = guarded.test_client(), guarded.test_client()
    assert "data-retype" not in reader.get(url).get_data(as_text=True)
    assert "data-retype" not in reader.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    log_in(editor)
    page = editor.get(url).get_data(as_text=True)
    assert "data-retype" in page and 'name="csrf_token"' in page and "Log out editor" in page
    panel = editor.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "data-retype" in panel and 'name="csrf_token"' in panel
    again = reader.get(url).get_data(as_text=True)
    assert "data-retype" not in again and 'name="csrf_token"' not in again
    change = {"kind": "retype", "entity": entity, "value": "place"}
    assert editor.post(f"/articles/{guarded.slug}/corrections", data=change).status_code == 400
    assert reader.post(f"/articles/{guarded.slug}/corrections", data=change).status_code == 403


@pytest.mark.parametrize("target", ["/%09/evil.example", "/\\evil.example", "//evil.example",
                                    "/%0A", "https://evil.example/", "/ok path"])
def test_login_never_sends_to_another_site_or_fails_on_its_target(guarded, target):
    """Guards the review of issue 10: browsers drop a tab from a URL, so "/\\t/evil.example"
    left as it was sent the editor to //evil.example; "/\\n" made the login a 500."""
    client = guarded.test_client()
    response = log_in(client, next=unquote(target))
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_a_plain_path_is_where_login_sends_back(guarded):
    client = guarded.test_client()
    response = log_in(client, next=f"/articles/{guarded.slug}?entity=x")
    assert response.headers["Location"] == f"/articles/{guarded.slug}?entity=x"


def test_behind_a_proxy_failed_logins_are_counted_per_visitor(tmp_path, monkeypatch):
    """Guards the login limit behind nginx (DRAMATIS_PROXIES=1): every request comes from
    the proxy's address, so counted per remote address five wrong passwords locked a name
    for everyone; counted per X-Forwarded-For visitor, another visitor may still log in.
    Without the setting, a visitor's own X-Forwarded-For changes nothing."""
    monkeypatch.setenv("DRAMATIS_PROXIES", "1")
    app = make_app(tmp_path)
    guesser, colleague = app.test_client(), app.test_client()
    guesser.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.5"
    colleague.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    for _ in range(accounts.MAX_FAILURES):
        assert log_in(guesser, password="wrong password").status_code == 401
    assert log_in(guesser).status_code == 429
    assert log_in(colleague).status_code == 303

    monkeypatch.delenv("DRAMATIS_PROXIES")
    direct = make_app(tmp_path / "direct")
    dodger = direct.test_client()
    for n in range(accounts.MAX_FAILURES):
        dodger.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}"
        assert log_in(dodger, password="wrong password").status_code == 401
    dodger.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.99"
    assert log_in(dodger).status_code == 429


def test_behind_an_https_proxy_the_session_cookie_is_secure(tmp_path, monkeypatch):
    """The proxy speaks plain http to the server; its X-Forwarded-Proto says the visitor
    came over https, so the cookie must not travel over plain http."""
    monkeypatch.setenv("DRAMATIS_PROXIES", "1")
    app = make_app(tmp_path)
    assert "Secure" not in session_cookie(app.test_client().get("/login"))
    over_https = app.test_client()
    over_https.environ_base["HTTP_X_FORWARDED_PROTO"] = "https"
    assert "Secure" in session_cookie(over_https.get("/login"))


def test_one_address_trying_name_after_name_is_refused_too(guarded):
    """Guards the login limit against cycling names: five failures per name and address
    let one address try any number of names; past MAX_ADDRESS_FAILURES in the window it is
    refused whatever the name, while another address may still log in."""
    client = guarded.test_client()
    for n in range(accounts.MAX_ADDRESS_FAILURES):
        assert log_in(client, name=f"guess{n}", password="wrong password").status_code == 401
    refused = log_in(client)
    assert refused.status_code == 429 and "from this address" in refused.get_data(as_text=True)
    elsewhere = guarded.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    assert log_in(elsewhere).status_code == 303


def user_command(monkeypatch, tmp_path, *argv, stdin=""):
    monkeypatch.setenv("DRAMATIS_DB", str(tmp_path / "users.sqlite"))
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.main(["user", *argv])


def test_a_new_password_ends_the_editors_sessions(tmp_path, monkeypatch, capsys):
    """Guards an editor's account after a leaked password or cookie: `dramatis user
    password` makes the old password fail and logs out every session made with it."""
    assert user_command(monkeypatch, tmp_path, "add", "ana", stdin=PASSWORD) == 0
    app = create_app({"DATABASE": str(tmp_path / "users.sqlite")})
    session_made_before = app.test_client()
    assert log_in(session_made_before, "ana", PASSWORD).status_code == 303
    assert "You are logged in as ana" in session_made_before.get("/login").get_data(as_text=True)

    assert user_command(monkeypatch, tmp_path, "password", "ANA", stdin="a new passphrase") == 0
    assert "new password" in capsys.readouterr().err
    assert "You are logged in" not in session_made_before.get("/login").get_data(as_text=True)
    assert log_in(app.test_client(), "ana", PASSWORD).status_code == 401
    assert log_in(app.test_client(), "ana", "a new passphrase").status_code == 303


def test_a_removed_editor_can_change_nothing_any_more(tmp_path, monkeypatch, capsys):
    assert user_command(monkeypatch, tmp_path, "add", "ana", stdin=PASSWORD) == 0
    assert user_command(monkeypatch, tmp_path, "add", "ben", stdin=PASSWORD) == 0
    app = create_app({"DATABASE": str(tmp_path / "users.sqlite")})
    ana = app.test_client()
    assert log_in(ana, "ana", PASSWORD).status_code == 303
    capsys.readouterr()
    assert user_command(monkeypatch, tmp_path, "list") == 0
    assert [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()] == ["ana", "ben"]

    assert user_command(monkeypatch, tmp_path, "remove", "ana") == 0
    refused = ana.post("/articles", data={"title": "A new piece", "text": "Ana Costa met Petrobras.",
                                          "csrf_token": token(ana)})
    assert refused.status_code == 403
    assert log_in(app.test_client(), "ana", PASSWORD).status_code == 401
    capsys.readouterr()
    assert user_command(monkeypatch, tmp_path, "list") == 0
    assert capsys.readouterr().out.startswith("ben\t")


@pytest.mark.parametrize("argv, stdin, message", [
    (["remove", "nobody"], "", "there is no editor named 'nobody'"),
    (["password", "nobody"], PASSWORD, "there is no editor named 'nobody'"),
    (["password", "ana"], "short", "at least 8 characters"),
])
def test_user_commands_refuse_in_one_line(tmp_path, monkeypatch, capsys, argv, stdin, message):
    assert user_command(monkeypatch, tmp_path, "add", "ana", stdin=PASSWORD) == 0
    capsys.readouterr()
    assert user_command(monkeypatch, tmp_path, *argv, stdin=stdin) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and err[0].startswith("dramatis: ")


def test_a_logged_in_editors_plain_form_change_is_announced_with_an_undo_that_works(guarded):
    """Guards the announcement without JavaScript for an editor with an account (CSRF on):
    the page the correction goes back to says what it did, its Undo form carries the
    session's CSRF token, and posting it undoes the correction."""
    import html

    client = guarded.test_client()
    log_in(client)
    response = client.post(f"/articles/{guarded.slug}/corrections", data={
        "kind": "retype", "entity": "singapore", "value": "person", "csrf_token": token(client)})
    assert response.status_code == 303
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "“Singapore” is a person." in page
    undo = re.search(r'<form method="post" action="(/articles/[^"]+/undo)">(.*?)</form>', page, re.S)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', undo.group(2)))
    assert set(fields) == {"csrf_token", "entity"}
    assert client.post(undo.group(1), data=fields).status_code == 303
    after = client.get(f"/articles/{guarded.slug}.json").get_json()
    assert next(e for e in after["entities"] if e["id"] == "singapore")["type"] == "country"
