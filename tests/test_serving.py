"""The one response cache and HTTP caching (issues 7 and 11): gzip once per entry, ETags and
304s, versioned static files, a byte budget, the store's generation, honest og:url."""
import gzip
import re
from pathlib import Path

from webapp.web.cache import MIN_COMPRESS_BYTES, ByteCache, Payload, deflate, deflate_now

HX = {"HX-Request": "true", "HX-Target": "panel"}
GZIP = {"Accept-Encoding": "gzip, deflate, br"}
ROOT = Path(__file__).resolve().parent.parent


def test_pages_fragments_and_json_are_gzipped_when_asked_and_say_so(client, sample_slug):
    """Guards compression: the same bytes as the plain response once unzipped, with
    Content-Encoding and Vary: Accept-Encoding; none without Accept-Encoding."""
    for url, headers in ((f"/articles/{sample_slug}", {}),
                         (f"/articles/{sample_slug}?entity=helena-vasconcelos", HX),
                         (f"/articles/{sample_slug}.json", {}), ("/", {})):
        for _ in range(2):  # rendered, then replayed
            plain = client.get(url, headers=headers)
            zipped = client.get(url, headers={**headers, **GZIP})
            assert plain.status_code == zipped.status_code == 200
            assert "Content-Encoding" not in plain.headers
            assert zipped.headers["Content-Encoding"] == "gzip"
            assert "Accept-Encoding" in zipped.headers["Vary"]
            assert gzip.decompress(zipped.data) == plain.data
            assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data)
    refused = client.get(f"/articles/{sample_slug}", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers


def test_a_passage_page_spliced_into_the_cached_body_unzips_whole(client, sample_slug,
                                                                  sample_analysis):
    """Guards the shared compressed body: a passage page is the cached body's deflated
    pieces with a few of its own; the gzip stream must still be one valid whole."""
    from test_passage_routes import link_for

    text = sample_analysis.text
    block = [b for b in sample_analysis.blocks if b.kind == "paragraph"][3]
    url = link_for(sample_slug, text, block.start, block.end)
    plain = client.get(url)
    zipped = client.get(url, headers=GZIP)
    assert gzip.decompress(zipped.data) == plain.data
    assert plain.data.count(b'<mark class="passage">') >= 1


def test_a_passage_pages_etag_follows_its_marks(app, client, sample_slug, sample_analysis):
    """Guards the ETag of a passage page, whose marked body piece is digested from the piece
    it changes and the items it marked rather than hashed whole: two passages in one paragraph
    have different tags, and one passage made again (after the cache forgot it) the same."""
    from test_passage_routes import link_for

    from webapp.web.articles import article_added

    block = [b for b in sample_analysis.blocks if b.kind == "paragraph"][3]
    urls = [link_for(sample_slug, sample_analysis.text, block.start + n, block.end) for n in (0, 4)]
    first = [client.get(url, headers=GZIP) for url in urls]
    assert first[0].headers["ETag"] != first[1].headers["ETag"]
    with app.app_context():
        article_added()  # a new generation: every page is made again
    again = [client.get(url, headers=GZIP) for url in urls]
    assert [r.headers["ETag"] for r in again] == [r.headers["ETag"] for r in first]
    assert [r.data for r in again] == [r.data for r in first]


def test_a_marked_body_pieces_digest_changes_with_each_mark():
    """Guards the digest page_payload gives a body piece a passage page changed (made from
    the piece's own digest and what replaced which of its items, not by hashing the piece):
    any other mark, or the same mark in another item, is another ETag; the same marks, the
    same ETag; and the page is the shell, the body and the fills in their places."""
    from webapp.web import reader
    from webapp.web.cache import digest

    items = [b"<p>one</p>", b"<p>two</p>", b"<p>one</p>", b"<p>three</p>"]
    groups = [(0, 3), (3, 4)]
    pieces = [b"".join(items[a:b]) for a, b in groups]
    deflated = [deflate(pieces[0]), deflate(pieces[1], 6, pieces[0])]
    body = reader.ArticleBody(items, groups, pieces, deflated, [deflate(p) for p in pieces],
                              [digest(p) for p in pieces], {})
    shell = reader.cut_shell(f"<head>{reader.DESCRIPTION_MARK}</head>{reader.BODY_MARK}<footer>")
    fills = {reader.DESCRIPTION_MARK: "A &amp; B"}

    def page(replaced):
        return reader.page_payload(shell, body, fills, replaced)

    marked = {0: b"<p><mark>one</mark></p>"}
    tags = [page(r).etag() for r in ({}, marked, {0: b"<p>o<mark>ne</mark></p>"},
                                    {2: marked[0]}, {0: marked[0], 1: b"<p><mark>two</mark></p>"})]
    assert len(set(tags)) == len(tags)
    assert page(dict(marked)).etag() == tags[1]
    both = page({0: marked[0], 3: b"<p>th<mark>ree</mark></p>"})
    expected = (b"<head>A &amp; B</head><p><mark>one</mark></p><p>two</p><p>one</p>"
                b"<p>th<mark>ree</mark></p><footer>")
    assert b"".join(both.plain()) == expected and gzip.decompress(both.gzip()[0]) == expected


def test_a_head_request_gets_the_pages_headers_without_its_body(client, sample_slug, sample_analysis):
    """Guards pages answered by Flask itself (HEAD passes the response cache by): the
    response built from the cached pieces (passed through unencoded) still says its type,
    length and caching, and sends no body."""
    from test_passage_routes import link_for

    for url in (f"/articles/{sample_slug}", link_for(sample_slug, sample_analysis.text, 0, 20)):
        page, head = client.get(url), client.head(url)
        assert head.status_code == 200 and head.data == b""
        assert head.headers["Content-Type"] == "text/html; charset=utf-8"
        assert head.headers["Content-Length"] == str(len(page.data))
        assert head.headers["Cache-Control"] == "no-cache" and "HX-Request" in head.headers["Vary"]


def test_if_none_match_gets_a_304_and_newest_pages_must_revalidate(client, sample_slug):
    """Guards HTTP caching a proxy or browser can use: an ETag on pages, fragments and JSON,
    a 304 on a match; every article URL is no-cache, a pinned version's too: corrections,
    renames and deletes change it."""

    for url, headers in ((f"/articles/{sample_slug}", {}),
                         (f"/articles/{sample_slug}?entity=helena-vasconcelos", HX),
                         (f"/articles/{sample_slug}.json", {})):
        first = client.get(url, headers=headers)
        etag = first.headers["ETag"]
        again = client.get(url, headers={**headers, "If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
        assert first.headers["Cache-Control"] == "no-cache"
        zipped = client.get(url, headers={**headers, **GZIP, "If-None-Match": etag})
        assert zipped.status_code == 304  # either representation's tag matches
        assert client.get(url, headers={**headers, "If-None-Match": '"other"'}).status_code == 200
    version = client.get(f"/articles/{sample_slug}.json").get_json()["version"]
    pinned = client.get(f"/articles/{sample_slug}?version={version}")
    assert pinned.status_code == 200 and pinned.headers["Cache-Control"] == "no-cache"


def test_static_files_have_versioned_urls_cached_for_a_year(client, sample_slug):
    """Guards static caching: every asset a page names carries ?v=<hash of the file>, and
    that URL is immutable for a year (a changed file gets a new URL); gzipped when asked."""
    html = client.get(f"/articles/{sample_slug}").get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert len(assets) >= 4
    for url in assets:
        assert re.search(r"\?v=[0-9a-f]{12}$", url), url
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        if len(client.get(url).get_data()) >= MIN_COMPRESS_BYTES:  # not the tiny favicon
            assert response.headers["Content-Encoding"] == "gzip"
    unversioned = client.get("/static/reader.css")
    assert "immutable" not in unversioned.headers.get("Cache-Control", "")
    stale = client.get("/static/reader.css?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")


def test_pages_load_our_css_and_js_minified_and_the_source_stays_readable(client, sample_slug):
    """Guards page weight (issue 11): the versioned CSS and JS a page names are served
    minified (comments gone, a good deal smaller); the unversioned URL is the file as written;
    the vendored htmx is sent as it is."""
    html = client.get(f"/articles/{sample_slug}").get_data(as_text=True)
    ours = re.findall(r'(?:href|src)="(/static/(?:reader|passages)\.(?:css|js)\?v=[0-9a-f]+)"', html)
    assert len(ours) == 3
    for url in ours:
        served = client.get(url).get_data(as_text=True)
        source = (ROOT / url[1:].partition("?")[0]).read_text(encoding="utf-8")
        assert "/*" in source or "//" in source  # the source has comments
        assert len(served) < 0.8 * len(source) and "/* " not in served
        assert client.get(url.partition("?")[0]).get_data(as_text=True) == source
    htmx = re.search(r'src="(/static/vendor/htmx/htmx\.min\.js\?v=[0-9a-f]+)"', html).group(1)
    assert client.get(htmx).data == (ROOT / "static/vendor/htmx/htmx.min.js").read_bytes()


def test_the_cache_is_bounded_in_bytes_and_keeps_the_newest():
    """Guards the byte budget (issue 7: caches counted entries, and 257 panels took 93 MB)."""
    cache = ByteCache(1000)
    for n in range(50):
        cache.put(n, f"value {n}", 90)
    assert cache.bytes <= 1000 and len(cache) == 11
    assert cache.get(49) == "value 49" and cache.get(0) is None
    cache.put("huge", "x", 600)  # over a quarter of the budget: not kept
    assert cache.get("huge") is None and cache.bytes <= 1000


def test_browsing_every_panel_keeps_the_cache_within_its_budget(tmp_path, sample_analysis):
    """Guards memory: every panel state and page of an article, with a tiny budget, stays
    under the budget, and pages are still right when their entries were evicted."""
    from webapp import create_app
    from webapp.web.db import get_db
    from webapp.store import save_analysis
    from webapp.web.articles import article_added

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "d.sqlite"),
                      "CACHE_BYTES": 200_000})
    with app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
        article_added()
    client = app.test_client()
    store = app.extensions["dramatis.cache"]
    for entity in sample_analysis.entities:
        for headers in ({}, HX, GZIP):
            response = client.get(f"/articles/{slug}?entity={entity.id}", headers=headers)
            assert response.status_code in (200, 404)
            assert store.bytes <= 200_000
    assert b"Helena Vasconcelos" in client.get(f"/articles/{slug}?entity=helena-vasconcelos").data


