"""Passage links in the reader (issue 4): the page a link opens, its failures, and the
links the pages hand out (selection endpoint, paragraphs, panel sentences)."""
import re
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from markupsafe import escape
from test_security import HOSTILE_TEXT, HOSTILE_TITLE, hostile_analysis

from webapp.analysis.article import Analysis, Block, Entity, Mention
from webapp.anchors import encode, make_anchor, preview, version_id
from webapp.web import articles, reader

HX = {"HX-Request": "true", "HX-Target": "panel"}


class Page(HTMLParser):
    """The parts of a page these tests read: start tags, the text of each block element,
    and each <mark class="passage"> with its text and whether it sits in a mention link."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.blocks, self.marks = [], {}, []
        self.stack = []  # (tag, attrs) of open elements
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("meta", "link", "input", "br", "img"):
            return
        if tag == "mark" and attrs.get("class") == "passage":
            in_link = any(t == "a" and "mention" in (a.get("class") or "") for t, a in self.stack)
            self.marks.append({"text": "", "in_link": in_link})
        if "data-block" in attrs:
            self.blocks[attrs["data-block"]] = ""
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        for tag, attrs in self.stack:
            if "data-block" in attrs:
                self.blocks[attrs["data-block"]] += data
        if any(t == "mark" and a.get("class") == "passage" for t, a in self.stack):
            self.marks[-1]["text"] += data

    def find(self, tag=None, **attrs):
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]

    def meta(self, key):
        found = [a["content"] for t, a in self.tags if t == "meta"
                 and (a.get("property") == key or a.get("name") == key)]
        return found[0] if found else None

    @property
    def passage(self):
        return "".join(mark["text"] for mark in self.marks)


def link_for(slug, text, start, end, **extra):
    """The path and query of a link to text[start:end] of that text's version."""
    anchor = make_anchor(text, start, end, version_id(text))
    return f"/articles/{slug}?" + urlencode({**encode(anchor), **extra})


def open_link(client, url):
    response = client.get(url.split("#")[0])
    return response, Page(response.get_data(as_text=True))


def spans_of(text, quote):
    start = text.index(quote)
    return start, start + len(quote)


# --- a small article whose every offset the tests know --------------------------------

SMALL = ("Rivers rise in the north\n\n"
         "Anna Berg met the Flood Board in Oslo on Monday. She asked for new dams.\n\n"
         "The board said the work would start in spring, 😀 and that Oslo would pay.\n\n"
         "Photo caption of the river (Photo: Kari Dahl/Wire)")


def small_analysis(text=SMALL):
    blocks, pos = [], 0
    kinds = ["headline", "paragraph", "paragraph", "caption"]
    for n, part in enumerate(text.split("\n\n")):
        credits = ["Kari Dahl"] if kinds[n] == "caption" else []
        blocks.append(Block(f"b{n + 1}", kinds[n], pos, pos + len(part), credits))
        pos += len(part) + 2

    def mentions(name, prefix):
        found, at = [], text.find(name)
        while at >= 0:
            block = next(b for b in blocks if b.start <= at < b.end)
            found.append(Mention(f"{prefix}{len(found) + 1}", at, at + len(name), name, block.id))
            at = text.find(name, at + 1)
        return found

    return Analysis(text, blocks, [
        Entity("anna-berg", "Anna Berg", "person", mentions("Anna Berg", "p")),
        Entity("flood-board", "Flood Board", "organization", mentions("Flood Board", "o")),
        Entity("norway", "Oslo", "country", mentions("Oslo", "c")),
    ])


@pytest.fixture
def small_slug(store_article):
    return store_article(small_analysis(), "Rivers rise")


# --- the page a passage link opens ------------------------------------------------------

def test_every_block_element_holds_exactly_its_stored_text(client, sample_slug, sample_analysis):
    """Guards the selection-to-offsets mapping in passages.js: each block element's text
    (credits included) must be text[data-start:data-end], or links point at the wrong text."""
    page = Page(client.get(f"/articles/{sample_slug}").get_data(as_text=True))
    shown = [b for b in sample_analysis.blocks if b.kind != "boilerplate"]
    assert set(page.blocks) == {b.id for b in shown}
    for block in shown:
        assert page.blocks[block.id] == sample_analysis.block_text(block)
        element = page.find(data_block=block.id)[0]
        assert (int(element["data-start"]), int(element["data-end"])) == (block.start, block.end)


