"""How a name is cut out of the text and compared: edges, comparable form, given names, titles."""
from __future__ import annotations

import functools
import re
import threading
import unicodedata

from .sentences import ends_with_abbreviation

# Punctuation and quotes that never belong at the edge of a name.
EDGE_JUNK = " \t\r\n.,;:!?\"'“”‘’«»()[]{}<>*-–—/…"
POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The name inside text[start:end]: no leading "the", trailing possessive or edge punctuation.

    A possessive inside the span stays: "King's College" is the college's own name.
    """
    while start < end:
        piece = text[start:end]
        if piece[:4].lower() == "the " and end - start > 4:
            start += 4
        elif _leading_common_word(piece):
            start += len(piece.split(" ", 1)[0]) + 1
        elif " as " in piece:
            end = start + piece.index(" as ")  # "Harbour Lights as Nora": a role follows
        elif POSSESSIVE.search(piece) and end - start > 2:
            end -= len(POSSESSIVE.search(piece).group())
        elif piece[0] in EDGE_JUNK:
            start += 1
        # A final dot that belongs to the name stays: "U.S.", "Apple Inc.", "King Jr."
        elif piece[-1] in EDGE_JUNK and not ends_with_abbreviation(piece):
            end -= 1
        else:
            break
    return start, end


def _leading_common_word(piece: str) -> bool:
    """A lower-case word before a name is no part of it ("these United States", "a united
    Germany"), unless it begins a surname ("van Gogh", "ter Stegen")."""
    first, _, rest = piece.partition(" ")
    return (first.isalpha() and first.islower() and any(w[:1].isupper() for w in rest.split())
            and first not in _nameparser_constants().prefixes)


def clean(text: str) -> str:
    """The name inside a span of text, as a string: `trim` applied to all of it."""
    text = " ".join(text.split())
    start, end = trim(text, 0, len(text))
    return text[start:end]


@functools.lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """The comparable form of a name: case, dots, apostrophes and dashes folded.

    Cached: grouping compares the same few hundred names many times over.
    """
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("–", "-")
    text = text.replace(".", "").casefold()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s?$", "", text)
    return " ".join(text.split())


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_detector = None
_detector_lock = threading.Lock()


def _gender_detector():
    """gender-guesser's list of ~40,000 given names of many countries, loaded once."""
    global _detector
    if _detector is None:
        with _detector_lock:
            if _detector is None:
                import gender_guesser.detector

                _detector = gender_guesser.detector.Detector(case_sensitive=False)
    return _detector


@functools.lru_cache(maxsize=8192)
def is_given_name(word: str) -> bool:
    """Whether a word is a known given name (gender-guesser's list of ~40,000, many countries)."""
    word = word.strip(".")
    return len(word) > 1 and word[:1].isupper() and _gender_detector().get_gender(word) != "unknown"


def given_name_gender(word: str) -> str | None:
    """"male" or "female" when the list says a given name is (mostly) one, else None."""
    gender = _gender_detector().get_gender(word.strip("."))
    return {"male": "male", "mostly_male": "male", "female": "female",
            "mostly_female": "female"}.get(gender)


@functools.lru_cache(maxsize=1)
def _nameparser_constants():
    from nameparser.config import CONSTANTS

    return CONSTANTS


def is_title(word: str) -> bool:
    """A title or honorific before a name ("Dr", "Senator", "Miss"), from nameparser's list."""
    return _nameparser_constants().titles.__contains__(word.strip(".").lower())


def is_suffix(word: str) -> bool:
    """Post-nominal letters or a generational suffix after a name ("FRS", "Jr", "III")."""
    constants = _nameparser_constants()
    lowered = word.strip(".,").lower()
    return (lowered in constants.suffix_not_acronyms
            or (word.strip(".,").isupper() and lowered in constants.suffix_acronyms))
