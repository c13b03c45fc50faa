"""Serving the app with waitress: the one place its settings are chosen, and the few
things waitress answers itself made strict and given our page and headers (issue 7)."""
from __future__ import annotations

import ipaddress
import signal
import sys
import threading
import time

from waitress import create_server, wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import BaseWSGIServer, MultiSocketServer
from waitress.task import ErrorTask
from werkzeug import exceptions

from .analysis.article import MAX_ARTICLE_CHARS
from .web.security import SECURITY_HEADERS

# The app refuses a body over MAX_CONTENT_LENGTH (MAX_UPLOAD_LENGTH for the add form's
# uploads) with its own page (the add form, refilled, saying why); waitress refuses a bigger
# one before the app sees it. A little room between the two lets the app answer the near
# misses that people actually send.
BODY_MARGIN = 64 * 1024


def framing_problem(header_plus: bytes) -> str | None:
    """Why a request's head is ambiguous about where it ends or whom it is for, if it is.

    Waitress takes Transfer-Encoding over Content-Length and keeps the connection open, and
    joins repeated or folded headers: a proxy in front that reads the other one sees a
    different request boundary, and a second request smuggled in the body runs (request
    smuggling). RFC 9112 allows refusing all of these; a 400 closes the connection.
    """
    # Every header line follows a CRLF; waitress itself refuses a name with space before
    # its colon, so counting "CRLF name:" finds each header however it is capitalised.
    head = header_plus.lower()
    if b"\r\n " in head or b"\r\n\t" in head:
        return "a header line is folded onto the next one"
    transfer_encoding = head.count(b"\r\ntransfer-encoding:")
    content_length = head.count(b"\r\ncontent-length:")
    hosts = head.count(b"\r\nhost:")
    if transfer_encoding and content_length:
        return "Content-Length and Transfer-Encoding are both given"
    if transfer_encoding > 1 or content_length > 1:
        return "the body's length is given more than once"
    if transfer_encoding and head.partition(b"\r\n")[0].endswith(b"http/1.0"):
        return "Transfer-Encoding is not part of HTTP/1.0"
    if hosts != 1:
        return "the Host header is missing" if not hosts else "Host is given more than once"
    return None


class CheckedRequestParser(HTTPRequestParser):
    """Waitress's parser, refusing a request whose framing or Host is ambiguous."""

    def parse_header(self, header_plus):
        # Over-long headers: waitress parses a stand-in request line to answer 431 with.
        too_long = self.header_bytes_received >= self.adj.max_request_header_size
        problem = None if too_long else framing_problem(header_plus)
        if problem:
            raise ParsingError(problem)  # waitress answers 400 and closes the connection
        super().parse_header(header_plus)


class PageErrorTask(ErrorTask):
    """Waitress's own answers (a malformed request, a body or headers too large) as our
    error page with our security headers, and the connection closed after it."""

    def execute(self):
        error = self.request.error
        page = self.channel.server.error_pages.get(error.code)
        if page is None:
            status, headers, body = error.to_response(self.channel.server.adj.ident)
        else:
            status, headers, body = f"{error.code} {error.reason}", page[0], page[1]
        self.status = status
        self.response_headers.extend(headers)
        self.response_headers.extend(SECURITY_HEADERS.items())
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class CheckedChannel(HTTPChannel):
    parser_class = CheckedRequestParser
    error_task_class = PageErrorTask


# What waitress may answer without the app, in the words of our error page.
WAITRESS_ERRORS = [
    exceptions.BadRequest(
        "This request was malformed or ambiguous, so it was not read: for example its length "
        "was given two ways (Content-Length and Transfer-Encoding), a header was folded over "
        "two lines, or the Host header was missing or doubled."),
    exceptions.RequestEntityTooLarge(
        f"That is too large to be an article: the limit is {MAX_ARTICLE_CHARS:,} characters."),
    exceptions.RequestHeaderFieldsTooLarge("The request's headers are too large."),
    exceptions.NotImplemented("This server does not accept that Transfer-Encoding."),
    exceptions.InternalServerError(),
]


def error_pages(app) -> dict[int, tuple[list, bytes]]:
    """Our error page for each status waitress answers itself, rendered once at start-up
    through the app's own error handler."""
    from .web.errors import handle_http_error

    pages = {}
    with app.test_request_context("/"):
        for error in WAITRESS_ERRORS:
            response = handle_http_error(error)
            pages[error.code] = ([("Content-Type", response.content_type)], response.get_data())
    return pages


def is_loopback(host: str) -> bool:
    """Whether a listening address or host name is this machine only."""
    if host.strip("[]").lower() == "localhost":
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
    server = create_server(app, host=host, port=port, threads=threads,
                           max_request_body_size=max(app.config["MAX_CONTENT_LENGTH"],
                                                     app.config["MAX_UPLOAD_LENGTH"]) + BODY_MARGIN,
                           ident="dramatis")
    # create_server takes no channel class: set it on each listening socket's server.
    listeners = ([s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
                 if isinstance(server, MultiSocketServer) else [server])
    pages = error_pages(app)
    for listener in listeners:
        listener.channel_class = CheckedChannel
        listener.error_pages = pages
    return server


def _listeners(server) -> list[BaseWSGIServer]:
    return ([s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
            if isinstance(server, MultiSocketServer) else [server])


def _channels(server) -> list[HTTPChannel]:
    connections = server.map if isinstance(server, MultiSocketServer) else server._map
    return [c for c in list(connections.values()) if isinstance(c, HTTPChannel)]


def serve_until_stopped(server, grace: float = 10.0) -> None:
    """Serve until SIGTERM or SIGINT (how systemd, containers and Ctrl+C stop a service),
    then stop accepting connections, let the requests in flight finish and their answers
    be sent for up to `grace` seconds, and return (issue 17).

    Waitress's own run() stops its loop at once on Ctrl+C: answers still in its buffers are
    never sent, and SIGTERM kills the process outright.
    """
    stopping = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stopping.set())
                for number in (signal.SIGTERM, signal.SIGINT)}
    connections = server.map if isinstance(server, MultiSocketServer) else server._map
    adj = server.adj
    deadline = None
    try:
        # One turn of the loop at a time: the signal only sets the flag, so no handler is
        # ever interrupted halfway through; a turn waits at most asyncore_loop_timeout.
        while not stopping.is_set():
            wasyncore.loop(timeout=adj.asyncore_loop_timeout, map=connections,
                           use_poll=adj.asyncore_use_poll, count=1)
        for listener in _listeners(server):
            listener.accepting = False
            wasyncore.dispatcher.close(listener)  # the socket; its trigger stays for the threads
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            busy = False
            for channel in _channels(server):
                if channel.requests or channel.request is not None or channel.total_outbufs_len:
                    busy = True
                elif not channel.will_close:
                    channel.will_close = True  # an idle keep-alive connection: closed now
            if not busy and not _channels(server):
                break
            wasyncore.loop(timeout=0.05, map=connections, use_poll=adj.asyncore_use_poll, count=1)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        # The request threads finish what they run (an add waiting for its analysis too).
        left = 0.0 if deadline is None else max(0.0, deadline - time.monotonic())
        server.task_dispatcher.shutdown(timeout=left)
        wasyncore.close_all(connections)
