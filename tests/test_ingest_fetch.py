"""Safe fetching by address: against a local HTTP server, with each refusal checked.

Nothing here goes to the internet: the server listens on 127.0.0.1, host names are answered
by a fake resolver, and "public" addresses are only ever given to the decision function.
"""
import gzip
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from webapp.ingest import (
    AllowList,
    FetchRefused,
    article_from_address,
    fetch,
    is_address,
    refusal,
)

PAGES = Path(__file__).parent / "fixtures" / "pages"
LOCAL = AllowList.parse("127.0.0.1")
BIG = 6 * 1024 * 1024
ENDLESS = 64 * 1024 * 1024     # what /big would send if nobody stopped reading


class PagesHandler(BaseHTTPRequestHandler):
    """Fixture pages under /pages/, and routes that misbehave in the ways fetch() must refuse."""

    def log_message(self, *args):      # keep the test output clean
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        if not any(name == "Content-Length" for name, _ in headers):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:     # the client gave up first, as fetch() does on purpose
            pass

    def redirect(self, location, status=302):
        self.send(status, headers=[("Location", location)], content_type=None)

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.server.requests.append((url.path, self.headers.get("Host")))
        parts = url.path.strip("/").split("/")
        if parts[0] == "pages" and len(parts) == 2 and (PAGES / parts[1]).is_file():
            kind = "text/plain; charset=utf-8" if parts[1].endswith(".txt") else "text/html; charset=utf-8"
            self.send(200, (PAGES / parts[1]).read_bytes(), kind)
        elif parts[0] == "redirect":
            self.redirect(query["to"][0], int(query.get("status", ["302"])[0]))
        elif parts[0] == "chain":      # /chain/N: N redirects, then the harbour page
            n = int(parts[1])
            self.redirect(f"/chain/{n - 1}" if n > 1 else "/pages/harbour-vote.html")
        elif parts[0] == "loop":
            self.redirect("/loop" if url.query else "/loop?again=1")
        elif parts[0] == "big":        # no Content-Length: the limit must hold while streaming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(ENDLESS // 65536):
                    self.wfile.write(b"<p>" + b"x" * 65530 + b"</p>")
                    self.server.sent += 65537
            except OSError:
                pass
            self.close_connection = True
        elif parts[0] == "big-declared":
            self.send(200, b"<p>short</p>", headers=[("Content-Length", str(BIG))])
            self.close_connection = True
        elif parts[0] == "gzip-bomb":  # small on the wire, 6 MB once decompressed
            body = gzip.compress(b" " * BIG)
            self.send(200, body, headers=[("Content-Encoding", "gzip")])
        elif parts[0] == "slow":       # silent before answering
            time.sleep(1.5)
            self.send(200, b"<p>late</p>")
        elif parts[0] == "drip":       # answers, then a byte at a time, never silent for long
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(60):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
            self.close_connection = True
        elif parts[0] == "image":
            self.send(200, b"\x89PNG\r\n\x1a\n", "image/png")
        elif parts[0] == "untyped":
            self.send(200, b"<p>What am I?</p>", content_type=None)
        elif parts[0] == "host":
            self.send(200, f"<p>Host: {self.headers.get('Host')}</p>".encode())
        else:
            self.send(404, b"<p>Not here</p>")


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PagesHandler)
    httpd.daemon_threads = True
    httpd.requests, httpd.sent = [], 0
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    server.requests.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture
def fake_dns(monkeypatch):
    """Answers for invented host names; every other name or literal goes to the real resolver
    (which, for the addresses these tests use, never leaves the machine). Counts the lookups."""
    answers, lookups = {}, []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            lookups.append(host)
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "",
                     (a, port) if ":" not in a else (a, port, 0, 0)) for a in answers[host]]
        if any(c.isalpha() for c in str(host)) and ":" not in str(host):
            raise socket.gaierror(socket.EAI_NONAME, "not in the fake resolver")
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers, lookups


# --- Fetching what is allowed -------------------------------------------------------