def test_a_passage_link_marks_exactly_the_quote_and_names_stay_links(client, small_slug):
    """Guards the marking: the passage's pieces add up to the quote, a name wholly inside
    stays a link inside the mark, and a name cut by the passage's edge stays one link."""
    quote = "Berg met the Flood Board in Oslo"  # starts inside "Anna Berg"
    response, page = open_link(client, link_for(small_slug, SMALL, *spans_of(SMALL, quote)))
    assert response.status_code == 200
    assert page.passage == quote
    assert page.find("div", **{"class": "passage-bar"})[0]["data-method"] == "exact-version"
    html = response.get_data(as_text=True)
    # "Anna Berg" is one link, marked inside from "Berg" on.
    assert re.search(r'<a [^>]*data-mention="p1"[^>]*>Anna <mark class="passage">Berg</mark></a>', html)
    # "Flood Board" and "Oslo" are whole links inside marks, still real links.
    for mention in ("o1", "c1"):
        assert re.search(rf'<mark class="passage"><a [^>]*href="[^"]+" id="mention-{mention}"', html)
    assert len(page.find("a", **{"class": "mention"})) == 4  # every name is still a link
    assert [m["in_link"] for m in page.marks] == [True, False, False, False, False]


def test_a_passage_across_blocks_is_marked_in_each_block(client, small_slug):
    """Guards passages that span paragraphs and a caption's credit: a piece per block,
    nothing marked in the gaps between blocks."""
    start = SMALL.index("She asked")
    end = SMALL.index("Kari Dahl") + len("Kari Dahl")
    _, page = open_link(client, link_for(small_slug, SMALL, start, end))
    expected = [SMALL[start:SMALL.index("\n\n", start)],
                SMALL[SMALL.index("The board"):SMALL.index("\n\nPhoto")],
                SMALL[SMALL.index("Photo caption"):end]]
    assert page.passage == "".join(expected)
    assert page.find("a", **{"class": "passage-clear"})[0]["href"] == f"/articles/{small_slug}"


def test_emoji_before_the_passage_do_not_shift_it(client, store_article):
    """Guards code-point offsets end to end: an emoji is one character in a link's
    positions, as in Python, whatever JavaScript counts."""
    text = "🎉🎉 Party time\n\nThe 🇳🇴 team won, said Ola, and ‏שלום‏ to all."
    blocks = [Block("b1", "headline", 0, 14), Block("b2", "paragraph", 16, len(text))]
    slug = store_article(Analysis(text, blocks, []), "Party")
    quote = "team won, said Ola"
    _, page = open_link(client, link_for(slug, text, *spans_of(text, quote)))
    assert page.passage == quote


def test_passage_pages_carry_link_preview_meta_tags(client, small_slug):
    """Guards link previews: title is the article's, description the quote (shortened),
    og:url the passage link without its fragment."""
    quote = "She asked for new dams."
    url = link_for(small_slug, SMALL, *spans_of(SMALL, quote))
    _, page = open_link(client, url)
    assert page.meta("og:title") == page.meta("twitter:title") == "Rivers rise"
    assert page.meta("og:description") == page.meta("twitter:description") == quote
    assert page.meta("twitter:card") == "summary" and page.meta("og:type") == "article"
    assert page.meta("og:url") == "http://localhost" + url


def test_a_long_passage_is_previewed_shortened(client, sample_slug, sample_analysis):
    """Guards the preview length: a chat shows a short description, not paragraphs."""
    text = sample_analysis.text
    blocks = [b for b in sample_analysis.blocks if b.kind == "paragraph"]
    start, end = blocks[0].start, blocks[2].end
    _, page = open_link(client, link_for(sample_slug, text, start, end))
    description = page.meta("og:description")
    assert description == preview(text[start:end]) and len(description) <= 200
    assert description.endswith("…")


