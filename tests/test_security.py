"""Headers, the vendored htmx, cross-site posting, and article text rendered inert."""
import hashlib
import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlencode

import pytest

from webapp.analysis.article import Analysis, Block, Entity, Mention

ROOT = Path(__file__).resolve().parent.parent
HTMX_DIR = ROOT / "static" / "vendor" / "htmx"
HX = {"HX-Request": "true", "HX-Target": "panel"}

HOSTILE_TITLE = '<script>alert("title")</script> & "Co" \'quoted\''
HOSTILE_TEXT = (
    'Evil <script>alert("x")</script> & "quotes" headline\n\n'
    '<img src=x onerror=alert(1)> met <b hx-get="/evil" hx-trigger="load">Jones</b> at '
    "javascript:alert(2) today.\n\n"
    "Later, <img src=x onerror=alert(1)> left.")


def hostile_analysis():
    """An article whose text, names and even entity ids try to break out of the markup."""
    text = HOSTILE_TEXT
    b1_end = text.index("\n\n")
    b2_start = b1_end + 2
    b2_end = text.index("\n\n", b2_start)
    blocks = [Block("b1", "headline", 0, b1_end), Block("b2", "paragraph", b2_start, b2_end),
              Block("b3", "paragraph", b2_end + 2, len(text))]
    img = "<img src=x onerror=alert(1)>"
    first, second = text.index(img), text.index(img, b2_start + 1 + len(img))
    jones = text.index('<b hx-get="/evil" hx-trigger="load">Jones</b>')
    jones_end = jones + len('<b hx-get="/evil" hx-trigger="load">Jones</b>')
    entities = [
        Entity('x" onmouseover="alert(3)', img, "person",
               [Mention("m1", first, first + len(img), img, "b2"),
                Mention("m3", second, second + len(img), img, "b3")],
               notes=['Spelled "<img>" & <script>two</script> ways']),
        Entity("jones", '<b hx-get="/evil">Jones</b>', "organization",
               [Mention("m2", jones, jones_end, text[jones:jones_end], "b2")]),
    ]
    return Analysis(text, blocks, entities)


def assert_inert(html):
    assert "<script>alert" not in html and "<img" not in html and "<b " not in html
    assert 'hx-get="/evil"' not in html and "onmouseover=\"alert" not in html
    assert "&lt;script&gt;" in html or "&lt;img" in html


@pytest.fixture
def hostile_slug(store_article):
    return store_article(hostile_analysis(), HOSTILE_TITLE)


def test_hostile_article_is_escaped_in_page_panel_library_and_json(client, hostile_slug):
    page = client.get(f"/articles/{hostile_slug}").get_data(as_text=True)
    assert_inert(page)
    assert "&lt;b hx-get=&#34;/evil&#34; hx-trigger=&#34;load&#34;&gt;Jones&lt;/b&gt;" in page
    assert "javascript:alert(2)" in page and 'href="javascript' not in page
    entity_url = f"/articles/{hostile_slug}?entity=x%22+onmouseover%3D%22alert(3)"
    assert 'href="?entity=x%22+onmouseover%3D%22alert(3)#mention-' in page  # URL-quoted in links...
    assert 'data-entity="x&#34; onmouseover=&#34;alert(3)"' in page  # ...and escaped in attributes
    for response in (client.get(entity_url), client.get(entity_url, headers=HX)):
        assert response.status_code == 200
        panel = response.get_data(as_text=True)
        assert_inert(panel)
        assert "Spelled &#34;&lt;img&gt;&#34; &amp; &lt;script&gt;two&lt;/script&gt; ways" in panel
        assert "<mark>&lt;img src=x onerror=alert(1)&gt;</mark>" in panel
    library = client.get("/").get_data(as_text=True)
    assert_inert(library)
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; &#34;Co&#34; &#39;quoted&#39;" in library
    assert "<title>" in page and "<script>alert(&#34;title" not in page

    exported = client.get(f"/articles/{hostile_slug}.json")
    assert exported.mimetype == "application/json"
    assert exported.headers["X-Content-Type-Options"] == "nosniff"
    assert exported.get_json()["text"] == HOSTILE_TEXT and exported.get_json()["title"] == HOSTILE_TITLE


def test_hostile_article_through_the_form_and_the_real_analysis(client):
    response = client.post("/articles", data={"title": HOSTILE_TITLE, "text": HOSTILE_TEXT})
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    assert_inert(page.get_data(as_text=True))
    data = client.get(response.headers["Location"] + ".json").get_json()
    for entity in data["entities"]:
        panel = client.get(response.headers["Location"], query_string={"entity": entity["id"]},
                           headers=HX)
        assert panel.status_code == 200 and "<img" not in panel.get_data(as_text=True)


def security_headers_ok(response):
    csp = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "default-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    return True


def test_every_kind_of_response_carries_the_security_headers(client, sample_slug, sample_analysis):
    entity = sample_analysis.entities[0].id
    responses = [client.get("/"), client.get(f"/articles/{sample_slug}"),
                 client.get(f"/articles/{sample_slug}?entity={entity}", headers=HX),
                 client.get(f"/articles/{sample_slug}.json"), client.get("/static/reader.js"),
                 client.get("/static/vendor/htmx/htmx.min.js"), client.get("/nothing-here"),
                 client.post("/articles", data={"text": ""}),
                 client.post("/articles", data={"text": "x"}, headers={"Origin": "https://evil.example"})]
    for response in responses:
        assert security_headers_ok(response)


