"""Atom feeds (RFC 4287) of articles: plain data in, the feed document out (no Flask, no SQL).

Written with the standard library's ElementTree, which escapes every piece of text; article
text may also hold characters XML cannot carry at all (most control characters), which are
dropped here so that the feed stays well-formed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from xml.etree import ElementTree

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
GENERATOR = "Dramatis"
# What XML 1.0 cannot carry: C0 controls other than tab, newline, return; surrogates; FFFE/FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

ElementTree.register_namespace("", ATOM)


@dataclass
class FeedEntry:
    """One article in a feed."""

    id: str  # a permanent URI: the article's address
    title: str
    link: str  # where the entry opens: the article, with the panel open or at the match
    updated: str | datetime  # when the article (its newest version) last changed
    summary: str = ""  # the snippet where the name or the words occur
    source: str | None = None  # the site it came from
    author: str | None = None  # the article's byline
    published: str | datetime | None = None


@dataclass
class Feed:
    """A feed: its permanent id, title, the page it stands for and its own address."""

    id: str
    title: str
    link: str  # the HTML page the feed follows
    self_link: str  # the feed's own address
    entries: list[FeedEntry] = field(default_factory=list)
    updated: str | datetime | None = None  # default: the newest entry's, else the epoch
    subtitle: str | None = None


def xml_text(text: str) -> str:
    """Text with the characters XML cannot carry dropped."""
    return NOT_XML.sub("", text)


def atom_date(value: str | datetime | date | None) -> str | None:
    """An RFC 3339 date-time in UTC ("2026-12-01T19:24:56Z"), or None when the value is no date.
    A date alone counts as its midnight in UTC; a time without a zone as UTC."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):  # a date
        value = datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent, tag: str, text: str | None = None, **attributes) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}",
                                     {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def render(feed: Feed) -> bytes:
    """The Atom document of a feed, UTF-8 with its XML declaration."""
    epoch = datetime(1970, 1, 1, tzinfo=timezone.utc)
    entry_dates = [atom_date(e.updated) for e in feed.entries]
    updated = atom_date(feed.updated) or max(filter(None, entry_dates), default=atom_date(epoch))
    root = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(root, "id", feed.id)
    _add(root, "title", feed.title)
    if feed.subtitle:
        _add(root, "subtitle", feed.subtitle)
    _add(root, "updated", updated)
    _add(root, "link", rel="alternate", type="text/html", href=feed.link)
    _add(root, "link", rel="self", type=MEDIA_TYPE, href=feed.self_link)
    # RFC 4287 4.1.1: a feed needs an author unless every entry has one.
    author = _add(root, "author")
    _add(author, "name", GENERATOR)
    _add(root, "generator", GENERATOR)
    for entry, entry_updated in zip(feed.entries, entry_dates):
        item = _add(root, "entry")
        _add(item, "id", entry.id)
        _add(item, "title", entry.title)
        _add(item, "updated", entry_updated or updated)
        published = atom_date(entry.published)
        if published:
            _add(item, "published", published)
        _add(item, "link", rel="alternate", type="text/html", href=entry.link)
        if entry.author or entry.source:
            byline = _add(item, "author")
            _add(byline, "name", entry.author or entry.source)
        if entry.source:
            _add(item, "category", term=entry.source, label=entry.source)
        summary = " — ".join(filter(None, [entry.source, entry.summary]))
        if summary:
            _add(item, "summary", summary, type="text")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
