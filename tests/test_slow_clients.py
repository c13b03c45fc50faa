"""Slow clients cannot make the server unreachable (issue 18, finding 3): waitress's limits
are set deliberately, and a request must finish its headers in time. Against a real server
in its own process (tests/live.py)."""
import http.client
import socket
import time

import pytest

from webapp import create_app
from webapp.web.security import ConfigError

SLOW_CLIENTS = 150      # the attack that made the server unreachable used 110
HELD_SECONDS = 20
PROBE_SECONDS = 2       # the bound for a normal GET meanwhile


def port_of(server) -> int:
    return int(server.url.rsplit(":", 1)[1])


def slow_client(port: int) -> socket.socket:
    """A connection that has begun a request and sends the rest of its headers slowly."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return sock


def trickle(sock: socket.socket, n: int) -> bool:
    """One more header line; False when the server has closed the connection."""
    try:
        sock.sendall(b"X-Slow-%d: 1\r\n" % n)
    except OSError:
        return False
    return True


def probe(port: int) -> int:
    """A normal GET of the library; its status, within PROBE_SECONDS or a failure."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=PROBE_SECONDS)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        response.read()
    except (TimeoutError, OSError) as exc:
        pytest.fail(f"a normal GET got no answer while slow clients held the server: {exc!r}")
    finally:
        connection.close()
    assert time.monotonic() - started < PROBE_SECONDS
    return response.status


def test_a_normal_get_answers_while_150_slow_clients_hold_connections(own_server):
    """Issue 18: 110 clients sending headers slowly made the server unreachable (waitress's
    default limit of 100 connections, and no deadline for headers). With 150 held for 20 s,
    each reopened as soon as the server drops it, a normal GET still answers."""
    server = own_server()
    port = port_of(server)
    clients = [slow_client(port) for _ in range(SLOW_CLIENTS)]
    dropped, probes, line = 0, [], 0
    try:
        end = time.monotonic() + HELD_SECONDS
        while time.monotonic() < end:
            line += 1
            for i, sock in enumerate(clients):
                if not trickle(sock, line):
                    sock.close()
                    dropped += 1
                    clients[i] = slow_client(port)  # an attacker opens another at once
            probes.append(probe(port))
            time.sleep(1)
    finally:
        for sock in clients:
            sock.close()
    assert probes and all(status == 200 for status in probes), probes
    # The header deadline (10 s by default) dropped the slow clients, not only the limit.
    assert dropped >= SLOW_CLIENTS, server.log(tail=20)


def test_headers_that_take_too_long_close_the_connection(own_server):
    """A client that keeps sending header lines but never ends them is dropped after
    DRAMATIS_HEADER_TIMEOUT seconds, though it was never idle (waitress's own timeout only
    drops connections that send nothing)."""
    server = own_server(env={"DRAMATIS_HEADER_TIMEOUT": "1", "DRAMATIS_IDLE_TIMEOUT": "60"})
    sock = slow_client(port_of(server))
    closed = False
    for line in range(100):  # 10 s of a line every 0.1 s, ten times the deadline
        time.sleep(0.1)
        if not trickle(sock, line):
            closed = True
            break
    sock.close()
    assert closed
    assert probe(port_of(server)) == 200


def test_a_connection_left_idle_is_closed(own_server):
    """DRAMATIS_IDLE_TIMEOUT: a connection that sends nothing is closed (waitress's
    channel_timeout), while one that sent its request in time is answered."""
    server = own_server(env={"DRAMATIS_IDLE_TIMEOUT": "1"})
    with socket.create_connection(("127.0.0.1", port_of(server)), timeout=15) as sock:
        assert sock.recv(1) == b""  # closed by the server, well before the socket's timeout


@pytest.mark.parametrize("name, value", [("DRAMATIS_CONNECTION_LIMIT", "0"),
                                         ("DRAMATIS_HEADER_TIMEOUT", "soon"),
                                         ("DRAMATIS_IDLE_TIMEOUT", "-1")])
def test_a_bad_server_limit_is_refused_naming_it(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=name):
        create_app({"DATABASE": str(tmp_path / "dramatis.sqlite")})
