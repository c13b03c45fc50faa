"""Security headers on every response, the host names served, a cross-origin check on
every POST, and query strings and form fields that must be UTF-8."""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

from flask import abort, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.sansio.multipart import Data, Epilogue, Field, MultipartDecoder, NeedData

# No inline script or style anywhere: htmx, the reader's script and the stylesheet are
# files under static/, and htmx is told not to inject its indicator styles (base.html).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

# Our own few lines rather than flask-talisman: talisman's defaults are built for a public
# HTTPS site (it redirects to https and marks cookies secure), while the reader is served
# over plain HTTP on 127.0.0.1 by default, and only logged-in editors get a cookie (its
# Secure flag is auth.SessionInterface's); these six static headers are all it needs.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class SecurityHeaders:
    """WSGI middleware that adds SECURITY_HEADERS to every response, error pages and static
    files included.

    Middleware rather than an after_request hook: setting six headers through Werkzeug's
    Headers costs a third of a cached page's time in the app (issue 3 asks for 0.8x the
    throughput of a bare "hello" app); appending tuples to the WSGI list costs nothing.
    A header a view set itself is left as it is.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.headers = list(SECURITY_HEADERS.items())

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(h for h in self.headers if h[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def check_same_origin():
    """Refuse a state-changing request that a browser sent from another site.

    Every current browser sends Sec-Fetch-Site, and Origin, on a cross-origin POST, so
    a request that a page on another site made carries proof of it; requests without
    either header come from non-browser clients (curl, scripts), which CSRF cannot
    forge. The same rule as Go's net/http CrossOriginProtection. It needs no token, so it
    alone guards the forms at a desk with no accounts; a logged-in editor's posts also
    carry a CSRF token (auth.check_editor). For unsafe methods (check_request).
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return None
        abort(403, "This form can only be sent from the Dramatis page itself.")
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    # Behind a proxy that ends TLS, the page's origin is the public URL, not this request's.
    if origin not in (request.host_url.rstrip("/"), current_app.config["PUBLIC_URL"]):
        abort(403, "This form can only be sent from the Dramatis page itself.")
    return None


# --- Host names (issue 7) -------------------------------------------------------------

# What the server answers to when DRAMATIS_HOSTS is not set: the names of this machine
# itself, so that a page on another site cannot reach the reader through DNS rebinding.
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")

# A Host header: a name or IPv4 address, or a bracketed IPv6 address; then maybe a port.
_HOST = re.compile(r"(?P<name>[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?",
                   re.ASCII | re.IGNORECASE)


class ConfigError(ValueError):
    """A setting (an environment variable) that cannot be used; the message says why."""


def served_hosts(setting: str | None) -> list[str]:
    """DRAMATIS_HOSTS ("reader.example.org, 192.0.2.7, [2001:db8::7]") as a list of
    lower-case names; the loopback names when it is unset or empty."""
    if not setting or not setting.strip():
        return list(LOOPBACK_HOSTS)
    hosts = []
    for entry in filter(None, (part.strip().lower() for part in setting.split(","))):
        name = f"[{entry}]" if ":" in entry and _is_ipv6(entry) else entry  # brackets optional
        match = _HOST.fullmatch(name)
        if not match or match["name"] != name:
            raise ConfigError(f"DRAMATIS_HOSTS: {entry!r} is not a host name (a name, an IPv4 "
                              "address or an IPv6 address in brackets, without a port)")
        hosts.append(_canonical(name))
    return hosts or list(LOOPBACK_HOSTS)


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _canonical(name: str) -> str:
    """One spelling per IPv6 address ([0:0::1] is [::1]); other names as they are."""
    if name.startswith("[") and _is_ipv6(name[1:-1]):
        return f"[{ipaddress.IPv6Address(name[1:-1])}]"
    return name


def public_url(setting: str | None) -> str | None:
    """DRAMATIS_PUBLIC_URL ("https://reader.example.org"): where readers reach the site,
    used for absolute links (og:url) instead of the request's Host header."""
    if not setting or not setting.strip():
        return None
    url = setting.strip().rstrip("/")
    parts = urlsplit(url)
    if (parts.scheme not in ("http", "https") or not parts.hostname or parts.path
            or parts.query or parts.fragment or parts.username or parts.password
            or not _HOST.fullmatch(parts.netloc)):
        raise ConfigError(f"DRAMATIS_PUBLIC_URL: {setting.strip()!r} is not a site address "
                          "like https://reader.example.org (a scheme and a host, maybe a port, "
                          "no path)")
    return f"{parts.scheme}://{parts.netloc.lower()}"


