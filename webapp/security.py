"""Security headers on every response and a cross-origin check on every POST."""
from __future__ import annotations

from flask import abort, request

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

# A small after_request rather than flask-talisman: talisman's defaults are built for a
# public HTTPS site (it redirects to https and marks cookies secure), while the reader is
# served over plain HTTP on 127.0.0.1 by default and sets no cookies; these six static
# headers are all it needs.
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


def check_same_origin():
    """Refuse a state-changing request that a browser sent from another site.

    Every current browser sends Sec-Fetch-Site, and Origin, on a cross-origin POST, so
    a request that a page on another site made carries proof of it; requests without
    either header come from non-browser clients (curl, scripts), which CSRF cannot
    forge. The same rule as Go's net/http CrossOriginProtection; it needs no token, so
    the add form keeps working without cookies or sessions.
    """
    if request.method not in UNSAFE_METHODS:
        return None
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        if fetch_site in ("same-origin", "none"):
            return None
        abort(403, "This form can only be sent from the Dramatis page itself.")
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    if origin != request.host_url.rstrip("/"):
        abort(403, "This form can only be sent from the Dramatis page itself.")
    return None


def init_app(app) -> None:
    app.before_request(check_same_origin)
    app.after_request(add_security_headers)
