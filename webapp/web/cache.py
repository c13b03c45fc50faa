"""The one cache: rendered responses (and the pieces they share) bounded in bytes, replayed
compressed with ETags and 304s, and forgotten when the store's generation changes."""
from __future__ import annotations

import hashlib
import re
import struct
import threading
import zlib
from collections import OrderedDict
from urllib.parse import unquote_to_bytes

from isal import isal_zlib

from .security import SECURITY_HEADERS

# What a view leaves in the WSGI environ for the cache in front of Flask.
CACHEABLE = "dramatis.cacheable"   # this 200 response may be replayed until the next add
PAYLOAD = "dramatis.payload"       # the response body as a Payload (pieces shared, pre-deflated)
GENERATION = "dramatis.generation"  # the generation the request was served under
PARAMS = "dramatis.params"         # the only query parameters this response depends on
PRIVATE = "dramatis.private"       # this response holds one visitor's own (a CSRF token)

COMPRESSIBLE = ("text/html", "application/json", "text/css", "text/javascript",
                "application/javascript", "application/ld+json", "image/svg+xml",
                "application/atom+xml")
MIN_COMPRESS_BYTES = 512
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no mtime: same bytes each time
_FINAL_BLOCK = b"\x03\x00"  # an empty final deflate block: ends a stream of sync-flushed pieces


WINDOW = 32 * 1024  # deflate's window: how far back a piece may refer
LARGE_PIECE = 16 * 1024


def deflate(data: bytes, level: int = 6, before: bytes = b"") -> bytes:
    """`data` as a raw deflate piece that ends byte-aligned (a sync flush), so that pieces
    compressed apart can be laid end to end in one gzip stream: a page's cached body is
    compressed once and shared by every page made from it.

    `before` is what the stream holds just before this piece: the piece may refer back into
    its last 32 KB (a preset dictionary), so it compresses as well as one stream would, but
    it is then only valid right after those very bytes.
    """
    before = before[-WINDOW:]
    # A window no larger than the piece and what it may refer to: zlib sets up its tables
    # for the whole window, which for a page's few-KB head cost more than compressing it.
    wbits = max(9, min(15, (len(data) + len(before)).bit_length()))
    mem_level = 9 if wbits == 15 else 8
    if before:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -wbits, mem_level,
                                      zlib.Z_DEFAULT_STRATEGY, before)
    else:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -wbits, mem_level)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


# How far back into the piece before it a piece made per response may refer. ISA-L takes
# longer to read a dictionary than to compress with it: on the 50k article's 33 KB pieces,
# 8 KB of the piece before rather than the whole window made them 0.8% larger and compressed
# them in three quarters of the time.
NOW_WINDOW = 8 * 1024


def deflate_now(data: bytes, before: bytes = b"") -> bytes:
    """deflate() for a large piece made per response (a body piece a passage page marked),
    where time counts more than the last few bytes: ISA-L's level 2, on a 32 KB piece of a
    page five times faster than zlib's level 1, and no larger."""
    if before:
        compressor = isal_zlib.compressobj(2, isal_zlib.DEFLATED, -15, 9,
                                           isal_zlib.Z_DEFAULT_STRATEGY, before[-NOW_WINDOW:])
    else:
        compressor = isal_zlib.compressobj(2, isal_zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(isal_zlib.Z_SYNC_FLUSH)


def _compressor_for(sizes: list[int], before: bytes = b""):
    """One zlib compressor for every piece a response compresses with zlib itself (a new
    one for each costs more than compressing a few hundred bytes), with a window as large
    as the largest of them needs (see deflate()) and a hash table to match: zlib clears
    the table first, which for a passage page's own parts (a notice, a description) took
    longer than compressing them, and the smaller one gives the same bytes at that size.
    `before`: what precedes the first of them, which it may refer back into."""
    wbits = max(9, min(15, (max(sizes, default=0) + len(before)).bit_length()))
    if before:
        return zlib.compressobj(6, zlib.DEFLATED, -wbits, wbits - 6, zlib.Z_DEFAULT_STRATEGY, before)
    return zlib.compressobj(6, zlib.DEFLATED, -wbits, wbits - 6)


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=12).digest()