def test_an_allowed_local_page_is_fetched(base):
    fetched = fetch(f"{base}/pages/harbour-vote.html", LOCAL)
    assert fetched.body == (PAGES / "harbour-vote.html").read_bytes()
    assert (fetched.content_type, fetched.charset) == ("text/html", "utf-8")
    assert fetched.url == fetched.requested_url == f"{base}/pages/harbour-vote.html"


def test_an_article_by_address_is_extracted_with_its_source(base):
    article = article_from_address(f"{base}/pages/summit-talks.html", LOCAL)
    assert article.title == "Ministers agree on a grain corridor at the Oslo summit"
    assert article.source_url == f"{base}/pages/summit-talks.html"
    assert article.canonical_url == "https://northernwire.example/world/summit-grain-corridor"
    assert "(AP Photo/Lars Berg)" in article.text


def test_plain_text_by_address_is_kept_as_text(base, tmp_path):
    article = article_from_address(f"{base}/pages/harbour-notes.txt", LOCAL)
    assert article.text == (PAGES / "harbour-notes.txt").read_text(encoding="utf-8")
    assert article.title == "Harbour notes from the council meeting"


def test_the_allow_list_comes_from_the_config_never_the_environment(base, monkeypatch):
    """Guards settings read once (issue 17): the fetcher allows what its caller gives it
    (the config's DRAMATIS_FETCH_ALLOW, read at start), never the environment of the moment."""
    from webapp.config import Config

    monkeypatch.setenv("DRAMATIS_FETCH_ALLOW", "intranet.example, 127.0.0.0/8")
    allow = Config.from_environ().fetch_allow
    assert fetch(f"{base}/pages/harbour-vote.html", allow).content_type == "text/html"
    with pytest.raises(FetchRefused, match="loopback"):
        fetch(f"{base}/pages/harbour-vote.html")


def test_up_to_five_redirects_are_followed(base):
    fetched = fetch(f"{base}/chain/5", LOCAL)
    assert fetched.url == f"{base}/pages/harbour-vote.html"
    assert fetched.redirects == tuple(f"{base}/chain/{n}" for n in (5, 4, 3, 2, 1))


def test_the_connection_goes_to_the_checked_address_with_the_name_as_host(server, fake_dns):
    """Guards against DNS rebinding: the name is resolved once per hop, by us, and the socket
    goes to the address that was checked; the server still sees the name in Host."""
    answers, lookups = fake_dns
    answers["intranet.example"] = ["127.0.0.1"]
    port = server.server_address[1]
    fetched = fetch(f"http://intranet.example:{port}/host", AllowList.parse("intranet.example"))
    assert fetched.body == f"<p>Host: intranet.example:{port}</p>".encode()
    assert lookups == ["intranet.example"]


# --- Refusals -----------------------------------------------------------------------

def test_loopback_is_refused_without_the_allow_list(base, server):
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.1 is a loopback address .*DRAMATIS_FETCH_ALLOW"):
        fetch(f"{base}/pages/harbour-vote.html", AllowList())
    assert server.requests == []


def test_a_redirect_to_a_loopback_address_is_refused_even_from_an_allowed_host(base, server):
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.2 is a loopback address"):
        fetch(f"{base}/redirect?to=http://127.0.0.2:{server.server_address[1]}/", LOCAL)
    assert [path for path, _ in server.requests] == ["/redirect"]


