"""Passage links as the reader's pages hand them out: to a selection, a paragraph or a
caption, a mention's sentence, and the passage a shared link opens at (issue 4)."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from ..anchors import (
    Anchor,
    PassagePiece,
    Resolution,
    encode,
    make_anchor,
    percent_encoder,
    preview,
    text_fragment,
)
from ..store import Version
from .views import ArticleView, PanelMention

# The query parameters a passage link is made of (passages.encode); any of them on an
# article URL makes it a passage link.
PASSAGE_PARAMS = frozenset({"p", "v", "q", "qe", "pre", "suf"})
# What Werkzeug's URL building leaves unescaped in a query (werkzeug.urls._urlencode).
QUERY_SAFE = "!$'()*,/:;?@"
_query_part = percent_encoder(QUERY_SAFE, plus=True)


def is_passage_link(args) -> bool:
    return not PASSAGE_PARAMS.isdisjoint(args.keys())


def link_to(anchor: Anchor, slug: str) -> str:
    """A passage link as people share it.

    A URL has one fragment, and it goes to the Text Fragment (`#:~:text=`), so browsers
    that support them find the passage even without JavaScript; the query parameters let
    the server mark the passage whatever the browser, and passages.js scrolls to it.
    """
    # The query joined here rather than by url_for, which encodes it the same way (Werkzeug's
    # _urlencode: urlencode with quote_plus) at several times the cost: a link is made on
    # every passage page and panel row.
    query = "&".join(f"{_query_part(name)}={_query_part(value)}"
                     for name, value in encode(anchor).items())
    return f"{url_for('reader.article', slug=slug)}?{query}{text_fragment(anchor)}"


def passage_link(version: Version, text: str, start: int, end: int) -> str | None:
    """The link to text[start:end] of this version; None when no link can hold it (an
    empty or whitespace-only span, control characters)."""
    try:
        anchor = make_anchor(text, start, end, version.hash)
    except ValueError:
        return None
    return link_to(anchor, version.slug)


def sentence_links(version: Version, view: ArticleView, rows: list[PanelMention]) -> dict[str, str]:
    """For the entity panel: each mention's link to the sentence it stands in."""
    links = {}
    for row in rows:
        link = passage_link(version, view.analysis.text, *row.sentence)
        if link:
            links[row.mention.id] = link
    return links


def article_description(view: ArticleView) -> str:
    """A link preview's text for the plain article: its first paragraph, shortened."""
    for block in view.analysis.blocks:
        if block.kind == "paragraph":
            return preview(view.analysis.block_text(block))
    return ""


@dataclass(frozen=True)
class SharedPassage:
    """A passage link as opened: what it quoted, where the quote is now, and the links the
    page offers (the passage on the shown version, and the page without it)."""

    anchor: Anchor
    resolution: Resolution
    pieces: list[PassagePiece]
    link: str          # to share again: remade on the shown version when found
    clear_url: str
    # Not found, but the link names an older stored version of the article: the passage
    # was there and is gone ("no longer in"), rather than never there ("not in", issue 16).
    was_here: bool = False
    # The link's quote against today's words, when the passage changed since (issue 19).
    changes: tuple = ()

    @property
    def found(self) -> bool:
        # A passage that now lies only in boilerplate is found but not shown: an orphan too.
        return self.resolution.found and bool(self.pieces)

    @property
    def quote(self) -> str:
        return self.anchor.quote

    @property
    def edited(self) -> bool:
        """Found only approximately: the quoted text itself has changed since."""
        return self.resolution.method == "fuzzy"
