"""HTTP framing against a real waitress server (issue 7): no request smuggling, and the
answers waitress gives itself carry our page and headers."""
import socket
import sqlite3
import threading

import pytest

from webapp import create_app
from webapp.server import BODY_MARGIN, make_server


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("protocol") / "dramatis.sqlite")})
    server = make_server(app, host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    server.app = app
    yield server
    server.close()


def exchange(server, data: bytes) -> bytes:
    """Send raw bytes on one connection and read until the server closes it.

    A server that kept the connection open would leave recv waiting: the socket's
    timeout turns that into a failure rather than a hang.
    """
    with socket.create_connection(("127.0.0.1", server.effective_port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def responses(raw: bytes) -> list[tuple[int, dict, bytes]]:
    """Split what came back into (status, headers, body) per response."""
    found = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", len(rest)))
        found.append((int(status_line.split()[1]), headers, rest[:length]))
        raw = rest[length:]
    return found


def stored_articles(server) -> int:
    with sqlite3.connect(server.app.config["DATABASE"]) as db:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]


FORM = b"text=Alice+met+Bob+in+Paris."
CHUNKED = b"%x\r\n%s\r\n0\r\n\r\n" % (len(FORM), FORM)
SMUGGLED = b"GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
POST = b"POST /articles HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"


@pytest.mark.parametrize("head", [
    POST + b"Host: 127.0.0.1\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(CHUNKED),
    POST + b"Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n",
    POST + b"host: 127.0.0.1\r\ntransfer-ENCODING: chunked\r\ncontent-length: 3\r\n",
    POST + b"Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
    POST + b"Host: 127.0.0.1\r\nTransfer-Encoding: gzip,\r\n chunked\r\n",
    POST + b"Host: 127.0.0.1\r\nX-Note: a\r\n\tb\r\nTransfer-Encoding: chunked\r\n",
    POST.replace(b"HTTP/1.1", b"HTTP/1.0") + b"Host: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n",
    POST + b"Transfer-Encoding: chunked\r\n",
    POST + b"Host: 127.0.0.1\r\nHost: evil.example\r\nTransfer-Encoding: chunked\r\n",
], ids=["CL+TE", "TE+CL", "te+cl in odd case", "TE twice", "TE folded", "other header folded", "TE in HTTP/1.0",
        "no Host", "Host twice"])
def test_an_ambiguous_request_gets_one_400_and_the_connection_closes(server, head):
    """Guards against request smuggling: the request is never processed, the request
    hidden after it never runs, and the connection is closed."""
    answers = responses(exchange(server, head + b"\r\n" + CHUNKED + SMUGGLED))
    assert len(answers) == 1
    status, headers, body = answers[0]
    assert status == 400 and headers["connection"].lower() == "close"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert b'data-status="400"' in body and b"malformed or ambiguous" in body
    assert stored_articles(server) == 0


def test_well_formed_requests_on_one_connection_are_all_answered(server):
    """The control for the test above: pipelined requests do each get an answer."""
    first = b"GET /nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    last = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    answers = responses(exchange(server, first + SMUGGLED + last))
    assert [status for status, _, _ in answers] == [404, 404, 200]


def test_http_1_0_without_host_is_refused(server):
    answers = responses(exchange(server, b"GET / HTTP/1.0\r\n\r\n"))
    assert [status for status, _, _ in answers] == [400]


def multipart_upload(size: int) -> bytes:
    boundary = b"dramatis-test-boundary"
    part = (b"--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n"
            b"Content-Type: text/plain\r\n\r\n" % boundary)
    tail = b"\r\n--%s--\r\n" % boundary
    body = part + b"a" * (size - len(part) - len(tail)) + tail
    return (b"POST /articles HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            b"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n"
            % (boundary, len(body)) + body)


def test_a_body_just_over_the_limit_gets_the_apps_own_page(server):
    """Guards issue 7: waitress's limit sits a little above the app's, so the app, not
    waitress, answers a near miss: the add form saying why, with our headers."""
    size = server.app.config["MAX_UPLOAD_LENGTH"] + BODY_MARGIN // 2
    [(status, headers, body)] = responses(exchange(server, multipart_upload(size)))
    assert status == 413 and "default-src 'none'" in headers["content-security-policy"]
    assert b"too large to be an article" in body and b'name="text"' in body  # the form
    assert stored_articles(server) == 0


@pytest.mark.parametrize("request_head,status,says", [
    (b"POST /articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50000000\r\n\r\n",
     413, b"too large to be an article"),
    # Exactly the limit, unfinished: more bytes than waitress reads would reset the connection.
    (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ".ljust(262_144, b"a"), 431, b"headers are too large"),
    (b"POST /articles HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n",
     501, b"Transfer-Encoding"),
], ids=["body too large", "headers too large", "unknown transfer encoding"])
def test_what_waitress_answers_itself_carries_our_page_and_headers(server, request_head, status, says):
    assert server.adj.max_request_header_size == 262_144
    [(got, headers, body)] = responses(exchange(server, request_head))
    assert got == status and headers["connection"].lower() == "close"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["content-type"].startswith("text/html") and says in body
    assert f'data-status="{status}"'.encode() in body