@pytest.mark.parametrize("target, reason", [
    ("http://169.254.169.254/latest/meta-data/", "cloud metadata service"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata service"),
    ("http://10.0.0.7/admin", "private network address"),
    ("http://[::ffff:127.0.0.2]/", "loopback"),   # 127.0.0.2 written as IPv6
    ("http://0.0.0.0/", "unspecified address"),
    ("file:///etc/passwd", "only http and https"),
    ("gopher://127.0.0.1:25/", "only http and https"),
])
def test_redirects_are_checked_like_the_first_address(base, server, target, reason):
    with pytest.raises(FetchRefused, match=reason):
        fetch(f"{base}/redirect?to={target}&status=307", LOCAL)
    assert len(server.requests) == 1     # refused before any connection to the target


def test_a_name_with_any_private_address_is_refused(fake_dns, server):
    """All addresses a name resolves to are checked, not only the one that would be used."""
    answers, _ = fake_dns
    answers["mixed.example"] = ["93.184.216.34", "127.0.0.1"]
    with pytest.raises(FetchRefused, match=r"mixed\.example \(127\.0\.0\.1\) is a loopback"):
        fetch("http://mixed.example/", AllowList())


def test_an_allowed_name_cannot_reach_the_metadata_service(fake_dns):
    answers, _ = fake_dns
    answers["intranet.example"] = ["169.254.169.254"]
    with pytest.raises(FetchRefused, match="cloud metadata service"):
        fetch("http://intranet.example/", AllowList.parse("intranet.example,169.254.0.0/16"))


def test_an_unknown_host_is_refused_with_a_reason(fake_dns):
    with pytest.raises(FetchRefused, match=r"nowhere\.example was not found"):
        fetch("http://nowhere.example/", AllowList())


def test_more_than_five_redirects_are_refused(base, server):
    with pytest.raises(FetchRefused, match="more than 5 times"):
        fetch(f"{base}/chain/6", LOCAL)
    assert len(server.requests) == 6


def test_a_redirect_loop_is_refused(base):
    with pytest.raises(FetchRefused, match="in a loop"):
        fetch(f"{base}/loop", LOCAL)


def test_a_page_over_the_byte_limit_is_refused_while_streaming(base, server):
    server.sent = 0
    with pytest.raises(FetchRefused, match="larger than the 1,024 KB limit"):
        fetch(f"{base}/big", LOCAL, max_bytes=1024 * 1024)
    # The reader stopped soon after the limit: the server could not send its 64 MB.
    time.sleep(0.2)
    assert server.sent < ENDLESS / 4


def test_a_declared_length_over_the_limit_is_refused_before_reading(base):
    with pytest.raises(FetchRefused, match="larger than"):
        fetch(f"{base}/big-declared", LOCAL)


def test_the_byte_limit_counts_decompressed_bytes(base):
    with pytest.raises(FetchRefused, match="larger than the 5,120 KB limit"):
        fetch(f"{base}/gzip-bomb", LOCAL)


def test_a_server_that_stays_silent_is_refused(base):
    with pytest.raises(FetchRefused, match="did not answer in time"):
        fetch(f"{base}/slow", LOCAL, read_timeout=0.3)


def test_a_server_that_trickles_is_stopped_by_the_total_timeout(base):
    with pytest.raises(FetchRefused, match="took too long"):
        fetch(f"{base}/drip", LOCAL, read_timeout=1, total_timeout=0.5)


@pytest.mark.parametrize("path, reason", [
    ("/image", "image/png, not a web page or plain text"),
    ("/untyped", "of no stated type"),
    ("/missing", "answered 404 Not Found"),
])
def test_answers_that_are_not_pages_are_refused(base, path, reason):
    with pytest.raises(FetchRefused, match=reason):
        fetch(base + path, LOCAL)


@pytest.mark.parametrize("url, reason", [
    ("ftp://example.org/page", "only http and https"),
    ("javascript:alert(1)", "only http and https"),
    ("http://user:secret@127.0.0.1/", "user name or password"),
    ("http:///nohost", "no host name"),
    ("http://exa mple.org/", "not a web address|not found"),
])
def test_addresses_that_are_not_web_addresses_are_refused(url, reason):
    with pytest.raises(FetchRefused, match=reason):
        fetch(url, AllowList())


# --- The decision, on literal addresses (never connected to) -------------------------

@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111",
                                     "::ffff:93.184.216.34"])
