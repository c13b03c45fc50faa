"""Passage links: anchor a quoted passage, put it in a URL, and find it again after edits."""
from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import accumulate
from typing import NamedTuple
from urllib.parse import parse_qsl

from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz

from .analysis.sentences import sentence_stop as _sentence_stop

CONTEXT_CHARS = 32  # prefix and suffix length, as in the W3C TextQuoteSelector practice
# A selection longer than this is clamped when a link is made: a passage is a few
# paragraphs, not the article, and resolving stays cheap.
MAX_PASSAGE_CHARS = 10_000
# Quotes up to this length travel whole in the link. Longer ones travel as their opening and
# closing words (like Text Fragments' textStart,textEnd) plus their position, so a link to
# three paragraphs still fits in a chat message.
WHOLE_QUOTE_CHARS = 160
QUOTE_END_CHARS = 60
# What a link may carry; anything larger is not a link we made (a 100 KB quote is refused).
MAX_LINK_QUOTE_CHARS = 4_000
MAX_LINK_CONTEXT_CHARS = 256
MAX_LINK_OFFSET = 10_000_000
MAX_QUERY_CHARS = 16_000

# Acceptance, see resolve() and the tests that pin these down.
TELLING_QUOTE_CHARS = 20  # an exact quote this long is trusted without its context
# One side of the context must agree at least this well. Unrelated 32-character stretches
# of news text score 0.34 (median) to 0.56 (99.9th percentile) with rapidfuzz's ratio.
CONTEXT_MIN = 0.65
QUOTE_MIN = 0.85          # an approximate quote must be at least this similar

_OFFSETS = re.compile(r"([0-9]{1,9})-([0-9]{1,9})", re.ASCII)
_VERSION = re.compile(r"[0-9a-f]{6,64}", re.ASCII)
_BROKEN_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATTERN_CHARS = 32  # diff-match-patch's Match_MaxBits: longest pattern match_main takes
# Bounds on the approximate search (issue 7: a quote that is not there, or a link made on an
# old version, cost up to 0.7 s on a long article). diff-match-patch's bitap matcher is pure
# Python and scans what it is given, so it only sees this many characters either side of
# where the passage is expected; rapidfuzz (C) still looks at the whole text.
MATCH_WINDOW = 500
# Two versions are diffed line by line (a line is one symbol), never character by character.
MAX_DIFF_LINES = 5_000


class MalformedLink(ValueError):
    """A passage link that cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class Anchor:
    """A passage as a link holds it: the quote, its context, and where it was.

    When a long quote is shortened for the link, `exact` holds its opening words and `tail`
    its closing words; otherwise `tail` is empty and `exact` is the whole quote.
    """

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int
    version: str | None = None
    tail: str = ""

    @property
    def shortened(self) -> bool:
        return bool(self.tail)

    @property
    def quote(self) -> str:
        """The quoted text as a reader should see it (with an ellipsis when shortened)."""
        return f"{self.exact} \u2026 {self.tail}" if self.tail else self.exact


@dataclass(frozen=True)
class Resolution:
    """Where a passage was found in the current text, and how; an orphan has no span."""

    start: int | None
    end: int | None
    method: str  # "exact-version", "quote", "fuzzy" or "orphan"
    score: float

    @property
    def found(self) -> bool:
        return self.method != "orphan"


class PassagePiece(NamedTuple):
    """The part of a passage that falls inside one block, to wrap in a <mark>."""

    block: str
    start: int
    end: int


def version_id(text: str) -> str:
    """The id of one version of an article's text: the first 10 hex digits of its SHA-256."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]


# --- making and shortening --------------------------------------------------------------

def make_anchor(text: str, start: int, end: int, version: str | None = None) -> Anchor:
    """Anchor the selection text[start:end], trimmed of surrounding whitespace.

    Raises ValueError for offsets out of the text, reversed or empty selections, and
    selections holding control characters (a link could not carry them). Selections longer
    than MAX_PASSAGE_CHARS are clamped to their first MAX_PASSAGE_CHARS characters.
    """
    if not isinstance(start, int) or not isinstance(end, int):
        raise ValueError("passage offsets must be integers")
    if start < 0 or end < 0:
        raise ValueError(f"passage offsets must not be negative (got {start}-{end})")
    if start > end:
        raise ValueError(f"passage start {start} is after its end {end}")
    if end > len(text):
        raise ValueError(f"passage end {end} is beyond the text ({len(text)} characters)")
    while start < end and text[start].isspace():
        start += 1
    end = min(end, start + MAX_PASSAGE_CHARS)
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("the selection is empty once surrounding whitespace is trimmed")
    exact = text[start:end]
    if _has_control_chars(exact):
        raise ValueError("the selection contains control characters")
    return Anchor(exact=exact,
                  prefix=_plain(text[max(0, start - CONTEXT_CHARS):start]),
                  suffix=_plain(text[end:end + CONTEXT_CHARS]),
                  start=start, end=end, version=version)