def test_revalidations_answered_304_carry_the_same_security_headers(client, sample_slug):
    """Issue 18, finding 4: a 304 replayed by the response cache (an article page, its .json,
    a static file, an `If-None-Match: *`) carries the same security headers as the 200."""
    from webapp.web.security import SECURITY_HEADERS

    for url in ("/", f"/articles/{sample_slug}", f"/articles/{sample_slug}.json",
                "/entities.json", "/library.json", "/static/reader.js"):
        first = client.get(url)
        assert first.status_code == 200, url
        for validator in (first.headers["ETag"], "*"):
            again = client.get(url, headers={"If-None-Match": validator})
            assert again.status_code == 304, (url, validator)
            for name, value in SECURITY_HEADERS.items():
                assert again.headers.get(name) == first.headers[name] == value, (url, name)


def test_pages_have_no_inline_script_and_no_third_party_urls(client, sample_slug):
    for url in ("/", f"/articles/{sample_slug}", "/nothing-here"):
        html = client.get(url).get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        assert scripts and all('src="/static/' in attrs and body == "" for attrs, body in scripts)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
        assert not re.search(r"<[^>]+\son[a-z]+=", html)  # no inline event handlers
        assert "style=" not in html and "<style" not in html
    css = (ROOT / "static" / "reader.css").read_text()
    assert "@import" not in css and "url(" not in css


def test_htmx_is_configured_so_responses_cannot_run_script(client):
    html = client.get("/").get_data(as_text=True)
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", html).group(1))
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["selfRequestsOnly"] is True and config["includeIndicatorStyles"] is False


def test_vendored_htmx_matches_its_recorded_version_and_sha256(client):
    record = json.loads((HTMX_DIR / "VERSION.json").read_text())
    data = (HTMX_DIR / record["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == record["sha256"]
    assert record["package"] == "htmx.org" and re.fullmatch(r"2\.0\.\d+", record["version"])
    assert f'version:"{record["version"]}"' in data.decode().replace(" ", "")
    assert client.get("/static/vendor/htmx/htmx.min.js").data == data


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    {"Sec-Fetch-Site": "same-site"},
])
def test_cross_site_posts_are_refused_and_store_nothing(app, client, sample_text, headers):
    response = client.post("/articles", data={"text": sample_text}, headers=headers)
    assert response.status_code == 403
    assert "only be sent from the Dramatis page" in response.get_data(as_text=True)
    with sqlite3.connect(app.config["DATABASE"]) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


@pytest.mark.parametrize("headers", [
    {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    {"Origin": "http://localhost"},
    {},  # curl and scripts send neither header; CSRF needs a browser, which always does
])
def test_same_origin_posts_are_accepted(client, headers):
    response = client.post("/articles", data={"text": ""}, headers=headers)
    assert response.status_code == 400  # past the origin check, refused for being empty


def multipart(fields: dict[str, bytes], boundary="dramatis-test-boundary") -> tuple[bytes, str]:
    """A multipart/form-data body built by hand, so that a field can hold any bytes."""
    body = b"".join(b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n"
                    % (boundary.encode(), name.encode(), value) for name, value in fields.items())
    return body + b"--%s--\r\n" % boundary.encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("body,content_type", [
    multipart({"title": b"Caf\xe9 news", "text": b"Alice met Bob in Paris."}),
    # A saved page larger than any other form may be: its fields are checked all the same.
    multipart({"title": b"Caf\xe9 news", "file\"; filename=\"saved.html": b"<p>" * 400_000}),
    multipart({"title": b"", "text": b"Alice met Bob in \xff\xfeParis."}),
    (b"title=&text=Alice+met+Bob+in+%FFParis.", "application/x-www-form-urlencoded"),
    (b"title=Caf\xe9&text=Alice+met+Bob.", "application/x-www-form-urlencoded"),
])
def test_form_fields_that_are_not_utf8_are_refused_and_store_nothing(app, client, body, content_type):
    """Guards issue 7: Werkzeug decodes form fields leniently (U+FFFD, or a "%FF" kept as
    text); a stray byte is refused with a message instead of being stored."""
    response = client.post("/articles", data=body, content_type=content_type)
    assert response.status_code == 400
    assert "not UTF-8 text" in response.get_data(as_text=True)
    assert security_headers_ok(response)
    with sqlite3.connect(app.config["DATABASE"]) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 0


@pytest.mark.parametrize("encode", [
    lambda fields: multipart({k: v.encode() for k, v in fields.items()}),
    lambda fields: (urlencode(fields).encode(), "application/x-www-form-urlencoded"),
])
def test_utf8_form_fields_are_stored_as_sent(client, encode):
    fields = {"title": "Zoë’s café — “news”", "text": "Zoë Müller met François Hollande in Paris. ✓"}
    body, content_type = encode(fields)
    response = client.post("/articles", data=body, content_type=content_type)
    assert response.status_code == 303
    exported = client.get(response.headers["Location"] + ".json").get_json()
    assert exported["title"] == fields["title"] and exported["text"] == fields["text"]


def test_a_boundary_that_is_not_latin1_is_a_400(client):
    """Guards the review of issue 7: boundary*=UTF-8''... could not be encoded, a 500."""
    response = client.post("/articles", data=b"x", headers={
        "Content-Type": "multipart/form-data; boundary*=UTF-8''%E2%82%AC"})
    assert response.status_code == 400
