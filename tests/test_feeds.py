"""Atom feeds (issue 19): what webapp/feeds.py writes, read back by feedparser as a feed reader
would; ids, dates and links are checked, and article text cannot break the document."""
from datetime import datetime, timezone
from xml.etree import ElementTree

import feedparser

from webapp.feeds import ATOM, Feed, FeedEntry, atom_date, render

BASE = "http://reader.example/"


def a_feed(entries):
    return Feed(id=BASE + "entities/maria-costa", title="Maria Costa in the library",
                link=BASE + "entities/maria-costa", self_link=BASE + "entities/maria-costa.atom",
                entries=entries)


def an_entry(n=1, **fields):
    values = dict(id=f"{BASE}articles/port-{n}", title=f"Port talks, day {n}",
                  link=f"{BASE}articles/port-{n}?entity=maria-costa",
                  updated=f"2026-11-0{n}T10:00:00+00:00", summary="Maria Costa said the vote was fair.",
                  source="example.org", published=f"2026-11-0{n}")
    values.update(fields)
    return FeedEntry(**values)


def test_a_feed_parses_as_atom_with_its_ids_dates_and_links():
    parsed = feedparser.parse(render(a_feed([an_entry(2), an_entry(1)])))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == BASE + "entities/maria-costa"
    assert parsed.feed.updated == "2026-11-02T10:00:00Z"  # the newest entry's
    links = {l.rel: l.href for l in parsed.feed.links}
    assert links == {"alternate": BASE + "entities/maria-costa", "self": BASE + "entities/maria-costa.atom"}
    first = parsed.entries[0]
    assert first.id == BASE + "articles/port-2" and first.title == "Port talks, day 2"
    assert first.link == BASE + "articles/port-2?entity=maria-costa"
    assert first.updated_parsed[:3] == (2026, 11, 2) and first.published_parsed[:3] == (2026, 11, 2)
    assert first.summary == "example.org — Maria Costa said the vote was fair."
    assert first.author == "example.org"


def test_an_empty_feed_is_valid_and_has_no_entries():
    """A search with no match is a feed with no entry, not an error."""
    parsed = feedparser.parse(render(a_feed([])))
    assert not parsed.bozo and parsed.version == "atom10"
    assert parsed.entries == [] and parsed.feed.updated == "1970-01-01T00:00:00Z"


def test_article_text_is_escaped_and_characters_xml_cannot_carry_are_dropped():
    """Markup, ampersands, quotes and control characters in a title or snippet stay text."""
    hostile = '<script>alert(1)</script> & "quotes" hx-get="/x" \x07\x0b\ufffe end'
    document = render(a_feed([an_entry(1, title=hostile, summary=hostile, source=None)]))
    ElementTree.fromstring(document)  # well-formed
    parsed = feedparser.parse(document)
    assert not parsed.bozo
    entry = parsed.entries[0]
    assert "<script>" not in document.decode()
    assert entry.title == '<script>alert(1)</script> & "quotes" hx-get="/x"  end'
    assert ElementTree.fromstring(document).find(f"{{{ATOM}}}entry/{{{ATOM}}}summary").get("type") == "text"


def test_dates_become_rfc_3339_in_utc():
    assert atom_date("2026-11-02") == "2026-11-02T00:00:00Z"
    assert atom_date("2026-11-02T12:30:00+02:00") == "2026-11-02T10:30:00Z"
    assert atom_date(datetime(2026, 11, 2, 9, tzinfo=timezone.utc)) == "2026-11-02T09:00:00Z"
    assert atom_date("last Tuesday") is None and atom_date(None) is None


def test_an_undated_published_field_is_left_out_not_made_up():
    parsed = feedparser.parse(render(a_feed([an_entry(1, published="sometime in spring")])))
    assert "published" not in parsed.entries[0]
