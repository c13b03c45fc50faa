"""A pipeline component: abbreviations the text defines, "Long Form Words (LFW)".

The long form is found as Schwartz and Hearst (2003) find it: the fewest words before the
brackets whose letters, in order, spell the abbreviation, its first letter beginning a word.
A long form written in capitals names something ("Food Standards Australia New Zealand
(FSANZ)"); one in lower case is a term ("compact fluorescent lamps (CFLs)").
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

SPANS_KEY = "dramatis_abbreviations"
# Labels of the long forms kept in doc.spans[SPANS_KEY]: a name, or a term.
NAME, TERM = "NAME", "TERM"
# Lower-case words a long form's name may hold ("Bank of England", "Ministry for the Arts").
NAME_GLUE = frozenset("of the and for & de du la des on in at to".split())


@dataclass(frozen=True)
class Definition:
    """One abbreviation the article defines: its letters, its long form, name or term."""

    short: str
    long: str
    kind: str  # NAME or TERM
    start: int  # where the long form stands in the article
    end: int


@Language.factory("dramatis_abbreviations", default_config={"max_letters": 10})
def make_abbreviation_finder(nlp: Language, name: str, max_letters: int):
    return AbbreviationFinder(max_letters)


class AbbreviationFinder:
    """Marks each defined abbreviation's long form in doc.spans, labelled NAME or TERM, with
    the abbreviation in the span's kb_id."""

    def __init__(self, max_letters: int = 10):
        self.max_letters = max_letters

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for i in range(1, len(doc) - 2):
            if doc[i].text != "(" or doc[i + 2].text != ")":
                continue
            short = doc[i + 1].text
            if not self.may_be_an_abbreviation(short):
                continue
            long_form = long_form_span(doc, i, letters(short))
            if long_form is not None:
                found.append(Span(doc, long_form.start, long_form.end,
                                  label=kind_of(long_form), kb_id=short))
        doc.spans[SPANS_KEY] = found
        return doc

    def may_be_an_abbreviation(self, word: str) -> bool:
        """Two to `max_letters` characters, at least two of them capitals: "WHO", "CFLs", "FSANZ"."""
        return (2 <= len(word) <= self.max_letters and word[0].isalnum()
                and sum(ch.isupper() for ch in word) >= 2)


def letters(short: str) -> str:
    """The letters a long form must spell: a plural's "s" is not one ("CFLs" -> CFL)."""
    return short[:-1] if short.endswith("s") and short[:-1].isupper() else short


def long_form_span(doc: Doc, bracket: int, short: str) -> Span | None:
    """The long form that ends right before the bracket at token `bracket`, or None."""
    sentence_start = doc[bracket].sent.start if doc.has_annotation("SENT_START") else 0
    window = min(len(short) + 5, 2 * len(short))
    first = max(sentence_start, bracket - window)
    words = doc[first:bracket]
    if not len(words):
        return None
    start_char = _long_form_start(short, words.text)
    if start_char is None:
        return None
    start = next(t.i for t in words if t.idx - words.start_char >= start_char)
    span = doc[start:bracket]
    return span if len(span) > 1 or len(span.text) > len(short) else None


def _long_form_start(short: str, text: str) -> int | None:
    """Schwartz and Hearst's match, from the right: where in `text` the long form begins."""
    s, t = len(short) - 1, len(text) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while t >= 0 and (text[t].lower() != char or (s == 0 and t > 0 and text[t - 1].isalnum())):
            t -= 1
        if t < 0:
            return None
        t -= 1
        s -= 1
    return text.rfind(" ", 0, t + 1) + 1


def kind_of(long_form: Span) -> str:
    """NAME when every word but the glue starts with a capital, else TERM."""
    words = [t for t in long_form if t.is_alpha and t.lower_ not in NAME_GLUE]
    return NAME if words and all(t.text[:1].isupper() for t in words) else TERM


def definitions(blocks, docs) -> dict[str, Definition]:
    """Every abbreviation an article's docs define (by the abbreviation as written), the first
    definition winning; `blocks` say where each doc starts in the article."""
    found: dict[str, Definition] = {}
    for block, doc in zip(blocks, docs):
        for span in doc.spans.get(SPANS_KEY, ()):
            start = block.start + span.start_char
            found.setdefault(span.kb_id_, Definition(span.kb_id_, span.text, span.label_,
                                                     start, start + len(span.text)))
    return found