class Payload:
    """A response body as pieces of bytes, each with its deflated form once made.

    The pieces of an article's body are shared between the page, its panel states and its
    passage pages; only the pieces a response changes are its own (`own_bytes`). A piece's
    deflated form, when given, must have been made right after the piece before it (see
    deflate()); a digest, when given, stands for the piece in the ETag.
    """

    def __init__(self, pieces: list[bytes], deflated: list[bytes | None] | None = None,
                 shared: int = 0, digests: list[bytes | None] | None = None):
        self.pieces = pieces
        self.deflated = deflated if deflated is not None else [None] * len(pieces)
        self.digests = digests if digests is not None else [None] * len(pieces)
        self.length = sum(map(len, pieces))
        self.shared = shared  # bytes that belong to a cached body, counted there
        self._gzip: list[bytes] | None = None
        self._plain: list[bytes] | None = None
        self._etag: str | None = None

    @property
    def own_bytes(self) -> int:
        return self.length - self.shared

    def etag(self) -> str:
        if self._etag is None:
            tag = hashlib.blake2b(digest_size=12)
            for piece, known in zip(self.pieces, self.digests):
                tag.update(known if known is not None else digest(piece))
            self._etag = f'"{tag.hexdigest()}"'
        return self._etag

    def gzip(self) -> list[bytes]:
        """The body gzipped, as pieces; made once (two threads may both make it, harmlessly)."""
        if self._gzip is None:
            # Made here, per response: a whole response, or a page's head or tail or a
            # passage page's own parts, with zlib (kept, most are sent many times: worth its
            # ratio); a large piece after others (a body piece a passage page marked) with
            # ISA-L, referring back into the piece before it.
            fast = [n > 0 and len(piece) > LARGE_PIECE for n, piece in enumerate(self.pieces)]
            mine = [n for n, (done, now) in enumerate(zip(self.deflated, fast))
                    if done is None and not now]
            small = None
            if mine:  # the first may refer back into the piece before it (full flushes after)
                before = self.pieces[mine[0] - 1][-WINDOW:] if mine[0] else b""
                small = _compressor_for([len(self.pieces[n]) for n in mine], before)
            deflated = []
            for n, (piece, done) in enumerate(zip(self.pieces, self.deflated)):
                if done is None:
                    if fast[n]:
                        done = deflate_now(piece, self.pieces[n - 1])
                    else:
                        # A full flush: the piece refers to nothing before it, so that pieces
                        # compressed elsewhere may sit between it and the one before.
                        done = small.compress(piece) + small.flush(zlib.Z_FULL_FLUSH)
                deflated.append(done)
            crc = 0
            for piece in self.pieces:
                crc = isal_zlib.crc32(piece, crc)
            # One bytes object: it is small, and waitress sends each piece of a response
            # apart, so tiny pieces (the 10-byte header) cost whole round trips.
            self._gzip = [b"".join([_GZIP_HEADER, *deflated, _FINAL_BLOCK,
                                    struct.pack("<II", crc, self.length & 0xFFFFFFFF)])]
        return self._gzip

    def plain(self) -> list[bytes]:
        """The body as sent without compression: the pieces, small neighbours joined (a
        passage page's own parts are a few hundred bytes each, see gzip())."""
        if self._plain is None:
            chunks, run = [], []
            for piece in self.pieces:
                if len(piece) < LARGE_PIECE:
                    run.append(piece)
                    continue
                if run:
                    chunks.append(b"".join(run))
                    run = []
                chunks.append(piece)
            if run:
                chunks.append(b"".join(run))
            self._plain = chunks
        return self._plain

    def gzip_bytes(self) -> int:
        return sum(map(len, self._gzip)) if self._gzip is not None else 0


class ByteCache:
    """An LRU bounded by the bytes of what it holds, not by a count of entries.

    Locked, because waitress serves requests from a pool of threads; making a missing
    value happens outside the lock (two threads may both make it, harmlessly).
    """

    def __init__(self, budget: int):
        self.budget = budget
        self.bytes = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key):
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key, value, size: int) -> None:
        if size > self.budget // 4:  # one huge entry must not empty the cache
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.budget and self._items:
                self.bytes -= self._items.popitem(last=False)[1][1]

    def resize(self, key, size: int) -> None:
        """Count more bytes for an entry that grew (a gzipped form made later)."""
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self.bytes += size - item[1]
                self._items[key] = (item[0], size)
                self._items.move_to_end(key)
                while self.bytes > self.budget and len(self._items) > 1:
                    self.bytes -= self._items.popitem(last=False)[1][1]

    def get_or_make(self, key, make, size_of):
        """The value kept under `key`, else make() kept; None (nothing found) is not kept,
        so requests for things that do not exist cannot push out things that do."""
        value = self.get(key)
        if value is None:
            value = make()
            if value is not None:
                self.put(key, value, size_of(value))
        return value


