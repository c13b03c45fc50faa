"""Extraction of the article from web pages: text in blocks, metadata, captions kept as captions."""
from pathlib import Path

import pytest

from webapp.analysis.parse import parse_article
from webapp.ingest import (
    Extracted,
    NoArticleText,
    article_from_document,
    extract_html,
    looks_like_html,
)

PAGES = Path(__file__).parent / "fixtures" / "pages"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def blocks_of(extracted: Extracted) -> list[tuple[str, str, list[str]]]:
    """(kind, text, credits) of each block parse.py finds in the extracted text."""
    text = extracted.text
    return [(b.kind, text[b.start:b.end], b.credits) for b in parse_article(text)]


@pytest.fixture(scope="module")
def harbour():
    return extract_html(page("harbour-vote.html"), "https://ledger.example/harbour?ref=home")


@pytest.fixture(scope="module")
def summit():
    return extract_html(page("summit-talks.html"), "https://northernwire.example/s/123")


def test_metadata_from_meta_tags(harbour):
    assert harbour.title == "Port council backs harbour expansion after long night"
    assert harbour.author == "Marta Ilves"
    assert harbour.published == "2026-03-14"
    assert harbour.site_name == "The Coastal Ledger"
    assert harbour.canonical_url == "https://ledger.example/news/2026/03/harbour-vote"
    assert harbour.source_url == "https://ledger.example/harbour?ref=home"


def test_metadata_from_json_ld(summit):
    assert summit.title == "Ministers agree on a grain corridor at the Oslo summit"
    assert summit.author == "Tomas Lind"
    assert summit.published == "2026-10-02"      # the original date, not the modified one
    assert summit.site_name == "Northern Wire"
    assert summit.canonical_url == "https://northernwire.example/world/summit-grain-corridor"


def test_metadata_from_microdata_and_open_graph():
    river = extract_html(page("river-inquiry.html"))
    assert (river.title, river.author, river.published, river.site_name, river.canonical_url) == (
        "Inquiry opens into Severn flood defences", "Priya Nair", "2026-01-20", "Valley Post",
        "https://valleypost.example/local/severn-inquiry")


def test_a_caption_and_its_credit_in_separate_paragraphs_of_a_figcaption():
    river = extract_html(page("river-inquiry.html"))
    assert [(kind, credits) for kind, _, credits in blocks_of(river)] == [
        ("headline", []), ("paragraph", []), ("caption", ["Owen Hughes", "PA"]),
        ("paragraph", []), ("paragraph", []), ("paragraph", [])]
    assert ("Residents of Frankwell were moved to the Quarry leisure centre in October "
            "(Photograph: Owen Hughes/PA)") in river.text


def test_the_title_is_the_first_block_and_parse_makes_it_the_headline(harbour):
    kind, text, _ = blocks_of(harbour)[0]
    assert (kind, text) == ("headline", harbour.title)


def test_credited_figcaptions_become_captions_with_their_credits(harbour):
    """A credit the page marks (a span with class "credit", a <small>) ends the caption in
    parentheses, as scraped captions read, so parse.py keeps the block as a caption."""
    captions = [(text, credits) for kind, text, credits in blocks_of(harbour) if kind == "caption"]
    assert captions == [
        ("Mayor Elena Varga speaks to dock workers before the vote in Tallinn "
         "(Photo: Reuters/Anna Kask)", ["Reuters", "Anna Kask"]),
        ("Councillors debated through the night in the old town hall "
         "(Photograph: Jaan Tamm for The Coastal Ledger)", ["Jaan Tamm for The Coastal Ledger"]),
    ]


def test_a_credit_inside_the_caption_text_is_kept_as_it_is(summit):
    captions = [(text, credits) for kind, text, credits in blocks_of(summit) if kind == "caption"]
    assert captions == [("Foreign ministers Ingrid Dahl (left) and Viktor Sorensen arrive at the "
                         "summit in Oslo (AP Photo/Lars Berg)", ["AP", "Lars Berg"])]


