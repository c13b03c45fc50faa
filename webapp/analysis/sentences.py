"""Where a sentence ends: the one rule and abbreviation list for the parser, names and passage links."""
from __future__ import annotations

import re
from collections.abc import Iterator

# Characters that end a sentence, and the closing quotes or brackets that may follow them.
SENTENCE_END = ".!?\u2026\u3002\uff01\uff1f"
CLOSERS = "\"'\u201d\u2019\u00bb)]"
# A full stop after these (or after a single letter, an initial: "U.S.", "J. Roe") belongs to
# the word, not a sentence end: "Mr. Lindqvist", "Gen. Almeida", "Acme Inc.", "King Jr.".
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt st jr sr inc co corp ltd bros vs etc no"
    .split())
# Long enough for any word in ABBREVIATIONS, so the look-back stays short.
_LOOK_BACK = 12
_LAST_WORD = re.compile(r"(\w+)$")


def is_abbreviation(word: str) -> bool:
    """Whether a full stop after `word` is part of it: an initial or a listed abbreviation."""
    return (len(word) == 1 and word.isalpha()) or word.lower() in ABBREVIATIONS


def ends_with_abbreviation(text: str) -> bool:
    """Whether `text` ends with an abbreviation's full stop ("U.S.", "Acme Inc.")."""
    if not text.endswith("."):
        return False
    word = _LAST_WORD.search(text[-_LOOK_BACK - 1:-1])
    return bool(word) and is_abbreviation(word[1])


def sentence_stop(text: str, i: int, end: int | None = None) -> int | None:
    """If a sentence ends at text[i], where it ends (after closing quotes); else None.

    `end` bounds the look-ahead (a block's end). A stop must be followed by whitespace or the
    end: "3.5", "U.S.-made" and "example.com" end nothing.
    """
    end = len(text) if end is None else end
    if text[i] not in SENTENCE_END:
        return None
    if text[i] == "." and ends_with_abbreviation(text[max(0, i - _LOOK_BACK):i + 1]):
        return None
    j = i + 1
    while j < end and text[j] in CLOSERS:
        j += 1
    if j < end and not text[j].isspace():
        return None
    return j


def ends_a_sentence(text: str) -> bool:
    """Whether `text` (trailing whitespace aside) ends with a sentence end."""
    text = text.rstrip()
    last = len(text) - 1
    while last >= 0 and text[last] in CLOSERS:
        last -= 1
    return last >= 0 and sentence_stop(text, last) is not None


def sentence_ends(text: str, start: int, end: int) -> Iterator[int]:
    """Where each sentence whose final stop lies in text[start:end] ends (after closing
    quotes), in order; what follows `end` in `text` is looked at to judge the last one."""
    for i in range(start, end):
        if text[i] in SENTENCE_END:
            stop = sentence_stop(text, i)
            if stop is not None:
                yield stop
