"""Fetching a web page for a reader, safely: only public addresses (or allowed ones), bounded.

The server makes these requests on a user's behalf, so an address must not reach this machine,
the newsroom's private network or a cloud metadata service (server-side request forgery).
Every hop (the address given and each redirect) is resolved once, every resolved address is
checked, and the connection goes to the checked address, with the name sent as Host and as
TLS server name: a second DNS answer (DNS rebinding) is never asked for.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin

import urllib3
from urllib3.exceptions import HTTPError, LocationParseError
from urllib3.util import parse_url

from ..analysis.article import MAX_PAGE_BYTES
from .errors import FetchRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

MAX_BYTES = MAX_PAGE_BYTES
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 5.0       # seconds to open a connection
READ_TIMEOUT = 10.0         # seconds of silence while waiting for the answer
TOTAL_TIMEOUT = 20.0        # seconds for the whole answer, redirects included
CONTENT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
REDIRECTS = (301, 302, 303, 307, 308)
USER_AGENT = "Dramatis/0.1 (news article reader)"
ALLOW_VARIABLE = "DRAMATIS_FETCH_ALLOW"

# Cloud instance metadata services: never fetched, whatever the allow-list says.
METADATA = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254", "169.254.170.2", "fd00:ec2::254", "fd00:ec2::23", "100.100.100.200"))
HOST_NAME = re.compile(r"^\.?(?!-)[a-z0-9-]{1,63}(?<!-)(?:\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


DEFAULT_PORTS = {"http": 80, "https": 443}
# An entry's optional scheme and port around its host, address or network:
# "10.0.0.0/8", "intranet.example:8080", "https://[fd00::7]:8443/".
_ENTRY = re.compile(r"(?:(?P<scheme>[a-z][a-z0-9+.-]*)://)?(?P<target>\[[^\]/]*\](?:/\d+)?|[^/:\[\]]+)"
                    r"(?::(?P<port>[^/]*))?/?")


@dataclass(frozen=True)
class AllowEntry:
    """One entry of the allow-list: a host name (".corp.example": its subdomains too) or a
    network, and, when the entry gave them, the one port and scheme it allows."""
    host: str | None = None
    network: Network | None = None
    port: int | None = None
    scheme: str | None = None

    def allows(self, host: str, address: IPAddress | None, port: int | None,
               scheme: str | None) -> bool:
        if self.scheme is not None and scheme != self.scheme:
            return False
        if self.port is not None and port != self.port:
            return False
        if self.network is not None:
            return (address is not None and address.version == self.network.version
                    and address in self.network)
        return host == self.host or (self.host.startswith(".") and (
            host.endswith(self.host) or host == self.host[1:]))


def _allow_entry(entry: str) -> AllowEntry:
    """One DRAMATIS_FETCH_ALLOW entry; ValueError naming it when it cannot be read."""
    def bad(why: str) -> ValueError:
        return ValueError(f"{ALLOW_VARIABLE}: {entry!r} {why}")

    try:  # a bare IPv6 address or network ("fe80::1") has colons but no port
        return AllowEntry(network=ipaddress.ip_network(entry.strip("[]"), strict=False))
    except ValueError:
        pass
    match = _ENTRY.fullmatch(entry)
    if not match:
        raise bad("is neither a host name nor an address or network (with perhaps "
                  "a port, host:8080, or a scheme, https://host:8443)")
    scheme, target, port = match["scheme"], match["target"], match["port"]
    if scheme is not None and scheme not in DEFAULT_PORTS:
        raise bad("names a scheme other than http or https")
    if port is not None:
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise bad("names a port that is not a number from 1 to 65535")
        port = int(port)
    elif scheme is not None:
        port = DEFAULT_PORTS[scheme]  # "https://wiki.example" is that origin: port 443
    try:
        return AllowEntry(network=ipaddress.ip_network(target.strip("[]"), strict=False),
                          port=port, scheme=scheme)
    except ValueError:
        pass
    target = target.rstrip(".")
    if target.startswith("[") or not HOST_NAME.match(target):
        raise bad("is neither a host name nor an address or network")
    return AllowEntry(host=target, port=port, scheme=scheme)


@dataclass(frozen=True)
class AllowList:
    """Hosts and networks that may be fetched although private (`DRAMATIS_FETCH_ALLOW`).

    A host entry allows that name whatever it resolves to (except a metadata address);
    ".intranet.example" allows its subdomains too. A network or address entry allows the
    addresses in it, whatever name led there. An entry with a port ("127.0.0.1:8201") allows
    that port only, and one with a scheme ("https://wiki.example", port 443 when none is
    given) that scheme only. Redirects are checked hop by hop against the same entries, so an
    allowed host may redirect only to allowed or public addresses.
    """
    entries: tuple[AllowEntry, ...] = ()

    @classmethod
    def parse(cls, value: str | None) -> "AllowList":
        """From "intranet.example,10.0.0.0/8,127.0.0.1:8201"; ValueError on a bad entry."""
        entries = (entry.strip().lower() for entry in (value or "").split(","))
        return cls(tuple(_allow_entry(entry) for entry in entries if entry))

    def allows(self, host: str, addresses: tuple[IPAddress, ...], port: int | None = None,
               scheme: str | None = None) -> bool:
        """Whether an entry allows `host` or one of `addresses` (the address and the IPv4
        address inside it), at `port` over `scheme`; None for either matches only entries
        that do not name one."""
        host = host.lower().rstrip(".")
        return any(entry.allows(host, address, port, scheme)
                   for entry in self.entries for address in (None, *addresses))


@dataclass(frozen=True)
class Fetched:
    """A page as the server answered it, after any redirects."""
    url: str                    # the final address, after redirects
    requested_url: str
    content_type: str           # "text/html", "application/xhtml+xml" or "text/plain"
    charset: str | None         # as the Content-Type header declared it
    body: bytes
    redirects: tuple[str, ...] = field(default=())     # the addresses that redirected, in order


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv6 one that carries it (mapped, 6to4, NAT64), else itself."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address.sixtofour:
            return address.sixtofour
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is, in a reader's words; None if it is public."""
    if address in METADATA:
        return "a cloud metadata service"
    if address.is_unspecified:
        return "an unspecified address (this machine)"
    if address.is_loopback:
        return "a loopback address (this machine)"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address, not on the public internet"
    if address.is_private:
        return "a private network address"
    if not address.is_global:
        return "a reserved address, not on the public internet"
    return None


