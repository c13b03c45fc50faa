"""Who may change the library (issue 10): logging in and out, the editor policy on every
unsafe request, CSRF tokens on every form, and the session cookie's flags."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    get_flashed_messages,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.exceptions import RequestEntityTooLarge

from ..store import accounts
from .cache import GENERATION, PRIVATE
from .db import get_db
from .security import UNSAFE_METHODS

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()

# The endpoints anyone may post to: logging in and out are how one becomes an editor or
# stops being one (both still need a CSRF token).
OPEN_ENDPOINTS = {"auth.login", "auth.logout"}
ANNOUNCEMENT = "announcement"  # the flashed messages' category of a change's announcement

NO_EDITORS = ("This Dramatis server has no editor accounts yet, so it accepts no changes; its "
              "operator can make one with `dramatis user add NAME`.")
LOG_IN_FIRST = "Only editors can change the library: log in first."


def has_editors() -> bool:
    """Whether any editor account exists (the policy, the page's forms and the panel's
    controls all want to know): kept per store generation, which an account made by
    `dramatis user add` changes, so that a request asks the cache, not the database."""
    answer = g.get("has_editors")
    if answer is None:
        generation = request.environ.get(GENERATION)
        if generation is None:  # a request that did not come through the response cache
            answer = accounts.has_users(get_db())
        else:
            answer = current_app.extensions["dramatis.cache"].get_or_make(
                ("has editors", generation), lambda: accounts.has_users(get_db()), lambda _: 100)
        g.has_editors = answer
    return answer


# What the cache keeps for a session that has ended or gone idle: it never comes back.
ENDED = ("", 0.0)


def session_holder(session_id) -> str | None:
    """The editor whose live session `session_id` is, else None (logged out, ended from
    the command line, idle too long, the editor removed or given a new password).

    Checked like has_editors: the answer is kept per store generation, which ending a
    session changes in every process, so a request asks the cache, not the database; the
    session's last request is written at most every SEEN_EVERY seconds, and that write is
    also a check against the database.
    """
    if not isinstance(session_id, str) or not session_id:
        return None
    cache, idle = current_app.extensions["dramatis.cache"], current_app.config["SESSION_IDLE"]
    generation = request.environ.get(GENERATION)  # None: not through the response cache
    key = ("session", generation, session_id)
    known = cache.get(key) if generation is not None else None
    editor, seen = known or accounts.session_editor(get_db(), session_id, idle) or ENDED
    now = time.time()
    if editor and now - seen >= accounts.SEEN_EVERY:
        editor, seen = (editor, now) if accounts.session_seen(get_db(), session_id, idle, now) else ENDED
    if generation is not None:
        cache.put(key, (editor, seen), 200 + len(session_id) + len(editor))
    return editor or None


def current_editor() -> str | None:
    """The logged-in editor's name; "local" when the server is open to whoever sits at
    its desk (loopback, no accounts); None when this request may not change anything."""
    # The session is looked at only when its cookie came: reading it would add "Vary:
    # Cookie" to every response.
    config = current_app.config
    has_cookie = sent_cookie(request, config["SESSION_COOKIE_NAME"])
    editor = session_holder(session.get("session")) if has_cookie else None
    g.logged_in = editor is not None
    if editor:
        return editor
    if config["OPEN_WHEN_NO_USERS"] and not has_editors():
        return "local"
    return None


def sent_cookie(request, name: str) -> bool:
    """Whether the request carries a cookie of that name. Most carry no cookie at all, and
    a name missing from the raw header needs no parsing of it (a cookie's name is never
    escaped), which was a twentieth of a page's time through Flask."""
    return name in request.environ.get("HTTP_COOKIE", "") and name in request.cookies


def check_editor():
    """Set g.editor; refuse an unsafe request without one (403), then one without its
    form's CSRF token (400), before any view runs."""
    g.editor = current_editor()
    if request.method not in UNSAFE_METHODS:
        return
    if g.editor is None and request.endpoint not in OPEN_ENDPOINTS:
        abort(403, LOG_IN_FIRST if has_editors() else NO_EDITORS)
    if current_app.config["WTF_CSRF_ENABLED"] and needs_token():
        try:
            csrf.protect()
        except RequestEntityTooLarge:
            pass  # nothing is stored from it: the view answers with its own message


def change_refused() -> str | None:
    """For a page's forms: None when this visitor may change things; "log in" when an
    editor must log in first; "no editors" when no one can until an account exists."""
    if g.get("editor"):
        return None
    return "log in" if has_editors() else "no editors"


