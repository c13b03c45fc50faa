"""Blocks -> candidate mentions: spaCy's entities, typed, plus credits, names the model missed
and what the text says of them (its cues and abbreviations)."""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from . import abbreviations, countries, cues, rules
from .article import Block
from .names import is_suffix, is_title, norm, trim
from .parse import credit_spans, credit_start

# spaCy labels we keep, and what they become before grouping.
NAME_LABELS = {"PERSON": "person", "ORG": "organization"}
PLACE_LABELS = {"GPE", "LOC"}
KEPT_LABELS = {*NAME_LABELS, *PLACE_LABELS, "NORP"}

# A portfolio in a job title is not an organisation: "Secretary of [State]".
PORTFOLIO = re.compile(r"\b(?:Secretary|Minister|Ministers|Secretaries)\s+(?:of|for)\s+(?:the\s+)?$")
# ... and so is one word just before such a word: "Shadow [Home] Secretary Ana Lima";
# but not an organisation's acronym or name, nor the head of one: "NATO Secretary General".
PORTFOLIO_AFTER = re.compile(r"\s+(?:Secretary|Minister)\b(?![- ]General)")
# Job titles the model runs into names: "State Department [Spokesperson]".
TITLE_WORDS = frozenset("""Secretary Minister Spokesperson Spokesman Spokeswoman Sheriff Chairman
    Chairwoman Director Commissioner Governor Mayor Ambassador Correspondent Editor""".split())
# Title words before a name: "Mayor of Porto Lucas Amaral". Used to tell whether two
# spellings of a name belong to one person (same title) or two (different titles).
TITLE_GLUE = frozenset({"of", "for", "the", "and", "-"})
# An organisation named in a credit is usually an agency; a person is a photographer.
AGENCY_WORD = re.compile(r"\b(?:Images?|Press|News|Agency|Wire|Service|Photos?|Pictures?|Media|"
                         r"Archives?|Library|Collection|Government|Office|Ministry|Department|"
                         r"Navy|Army|Police|Foundation|University|Museum|Commons|Ltd|Inc)\b", re.I)
# The last word of a name that makes it an organisation's: "Meridian Shipping" is no person
# (grouping does not take such a name for a person's).
ORG_HEADS = frozenset("""Group Company Corporation Corp Inc Ltd Shipping Airlines Airways Bank
    Union Party Council Committee Commission Ministry Department Agency Office Board Authority
    Association Federation Foundation Institute University College School Church Organization
    Organisation Society League Club News Times Post Courier Herald Gazette Journal Press Magazine
    Tribune Network Media Television Radio Police Army Navy Court Parliament Congress Senate
    Assembly Government Motors Energy Industries Holdings Partners Technologies Labs Studios
    Records Legion Conference Movement Alliance Coalition Trust Fund FC United Rovers Wanderers
    Athletic Albion Hotspur""".split())
# After these words, the first word alone names the organisation: "Meridian" for
# "Meridian Shipping", "Acme" for "Acme Group", "Getty" for "Getty Images".
SHORT_NAME_TAILS = frozenset("""group inc corp corporation co ltd plc llc company holdings shipping
    news airlines airways motors industries technologies labs studios records images""".split())
NAME_WORD = re.compile(r"^[A-Z][a-zà-ÿ'’\-]+$")
# Nouns that make a demonym before them a language: "the Spanish edition", "German pronunciation".
LANGUAGE_NOUNS = frozenset("""language languages edition editions translation translations version
    pronunciation word words name names dialect dialects accent speaker speakers speaking text
    title spelling term terms subtitles grammar literature lessons class classes""".split())
# Verbs whose complement is a language: "she spoke German", "he learned Spanish".
LANGUAGE_VERBS = frozenset("""speak speaks spoke spoken speaking learn learns learned learnt
    learning teach teaches taught teaching write writes wrote written writing read reads reading
    translate translates translated translating study studies studied studying""".split())
ROMAN_NUMERAL = re.compile(r"^[IVX]+$")


@dataclass
class Candidate:
    """A mention before grouping: where it is, what it might be."""

    start: int
    end: int
    text: str
    block: Block
    type: str  # person, organization, country, place
    country: countries.Country | None = None
    credit: bool = False
    title: str = ""  # the words of a job title just before a person's name
    cues: tuple[str, ...] = ()  # what the text calls it, from the cues component
    long_form: str = ""  # the name an abbreviation stands for, as the article defines it

    @functools.cached_property
    def words(self) -> list[str]:
        """The words of the name, without post-nominal letters ("Jane Roe FRS" -> Jane Roe)."""
        words = self.text.split()  # the text never changes once a candidate is made
        while len(words) > 2 and _post_nominal(words[-1]):
            words.pop()
        return words

    @property
    def name(self) -> str:
        return " ".join(self.words)