def request_host_name() -> str | None:
    """The host name the request was sent to, without its port; None when malformed."""
    return _host_name(request.environ.get("HTTP_HOST", ""))


@lru_cache(maxsize=256)
def _host_name(header: str) -> str | None:
    # Read once per Host header: a server hears the same few on every request.
    match = _HOST.fullmatch(header)
    if not match or (match["port"] and not 0 < int(match["port"]) < 65536):
        return None
    return _canonical(match["name"].lower())


def check_host():
    """Answer only requests sent to a configured host name (DRAMATIS_HOSTS).

    A page on another site can point its own name at 127.0.0.1 (DNS rebinding); the
    browser then sends that name as Host, and as Origin, so the request looks
    same-origin. Refusing unknown names closes that door and keeps Host out of links.
    Our own check rather than Flask's TRUSTED_HOSTS: Werkzeug strips a port from each
    trusted name at its first colon, so it can never trust an IPv6 address like [::1].
    """
    name = request_host_name()
    if name is None:
        abort(400, "This request has no valid Host header.")
    if name not in current_app.config["SERVED_HOSTS"]:
        abort(400, f"This Dramatis server does not answer to the host name {name!r}; "
                   "its operator can add it to DRAMATIS_HOSTS.")
    return None


# --- Form fields (issue 7) -------------------------------------------------------------

NOT_UTF8 = "The form could not be read: its fields are not UTF-8 text."


def _urlencoded_is_utf8(body: bytes) -> bool:
    try:
        parse_qsl(body.decode("utf-8"), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        return False
    return True


def _multipart_fields_are_utf8(body: bytes, boundary: bytes) -> bool:
    """Whether every non-file part decodes as UTF-8; a malformed body is left to Werkzeug."""
    decoder = MultipartDecoder(boundary)
    decoder.receive_data(body)
    decoder.receive_data(None)
    field, chunks = False, []
    try:
        event = decoder.next_event()
        while not isinstance(event, (Epilogue, NeedData)):
            if isinstance(event, Field):
                field, chunks = True, []
            elif isinstance(event, Data) and field:
                chunks.append(event.data)
                if not event.more_data:
                    b"".join(chunks).decode("utf-8")
                    field = False
            elif not isinstance(event, Data):
                field = False  # a file: uploads are checked by read_article
            event = decoder.next_event()
    except UnicodeDecodeError:
        return False
    except ValueError:
        pass
    return True


def check_form_encoding():
    """Refuse form fields that are not UTF-8, as uploads are refused.

    Werkzeug decodes multipart fields with errors="replace" and keeps undecodable
    %-escapes of a urlencoded body as they are, so a field with a stray byte would be
    stored with U+FFFD or "%FF" in it. The raw body is read (it is cached for the form
    parser, and bounded by MAX_CONTENT_LENGTH) and each field decoded strictly. For unsafe
    methods (check_request).
    """
    mimetype = request.mimetype
    if mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    try:
        body = request.get_data(cache=True)
    except RequestEntityTooLarge:
        return None  # the view answers that with its own message
    if mimetype == "multipart/form-data":
        try:
            boundary = request.mimetype_params.get("boundary", "").encode("latin-1")
        except UnicodeEncodeError:  # boundary*=UTF-8''... : no form can be read with it
            abort(400, NOT_UTF8)
        ok = not boundary or _multipart_fields_are_utf8(body, boundary)
    else:
        ok = _urlencoded_is_utf8(body)
    if not ok:
        abort(400, NOT_UTF8)
    return None


def check_query_is_utf8():
    """Refuse a query string of raw bytes that are not UTF-8 (browsers percent-encode, but
    any client can send them): Werkzeug's request.args raises UnicodeDecodeError on them,
    which would be a 500."""
    try:
        request.environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8")
    except UnicodeError:
        abort(400, "This address is not valid UTF-8 text.")


# The add form takes uploads of saved web pages, which may be larger than any other body
# (MAX_UPLOAD_LENGTH); its text field alone stays bounded by MAX_FORM_MEMORY_SIZE.
LARGE_BODY_ENDPOINTS = {"library.add"}


def check_request():
    """Every check a request passes before its view, as one hook: each hook Flask runs
    costs as much as a cached page's own work (issue 11 measures pages through Flask
    against a bare "hello" app), and a GET needs only the first two."""
    check_host()
    check_query_is_utf8()
    if request.method in UNSAFE_METHODS:
        if request.endpoint in LARGE_BODY_ENDPOINTS:  # before anything reads the body
            request.max_content_length = current_app.config["MAX_UPLOAD_LENGTH"]
        check_same_origin()
        check_form_encoding()


def init_app(app) -> None:
    app.before_request(check_request)
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