def needs_token() -> bool:
    """Whether this request's forms carry, and its posts need, a CSRF token: a logged-in
    editor's, and logging in and out. At a desk with no accounts ("local") there is no
    session for another site to ride on, and the Origin / Sec-Fetch-Site check
    (security.check_same_origin) refuses cross-site posts; so those pages carry no token
    and can be shared by the response cache."""
    return bool(g.get("logged_in")) or request.endpoint in OPEN_ENDPOINTS


def form_token() -> str:
    """The form's CSRF token. It belongs to this visitor's session, so the page that
    carries it must never be replayed to anyone else by the response cache."""
    if not current_app.config["WTF_CSRF_ENABLED"] or not needs_token():
        return ""
    request.environ[PRIVATE] = True
    return generate_csrf()


def announcing() -> bool:
    """Whether a plain form's change left an announcement for this page (corrections.go_back):
    then the page is made for this visitor alone. Only a request that brought a session can
    have one; a reader's page never reads the session, and stays one the caches may keep."""
    return (sent_cookie(request, current_app.config["SESSION_COOKIE_NAME"])
            and any(category == ANNOUNCEMENT for category, _ in session.get("_flashes", ())))


def said() -> dict | None:
    """That announcement (base.html shows it), once."""
    if not announcing():
        return None
    return get_flashed_messages(category_filter=[ANNOUNCEMENT])[-1]


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site, never another site. Browsers drop
    tabs and newlines from URLs and read a backslash as a slash ("/\t/evil.example" is
    "//evil.example"), so a target holding any of them, or naming a scheme or host, is refused."""
    if (target and target.startswith("/") and target.isprintable() and " " not in target
            and "\\" not in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and not target.startswith("//"):
            return target
    return url_for("library.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    target = request.values.get("next")
    if request.method == "GET":
        return render_template("login.html", name="", next=target, error=None)
    db = get_db()
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    address = request.remote_addr or "unknown"
    # The attempt counts as a failure from the start, so that parallel tries cannot all
    # pass the limit before any is recorded (issue 18); a right password clears it.
    wait, whose = accounts.claim_attempt(db, name, address)
    if wait:
        minutes = (wait + 59) // 60
        return render_template(
            "login.html", name=name, next=target,
            error=f"Too many failed logins {whose}. Try again in {minutes} minute"
                  f"{'s' if minutes != 1 else ''}."), 429, {"Retry-After": str(wait)}
    editor = accounts.check_password(db, name, password) if name and password else None
    if editor is None:
        return render_template("login.html", name=name, next=target,
                               error="That name and password do not match an editor."), 401
    accounts.clear_failures(db, name, address)
    session.clear()  # a fresh session (and CSRF token) for the editor
    session["session"] = accounts.start_session(db, editor, current_app.config["SESSION_IDLE"])
    return redirect(safe_next(target), 303)


@bp.post("/logout")
def logout():
    """End the session on the server, not only the browser's copy of it (issue 18)."""
    if isinstance(session.get("session"), str) and accounts.end_session(get_db(), session["session"]):
        # This process forgets its cached check at once; others see the store's change.
        # (Only when a live session ended: a replayed logout must not empty the page cache.)
        current_app.extensions["dramatis.generation"].bump()
    session.clear()
    return redirect(url_for("library.index"), 303)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure behind HTTPS: when the site's public
    address is https (SESSION_COOKIE_SECURE, set from it) or this request came over https."""

    def open_session(self, app, request):
        # Without the cookie there is nothing to read: an empty session, without making the
        # signing serializer first (a tenth of the cost of a page made through Flask).
        name = self.get_cookie_name(app)
        if not sent_cookie(request, name) or not request.cookies[name]:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        # Nothing to send for an empty session no one touched (a reader without the cookie):
        # Flask would still ask for every cookie setting first, the Secure flag's request
        # lookups among them.
        if not session and not session.modified and not session.accessed:
            return
        super().save_session(app, session, response)

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]
                    or (has_request_context() and request.is_secure))


def init_app(app) -> None:
    """Call after db.init_app (the signing key lives in the database) and after the
    security checks (they refuse foreign hosts and origins first)."""
    if not app.config.get("SECRET_KEY"):  # DRAMATIS_SECRET_KEY sets it (create_app)
        with app.app_context():
            app.config["SECRET_KEY"] = accounts.secret_key(get_db())
    if (app.config["PUBLIC_URL"] or "").startswith("https:"):
        app.config["SESSION_COOKIE_SECURE"] = True
    app.session_interface = SessionInterface()
    # CSRF is checked by check_editor, after the policy (a visitor who may not post hears
    # why) and past a body too large to read (the add form says that in its own words).
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.before_request(check_editor)
    csrf.init_app(app)
    app.register_blueprint(bp)
    # Not csrf_token: Flask-WTF's context processor of that name would win.
    app.jinja_env.globals.update(form_token=form_token, change_refused=change_refused, said=said)