# A query parameter a response does not depend on is dropped from its cache key only when it
# looks like what sites add to shared links (utm_source=news, fbclid=IwAR3x...,
# utm_campaign=Morning%20Briefing): a plain name, a value of plain characters and
# percent-encoded UTF-8, short. Anything else (a percent-encoded name, which may spell a
# parameter the page reads; bytes that are not UTF-8) keeps the exact URL as the key, so a
# view still sees (and may refuse) it.
_PLAIN_PAIR = re.compile(r"[A-Za-z0-9_.~-]+(=(?:[A-Za-z0-9_.~+-]|%[0-9A-Fa-f]{2})*)?")
MAX_DROPPED_CHARS = 512


def _plain_pair(pair: str) -> bool:
    if not _PLAIN_PAIR.fullmatch(pair):
        return False
    if "%" in pair:
        try:
            unquote_to_bytes(pair).decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def canonical_query(query: str, params: frozenset) -> str | None:
    """The query string without the plain parameters not in `params` (in the order sent),
    or None when a parameter outside `params` is not plain."""
    kept, dropped = [], 0
    for pair in query.split("&"):
        if not pair:
            continue
        if pair.partition("=")[0] in params:
            kept.append(pair)
        elif _plain_pair(pair):
            dropped += len(pair) + 1
        else:
            return None
    return "&".join(kept) if dropped <= MAX_DROPPED_CHARS else None


def accepts_gzip(environ) -> bool:
    accept = environ.get("HTTP_ACCEPT_ENCODING", "")
    if "gzip" not in accept:
        return False
    for part in accept.split(","):  # "gzip;q=0" refuses it
        coding, _, params = part.strip().partition(";")
        if coding.strip() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return True


# What a 304 repeats of the 200 it stands for: the caching headers RFC 9110 (15.4.5) names,
# and the security headers, which a browser applies to whatever it shows, the copy it kept
# included (issue 18: a revalidated page came back without its CSP and X-Frame-Options).
NOT_MODIFIED_HEADERS = frozenset({"cache-control", "vary", "content-location", "expires",
                                  *(name.lower() for name in SECURITY_HEADERS)})


# What a replayed response's headers leave out: the cache sets them itself, per response.
_DROPPED = frozenset({"content-length", "content-encoding", "etag", "last-modified"})


class Entry:
    """One replayable response: its status, headers (without length, encoding or ETag), body."""

    __slots__ = ("status", "headers", "payload", "etag", "compressible", "_overhead")

    def __init__(self, status, headers, payload: Payload, etag: str, compressible: bool):
        self.status, self.headers, self.payload = status, headers, payload
        self.etag, self.compressible = etag, compressible
        self._overhead = 200 + sum(len(k) + len(v) for k, v in headers)

    @property
    def size(self) -> int:
        return self._overhead + self.payload.own_bytes + self.payload.gzip_bytes()


