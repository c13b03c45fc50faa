"""Serving the app with waitress: the one place its settings are chosen."""
from __future__ import annotations

from waitress import create_server


def make_server(app, host: str = "127.0.0.1", port: int = 8000, threads: int = 4):
    """A waitress server for `app`, listening but not yet running (`.run()` serves)."""
    return create_server(app, host=host, port=port, threads=threads,
                         max_request_body_size=app.config["MAX_CONTENT_LENGTH"],
                         ident="dramatis")