def test_a_panel_page_shares_the_body_instead_of_copying_it(app, client, sample_slug):
    """Guards issue 11's memory finding (each ?entity= page was a whole article copy): every
    page of a version holds the very same body pieces, and owns only its shell and panel."""
    store = app.extensions["dramatis.cache"]
    for url in (f"/articles/{sample_slug}", f"/articles/{sample_slug}?entity=helena-vasconcelos"):
        client.get(url)
    entries = [value for key, (value, _) in store._items.items() if key[0] == "response"]
    (body,) = [value for key, (value, _) in store._items.items() if key[0] == "body"]
    assert len(entries) == 2
    for entry in entries:
        shared = [piece for piece in entry.payload.pieces if any(piece is p for p in body.pieces)]
        assert len(shared) == len(body.pieces)
        assert entry.payload.own_bytes == entry.payload.length - sum(map(len, body.pieces))


def test_json_export_is_serialised_once_per_version(client, sample_slug, monkeypatch):
    """Guards the JSON cache: repeated exports replay the serialised bytes."""
    from webapp.analysis.article import Analysis

    calls = []
    real = Analysis.to_json
    monkeypatch.setattr(Analysis, "to_json", lambda self: calls.append(1) or real(self))
    first = client.get(f"/articles/{sample_slug}.json")
    for _ in range(5):
        assert client.get(f"/articles/{sample_slug}.json").data == first.data
    assert len(calls) == 1


