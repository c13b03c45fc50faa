"""Who may change the library (issue 10): logging in and out, the editor policy on every
unsafe request, CSRF tokens on every form, and the session cookie's flags."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
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

NO_EDITORS = ("This Dramatis server has no editor accounts yet, so it accepts no changes; its "
              "operator can make one with `dramatis user add NAME`.")
LOG_IN_FIRST = "Only editors can change the library: log in first."


def has_editors() -> bool:
    """Whether any editor account exists (the policy, the page's forms and the panel's
    controls all want to know): kept per store generation, which an account made by
    `dramatis user add` changes, so that a request asks the cache, not the database."""
    if "has_editors" not in g:
        generation = request.environ.get(GENERATION)
        if generation is None:  # a request that did not come through the response cache
            g.has_editors = accounts.has_users(get_db())
        else:
            g.has_editors = current_app.extensions["dramatis.cache"].get_or_make(
                ("has editors", generation), lambda: accounts.has_users(get_db()), lambda _: 100)
    return g.has_editors


def current_editor() -> str | None:
    """The logged-in editor's name; "local" when the server is open to whoever sits at
    its desk (loopback, no accounts); None when this request may not change anything."""
    # The session is looked at only when its cookie came: reading it would add "Vary:
    # Cookie" to every response.
    name = session.get("editor") if current_app.config["SESSION_COOKIE_NAME"] in request.cookies else None
    g.logged_in = False
    if isinstance(name, str) and name:
        # None once the editor was removed or given a new password since logging in.
        stored = accounts.session_editor(get_db(), name, session.get("editor_key"))
        if stored:
            g.logged_in = True
            return stored
    if current_app.config["OPEN_WHEN_NO_USERS"] and not has_editors():
        return "local"
    return None


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
    wait, whose = accounts.retry_after(db, name, address), "for this name"
    if not wait:
        wait, whose = accounts.address_retry_after(db, address), "from this address"
    if wait:
        minutes = (wait + 59) // 60
        return render_template(
            "login.html", name=name, next=target,
            error=f"Too many failed logins {whose}. Try again in {minutes} minute"
                  f"{'s' if minutes != 1 else ''}."), 429, {"Retry-After": str(wait)}
    editor = accounts.check_password(db, name, password) if name and password else None
    if editor is None:
        accounts.record_failure(db, name, address)
        return render_template("login.html", name=name, next=target,
                               error="That name and password do not match an editor."), 401
    accounts.clear_failures(db, name, address)
    session.clear()  # a fresh session (and CSRF token) for the editor
    session["editor"] = editor
    session["editor_key"] = accounts.session_key(db, editor)
    return redirect(safe_next(target), 303)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("library.index"), 303)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure behind HTTPS: when the site's public
    address is https (SESSION_COOKIE_SECURE, set from it) or this request came over https."""

    def open_session(self, app, request):
        # Without the cookie there is nothing to read: an empty session, without making the
        # signing serializer first (a tenth of the cost of a page made through Flask).
        if not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

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
    app.jinja_env.globals.update(form_token=form_token, change_refused=change_refused)