def shorten(anchor: Anchor) -> Anchor:
    """The anchor as a link carries it: a long quote becomes its opening and closing words."""
    if anchor.shortened or len(anchor.exact) <= WHOLE_QUOTE_CHARS:
        return anchor
    return replace(anchor, exact=_opening_words(anchor.exact, QUOTE_END_CHARS),
                   tail=_closing_words(anchor.exact, QUOTE_END_CHARS))


def _opening_words(text: str, limit: int) -> str:
    # Cut at a space so the piece also works as a Text Fragment's textStart (whole words).
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = max(head.rfind(" "), head.rfind("\n"))
    return (head[:cut] if cut > limit // 2 else head).rstrip()


def _closing_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    tail = text[-limit:]
    cuts = [i for i in (tail.find(" "), tail.find("\n")) if i >= 0]
    cut = min(cuts) if cuts else -1
    return (tail[cut + 1:] if 0 <= cut < limit // 2 else tail).lstrip()


# Unicode's Cc (C0 and C1 controls) and Cs (surrogates), less tab and line breaks: one regex
# rather than a category lookup per character (issue 11: that loop was half a page render).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _has_control_chars(value: str) -> bool:
    return _CONTROL.search(value) is not None


def _plain(context: str) -> str:
    # Context is only compared approximately, so a stray control character becomes a space.
    return _CONTROL.sub(" ", context)


# --- the link ---------------------------------------------------------------------------

def encode(anchor: Anchor) -> dict[str, str]:
    """The query parameters of a passage link (the caller URL-encodes them).

    p=START-END, v=VERSION, q=QUOTE (or its opening words), qe=its closing words when the
    quote is shortened, pre=PREFIX, suf=SUFFIX; empty parameters are left out. Plain
    percent-encoded text rather than base64: the link stays readable, and browsers and chat
    apps show the quote in it.
    """
    anchor = shorten(anchor)
    params = {"p": f"{anchor.start}-{anchor.end}"}
    if anchor.version:
        params["v"] = anchor.version
    params["q"] = anchor.exact
    if anchor.tail:
        params["qe"] = anchor.tail
    if anchor.prefix:
        params["pre"] = anchor.prefix
    if anchor.suffix:
        params["suf"] = anchor.suffix
    return params


def decode(params: Mapping | str) -> Anchor:
    """Read a passage link from its query parameters (a mapping such as request.args, or a
    raw query string). Raises MalformedLink, and nothing else, for anything we did not make.
    """
    if isinstance(params, str):
        params = _parse_query(params)
    if not isinstance(params, Mapping):
        raise MalformedLink("it does not say which passage it points to.")
    offsets = _param(params, "p", required=True)
    found = _OFFSETS.fullmatch(offsets)
    if not found:
        raise MalformedLink("the part that says where the passage is (p=) is damaged: it should be two numbers, such as p=120-180.")
    start, end = int(found[1]), int(found[2])
    if end > MAX_LINK_OFFSET:
        raise MalformedLink("it points past the end of any article.")
    if start >= end:
        raise MalformedLink("it points at a passage that ends before it starts.")
    if end - start > MAX_PASSAGE_CHARS:
        raise MalformedLink("the passage it points at is longer than a link may hold.")
    version = _param(params, "v") or None
    if version is not None and not _VERSION.fullmatch(version):
        raise MalformedLink("the part that names the version of the article (v=) is damaged.")
    exact = _param(params, "q", required=True, limit=MAX_LINK_QUOTE_CHARS).strip()
    tail = _param(params, "qe", limit=MAX_LINK_QUOTE_CHARS).strip()
    if not exact:
        raise MalformedLink("it quotes nothing.")
    return Anchor(exact=exact, tail=tail, start=start, end=end, version=version,
                  prefix=_param(params, "pre", limit=MAX_LINK_CONTEXT_CHARS),
                  suffix=_param(params, "suf", limit=MAX_LINK_CONTEXT_CHARS))


def _parse_query(query: str) -> dict[str, str]:
    if len(query) > MAX_QUERY_CHARS:
        raise MalformedLink("it is too long to be a passage link; part of something else may have been pasted with it.")
    if _BROKEN_PERCENT.search(query):
        raise MalformedLink("some of its characters were damaged on the way (a broken %-code); copy the link again.")
    try:
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedLink("some of its characters were damaged on the way; copy the link again.") from error
    params: dict[str, str] = {}
    for key, value in pairs:
        params.setdefault(key, value)  # the first value wins, as with request.args.get()
    return params


# What a link without one of its required parts is missing, in a reader's words.
_MISSING = {"p": "it does not say where the passage is (its “p=” part is missing).",
            "q": "it does not quote the passage (its “q=” part is missing)."}


def _param(params: Mapping, name: str, *, required: bool = False,
           limit: int = MAX_LINK_QUOTE_CHARS) -> str:
    value = params.get(name)
    if isinstance(value, (list, tuple)):  # parse_qs-style {"q": ["..."]}
        value = value[0] if value else None
    if value is None or value == "":
        if required:
            raise MalformedLink(_MISSING.get(name, f"its “{name}=” part is missing."))
        return ""
    if not isinstance(value, str):
        raise MalformedLink(f"its “{name}=” part is not text.")
    if len(value) > limit:
        raise MalformedLink(f"its “{name}=” part is longer than a link may hold.")
    if _has_control_chars(value):
        raise MalformedLink(f"its “{name}=” part holds characters that are not text.")
    return value


def text_fragment(anchor: Anchor) -> str:
    """The `#:~:text=` fragment that lets browsers with Text Fragments find the passage.

    A short one-line quote goes whole; a long, shortened or multi-block quote goes as
    textStart,textEnd, because browsers match a single textStart only within one block.
    Up to three words of context go along as prefix- and -suffix when in the same block.
    """
    anchor = shorten(anchor)
    if anchor.shortened or "\n" in anchor.exact or len(anchor.exact) > 80:
        first_line = anchor.exact.split("\n")[0].strip()
        last_line = (anchor.tail or anchor.exact).split("\n")[-1].strip()
        directive = (_fragment_part(_opening_words(first_line, 40)) + ","
                     + _fragment_part(_closing_words(last_line, 40)))
    else:
        directive = _fragment_part(anchor.exact)
    before = anchor.prefix.split("\n")[-1].split()
    if "\n" not in anchor.prefix and len(anchor.prefix) >= CONTEXT_CHARS:
        before = before[1:]  # the context may begin mid-word
    after = anchor.suffix.split("\n")[0].split()
    if "\n" not in anchor.suffix and len(anchor.suffix) >= CONTEXT_CHARS:
        after = after[:-1]
    if before:
        directive = _fragment_part(" ".join(before[-3:])) + "-," + directive
    if after:
        directive += ",-" + _fragment_part(" ".join(after[:3]))
    return "#:~:text=" + directive


# What urllib.parse.quote never encodes (RFC 3986's unreserved characters).
_ALWAYS_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~"


def percent_encoder(safe: str, plus: bool = False, also: str = ""):
    """A function giving what urllib.parse.quote(value, safe) gives (quote_plus when `plus`:
    spaces as "+"), and `also` percent-encoded too, from one str.translate of the UTF-8
    bytes read as Latin-1: urllib looks each byte up in Python, and a passage page encodes
    about a kilobyte of quote and context this way (a tenth of its time)."""
    keep = set((_ALWAYS_SAFE + safe).encode("ascii")) - set(also.encode("ascii"))
    table = {byte: f"%{byte:02X}" for byte in range(256) if byte not in keep}
    if plus:
        table[ord(" ")] = "+"

    def encode(value: str) -> str:
        return value.encode("utf-8").decode("latin-1").translate(table)

    return encode


# The Text Fragments syntax reserves '-', ',' and '&'; quote() leaves '-' alone.
_fragment_part = percent_encoder("", also="-")


# --- finding the passage again ----------------------------------------------------------

def resolve(anchor: Anchor, current_text: str, current_version: str,
            old_text: str | None = None) -> Resolution:
    """Find the anchored passage in the current text of the article.

    In order: (1) "exact-version": the link's version is the current one and the quote is
    at its position; (2) "quote": the exact quote elsewhere, the occurrence whose context
    agrees best, nearest the old position on ties; (3) "fuzzy": an approximate match.
    Otherwise an orphan: the link does not guess.

    Acceptance (pinned by tests): an exact quote of TELLING_QUOTE_CHARS or more is trusted
    anywhere; a shorter one, or an approximate one, only where one side of its context still
    agrees (similarity >= CONTEXT_MIN); an approximate quote must also be QUOTE_MIN similar.

    `old_text` is the text of the version the link was made on, when it is still stored: the
    old position is then mapped through a diff to the current text. It is ignored if it is
    not that version. The anchor is resolved as its link carries it (see shorten()), so a
    link behaves the same whether it was just made or read back from a URL.
    """
    anchor = shorten(anchor)
    text = current_text
    if (anchor.version is not None and anchor.version == current_version
            and _quote_at(anchor, text, anchor.start, anchor.end)):
        return Resolution(anchor.start, anchor.end, "exact-version", 1.0)
    if old_text is not None and (anchor.version is None or version_id(old_text) != anchor.version):
        old_text = None
    spot = _Spot(anchor, text, old_text)

    exact = [_judge(anchor, text, s, e, spot.start) for s, e in _occurrences(anchor, text)]
    telling = len(anchor.exact) + len(anchor.tail) >= TELLING_QUOTE_CHARS
    # A short exact quote ("said", "the minister") is everywhere; trust it only in context.
    trusted = [c for c in exact if telling or c.best_side >= CONTEXT_MIN]
    if trusted:
        best = max(trusted, key=lambda c: (round(c.context, 2), -abs(c.start - spot.start)))
        return Resolution(best.start, best.end, "quote", round(best.score, 3))

    approximate = [_judge(anchor, text, s, e, spot.start)
                   for s, e in _approximate_spans(anchor, text, spot)]
    trusted = [c for c in approximate if c.quote >= QUOTE_MIN and c.best_side >= CONTEXT_MIN]
    if trusted:
        best = max(trusted, key=lambda c: (c.score, -abs(c.start - spot.start)))
        return Resolution(best.start, best.end, "fuzzy", round(best.score, 3))
    best_score = max((c.score for c in exact + approximate), default=0.0)
    return Resolution(None, None, "orphan", round(best_score, 3))


class _Candidate(NamedTuple):
    """A span of the current text that may be the passage, and how well it fits."""

    start: int
    end: int
    score: float      # quote, context and position together
    quote: float      # similarity of the quote
    context: float    # mean similarity of prefix and suffix
    best_side: float  # the better of the two


class _Spot:
    """Where the passage is expected in the current text: its old place, mapped through a
    diff of the old and current text when the old text is known."""

    def __init__(self, anchor: Anchor, text: str, old_text: str | None):
        self.mapped: tuple[int, int] | None = None
        if old_text is not None and old_text != text:
            mapped = _map_through_lines(old_text, text, anchor.start, anchor.end)
            if mapped is not None:
                self.mapped = mapped
        self.start = self.mapped[0] if self.mapped else min(anchor.start, len(text))


def _map_through_lines(old_text: str, text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where old_text[start:end] went in text, from a diff of the two texts' lines.

    Lines (paragraphs, in an article) are the diff's symbols, so its work grows with the
    number of lines, not characters. Inside an unchanged line the position maps exactly;
    inside a changed one, to the same distance into its replacement: a rough hint that the
    search then refines.
    """
    old_lines, new_lines = old_text.splitlines(keepends=True), text.splitlines(keepends=True)
    if len(old_lines) > MAX_DIFF_LINES or len(new_lines) > MAX_DIFF_LINES:
        return None
    old_at, new_at = list(accumulate(map(len, old_lines), initial=0)), \
        list(accumulate(map(len, new_lines), initial=0))
    # Blank lines match everywhere and would make the matcher quadratic: they are junk.
    changes = SequenceMatcher(str.isspace, old_lines, new_lines).get_opcodes()

    def mapped(position: int) -> int:
        for tag, i1, i2, j1, j2 in changes:
            if old_at[i1] <= position < old_at[i2]:
                into = position - old_at[i1]
                return new_at[j1] + into if tag == "equal" else min(new_at[j2], new_at[j1] + into)
        return len(text)

    return mapped(start), mapped(max(start, end - 1)) + 1


def _quote_at(anchor: Anchor, text: str, start: int, end: int) -> bool:
    if not 0 <= start < end <= len(text):
        return False
    if anchor.shortened:
        span = text[start:end]
        return (len(span) >= len(anchor.exact) + len(anchor.tail)
                and span.startswith(anchor.exact) and span.endswith(anchor.tail))
    return text[start:end] == anchor.exact


def _occurrences(anchor: Anchor, text: str):
    """Every span of the current text that holds the quote exactly."""
    at = text.find(anchor.exact)
    while at >= 0:
        if not anchor.shortened:
            yield at, at + len(anchor.exact)
        else:
            # The closing words nearest the old length after these opening words: the last
            # occurrence ending by then, or the first ending after it.
            length = anchor.end - anchor.start
            after, expected_end, limit = at + len(anchor.exact), at + length, at + 2 * length
            ends = [found + len(anchor.tail) for found in (
                text.rfind(anchor.tail, after, max(after, expected_end)),
                text.find(anchor.tail, max(after, expected_end - len(anchor.tail) + 1), limit),
            ) if found >= 0]
            if ends:
                yield at, min(ends, key=lambda e: abs(e - expected_end))
        at = text.find(anchor.exact, at + 1)


def _judge(anchor: Anchor, text: str, start: int, end: int, expected: int) -> _Candidate:
    quote_sim = _quote_similarity(anchor, text, start, end)
    reach = max(CONTEXT_CHARS, len(anchor.prefix), len(anchor.suffix))
    before = _context_similarity(anchor.prefix, text[max(0, start - reach):start],
                                 at_edge=start <= reach)
    after = _context_similarity(anchor.suffix, text[end:end + reach],
                                at_edge=end >= len(text) - reach, before=False)
    nearness = 1.0 - min(1.0, abs(start - expected) / max(len(text), 1))
    # Weighted like Hypothesis's quote matcher: the quote first, then context, then place.
    score = 0.6 * quote_sim + 0.15 * before + 0.15 * after + 0.1 * nearness
    return _Candidate(start, end, score, quote_sim, (before + after) / 2, max(before, after))


def _quote_similarity(anchor: Anchor, text: str, start: int, end: int) -> float:
    if not anchor.shortened:
        return fuzz.ratio(anchor.exact, text[start:end]) / 100
    length = anchor.end - anchor.start
    if not length / 2 <= end - start <= length * 2:
        return 0.0
    head = fuzz.ratio(anchor.exact, text[start:start + len(anchor.exact)])
    tail = fuzz.ratio(anchor.tail, text[max(start, end - len(anchor.tail)):end])
    return (head + tail) / 200


def _context_similarity(expected: str, window: str, *, at_edge: bool, before: bool = True) -> float:
    """How well the text next to a candidate (window, at least as long as expected) agrees."""
    if not expected:  # the passage began or ended the text: does the candidate?
        return 1.0 if at_edge and not window.strip() else 0.5
    # Compare the characters nearest the passage, as many as the link carries.
    actual = window[-len(expected):] if before else window[:len(expected)]
    return fuzz.ratio(expected, actual) / 100


def _approximate_spans(anchor: Anchor, text: str, spot: _Spot) -> set[tuple[int, int]]:
    """Candidate spans for an edited quote, each with its edges tuned to fit the quote."""
    if not text:
        return set()
    head = anchor.exact
    tail = anchor.tail or anchor.exact
    length = anchor.end - anchor.start if anchor.shortened else len(anchor.exact)
    rough: set[tuple[int, int]] = set()
    if spot.mapped and spot.mapped[0] < spot.mapped[1]:
        rough.add(spot.mapped)
    # diff-match-patch finds a pattern of at most 32 characters near a place, so look for
    # the opening and closing 32 characters of the quote near where each is expected.
    head_at = _match_near(text, head[:_PATTERN_CHARS], spot.start)
    tail_piece = tail[-_PATTERN_CHARS:]
    tail_guess = (head_at if head_at >= 0 else spot.start) + length - len(tail_piece)
    tail_at = _match_near(text, tail_piece, max(0, tail_guess))
    if head_at >= 0:
        rough.add((head_at, head_at + length))
        if tail_at >= 0 and tail_at + len(tail_piece) > head_at:
            rough.add((head_at, tail_at + len(tail_piece)))
    if tail_at >= 0:
        rough.add((tail_at + len(tail_piece) - length, tail_at + len(tail_piece)))
    # rapidfuzz finds the best-aligned window anywhere, whatever the position.
    if len(head) <= len(text):
        found = fuzz.partial_ratio_alignment(head, text)
        if anchor.shortened and len(tail) <= len(text):
            found_tail = fuzz.partial_ratio_alignment(tail, text)
            rough.add((found.dest_start, found_tail.dest_end))
        else:
            rough.add((found.dest_start, found.dest_end))
    spans = set()
    for start, end in rough:
        start, end = max(0, start), min(len(text), end)
        if start < end:
            spans.add(_fit(anchor, text, start, end))
    return {span for span in spans if span[0] < span[1]}


def _match_near(text: str, pattern: str, expected: int) -> int:
    """diff-match-patch's fuzzy match of `pattern` (at most 32 characters) within
    MATCH_WINDOW characters of `expected`; -1 if none."""
    low = max(0, min(expected, len(text)) - MATCH_WINDOW)
    window = text[low:expected + MATCH_WINDOW + len(pattern)]
    if not window:
        return -1
    matcher = diff_match_patch()
    matcher.Match_Threshold = 0.5
    matcher.Match_Distance = MATCH_WINDOW  # a move across the window costs 0.5 at most
    found = matcher.match_main(window, pattern, min(expected, len(text)) - low)
    return found + low if found >= 0 else -1


def _fit(anchor: Anchor, text: str, start: int, end: int, reach: int = 4) -> tuple[int, int]:
    """Move the edges of a rough span a few characters to fit the quote best, then trim."""
    best = (start, end)
    best_sim = -1.0
    for s in range(max(0, start - reach), min(len(text), start + reach) + 1):
        for e in range(max(s + 1, end - reach), min(len(text), end + reach) + 1):
            if anchor.shortened and s + len(anchor.exact) > e:
                continue
            sim = _quote_similarity(anchor, text, s, e)
            if sim > best_sim:
                best, best_sim = (s, e), sim
    s, e = best
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


# --- helpers for showing a passage ------------------------------------------------------

def split_by_blocks(start: int, end: int, blocks) -> list[PassagePiece]:
    """The pieces of text[start:end] that fall in each shown block, in text order.

    Blocks are anything with .id, .start and .end; blocks of kind "boilerplate" are never
    shown, so a passage gets no piece there.
    """
    pieces = []
    # Only the few blocks the passage overlaps are sorted (it runs for every passage page).
    touched = [b for b in blocks if b.start < end and b.end > start]
    for block in sorted(touched, key=lambda b: b.start):
        if getattr(block, "kind", None) == "boilerplate":
            continue
        piece_start, piece_end = max(start, block.start), min(end, block.end)
        if piece_start < piece_end:
            pieces.append(PassagePiece(block.id, piece_start, piece_end))
    return pieces


SENTENCE_SCAN = 1_000


def sentence_bounds(text: str, start: int, end: int, block_start: int, block_end: int) -> tuple[int, int]:
    """The sentence around text[start:end] inside its block, by punctuation: it runs from
    after the previous . ! ? (and any closing quotes) to the next one."""
    if not 0 <= block_start <= start <= end <= block_end <= len(text):
        raise ValueError("the mention must lie inside its block, inside the text")
    # A "sentence" is looked for at most SENTENCE_SCAN characters either side: a block with
    # no stop at all would otherwise make every mention's panel row scan the whole block.
    lo, hi = max(block_start, start - SENTENCE_SCAN), min(block_end, end + SENTENCE_SCAN)
    s = block_start if lo == block_start else (text.find(" ", lo, start) + 1 or lo)
    for i in range(start - 1, lo - 1, -1):
        stop = _sentence_stop(text, i, block_end)
        if stop is not None and stop <= start:
            s = stop
            break
    e = block_end if hi == block_end else (text.rfind(" ", end, hi) if " " in text[end:hi] else hi)
    for i in range(max(start, end - 1), hi):
        stop = _sentence_stop(text, i, block_end)
        if stop is not None:
            e = stop
            break
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def preview(quote: str, limit: int = 200) -> str:
    """The quote shortened for a link preview: whitespace collapsed, cut at a word, with an
    ellipsis when cut."""
    flat = " ".join(quote.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"