def test_an_add_in_this_process_shows_at_once_everywhere(client, sample_slug, sample_text):
    """Guards invalidation by generation: the library, the article and its JSON, all cached,
    show the new version right after an add through the form."""
    url = f"/articles/{sample_slug}"
    for path in ("/", url, f"{url}.json"):
        client.get(path)
    title = sample_text.split("\n", 1)[0]
    client.post("/articles", data={"title": title,
                                   "text": sample_text.replace("Portuguese ministers", "Ministers in Lusaka")})
    assert "Ministers in Lusaka" in re.sub("<[^>]+>", "", client.get(url).get_data(as_text=True))
    assert client.get(f"{url}.json").get_json()["version_number"] == 2
    assert "version 2" in client.get("/").get_data(as_text=True)


def test_og_url_never_reflects_a_forged_host(app, client, sample_slug, sample_analysis):
    """Guards issue 7: og:url comes from the configured public URL, else from a served host;
    a request with a forged Host header gets no page at all."""
    from test_passage_routes import Page, link_for

    text = sample_analysis.text
    url = link_for(sample_slug, text, 0, 20)
    forged = client.get(url, headers={"Host": "evil.example"})
    assert forged.status_code == 400  # security.check_host: not a served host name
    assert Page(forged.get_data(as_text=True)).meta("og:url") is None
    served = Page(client.get(url, headers={"Host": "127.0.0.1"}).get_data(as_text=True))
    assert served.meta("og:url") == "http://127.0.0.1" + url
    app.config["PUBLIC_URL"] = "https://news.example.org/reader/"
    url = link_for(sample_slug, text, 0, 25)  # a page not yet cached
    public = Page(client.get(url, headers={"Host": "127.0.0.1"}).get_data(as_text=True))
    assert public.meta("og:url") == "https://news.example.org/reader" + url