class ResponseCache:
    """WSGI middleware in front of Flask: replays responses the views marked cacheable.

    Why: a stored version never changes, so the same URL gives the same bytes until an
    article is added, while Flask's request machinery alone costs more than a "hello" app's
    whole request (issue 11 measures every path against one). Entries are keyed on the URL,
    the headers a view varies on, and the store's generation; each is sent gzipped when the
    client accepts it (compressed once per entry), with an ETag, and a matching
    If-None-Match gets a 304.
    """

    def __init__(self, wsgi_app, store: ByteCache, generation: Generation, session_cookie: str):
        self.wsgi_app = wsgi_app
        self.store = store
        self.generation = generation
        # A request carrying the session cookie may get pages made for that visitor (an
        # editor's name, their forms' tokens): it is neither answered from the cache nor kept.
        self.session_cookie = session_cookie + "="

    @staticmethod
    def key(environ, generation, query=None):
        # Everything a response may depend on: the URL (the scheme and host too: a passage
        # page's og:url may name them), and the headers that pick page or fragment (htmx).
        return ("response", generation, environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST"),
                environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"),
                environ.get("QUERY_STRING") if query is None else query,
                environ.get("HTTP_HX_REQUEST"), environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST"))

    @staticmethod
    def params_key(environ):
        return ("params", environ.get("SCRIPT_NAME"), environ.get("PATH_INFO"))

    def canonical_key(self, environ, generation, params):
        """The key without the parameters the path's view said it does not read (a shared
        link's utm_source=...): such URLs share one entry instead of each missing it."""
        query = canonical_query(environ.get("QUERY_STRING", ""), params)
        return None if query is None else self.key(environ, generation, query)

    def __call__(self, environ, start_response):
        generation = self.generation.current()
        environ[GENERATION] = generation
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        key = self.key(environ, generation)
        if self.session_cookie in environ.get("HTTP_COOKIE", ""):
            environ[PRIVATE] = True
        entry = None if environ.get(PRIVATE) else self.store.get(key)
        known = canonical = None  # the path's parameters as kept, and the key they gave
        if entry is None and environ.get("QUERY_STRING") and not environ.get(PRIVATE):
            known = self.store.get(self.params_key(environ))
            if known is not None:
                canonical = self.canonical_key(environ, generation, known)
                if canonical is not None and canonical != key:
                    key, entry = canonical, self.store.get(canonical)
        if entry is not None:
            return self.send(entry, environ, start_response, key)
        seen = {}

        def keep_start(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, list(headers)
            if (exc_info is not None or not status.startswith("200")
                    or not (environ.get(CACHEABLE) or environ.get(PAYLOAD))):
                seen["passed"] = True
                return start_response(status, headers, exc_info)
            return _no_write

        body = self.wsgi_app(environ, keep_start)
        if seen.get("passed") or "status" not in seen:
            return body
        try:
            payload = environ.get(PAYLOAD)
            if payload is None:
                payload = Payload([b"".join(body)])
        finally:
            if hasattr(body, "close"):
                body.close()
        entry = self.entry(seen["status"], seen["headers"], payload)
        if environ.get(PRIVATE):
            return self.send(entry, environ, start_response, None)  # compressed, not kept
        params = environ.get(PARAMS)
        if params is not None:  # kept under the key without the parameters it ignores
            if params != known:  # else kept already, and the key made from them above
                self.store.put(self.params_key(environ), params, 100 + len(environ.get("PATH_INFO", "")))
                canonical = self.canonical_key(environ, generation, params)
            if canonical is not None:
                self.store.put(canonical, entry, entry.size)
                return self.send(entry, environ, start_response, canonical)
        if environ.get(CACHEABLE):
            self.store.put(key, entry, entry.size)
            return self.send(entry, environ, start_response, key)
        return self.send(entry, environ, start_response, None)  # compressed, not kept

    @staticmethod
    def entry(status, headers, payload: Payload) -> Entry:
        kept, content_type, vary = [], None, None
        for header in headers:  # one pass: this runs for every response made through Flask
            name = header[0].lower()
            if name in _DROPPED:
                continue
            if name == "content-type" and content_type is None:
                content_type = header[1]
            elif name == "vary" and vary is None:
                vary = header[1]
            kept.append(header)
        compressible = ((content_type or "").split(";")[0].strip() in COMPRESSIBLE
                        and payload.length >= MIN_COMPRESS_BYTES)
        if compressible:
            if vary is not None:
                kept = [(k, v) for k, v in kept if k.lower() != "vary"]
            kept.append(("Vary", f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"))
        return Entry(status, kept, payload, payload.etag(), compressible)

    def send(self, entry: Entry, environ, start_response, key):
        gzip = entry.compressible and accepts_gzip(environ)
        etag = entry.etag[:-1] + '-gz"' if gzip else entry.etag
        wanted = environ.get("HTTP_IF_NONE_MATCH")
        if wanted and (wanted.strip() == "*" or entry.etag in wanted
                       or entry.etag[:-1] + '-gz"' in wanted):
            headers = [(k, v) for k, v in entry.headers if k.lower() in NOT_MODIFIED_HEADERS]
            start_response("304 Not Modified", headers + [("ETag", etag)])
            return []
        headers = list(entry.headers)
        if gzip:
            before = entry.payload.gzip_bytes()
            chunks = entry.payload.gzip()
            if not before and key is not None:
                self.store.resize(key, entry.size)
            headers.append(("Content-Encoding", "gzip"))
        else:
            chunks = entry.payload.plain()
        headers.append(("Content-Length", str(sum(map(len, chunks)))))
        headers.append(("ETag", etag))
        start_response(entry.status, headers)
        return chunks


def _no_write(data):  # the write() callable of start_response; Flask never uses it
    raise RuntimeError("a cacheable response must be returned, not written")


def mark_cacheable(environ, payload: Payload | None = None, keep: bool = True,
                   params: frozenset | None = None) -> None:
    """Let the response cache replay this 200 response (`keep`) and send `payload`'s
    pre-compressed pieces rather than compressing the body again. `params`: the only query
    parameters the response depends on, at this path; the cache then keeps it (and answers
    URLs that add other, plain parameters) under the URL without the others."""
    if keep:
        environ[CACHEABLE] = True
    if params is not None:
        environ[PARAMS] = params
    if payload is not None:
        environ[PAYLOAD] = payload
