"""Serving the app with waitress: the one place its settings are chosen."""
from __future__ import annotations

import ipaddress
import sys

from waitress import create_server


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def make_server(app, host: str = "127.0.0.1", port: int = 8000, threads: int = 4):
    """A waitress server for `app`, listening but not yet running (`.run()` serves)."""
    served = app.config["SERVED_HOSTS"]
    if not is_loopback(host) and all(is_loopback(name) for name in served):
        print(f"dramatis: listening on {host}, but answering only to {', '.join(served)}: "
              "set DRAMATIS_HOSTS to the names clients use (e.g. DRAMATIS_HOSTS=reader.example.org)",
              file=sys.stderr)
    return create_server(app, host=host, port=port, threads=threads,
                         max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
                         ident="dramatis")