def refusal(host: str, address: IPAddress | str, allow: AllowList = AllowList(),
            port: int | None = None, scheme: str | None = None) -> str | None:
    """Why `host` at `address` (on `port`, over `scheme`) may not be fetched, or None when it may.

    Public addresses may be fetched; others only when the allow-list names the host or a
    network holding the address (and the port and scheme, where the entry names them).
    Metadata services and 0.0.0.0 are refused even then.
    """
    address = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        address = ipaddress.IPv6Address(str(address).split("%")[0])
    inner = _embedded_ipv4(address)     # what an IPv6 address that carries IPv4 reaches
    kind = _kind(inner)
    if kind is None:
        return None
    always = inner in METADATA or address in METADATA or inner.is_unspecified
    if not always and allow.allows(host, (address, inner), port, scheme):
        return None
    where = host if host == str(address) else f"{host} ({address})"
    on_port = f" on port {port}" if port is not None and port != DEFAULT_PORTS.get(scheme) else ""
    hint = "" if always else f"; a newsroom can allow it with {ALLOW_VARIABLE}"
    return f"{where} is {kind}, which cannot be fetched{on_port}{hint}"


def _lookup(host: str, port: int, timeout: float) -> list:
    """getaddrinfo, given up after `timeout` seconds (it has no timeout of its own)."""
    outcome: list = []

    def ask():
        try:
            outcome.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except (OSError, UnicodeError) as exc:
            outcome.append(exc)

    thread = threading.Thread(target=ask, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        raise FetchRefused(f"looking up {host} took too long")
    if isinstance(outcome[0], BaseException):
        raise FetchRefused(f"{host} was not found (no such host name)")
    return outcome[0]


def _resolve(host: str, port: int, timeout: float) -> list[IPAddress]:
    answers = _lookup(host, port, timeout)
    found = []
    for *_, sockaddr in answers:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in found:
            found.append(address)
    if not found:
        raise FetchRefused(f"{host} was not found (no address)")
    return found


def _checked(url: str, allow: AllowList, timeout: float) -> tuple[str, str, int, IPAddress, str]:
    """scheme, host, port, the checked address to connect to, and path; or FetchRefused."""
    try:
        parts = parse_url(url.strip())
    except (LocationParseError, ValueError):
        raise FetchRefused(f"{url!r} is not a web address") from None
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https addresses can be added, not {url!r}")
    if parts.auth:
        raise FetchRefused("addresses with a user name or password cannot be added")
    if not parts.host:
        raise FetchRefused(f"{url!r} has no host name")
    host = parts.host.strip("[]").lower()
    if parts.port == 0:
        raise FetchRefused(f"{url!r} names port 0, which no web server listens on")
    port = parts.port if parts.port is not None else (443 if scheme == "https" else 80)
    addresses = _resolve(host, port, timeout)
    for address in addresses:        # all of them: a resolver may hand out any one later
        reason = refusal(host, address, allow, port, scheme)
        if reason:
            raise FetchRefused(reason)
    return scheme, host, port, addresses[0], parts.request_uri


def _host_header(host: str, port: int, scheme: str) -> str:
    name = f"[{host}]" if ":" in host else host
    return name if port == (443 if scheme == "https" else 80) else f"{name}:{port}"


def _pool(scheme: str, host: str, address: IPAddress, port: int, timeout: urllib3.Timeout):
    if scheme == "https":
        # The socket goes to the checked address; the certificate must still name the host.
        return urllib3.HTTPSConnectionPool(
            str(address), port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED")
    return urllib3.HTTPConnectionPool(str(address), port, timeout=timeout, retries=False, maxsize=1)


def _media_type(header: str | None) -> tuple[str, str | None]:
    media, _, params = (header or "").partition(";")
    charset = re.search(r"charset\s*=\s*[\"']?([\w.:-]+)", params, re.I)
    return media.strip().lower(), charset.group(1) if charset else None


def _read_body(response, limit: int, deadline: float, url: str) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchRefused(f"the page at {url} is larger than the {limit // 1024:,} KB limit")
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            raise FetchRefused(f"{url} took too long to answer")
        chunk = response.read1(64 * 1024)    # counts bytes after decompression
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise FetchRefused(f"the page at {url} is larger than the {limit // 1024:,} KB limit")
        chunks.append(chunk)


def fetch(url: str, allow: AllowList | None = None, *, max_bytes: int = MAX_BYTES,
          max_redirects: int = MAX_REDIRECTS, connect_timeout: float = CONNECT_TIMEOUT,
          read_timeout: float = READ_TIMEOUT, total_timeout: float = TOTAL_TIMEOUT) -> Fetched:
    """GET a web page or plain text for a reader; FetchRefused (with the reason) otherwise.

    `allow`: the private hosts and networks that may be fetched (the config's
    DRAMATIS_FETCH_ALLOW; none when not given). Redirects are followed by hand, each checked
    like the first address; only text/html, application/xhtml+xml and text/plain are taken.
    """
    allow = AllowList() if allow is None else allow
    deadline = time.monotonic() + total_timeout
    current, seen, redirects = url.strip(), {url.strip()}, []
    while True:
        scheme, host, port, address, path = _checked(
            current, allow, max(0.0, min(connect_timeout, deadline - time.monotonic())))
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused(f"{current} took too long to answer")
        timeout = urllib3.Timeout(connect=min(connect_timeout, remaining),
                                  read=min(read_timeout, remaining))
        headers = {"Host": _host_header(host, port, scheme), "User-Agent": USER_AGENT,
                   "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
                   "Accept-Encoding": "gzip, deflate"}
        with _pool(scheme, host, address, port, timeout) as pool:
            try:
                response = pool.urlopen("GET", path, headers=headers, redirect=False,
                                        retries=False, preload_content=False,
                                        assert_same_host=False)
            except urllib3.exceptions.TimeoutError:
                raise FetchRefused(f"{host} did not answer in time") from None
            except urllib3.exceptions.SSLError:
                raise FetchRefused(f"{host} has no valid certificate for https") from None
            except HTTPError:
                raise FetchRefused(f"{host} could not be reached") from None
            try:
                if response.status in REDIRECTS and response.headers.get("Location"):
                    target = urljoin(current, response.headers["Location"])
                    if target in seen:
                        raise FetchRefused(f"{url} redirects in a loop")
                    if len(redirects) == max_redirects:
                        raise FetchRefused(f"{url} redirects more than {max_redirects} times")
                    redirects.append(current)
                    seen.add(target)
                    current = target
                    continue
                if response.status >= 400:
                    raise FetchRefused(f"{current} answered {response.status} "
                                       f"{response.reason or ''}".rstrip())
                media, charset = _media_type(response.headers.get("Content-Type"))
                if media not in CONTENT_TYPES:
                    raise FetchRefused(f"{current} is {media or 'of no stated type'}, "
                                       "not a web page or plain text")
                body = _read_body(response, max_bytes, deadline, current)
            except urllib3.exceptions.TimeoutError:
                raise FetchRefused(f"{host} took too long to answer") from None
            except (HTTPError, OSError):
                raise FetchRefused(f"the answer from {host} broke off") from None
            finally:
                response.release_conn()
        return Fetched(url=current, requested_url=url, content_type=media, charset=charset,
                       body=body, redirects=tuple(redirects))
