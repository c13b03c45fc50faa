"""Serving the app with waitress: the one place its settings are chosen, and the few
things waitress answers itself made strict and given our page and headers (issue 7)."""
from __future__ import annotations

import ipaddress
import resource
import signal
import sys
import time

from waitress import create_server, wasyncore
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import BaseWSGIServer, MultiSocketServer
from waitress.task import ErrorTask
from werkzeug import exceptions

from .analysis.article import MAX_ARTICLE_CHARS
from .web.security import SECURITY_HEADERS, ConfigError

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
    """Waitress's parser, refusing a request whose framing or Host is ambiguous, and noting
    when the request's first bytes came (waitress makes one parser per request, on its
    first bytes), so that a request whose headers take too long can be dropped."""

    def __init__(self, adj):
        super().__init__(adj)
        self.started = time.time()  # waitress's clock (channel.last_activity)

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


class StalledHeaders:
    """A listener's maintenance, which also closes a connection whose request has not
    finished its headers `header_timeout` seconds after its first byte.

    Waitress has no such deadline: its channel_timeout closes only connections that send
    nothing at all, so a client that sends one header byte every few seconds holds a
    connection for ever, and about connection_limit of them make the server unreachable
    (slowloris; issue 18). Go's ReadHeaderTimeout is the model. The listener's maintenance
    runs on waitress's main thread, which is also the only thread that makes parsers.
    """

    def __init__(self, listener, header_timeout: int):
        self.listener, self.header_timeout = listener, header_timeout
        self.close_idle = listener.maintenance

    def __call__(self, now: float) -> None:
        self.close_idle(now)
        cutoff = now - self.header_timeout
        for channel in self.listener.active_channels.values():
            request = channel.request
            if request is not None and not request.headers_finished and request.started < cutoff:
                channel.will_close = True  # the main loop closes it on its next turn


# Descriptors the server needs besides its connections: listening sockets, waitress's
# trigger, the database, the analysis worker's pipes, logs.
SPARE_FILES = 64


def allow_open_files(connections: int) -> None:
    """Raise this process's limit on open files to what `connections` need, when the hard
    limit allows (a Debian default soft limit is 1024); a clear error when it does not."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = connections + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise ConfigError(f"DRAMATIS_CONNECTION_LIMIT: {connections} connections need "
                              f"{needed} open files, but this system allows {hard} (ulimit -n)")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


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
    allow_open_files(app.config["CONNECTION_LIMIT"])
    server = create_server(app, host=host, port=port, threads=threads,
                           max_request_body_size=max(app.config["MAX_CONTENT_LENGTH"],
                                                     app.config["MAX_UPLOAD_LENGTH"]) + BODY_MARGIN,
                           # Connections held open at once, and seconds an idle one is kept
                           # (README, "Configuration", says why these values); poll() rather than select(), which cannot
                           # watch a descriptor numbered above 1023.
                           connection_limit=app.config["CONNECTION_LIMIT"],
                           channel_timeout=app.config["CHANNEL_TIMEOUT"],
                           asyncore_use_poll=True,
                           # How often idle and stalled connections are looked for: each
                           # second, so that the header deadline holds to about a second
                           # (a pass over even a thousand connections costs microseconds).
                           cleanup_interval=1,
                           ident="dramatis")
    # create_server takes no channel class: set it on each listening socket's server.
    listeners = ([s for s in server.map.values() if isinstance(s, BaseWSGIServer)]
                 if isinstance(server, MultiSocketServer) else [server])
    pages = error_pages(app)
    for listener in listeners:
        listener.channel_class = CheckedChannel
        listener.error_pages = pages
        listener.maintenance = StalledHeaders(listener, app.config["HEADER_TIMEOUT"])
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
    # A plain flag, which the loop below reads: no lock. (A threading.Event deadlocked: a
    # second signal, come while the first's handler held the Event's lock, ran the handler
    # again inside it, and it waited on that lock for ever.)
    stopping: list[int] = []
    previous = {number: signal.signal(number, lambda number, _: stopping.append(number))
                for number in (signal.SIGTERM, signal.SIGINT)}
    connections = server.map if isinstance(server, MultiSocketServer) else server._map
    adj = server.adj
    deadline = None
    try:
        # One turn of the loop at a time: the signal only sets the flag, so no handler is
        # ever interrupted halfway through; a turn waits at most asyncore_loop_timeout.
        while not stopping:
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