def test_an_unlabelled_credit_gets_a_credit_label():
    html = ("<html><body><article><h1>Harbour vote splits the town council</h1>"
            "<figure><img src=a.jpg><figcaption>The mayor at the docks "
            "<span class='photo-credit'>Jane Roe/AFP</span></figcaption></figure>"
            + "<p>The council voted on Saturday to expand the harbour, after a long night.</p>" * 3
            + "</article></body></html>")
    extracted = extract_html(html)
    assert "The mayor at the docks (Credit: Jane Roe/AFP)" in extracted.text
    assert ("caption", "The mayor at the docks (Credit: Jane Roe/AFP)", ["Jane Roe", "AFP"]) \
        in blocks_of(extracted)


def test_caption_spans_point_at_every_figcaption_credited_or_not(summit, harbour):
    assert [harbour.text[s:e] for s, e in harbour.captions] == [
        text for kind, text, _ in blocks_of(harbour) if kind == "caption"]
    assert [summit.text[s:e] for s, e in summit.captions] == [
        "Foreign ministers Ingrid Dahl (left) and Viktor Sorensen arrive at the summit in Oslo "
        "(AP Photo/Lars Berg)",
        "The port of Gdansk, one of the corridor's planned stops"]


def test_the_article_text_is_kept_in_order_one_block_per_paragraph(harbour):
    paragraphs = [text for kind, text, _ in blocks_of(harbour) if kind == "paragraph"]
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("The port council of Kalamaja voted early on Saturday")
    assert paragraphs[-1].endswith('said his group was "seriously considering".')


@pytest.mark.parametrize("name, gone", [
    ("harbour-vote.html", ["cookie", "Accept all", "Weather", "Sport", "Related stories",
                           "Dredging plan faces", "Ferry operator cuts", "All rights reserved",
                           "Privacy", "By Marta Ilves", "window.tracking"]),
    ("summit-talks.html", ["store cookies", "Your privacy", "Cookie settings", "> Europe", "Home",
                           "Sign up for our daily newsletter", "Subscribe", "Read more",
                           "Grain prices fall", "Baltic navies", "Most read", "Storm closes",
                           "Injected by a script", "enable JavaScript", "About us",
                           "Ferry crews in Helsinki"]),
    ("river-inquiry.html", ["cookies", "Allow all", "Log in", "Subscribe", "Share this article",
                            "Tweet", "Read more", "Councils warn", "Comments", "FloodWatcher22",
                            "disgrace since the day", "Environment Correspondent",
                            "Midlands Media Group"]),
])
def test_cookie_banners_navigation_related_links_and_scripts_are_dropped(name, gone):
    text = extract_html(page(name)).text
    assert [piece for piece in gone if piece in text] == []


def test_list_items_are_blocks_of_their_own(summit):
    assert "\n\nGdansk, in Poland\n\nKarlskrona, in Sweden\n\n" in summit.text


def test_markup_written_as_text_in_the_page_stays_text(summit):
    """Escaped markup in an article is its text: kept literally, never turned into tags."""
    assert "lower premiums <b>by half</b>, a figure" in summit.text


def test_a_page_without_an_article_is_refused_with_a_reason():
    html = "<!doctype html><html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav></body></html>"
    with pytest.raises(NoArticleText, match="no article text"):
        extract_html(html)


def test_a_binary_file_is_refused():
    with pytest.raises(NoArticleText, match="binary"):
        article_from_document(b"<html>\x00\x01\x02</html>")


@pytest.mark.parametrize("start", [
    "<!doctype html><html>", "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\">",
    "  \n<html lang=en>", "\ufeff<!doctype html>", "<!-- generator -->\n<!doctype html>",
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">",
])
def test_pages_are_recognised_by_how_they_start(start):
    assert looks_like_html(start + "<body><p>Text</p></body></html>")
    assert looks_like_html((start + "<p>Text</p>").encode("utf-8"))


@pytest.mark.parametrize("text", ["<3 my city: a harbour love story", "Harbour deal\n\n<html> is a tag",
                                  "The <html> element starts a page."])
def test_plain_text_is_not_taken_for_a_page(text):
    assert not looks_like_html(text)


def test_a_page_is_recognised_by_its_content_type():
    assert looks_like_html("<p>A fragment</p>", "text/html; charset=utf-8")
    assert looks_like_html(b"<p>A fragment</p>", "application/xhtml+xml")
    assert not looks_like_html("Plain words", "text/plain")