def test_plain_article_pages_have_preview_tags_but_no_absolute_url(client, sample_slug,
                                                                   sample_analysis):
    """Guards the cached article page: preview tags from the first paragraph, and no og:url,
    which would freeze one request's Host header into the cached page."""
    page = Page(client.get(f"/articles/{sample_slug}").get_data(as_text=True))
    first = next(b for b in sample_analysis.blocks if b.kind == "paragraph")
    assert page.meta("og:title") == sample_analysis.headline
    assert page.meta("og:description") == preview(sample_analysis.block_text(first))
    assert page.meta("og:url") is None


def test_hostile_quotes_are_escaped_in_meta_tags_notice_and_text(client, store_article):
    """Guards escaping: article text and a quote from the link reach the page and its meta
    tags only through Jinja's escaping."""
    slug = store_article(hostile_analysis(), HOSTILE_TITLE)
    quote = '<img src=x onerror=alert(1)> met <b hx-get="/evil"'
    response, page = open_link(client, link_for(slug, HOSTILE_TEXT, *spans_of(HOSTILE_TEXT, quote)))
    html = response.get_data(as_text=True)
    assert page.passage == quote and page.meta("og:description") == quote
    assert "<img" not in html and 'hx-get="/evil"' not in html and "<script>alert" not in html
    assert 'content="&lt;img src=x onerror=alert(1)&gt; met &lt;b hx-get=&#34;/evil&#34;"' in html
    orphan = f"/articles/{slug}?" + urlencode({"p": "1-30", "q": '"><script>alert(1)</script>'})
    response, page = open_link(client, orphan)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<script>alert(1)" not in html
    assert "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_made_up_quote_is_not_in_this_article(client, small_slug):
    """Guards the orphan's wording (issue 16): a quote the article never had is "not in this
    article"; "no longer" is only for a passage an older version held."""
    response, page = open_link(client, f"/articles/{small_slug}?" + urlencode(
        {"p": "1-30", "q": "Words this article never had"}))
    html = response.get_data(as_text=True)
    assert "This passage is not in this article" in html and "no longer" not in html


def test_a_deleted_passage_opens_at_the_top_with_the_quote(client, small_slug, store_article):
    """Guards honest failure: when the passage is gone, nothing is marked and the notice
    shows what the link quoted."""
    quote = "She asked for new dams."
    url = link_for(small_slug, SMALL, *spans_of(SMALL, quote))
    store_article(small_analysis(SMALL.replace(" " + quote, "")), "Rivers rise")
    response, page = open_link(client, url)
    assert response.status_code == 200
    assert page.marks == [] and not page.find("div", **{"class": "passage-bar"})
    html = response.get_data(as_text=True)
    assert "This passage is no longer in this article" in html
    assert re.search(r'<blockquote class="shared-quote">She asked for new dams\.</blockquote>', html)
    assert "What the link claims it quoted" in html
    # Honest previews (issue 7): an orphan's preview says so, and never repeats the claim.
    assert page.meta("og:description") == page.meta("twitter:description") \
        == "The passage this link quotes is not in the article."
    assert html.count(quote) == 1  # only inside the labelled notice