def test_public_addresses_may_be_fetched(address):
    assert refusal("news.example", address) is None


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.5.4", "private"), ("192.168.0.10", "private"),
    ("fc00::1", "private"), ("169.254.10.20", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("240.0.0.1", "reserved"),
    ("100.64.0.1", "not on the public internet"), ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"),
    ("::ffff:10.0.0.1", "private"), ("2002:a00:1::", "private"), ("64:ff9b::7f00:1", "loopback"),
])
def test_non_public_addresses_are_refused(address, kind):
    assert kind in refusal("news.example", address)


def test_the_allow_list_allows_named_hosts_and_networks_only():
    allow = AllowList.parse("intranet.example, .corp.example, 10.0.0.0/8, 127.0.0.1")
    assert refusal("intranet.example", "192.168.4.4", allow) is None
    assert refusal("wiki.corp.example", "172.16.0.9", allow) is None
    assert refusal("elsewhere.example", "10.9.9.9", allow) is None
    assert refusal("elsewhere.example", "127.0.0.1", allow) is None
    assert "loopback" in refusal("elsewhere.example", "127.0.0.2", allow)
    assert "private" in refusal("notcorp.example", "192.168.4.4", allow)
    assert "metadata" in refusal("intranet.example", "169.254.169.254",
                                 AllowList.parse("intranet.example,169.254.0.0/16"))


@pytest.mark.parametrize("value", ["intranet.example,not a host", "10.0.0.0/33", "-bad.example"])
def test_a_bad_allow_list_entry_is_an_error_that_names_it(value):
    with pytest.raises(ValueError, match="DRAMATIS_FETCH_ALLOW"):
        AllowList.parse(value)


def test_addresses_are_told_from_paths():
    assert is_address("https://news.example/a") and is_address(" HTTP://news.example")
    assert not is_address("articles/harbour.html") and not is_address("http-notes.txt")


# --- https: the socket goes to the checked address, the certificate must name the host ---

@pytest.fixture
def tls_server(monkeypatch, tmp_path):
    """An https server on 127.0.0.1 with a certificate for secure.example from a test CA
    that the process trusts (SSL_CERT_FILE) for the length of the test."""
    import ssl

    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    authority.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "ca.pem"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("secure.example").configure_cert(context)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PagesHandler)
    httpd.daemon_threads = True
    httpd.requests, httpd.sent = [], 0
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_https_connects_to_the_checked_address_and_verifies_the_host_name(tls_server, fake_dns):
    answers, lookups = fake_dns
    answers["secure.example"] = ["127.0.0.1"]
    port = tls_server.server_address[1]
    fetched = fetch(f"https://secure.example:{port}/host", AllowList.parse("secure.example"))
    assert fetched.body == f"<p>Host: secure.example:{port}</p>".encode()
    assert lookups == ["secure.example"]


def test_https_with_a_certificate_for_another_name_is_refused(tls_server, fake_dns):
    answers, _ = fake_dns
    answers["other.example"] = ["127.0.0.1"]
    port = tls_server.server_address[1]
    with pytest.raises(FetchRefused, match="no valid certificate"):
        fetch(f"https://other.example:{port}/host", AllowList.parse("other.example"))


def test_ipv6_addresses_are_checked_and_connected_to_as_well():
    class Server6(ThreadingHTTPServer):
        address_family = socket.AF_INET6

    try:
        httpd = Server6(("::1", 0), PagesHandler)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    httpd.daemon_threads, httpd.requests, httpd.sent = True, [], 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://[::1]:{httpd.server_address[1]}/host"
        assert fetch(url, AllowList.parse("::1")).body == \
            f"<p>Host: [::1]:{httpd.server_address[1]}</p>".encode()
        with pytest.raises(FetchRefused, match=r"::1 is a loopback address"):
            fetch(url, LOCAL)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_name_lookup_that_hangs_is_given_up(monkeypatch):
    """getaddrinfo has no timeout of its own; a resolver that never answers must not hold
    the request (or a worker) past the connect timeout."""
    answered = threading.Event()

    def hanging_lookup(*args, **kwargs):
        answered.wait(5)
        raise socket.gaierror(socket.EAI_AGAIN, "gave up")

    monkeypatch.setattr(socket, "getaddrinfo", hanging_lookup)
    try:
        with pytest.raises(FetchRefused, match=r"looking up slow\.example took too long"):
            fetch("http://slow.example/", AllowList(), connect_timeout=0.2)
    finally:
        answered.set()