def is_title_word(word: str) -> bool:
    """A title or honorific before a name: nameparser's list ("Dr", "Senator", "Prime") and
    the job titles the model runs into names ("Spokesperson")."""
    return word.rstrip(".") in TITLE_WORDS or is_title(word)


def title_before(doc, token_index: int) -> str:
    """The capitalised words of a job title that end right before token `token_index`."""
    words: list[str] = []
    i = token_index - 1
    while i >= 0 and len(words) < 8:
        token = doc[i]
        if token.is_sent_end and i != token_index - 1:
            break
        if token.text[:1].isupper() or (token.lower_ in TITLE_GLUE and words):
            words.insert(0, token.text)
            i -= 1
        else:
            break
    while words and words[0].lower() in TITLE_GLUE:
        words.pop(0)
    return " ".join(words)


def is_language(span) -> bool:
    """Whether a demonym in the text names a language ("she spoke German and French",
    "the Spanish edition"), not the country's people, institutions or things."""
    last = span[-1]
    doc = span.doc
    if last.ent_type_ == "LANGUAGE":
        return True
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is not None and after.lower_ in LANGUAGE_NOUNS:
        return True
    if span.start and (doc[span.start - 1].lower_ in ("the", "a", "an")
                       or doc[span.start - 1].like_num):
        return False  # "the French", "a Russian", "two Chinese" are its people
    head = last
    while head.dep_ == "conj" and head.head is not head:
        head = head.head  # "Chinese and Russian officials": Russian goes with Chinese
    if head.dep_ in ("amod", "compound", "nmod", "npadvmod"):
        return False
    if after is not None and after.pos_ in ("NOUN", "PROPN") and after.text[:1].islower():
        return False  # an adjective before its noun, whatever the parse says
    if head.dep_ in ("acomp", "attr", "oprd"):
        return head.head.lower_ in LANGUAGE_VERBS  # "spoke German", not "the ship is Danish"
    return head.dep_ in ("dobj", "pobj", "conj", "nsubj", "nsubjpass", "appos", "ROOT")


def in_a_portfolio(text: str, block: Block, start: int, end: int, ent) -> bool:
    """Whether an organisation or place span is the portfolio of a job title: "Secretary of
    [State]", "Shadow [Home] Secretary" (not "NATO Secretary General", "the Party Secretary")."""
    return bool(PORTFOLIO.search(text[max(block.start, start - 40):start])
                or (PORTFOLIO_AFTER.match(text, end) and not ent.text.isupper()
                    and ent[-1].text not in ORG_HEADS))


def _entity_candidates(text: str, block: Block, doc, limit: int) -> list[Candidate]:
    """The model's entities as candidates, cut to the name inside them and typed."""
    found = []
    for ent in doc.ents:
        label = ent.label_
        start, end = block.start + ent.start_char, min(block.start + ent.end_char, limit)
        if label not in KEPT_LABELS or start >= limit:
            continue  # past `limit` is a caption's credit, which the parser reads
        if label == "NORP" and rules.on("languages") and is_language(ent):
            continue
        if label in ("ORG", "GPE") and rules.on("portfolios") and in_a_portfolio(text, block, start, end, ent):
            continue
        s, e = trim(text, start, end)
        if e <= s or not any(ch.isupper() for ch in text[s:e]):
            continue
        candidate = _typed(text, block, s, e, label)
        if candidate is not None:
            if candidate.type == "person":
                candidate.title = title_before(doc, ent.start)
            found.append(candidate)
    return found


def _post_nominal(word: str) -> bool:
    """Letters after a name: "FRS", "DBE", "PhD", "MP"; not "Jr", "Sr" or "III", which are part of it."""
    bare = word.strip(".,")
    return (bare.isupper() and 2 <= len(bare) <= 5 and not ROMAN_NUMERAL.match(bare)
            and bare not in ("JR", "SR")) or (is_suffix(word) and bare.lower() not in ("jr", "sr")
                                             and not ROMAN_NUMERAL.match(bare))


