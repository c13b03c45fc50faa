"""How a name is cut out of the text and compared: edges, comparable form, given names, titles."""
from __future__ import annotations

import functools
import importlib
import pkgutil
import re
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


# Lower-case words that begin a surname: Mohammed "bin Salman", Ursula "von der Leyen".
NAME_PARTICLES = frozenset("bin ibn bint al el de da di du van von der den le la del dos das".split())
# Lower-case words an acronym skips: "Federal Bureau of Investigation" -> FBI.
ACRONYM_SKIP = frozenset("of the and for & de du la des on in at to".split())


def initials(name: str) -> str:
    """The acronym a name of several words makes ("General Data Protection Regulation" ->
    GDPR); "" for one word."""
    words = [w for w in re.split(r"[\s\-]+", name) if w and w not in ACRONYM_SKIP]
    return "".join(w[0] for w in words).upper() if len(words) > 1 else ""


def fold_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=8192)
def is_given_name(word: str) -> bool:
    """Whether a word is a known given name (Faker's lists of some 20,000, many countries)."""
    word = word.strip(".")
    return len(word) > 1 and word[:1].isupper() and word.casefold() in _given_names()


# Faker's person providers: one module per locale, each with its given names (MIT licensed).
FIRST_NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


@functools.lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """The one-word given names of Faker's locales written in Latin letters, case-folded."""
    import faker.providers.person as person

    names: set[str] = set()
    for locale in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{locale.name}").Provider
        for attribute in FIRST_NAME_LISTS:
            listed = getattr(provider, attribute, ())  # a few locales make it a property
            if isinstance(listed, (list, tuple, dict, set, frozenset)):
                names.update(n.casefold() for n in listed if _one_latin_word(n))
    return frozenset(names)


def _one_latin_word(name: str) -> bool:
    return name.replace("-", "").isalpha() and all(ord(ch) < 0x250 for ch in name)


@functools.lru_cache(maxsize=1)
def _gendered_names() -> dict[str, str]:
    """Given name (case-folded) -> "male" or "female", for the names Faker's locales list
    under one of the two only (a name listed under both is neither)."""
    import faker.providers.person as person

    found: dict[str, set[str]] = {}
    for locale in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"{person.__name__}.{locale.name}").Provider
        for attribute, gender in (("first_names_male", "male"), ("first_names_female", "female")):
            listed = getattr(provider, attribute, ())
            if isinstance(listed, (list, tuple, dict, set, frozenset)):
                for name in listed:
                    if _one_latin_word(name):
                        found.setdefault(name.casefold(), set()).add(gender)
    return {name: genders.pop() for name, genders in found.items() if len(genders) == 1}


def given_name_gender(word: str) -> str | None:
    """"male" or "female" when the lists give a given name to one only, else None."""
    return _gendered_names().get(word.strip(".").casefold())


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