def test_port_zero_is_refused_not_taken_for_the_default(fake_dns):
    """Guards the review of issue 9: "http://host:0/" was fetched from port 80."""
    with pytest.raises(FetchRefused, match="port 0"):
        fetch("http://news.example:0/", AllowList())


# --- Allow-list entries with a port (issue 18, finding 5) ------------------------------

@pytest.fixture(scope="module")
def other_server():
    """A second local server: the same host as `server`, another port."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), PagesHandler)
    httpd.daemon_threads = True
    httpd.requests, httpd.sent = [], 0
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("entry", ["127.0.0.1:{port}", "http://127.0.0.1:{port}",
                                   "HTTP://127.0.0.1:{port}/"])
def test_an_allow_entry_with_a_port_allows_that_port_only(base, server, other_server, entry):
    """Issue 18: `127.0.0.1:18201` was refused as a setting; a port in an entry now limits it
    to that port, for the address given and for every redirect."""
    port, other = server.server_address[1], other_server.server_address[1]
    allow = AllowList.parse(entry.format(port=port))
    assert fetch(f"{base}/pages/harbour-vote.html", allow).body.startswith(b"<")
    with pytest.raises(FetchRefused, match=rf"127\.0\.0\.1 is a loopback address.* on port {other}"):
        fetch(f"http://127.0.0.1:{other}/pages/harbour-vote.html", allow)
    server.requests.clear()
    with pytest.raises(FetchRefused, match=rf"127\.0\.0\.1 is a loopback address.* on port {other}"):
        fetch(f"{base}/redirect?to=http://127.0.0.1:{other}/pages/harbour-vote.html", allow)
    assert [path for path, _ in server.requests] == ["/redirect"] and other_server.requests == []


def test_an_allow_entry_without_a_port_allows_every_port(base, other_server):
    other = other_server.server_address[1]
    fetched = fetch(f"{base}/redirect?to=http://127.0.0.1:{other}/pages/harbour-vote.html", LOCAL)
    assert fetched.url == f"http://127.0.0.1:{other}/pages/harbour-vote.html"


def test_an_allow_entry_with_a_scheme_allows_that_scheme_only(base, server):
    port = server.server_address[1]
    with pytest.raises(FetchRefused, match="loopback address"):
        fetch(f"{base}/pages/harbour-vote.html", AllowList.parse(f"https://127.0.0.1:{port}"))


def test_allow_entries_with_ports_and_schemes_are_told_apart():
    allow = AllowList.parse("intranet.example:8443, https://wiki.corp.example, [::1]:8080, "
                            "10.0.0.0/8, fe80::1")
    assert refusal("intranet.example", "192.168.4.4", allow, port=8443, scheme="http") is None
    assert refusal("intranet.example", "192.168.4.4", allow, port=443, scheme="https")
    assert refusal("wiki.corp.example", "172.16.0.9", allow, port=443, scheme="https") is None
    assert refusal("wiki.corp.example", "172.16.0.9", allow, port=80, scheme="http")
    assert refusal("::1", "::1", allow, port=8080, scheme="http") is None
    assert refusal("::1", "::1", allow, port=8081, scheme="http")
    assert refusal("elsewhere.example", "10.1.2.3", allow, port=8081, scheme="http") is None
    assert refusal("fe80::1", "fe80::1", allow, port=80, scheme="http") is None


@pytest.mark.parametrize("value", ["127.0.0.1:0", "127.0.0.1:65536", "intranet.example:http",
                                   "ftp://intranet.example", "http://intranet.example/path",
                                   "http://user@intranet.example", "http://", "[::1]:"])
def test_a_bad_allow_entry_with_a_port_or_scheme_names_it(value):
    with pytest.raises(ValueError, match="DRAMATIS_FETCH_ALLOW"):
        AllowList.parse(value)
