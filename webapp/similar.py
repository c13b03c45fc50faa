"""Which names may be one another: the order of an article's "Same as..." list, and the
library's "possibly the same as ..." (issue 16). Only offers: nothing here merges anything.

No Flask, no SQL: names in, names out, compared with rapidfuzz.
"""
from __future__ import annotations

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .analysis.names import fold_accents, is_title, norm

# Library offers: names at most this many letters apart (a typo, a doubled or dropped
# letter, "-son" and "-sen").
MAX_LETTERS_APART = 2
# Shorter names are too easily one or two letters from another ("Iran", "Iraq").
MIN_OFFER_CHARS = 5


def comparable(name: str) -> str:
    """A name as compared here: case, dots, dashes and accents folded."""
    return fold_accents(norm(name)).replace("-", " ")


def name_similarity(a: str, b: str) -> float:
    """0-100: how alike two names read, one held inside the other scoring high ("Northgate"
    and "Northgate Minerals Corp."), as do spellings a letter apart."""
    a, b = comparable(a), comparable(b)
    if not a or not b:
        return 0.0
    return max(fuzz.WRatio(a, b), fuzz.token_set_ratio(a, b))


def same_as_order(entity, others) -> list:
    """The other entities of an article, for "Same as...": the entity's own type first, then
    the most alike names, then alphabetical."""
    return sorted(others, key=lambda other: (other.type != entity.type,
                                             -name_similarity(entity.name, other.name),
                                             other.name.casefold()))


def _words(name: str) -> list[str]:
    """A person's name without titles ("Dr", "Senator")."""
    return [w for w in comparable(name).split() if not is_title(w)]


def compared_name(name: str, type_: str) -> str:
    """The form of a name that possibly_same measures letters apart in: comparable(), and a
    person's without titles. The store keeps it beside each library entity (issue 17), so
    that the few names that can be a letter or two from one are found by an index."""
    return " ".join(_words(name)) if type_ == "person" else comparable(name)


def possibly_same(a: str, b: str, type_a: str, type_b: str) -> bool:
    """Whether the library should offer two names of entities as possibly one: the same type,
    different names at most MAX_LETTERS_APART letters apart, and for people the same given
    name (Margaret Halvorson and Margaret Halvorsen; never Dana Kovac and Lena Kovac).
    Namesakes (the very same name) are never offered: the library keeps them apart on
    purpose, one library entity per full name."""
    if type_a != type_b:
        return False
    x, y = comparable(a), comparable(b)
    if x == y or min(len(x), len(y)) < MIN_OFFER_CHARS:
        return False
    if type_a == "person":
        words_x, words_y = _words(a), _words(b)
        if len(words_x) < 2 or len(words_y) < 2 or words_x[0] != words_y[0]:
            return False
        x, y = " ".join(words_x), " ".join(words_y)
        if x == y:
            return False
    return Levenshtein.distance(x, y, score_cutoff=MAX_LETTERS_APART) <= MAX_LETTERS_APART