def _typed(text: str, block: Block, start: int, end: int, label: str) -> Candidate | None:
    """Give a span its type: a country by name or demonym, else what the model said."""
    span = text[start:end]
    if label == "NORP":
        country = countries.country_by_demonym(span)
        return Candidate(start, end, span, block, "country", country) if country else None
    country = countries.country_by_name(span)
    if country and (label in PLACE_LABELS or not countries.is_ambiguous(span)):
        return Candidate(start, end, span, block, "country", country)
    if label in PLACE_LABELS:
        country = countries.country_by_demonym(span)
        return Candidate(start, end, span, block, "country", country) if country \
            else Candidate(start, end, span, block, "place")
    return Candidate(start, end, span, block, NAME_LABELS[label])


def _occupy(occupied: bytearray, spans) -> None:
    for start, end in spans:
        occupied[start:end] = b"\x01" * (end - start)


def _credit_candidates(text: str, block: Block, doc) -> list[Candidate]:
    """Each name in a caption's credit is an agency (organisation) or a photographer (person)."""
    found = []
    people = {(block.start + e.start_char, block.start + e.end_char)
              for e in doc.ents if e.label_ == "PERSON"}
    for start, end in credit_spans(text, block):
        name = text[start:end]
        words = name.split()
        looks_personal = (2 <= len(words) <= 4 and all(NAME_WORD.match(w) for w in words)
                          and not AGENCY_WORD.search(name))
        kind = "person" if (start, end) in people or looks_personal else "organization"
        found.append(Candidate(start, end, name, block, kind, credit=True))
    return found


# Entities of these kinds are not names: a propagated name never lands inside one.
NOT_NAMES = frozenset({"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
                       "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE"})


def _name_forms(candidates: list[Candidate]) -> dict[tuple[str, ...], str]:
    """Names the model found, as token sequences, with the type they were given most.

    A person named in full is also known by the surname alone ("Lindqvist").
    """
    votes: dict[tuple[str, ...], Counter] = {}
    for c in candidates:
        if c.type == "country" or c.credit:
            continue
        forms = [tuple(c.words)]
        if c.type == "person" and len(c.words) > 1:
            # Known by the surname alone, or the given name ("Tedros" of Tedros Adhanom, "Wang" of Wang Lei).
            forms += [(word,) for word in (c.words[-1], c.words[0]) if len(word) > 2]
        if c.type == "organization" and len(c.words) == 2 and c.words[1].lower() in SHORT_NAME_TAILS:
            forms.append((c.words[0],))
        # The model reads whole sentences better than captions and headlines.
        weight = 1.0 if c.block.kind == "paragraph" else 0.5
        for form in forms:
            votes.setdefault(form, Counter())[c.type] += weight
    known = {}
    for form, counter in votes.items():
        # The model's place labels are its weakest: a name it also calls a person or an
        # organisation as often is one (a surname that is also a city).
        if counter["person"] + counter["organization"] >= counter["place"]:
            del counter["place"]
        (kind, n), *rest = counter.most_common()
        if (not rest or rest[0][1] < n) and form[0][:1].isupper() and len("".join(form)) > 2:
            known[form] = kind
    return known