def test_an_uploaded_page_is_extracted_not_stored_as_markup():
    """Guards issue 9: an uploaded .html file was stored as raw markup titled <!doctype html>."""
    article = article_from_document(page("harbour-vote.html"), content_type="application/octet-stream")
    assert article.title == "Port council backs harbour expansion after long night"
    assert "<" not in article.text and "doctype" not in article.text.lower()


def test_plain_text_is_kept_exactly_and_titled_by_the_title_rule():
    text = "Getty Images\n\nHarbour vote splits the council\n\nThe council voted on Saturday.\n"
    article = article_from_document(text.encode("utf-8"), content_type="text/plain")
    assert article.text == text
    assert article.title == "Harbour vote splits the council"
    assert article.captions == () and article.author is None


def test_the_declared_charset_decodes_the_page():
    html = ("<html><head><meta charset='windows-1252'><title>Café owners protest in Zürich"
            "</title></head><body><article><h1>Café owners protest in Zürich</h1>"
            + "<p>Owners of cafés marched through Zürich on Monday to protest the new rules.</p>" * 3
            + "</article></body></html>").encode("cp1252")
    assert extract_html(html).title == "Café owners protest in Zürich"
    assert "Owners of cafés marched through Zürich" in article_from_document(html).text
    # A charset from the Content-Type header wins over a wrong <meta>.
    wrong_meta = html.replace(b"windows-1252", b"utf-8")
    assert extract_html(wrong_meta, charset="cp1252").title == "Café owners protest in Zürich"


def test_extracted_text_analyses_with_mentions_in_captions(harbour, nlp):
    """The point of keeping captions: a name in a caption is a mention in a caption block."""
    from webapp.analysis import analyse

    analysis = analyse(harbour.text, nlp)
    kinds = {b.id: b.kind for b in analysis.blocks}
    varga = next(e for e in analysis.entities if e.name == "Elena Varga")
    assert "caption" in {kinds[m.block] for m in varga.mentions}


PHOTO_FIRST = ("<html><head><title>Harbour vote splits the town council</title>"
               "<link rel=canonical href='{canonical}'></head><body><article>"
               "<figure><img src=a.jpg><figcaption>The mayor at the docks "
               "<span class='credit'>Reuters</span></figcaption></figure>"
               "<h1>Harbour vote splits the town council</h1>"
               "<p>The council voted on Saturday to expand the harbour, after a long night.</p>"
               "<p>The mayor said the vote would bring work to the docks for a decade.</p>"
               "</article></body></html>")


def test_the_headline_comes_first_even_when_a_photo_comes_before_it():
    extracted = extract_html(PHOTO_FIRST.format(canonical="https://news.example/harbour"))
    assert [kind for kind, _, _ in blocks_of(extracted)] == ["headline", "caption", "paragraph",
                                                             "paragraph"]
    assert extracted.text.count("Harbour vote splits the town council") == 1


@pytest.mark.parametrize("canonical", ["javascript:alert(1)", "data:text/html,<script>x</script>",
                                       "  JAVASCRIPT:alert(1)"])
def test_a_canonical_link_that_is_not_a_web_address_is_never_kept(canonical):
    """The canonical address is shown as a link: a script address written in a page must not
    get through (it falls back to the address the page came from)."""
    extracted = extract_html(PHOTO_FIRST.format(canonical=canonical), "https://news.example/a")
    assert extracted.canonical_url == "https://news.example/a"
    assert extract_html(PHOTO_FIRST.format(canonical=canonical)).canonical_url is None


def test_line_breaks_and_blocks_without_spaces_still_separate_words():
    """Guards a bug found while writing this: "<br>" and "</p><p>" with no space between
    joined the last word of one line to the first of the next ("harbour.The")."""
    html = ("<html><head><title>Harbour vote splits the town council</title></head><body>"
            "<article><h1>Harbour vote splits the town council</h1>"
            "<figure><img src=x><figcaption><p>The mayor at the docks</p>"
            "<p class=credit>Photo: Reuters</p></figcaption></figure>"
            "<p>The council voted on Saturday to expand the harbour.<br>The mayor said the "
            "<b>vote</b>'s result would bring work to the docks for a decade.</p>"
            "<table><tr><th>Party</th><th>Seats</th></tr><tr><td>Greens</td><td>4</td></tr></table>"
            "</article></body></html>")
    text = extract_html(html).text
    assert "The mayor at the docks (Photo: Reuters)" in text
    assert "the harbour. The mayor said the vote's result" in text
    assert "\n\nParty | Seats\n\nGreens | 4" in text


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

