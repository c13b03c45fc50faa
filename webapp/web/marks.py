"""A shared passage marked in an item's cached HTML: `<mark class="passage">` spliced in at
the passage's offsets, the same markup a render of the marked blocks gives (issue 11)."""
from __future__ import annotations

import re

from markupsafe import Markup

PASSAGE_OPEN = '<mark class="passage">'
PASSAGE_CLOSE = "</mark>"
# Inside a block element our templates write only tags and escaped text, where an entity
# (&amp;, &#34;, ...) stands for one character of the article's text.
_TOKEN = re.compile(r"<[^>]*>|[^<]+")
_CHAR = re.compile(r"&[^;]*;|[^&]")
_ENTITY = re.compile(r"&[^;]*;")
_MENTION_OPEN = '<a class="mention" '


def _block_element(html: str, block_id: str) -> tuple[int, int] | None:
    """Where the inside of the element with data-block="block_id" begins and ends."""
    at = html.find(f' data-block="{Markup.escape(block_id)}"')
    if at < 0:
        return None
    tag_start = html.rfind("<", 0, at)
    tag = html[tag_start + 1:at].split(" ", 1)[0]
    inner_start = html.index(">", at) + 1
    return inner_start, html.index(f"</{tag}>", inner_start)


def _chars(run: str) -> list[int] | range:
    """Where each character of an escaped run of text begins, and where the run ends."""
    if "&" not in run:
        return range(len(run) + 1)
    return [m.start() for m in _CHAR.finditer(run)] + [len(run)]


def _length(run: str) -> int:
    """How many characters an escaped run of text stands for: len(_chars(run)) - 1, without
    finding where each begins (the runs outside the passage, most of a long paragraph's,
    need only their length)."""
    if "&" not in run:
        return len(run)
    entities = _ENTITY.findall(run)
    # _CHAR's matches: each entity, and each character outside them but a stray "&".
    outside = len(run) - sum(map(len, entities))
    stray = run.count("&") - sum(entity.count("&") for entity in entities)
    return len(entities) + outside - stray


def _mark_inner(inner: str, base: int, start: int, end: int) -> str:
    """The inside of a block element (its text starting at offset `base`) with text[start:end]
    marked: the part of each run of text inside it wrapped, and a name wholly inside it
    wrapped around its link (which stays one link)."""
    out, pos, n = [], base, 0
    tokens = _TOKEN.findall(inner)
    while n < len(tokens):
        if pos >= end:  # past the passage (a name is never empty): the rest as it is
            out += tokens[n:]
            break
        token = tokens[n]
        if token.startswith(_MENTION_OPEN):
            close = tokens.index("</a>", n)
            length = sum(_length(t) for t in tokens[n + 1:close] if t[0] != "<")
            if start <= pos and pos + length <= end:
                out += [PASSAGE_OPEN, *tokens[n:close + 1], PASSAGE_CLOSE]
            elif pos + length <= start:  # before the passage: the link as it is
                out += tokens[n:close + 1]
            else:  # the passage begins or ends inside the name: marked in its link
                n += 1
                out.append(token)
                continue
            pos += length
            n = close + 1
            continue
        n += 1
        if token[0] == "<":
            out.append(token)
            continue
        length = _length(token)
        a, b = max(start, pos) - pos, min(end, pos + length) - pos
        pos += length
        if a >= b:
            out.append(token)
        else:
            chars = _chars(token)
            a, b = chars[a], chars[b]
            out += [token[:a], PASSAGE_OPEN, token[a:b], PASSAGE_CLOSE, token[b:]]
    return "".join(out)


def mark_item(html: str, spans: dict[str, tuple[int, int, int]]) -> str:
    """An item's HTML with the passage marked in each of its blocks; `spans` maps a block id
    to (the block's start, the passage's start, its end) as offsets into the article."""
    for block_id, (base, start, end) in spans.items():
        where = _block_element(html, block_id)
        if where is None:
            continue
        a, b = where
        html = html[:a] + _mark_inner(html[a:b], base, start, end) + html[b:]
    return html