def test_deflated_pieces_laid_end_to_end_make_one_gzip_stream():
    """Guards the trick the shared body relies on: pieces compressed apart, each ending in a
    sync flush, concatenate into one valid deflate stream."""
    pieces = [b"<p>" + bytes(str(n), "ascii") * 500 + b"</p>" for n in range(5)]
    payload = Payload(pieces, [deflate(p) if n % 2 else None for n, p in enumerate(pieces)])
    assert gzip.decompress(b"".join(payload.gzip())) == b"".join(pieces)
    # zlib's pieces (made once per version) and ISA-L's (made per response), small and
    # large, with and without the piece before as their dictionary, make one stream too.
    large = [bytes(f"<p>{n} {'word ' * 5_000}</p>", "ascii") for n in range(4)]
    made = [deflate(large[0], 9), deflate_now(large[1], large[0]), deflate(large[2], 9, large[1]),
            deflate_now(large[3])]
    payload = Payload([*large, b"<footer>"], [*made, None])
    assert gzip.decompress(b"".join(payload.gzip())) == b"".join(large) + b"<footer>"
    assert gzip.decompress(b"".join(Payload([b""]).gzip())) == b""


def test_pieces_a_response_compresses_itself_refer_only_to_what_precedes_them():
    """Guards Payload.gzip's one compressor for a response's own pieces (laid between the
    shell's pre-compressed pieces): each is flushed so that it refers to none of the others,
    which are not what precedes it; the first may refer back into the piece before it."""
    sentence = b"<p>The same words stand in every piece of this page, again and again.</p>"
    own = [sentence * 3 + bytes(str(n), "ascii") for n in range(4)]
    fixed = [b"<div>" + bytes(str(n), "ascii") * 300 + b"</div>" for n in range(4)]
    pieces = [piece for pair in zip(own, fixed) for piece in pair]
    deflated = [None if n % 2 == 0 else deflate(piece, 9) for n, piece in enumerate(pieces)]
    payload = Payload(pieces, deflated)
    assert gzip.decompress(b"".join(payload.gzip())) == b"".join(pieces)
    assert b"".join(payload.plain()) == b"".join(pieces) and len(payload.plain()) == 1
    after = Payload([own[1], own[0]], [deflate(own[1], 9), None])
    alone = Payload([own[1], own[0]], [deflate(own[1], 9), deflate(own[0])])
    assert gzip.decompress(after.gzip()[0]) == own[1] + own[0]
    assert len(after.gzip()[0]) < len(alone.gzip()[0]) - len(sentence) // 2