TAGS = ["p", "div", "figure", "figcaption", "span class=credit", "small", "a href=/x", "h1",
        "br", "script", "ul", "li", "table", "tr", "td", "blockquote", "article", "nav", "!--"]
words = st.one_of(
    st.text(min_size=1, max_size=40),
    st.sampled_from(["Mayor Elena Varga spoke to the council about the harbour plan today. ",
                     "The Baltic Shipping Union welcomed the vote on Saturday morning. ",
                     "(Photo: Reuters)", "&lt;script&gt;", "&amp;", "\x00", "\ufeff", "\r\n"]))
junk = st.one_of(words, st.sampled_from(TAGS).map(lambda tag: f"<{tag}>"),
                 st.sampled_from(TAGS).map(lambda tag: f"</{tag.split()[0]}>"))
paragraph = st.lists(words, min_size=1, max_size=5).map(lambda w: "<p>" + "".join(w) + "</p>")
credit = st.sampled_from(["", "Reuters", "Photo: AP"])
figure = st.tuples(st.lists(words, min_size=1, max_size=3), credit).map(
    lambda f: "<figure><img src=a.jpg><figcaption>" + "".join(f[0])
    + (f"<span class=credit>{f[1]}</span>" if f[1] else "") + "</figcaption></figure>")
piece = st.one_of(junk, paragraph, paragraph, figure)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(piece, max_size=60), st.booleans())
def test_any_page_gives_an_article_or_a_clear_refusal(pieces, as_bytes):
    """Untrusted pages: whatever the markup, extraction returns an article whose caption spans
    point at whole blocks of its text, or refuses with NoArticleText; it never crashes."""
    page_text = "<!doctype html><html><body>" + "".join(pieces)
    try:
        extracted = extract_html(page_text.encode("utf-8") if as_bytes else page_text)
    except NoArticleText:
        return
    assert extracted.text.strip() and "\x00" not in extracted.text
    blocks = extracted.text.split("\n\n")
    for start, end in extracted.captions:
        assert extracted.text[start:end] in blocks


def test_control_characters_in_a_caption_do_not_crash_extraction():
    """Guards a crash the property test above found: a figcaption holding a control character
    (ESC) made lxml refuse the caption paragraph with a ValueError."""
    html = ("<html><body><article><h1>Harbour vote splits the council</h1><figure><img src=a>"
            "<figcaption>The mayor\x1b at the docks <span class=credit>Reuters</span></figcaption>"
            "</figure><p>The council voted on Saturday to expand the harbour, after a long night."
            "</p></article></body></html>")
    assert "The mayor at the docks (Credit: Reuters)" in extract_html(html).text


def test_a_nested_list_keeps_each_item_once_and_words_apart():
    """Guards the review of issue 9: an item's text included its nested list's items, glued
    to its own words ("hereInner"), and the inner item came again as a block of its own."""
    page = """<!doctype html><html><head><title>Harbour vote in Oslo tonight</title></head>
    <body><article><h1>Harbour vote in Oslo tonight</h1>
    <p>The council of Oslo meets tonight to vote on the harbour plan, which has split the
    city for months and drawn protests from dock workers along the quays.</p>
    <ul><li>Outer item text here<ul><li>Inner item text here</li></ul></li>
    <li>Second outer item</li></ul>
    <p>Mayor Elena Varga said the vote would go ahead whatever the weather, and that the
    plan had been changed twice already since the spring.</p></article></body></html>"""
    text = article_from_document(page, content_type="text/html").text
    assert "hereInner" not in text
    assert text.count("Inner item text here") == 1
    assert "Outer item text here\n\nInner item text here\n\nSecond outer item" in text