def test_a_link_to_an_article_that_is_gone_is_a_404_showing_the_quote(client):
    """Guards the 404 for an unknown slug: the reader still sees what was shared."""
    response = client.get("/articles/no-such-article?" + urlencode({"p": "3-20", "q": "A <b>quote</b>"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "There is no article at this address." in html
    assert '<blockquote class="shared-quote">A &lt;b&gt;quote&lt;/b&gt;</blockquote>' in html


LONG = "x" * 100_000
MALFORMED = {
    "negative": "p=-5-10&q=Anna",
    "reversed": "p=40-10&q=Anna",
    "empty span": "p=10-10&q=Anna",
    "huge": "p=0-99999999999&q=Anna",
    "beyond any article": "p=5-20000000&q=Anna",
    "not numbers": "p=a-b&q=Anna",
    "broken percent": "p=0-4&q=An%zz",
    "not UTF-8": "p=0-4&q=%E2%28%A1",
    "control character": "p=0-4&q=An%00na",
    "100 KB quote": f"p=0-5&q={LONG}",
    "no quote": "p=0-4",
    "no position": "q=Anna",
    "bad version": "p=0-4&q=Anna&v=not-hex",
    "only context": "pre=Anna",
}


@pytest.mark.parametrize("query", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_links_are_a_400_that_links_to_the_article(client, small_slug, query):
    """Guards the malformed-link rule: a 400 page saying what is wrong and linking to the
    article; never a 500, never the link's content echoed back."""
    response = client.get(f"/articles/{small_slug}?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "This passage link is broken" in html
    assert f'<a href="/articles/{small_slug}">Read the article</a>' in html
    assert LONG[:1000] not in html and "An%zz" not in html


@pytest.mark.parametrize("path", ["/articles/{slug}", "/articles/{slug}/passage-link", "/articles/{slug}.json"])
def test_raw_bytes_that_are_not_utf8_are_a_400(client, small_slug, path):
    """Guards the raw query: bytes a browser would never send are refused with a 400, not a
    500 from Werkzeug's UnicodeDecodeError when the view reads request.args."""
    for query in ("p=0-4&q=\xff\xfe", "entity=\xff"):  # WSGI strings are latin-1
        response = client.get(path.format(slug=small_slug), environ_overrides={"QUERY_STRING": query})
        assert response.status_code == 400


@pytest.mark.parametrize("hostile", ["javascript:alert(1)", "//evil.example/x", "https://evil.example/"])
def test_nothing_in_a_link_becomes_a_redirect_or_an_href(client, small_slug, hostile):
    """Guards against open redirects and injected links: the link's parts only ever
    travel inside our own URLs' query strings."""
    for query in ({"p": "0-10", "q": hostile}, {"p": "0-10", "q": "Anna", "pre": hostile, "suf": hostile},
                  {"p": "0-10", "q": "Rivers rise", "v": "abcdef1234", "entity": "anna-berg"}):
        response = client.get(f"/articles/{small_slug}?" + urlencode(query))
        assert response.status_code in (200, 400) and "Location" not in response.headers
        page = Page(response.get_data(as_text=True))
        urls = [a.get("href") or a.get("src") or a.get("action") for _, a in page.tags]
        for url in filter(None, urls):
            assert url.startswith(("/", "#", "?")) and not url.startswith("//"), url
        assert (page.meta("og:url") or "http://localhost/").startswith("http://localhost/")


# --- surviving edits --------------------------------------------------------------------

def test_an_old_link_still_finds_its_passage_after_an_earlier_paragraph_is_edited(
        client, sample_slug, sample_analysis, store_article, nlp):
    """Guards links across versions: a link made on version 1 marks the same words in
    version 2, whose earlier paragraph was rewritten (offsets shifted)."""
    from webapp.analysis import analyse

    text = sample_analysis.text
    quote = "Brazilian officials are watching closely."
    url = link_for(sample_slug, text, *spans_of(text, quote))
    edited = text.replace("said on Tuesday that members had not been consulted",
                          "told reporters on Tuesday that none of the members had been consulted")
    store_article(analyse(edited, nlp), sample_analysis.headline)
    response, page = open_link(client, url)
    assert "version 2 of 2" in response.get_data(as_text=True)
    assert page.passage == quote
    assert page.find("div", **{"class": "passage-bar"})[0]["data-method"] == "quote"
    # Shared again, the link points at the version shown.
    again = page.find("a", **{"class": "passage-copy"})[0]["href"]
    assert dict(parse_qsl(urlsplit(again).query))["v"] == version_id(edited)


def test_the_linked_version_is_looked_up_and_handed_to_resolve(client, small_slug, store_article,
                                                               monkeypatch):
    """Guards the wiring of the version lookup: an old version still stored is passed as
    old_text (so positions map through a diff); the current one resolves exactly."""
    seen = []
    real = articles.resolve
    monkeypatch.setattr(articles, "resolve", lambda *args: seen.append(args) or real(*args))
    quote = "The board said the work would start in spring"
    old_url = link_for(small_slug, SMALL, *spans_of(SMALL, quote))
    edited = SMALL.replace("on Monday", "on a wet Monday")
    store_article(small_analysis(edited), "Rivers rise")
    _, page = open_link(client, old_url)
    assert page.passage == quote
    anchor, current_text, current_version, old_text = seen[-1]
    assert (current_text, current_version, old_text) == (edited, version_id(edited), SMALL)
    new_url = link_for(small_slug, edited, *spans_of(edited, quote))
    _, page = open_link(client, new_url)
    assert page.find("div", **{"class": "passage-bar"})[0]["data-method"] == "exact-version"
    assert seen[-1][3] is None  # the current version needs no old text


def test_a_passage_link_with_an_entity_opens_the_panel_too(client, small_slug):
    """Guards ?entity= with a passage: the panel opens and the passage is marked; an
    unknown entity is the reader's usual 404."""
    url = link_for(small_slug, SMALL, *spans_of(SMALL, "She asked for new dams."), entity="anna-berg")
    response, page = open_link(client, url)
    assert page.passage == "She asked for new dams." and page.find("section", data_entity="anna-berg")
    url = link_for(small_slug, SMALL, *spans_of(SMALL, "She asked for new dams."), entity="nobody")
    assert client.get(url).status_code == 404


def test_passage_pages_share_the_versions_body_and_render_nothing_again(
        app, client, small_slug, monkeypatch):
    """Guards issue 11: the body is rendered once per version; a passage page marks the
    items its passage touches in their cached HTML (web/marks.py), rendering no block again."""
    rendered = []
    real = reader.render_items
    monkeypatch.setattr(reader, "render_items",
                        lambda version, view, items: rendered.append(len(items)) or real(version, view, items))
    client.get(f"/articles/{small_slug}")
    client.get(f"/articles/{small_slug}?entity=anna-berg")
    assert rendered == [4]  # one body for the page and every panel state
    for n in range(5):
        start = SMALL.index("Anna") + n
        response, page = open_link(client, link_for(small_slug, SMALL, start, start + 12))
        assert page.passage == SMALL[start:start + 12].strip()
    assert rendered == [4]
    plain = client.get(f"/articles/{small_slug}").get_data(as_text=True)
    assert 'class="passage"' not in plain and "passage-bar" not in plain


def test_htmx_panel_requests_ignore_passage_parameters(client, small_slug):
    """Guards the panel swap from a passage page: htmx gets the panel fragment, not a page."""
    url = link_for(small_slug, SMALL, *spans_of(SMALL, "She asked"), entity="anna-berg")
    html = client.get(url, headers=HX).get_data(as_text=True)
    assert "<html" not in html and 'data-entity="anna-berg"' in html


# --- the links pages hand out -------------------------------------------------------------

def test_the_selection_endpoint_makes_the_link_the_page_then_marks(client, small_slug):
    """Guards one encoding for links made in the browser: offsets in, a link out that
    opens at exactly the selected (trimmed) text, with the Text Fragment attached."""
    start, end = spans_of(SMALL, "Flood Board in Oslo")
    response = client.get(f"/articles/{small_slug}/passage-link?start={start - 1}&end={end + 1}")
    data = response.get_json()
    assert response.status_code == 200 and data["quote"] == "Flood Board in Oslo"
    assert (data["start"], data["end"], data["version"]) == (start, end, version_id(SMALL))
    assert "-,Flood%20Board%20in%20Oslo,-" in data["url"].split("#:~:text=")[1]
    _, page = open_link(client, data["url"])
    assert page.passage == "Flood Board in Oslo"


@pytest.mark.parametrize("query", ["start=5", "start=a&end=b", "start=30&end=10", "start=-1&end=5",
                                   "start=0&end=99999", "start=24&end=26"])
def test_the_selection_endpoint_refuses_bad_offsets(client, small_slug, query):
    """Guards the endpoint against offsets no selection gives (a 400, never a 500)."""
    assert client.get(f"/articles/{small_slug}/passage-link?{query}").status_code == 400


def test_the_selection_endpoint_uses_the_version_asked_for(client, small_slug, store_article):
    """Guards selections on an old version's page: offsets are into that version's text."""
    store_article(small_analysis(SMALL.replace("Rivers", "Streams")), "Rivers rise")
    start, end = spans_of(SMALL, "Rivers rise")
    old = client.get(f"/articles/{small_slug}/passage-link?start={start}&end={end}"
                     f"&version={version_id(SMALL)}").get_json()
    assert old["quote"] == "Rivers rise" and old["version"] == version_id(SMALL)
    assert client.get(f"/articles/{small_slug}/passage-link?start=0&end=3&version=abcdef0000").status_code == 404
    assert client.get("/articles/nothing/passage-link?start=0&end=3").status_code == 404


def test_every_paragraph_and_caption_has_a_link_to_itself(client, sample_slug, sample_analysis):
    """Guards the keyboard and no-JavaScript way to share: each paragraph and caption has
    a real link, made on demand (issue 11): a browser following it is sent to the passage
    link, whose page marks exactly that block; scripts get the link as JSON."""
    page = Page(client.get(f"/articles/{sample_slug}").get_data(as_text=True))
    links = page.find("a", **{"class": "block-link"})
    linked = [b for b in sample_analysis.blocks if b.kind in ("paragraph", "caption")]
    assert len(links) == len(linked)
    assert {a["aria-label"] for a in links} == {"Link to this paragraph", "Link to this caption"}
    browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    for link, block in list(zip(links, linked))[::3]:
        assert "q=" not in link["href"]  # the quote is not written into the page
        went = client.get(link["href"], headers=browser)
        assert went.status_code == 303 and "#:~:text=" in went.headers["Location"]
        assert client.get(link["href"], headers={"Accept": "application/json"}).get_json()["url"] \
            == went.headers["Location"]
        _, opened = open_link(client, went.headers["Location"])
        assert opened.passage == sample_analysis.block_text(block).strip()


def test_every_mention_in_the_panel_links_to_its_sentence(client, small_slug):
    """Guards the panel's sentence links, and the panel's "Copy link" for the entity."""
    for headers in ({}, HX):
        html = client.get(f"/articles/{small_slug}?entity=norway", headers=headers).get_data(as_text=True)
        panel = Page(html[html.index('<section class="entity-panel"'):])
        copy = panel.find("a", **{"class": "entity-copy"})
        assert copy and copy[0]["href"] == f"/articles/{small_slug}?entity=norway"
        links = panel.find("a", **{"class": "sentence-link"})
        assert len(links) == 2
    sentences = ["Anna Berg met the Flood Board in Oslo on Monday.",
                 "The board said the work would start in spring, 😀 and that Oslo would pay."]
    for link, sentence in zip(links, sentences):
        _, opened = open_link(client, link["href"])
        assert opened.passage == sentence


@pytest.mark.parametrize("quote", ["Anna Berg met", "a & b = c + d?", "50% of #1/2, 'x' (y) *z*!",
                                   "Ünïcödé “quotes” — 😀", "tabs\tand\nlines ;:@$,"])
def test_a_passage_link_is_what_url_for_would_build(app, quote):
    """Guards links.link_to, which joins the query itself (faster than url_for): the link
    is byte for byte the one Flask's url_for builds from the same parameters."""
    from flask import url_for

    from webapp.anchors import text_fragment
    from webapp.web.links import link_to

    text = f"Before it. {quote} After it, more words."
    start = text.index(quote)
    anchor = make_anchor(text, start, start + len(quote), version_id(text))
    with app.test_request_context("/", base_url="http://127.0.0.1/reader"):
        built = url_for("reader.article", slug="a-b", **encode(anchor)) + text_fragment(anchor)
        assert link_to(anchor, "a-b") == built and built.startswith("/reader/articles/a-b?p=")


def test_each_passage_pages_notice_links_to_its_own_passage(client, small_slug):
    """Guards reader.passage_notice, which renders a found passage's notice once per way it
    was found and fills in the link: every page's "Copy link" is its own passage's link,
    the one the page was opened with (made on the version shown), escaped as Jinja would."""
    for quote in ("Anna Berg met", "the Flood Board", "She asked for new dams."):
        url = link_for(small_slug, SMALL, *spans_of(SMALL, quote))
        response, page = open_link(client, url)
        copy = page.find("a", **{"class": "passage-copy"})[0]["href"]
        assert page.passage == quote and copy.split("#")[0] == url
        assert f'href="{escape(copy)}"' in response.get_data(as_text=True)