def test_made_up_query_strings_are_served_but_not_kept(app, client, sample_slug):
    """Guards the cache against filling up with copies of one page under made-up query
    strings (?n=1, ?n=2, ...): they are served, gzipped, but not kept."""
    store = app.extensions["dramatis.cache"]
    client.get(f"/articles/{sample_slug}")
    kept = len(store)
    for n in range(20):
        response = client.get(f"/articles/{sample_slug}?n={n}", headers=GZIP)
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
    assert len(store) == kept


def test_a_shared_link_with_tracking_parameters_is_replayed_from_one_entry(app, client, sample_slug):
    """Guards issue 11's "new query string" path: parameters the article page does not read
    (utm_source=..., fbclid=..., utm_campaign=Morning%20Briefing as sites add them to shared
    links) give the same page, kept once under the URL without them and replayed without
    running Flask again; parameters it reads still pick their own page, and a parameter
    that is not plain still reaches Flask."""
    views = []
    app.before_request(lambda: views.append(1))
    store = app.extensions["dramatis.cache"]
    url = f"/articles/{sample_slug}"
    plain = client.get(url, headers=GZIP)
    kept, ran = len(store), len(views)
    for n in range(5):
        tracked = client.get(f"{url}?utm_source=chat{n}&fbclid=IwAR{n}x"
                             f"&utm_campaign=Morning%20Briefing%20{n}", headers=GZIP)
        assert tracked.data == plain.data and tracked.headers["ETag"] == plain.headers["ETag"]
    assert len(views) == ran and len(store) == kept

    panel = client.get(f"{url}?entity=helena-vasconcelos&utm_source=x")
    assert panel.status_code == 200 and b"Helena" in panel.data and panel.data != plain.data
    passage = client.get(client.get(f"{url}/passage-link?start=0&end=20",
                                    headers={"Accept": "application/json"}).get_json()["url"])
    assert passage.status_code == 200 and b'class="passage"' in passage.data
    views.clear()
    again = client.get(passage.request.full_path.rstrip("?") + "&utm_medium=social")
    assert again.data == passage.data and not views

    odd = client.get(f"{url}?x=%FF")
    assert odd.status_code == 200 and views  # percent-encoded: the exact URL, through Flask


def test_only_plain_parameters_outside_the_read_ones_leave_the_cache_key():
    """Guards the canonical key: read parameters stay in the order sent; a value
    percent-encoded as UTF-8 is plain (newsletters send utm_campaign=Morning%20Briefing);
    a percent-encoded name (%65ntity is entity), bytes that are not UTF-8, or anything too
    long keep the exact URL (the view then judges it)."""
    from webapp.web.cache import canonical_query
    read = frozenset({"entity", "q"})
    assert canonical_query("utm_source=a&entity=x&fbclid=Iw-1.2&q=b", read) == "entity=x&q=b"
    assert canonical_query("n=1&&", read) == ""
    assert canonical_query("utm_campaign=Morning%20Briefing%E2%80%94Caf%C3%A9&entity=x", read) == "entity=x"
    assert canonical_query("%65ntity=y&entity=x", read) is None
    assert canonical_query("entity=x&n=%E2%80", read) is None  # cut short: not UTF-8
    assert canonical_query("entity=x&n=%zz", read) is None
    assert canonical_query("entity=x&n=%FF", read) is None
    assert canonical_query("entity=x&a+b=1", read) is None
    assert canonical_query("n=" + "a" * 600, read) is None