def _propagate(text: str, blocks: list[Block], docs, limits: list[int],
               candidates: list[Candidate], known: dict[tuple[str, ...], str],
               lower_words: frozenset[str]) -> list[Candidate]:
    """Every other place where a known name stands, which the model missed (not inside
    another candidate); `lower_words` are the words the article also
    writes in lower case, ordinary words ("will", "may")."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(known, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    occupied = bytearray(len(text))
    _occupy(occupied, [(c.start, c.end) for c in candidates])
    found = []
    for block, doc, limit in zip(blocks, docs, limits):
        blocked = {i for ent in doc.ents if ent.label_ in NOT_NAMES for i in range(ent.start, ent.end)}
        for token in doc:
            for form in by_first.get(token.text, ()):
                end_i = token.i + len(form)
                if end_i > len(doc) or tuple(t.text for t in doc[token.i:end_i]) != form:
                    continue
                if any(i in blocked for i in range(token.i, end_i)):
                    continue
                if (len(form) == 1 and token.is_sent_start and token.pos_ != "PROPN"
                        and not (len(token.text) > 1 and token.text.isupper())  # "WHO"
                        and (token.is_stop or token.lower_ in lower_words)):
                    continue  # a capitalised first word may be an ordinary word ("Will")
                if end_i < len(doc) and doc[end_i].pos_ == "PROPN" and doc[end_i].text[:1].isupper():
                    continue  # part of a longer name the model did not mark
                before = doc[token.i - 1] if token.i else None
                if (before is not None and before.pos_ == "PROPN" and before.text[:1].isupper()
                        and not is_title_word(before.text)):
                    continue  # "Navigator" in "Harbour Navigator"; but "President Biden" is Biden
                start = block.start + token.idx
                end = block.start + doc[end_i - 1].idx + len(doc[end_i - 1].text)
                if end > limit or 1 in occupied[start:end]:
                    continue
                found.append(Candidate(start, end, text[start:end], block, known[form]))
                _occupy(occupied, [(start, end)])
                break
    return found


def find_candidates(text: str, blocks: list[Block], docs) -> list[Candidate]:
    """All candidate mentions of the reading blocks, in text order, none overlapping."""
    docs = list(docs)
    # Where each block's reading text ends: a caption's credit is read by the parser.
    limits = [credit_start(text, block) or block.end for block in blocks]
    found: list[Candidate] = []
    for block, doc, limit in zip(blocks, docs, limits):
        found += _entity_candidates(text, block, doc, limit)
        if block.kind == "caption" and rules.on("credits"):
            found += _credit_candidates(text, block, doc)
    found = _without_overlaps(found)
    defined = abbreviations.definitions(blocks, docs)
    if rules.on("defined-names"):
        found = _with_long_forms(found, defined, text)
    if rules.on("propagate"):
        # Words the article also writes in lower case are ordinary words ("the defender").
        lower_words = frozenset(re.findall(r"\b[a-z]\w*", text))
        found = _without_overlaps(found + _propagate(text, blocks, docs, limits, found,
                                                     _name_forms(found), lower_words))
    _attach_cues(found, blocks, docs)
    if rules.on("defined-names"):
        _link_abbreviations(found, defined)
    return found


def _with_long_forms(found: list[Candidate], defined: dict[str, abbreviations.Definition],
                     text: str) -> list[Candidate]:
    """A long form the model cut in pieces ("[Food Standards Australia] [New Zealand] (FSANZ)")
    becomes one candidate, typed as its abbreviation was (else an organisation)."""
    names = {norm(c.text) for c in found}
    for d in defined.values():
        if d.kind != abbreviations.NAME or norm(d.long) in names:
            continue
        inside = [c for c in found if c.start < d.end and c.end > d.start]
        if not inside or any(c.start < d.start or c.end > d.end for c in inside):
            continue  # nothing the model saw there, or a name running out of it
        short = next((c for c in found if c.text == d.short and c.type in ("person", "organization")), None)
        kind = short.type if short else "organization"
        inside_ids = {id(c) for c in inside}
        found = [c for c in found if id(c) not in inside_ids]
        found.append(Candidate(d.start, d.end, text[d.start:d.end], inside[0].block, kind))
    found.sort(key=lambda c: c.start)
    return found


def _link_abbreviations(found: list[Candidate], defined: dict[str, abbreviations.Definition]) -> None:
    """An abbreviation the text defines as a name ("... New Zealand (FSANZ)") carries its
    long form, so that grouping puts it with that name's entity."""
    names = {norm(form): d.long for d in defined.values() if d.kind == abbreviations.NAME
             for form in (d.short, abbreviations.letters(d.short))}
    for candidate in found:
        long_form = names.get(norm(candidate.text))
        if long_form and candidate.type in ("person", "organization"):
            candidate.long_form = long_form


def _attach_cues(found: list[Candidate], blocks: list[Block], docs) -> None:
    """Each candidate gets the kinds the cues component saw over any part of it."""
    by_block = {id(block): [(block.start + span.start_char, block.start + span.end_char, span.label_)
                            for span in doc.spans.get(cues.SPANS_KEY, ())]
                for block, doc in zip(blocks, docs)}
    for candidate in found:
        candidate.cues = tuple(kind for start, end, kind in by_block.get(id(candidate.block), ())
                               if start < candidate.end and end > candidate.start)


def _without_overlaps(found: list[Candidate]) -> list[Candidate]:
    found.sort(key=lambda c: (c.start, -c.end))
    kept, last_end = [], -1
    for candidate in found:
        if candidate.start >= last_end:
            kept.append(candidate)
            last_end = candidate.end
    return kept
