"""Blocks -> candidate mentions: spaCy's entities, corrected, plus countries, demonyms, credits."""
from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass

import pycountry
from spacy.tokens import Span

from . import abbreviations, countries, cues, places, rules
from .article import Block
from .cues import name_around
from .names import NAME_PARTICLES, initials, is_given_name, is_suffix, is_title, norm, trim
from .parse import credit_spans, credit_start, sign_off_names
from .sentences import sentence_ends

# spaCy labels we keep, and what they become before grouping.
NAME_LABELS = {"PERSON": "person", "ORG": "organization"}
PLACE_LABELS = {"GPE", "LOC"}

# Web-page furniture the model takes for names ("JavaScript" as an organisation). A span is
# dropped only when it is one of these as a whole: "Cookie Monster" is a name.
WEB_FURNITURE = frozenset("""javascript html html5 css iframe cookies url http https www rss
    newsletter browser""".split())
# A portfolio in a job title is not an organisation: "Secretary of [State]".
PORTFOLIO = re.compile(r"\b(?:Secretary|Minister|Ministers|Secretaries)\s+(?:of|for)\s+(?:the\s+)?$")
# ... and neither is an academic field: "Professor of [Linguistics]", "PhD in [Law]" (but
# "Professor of the Sorbonne" and "Professor of Harvard Law School" name institutions).
ACADEMIC_FIELD = re.compile(r"\b(?:Professor|Professors|Lecturer|Reader)\s+(?:of|in)\s+$"
                            r"|\b(?:Ph\.?\s?D\.?|doctorate|degree|diploma|B\.?A\.?|M\.?A\.?|"
                            r"B\.?Sc\.?|M\.?Sc\.?)\s+in\s+$")
# ... and so is one word just before such a word: "Shadow [Home] Secretary Ana Lima";
# but not an organisation's acronym or name, nor the head of one: "NATO Secretary General".
PORTFOLIO_AFTER = re.compile(r"\s+(?:Secretary|Minister)\b(?![- ]General)")
# ... and a portfolio's own word before it in lower case: "Interior minister Kipchumba
# Murkomen" (not "a Labour minister": a party's).
PORTFOLIO_LOWER = re.compile(r"\s+(?:secretary|minister)\b")
PORTFOLIO_WORDS = frozenset("""Interior Finance Foreign Defence Defense Health Justice Education
    Energy Transport Home Trade Economy Environment Agriculture Tourism Culture Mines
    Information Communications""".split())
# A job title the model ran into an organisation's name: "State Department [Spokesperson]".
TITLE_WORDS = frozenset("""Secretary Minister Spokesperson Spokesman Spokeswoman Sheriff Chairman
    Chairwoman Director Commissioner Governor Mayor Ambassador Correspondent Editor""".split())
# Words that extend an organisation's name when they follow it: "the Meridian group".
ORG_TAIL = frozenset({"group", "Group"})
# Title words before a name: "Mayor of Porto Lucas Amaral". Used to tell whether two
# spellings of a name belong to one person (same title) or two (different titles).
TITLE_GLUE = frozenset({"of", "for", "the", "and", "-"})
# An organisation named in a credit is usually an agency; a person is a photographer.
AGENCY_WORD = re.compile(r"\b(?:Images?|Press|News|Agency|Wire|Service|Photos?|Pictures?|Media|"
                         r"Archives?|Library|Collection|Government|Office|Ministry|Department|"
                         r"Navy|Army|Police|Foundation|University|Museum|Commons|Ltd|Inc)\b", re.I)
# The last word of a name that makes it an organisation whatever the model said:
# "Meridian Shipping" is no person; unless the rest is a given name ("Charlotte Church").
ORG_HEADS = frozenset("""Group Company Corporation Corp Inc Ltd Shipping Airlines Airways Bank
    Union Party Council Committee Commission Ministry Department Agency Office Board Authority
    Association Federation Foundation Institute University College School Church Organization
    Organisation Society League Club News Times Post Courier Herald Gazette Journal Press Magazine
    Tribune Network Media Television Radio Police Army Navy Court Parliament Congress Senate
    Assembly Government Motors Energy Industries Holdings Partners Technologies Labs Studios
    Records Legion Conference Movement Alliance Coalition Trust Fund FC United Rovers Wanderers
    Athletic Albion Hotspur Mining Minerals Resources Gold Petroleum Oil Steel Pharmaceuticals
    Pharma Telecom Logistics Systems Solutions Ventures Capital Investments Insurance Finance
    Properties Construction Chemicals Foods""".split())
# Of those, the ones that also make a "place" an organisation (a museum or a court can be both).
PLACE_ORG_HEADS = frozenset("""Group Company Corporation Union Party Council Committee Commission
    Agency Association Church Organization Organisation Society League Movement""".split())
# After these words, the first word alone names the organisation: "Meridian" for
# "Meridian Shipping", "Acme" for "Acme Group", "Getty" for "Getty Images".
SHORT_NAME_TAILS = frozenset("""group inc corp corporation co ltd plc llc company holdings shipping
    news airlines airways motors industries technologies labs studios records images systems
    solutions pharmaceuticals energy mining minerals resources petroleum oil gold steel telecom
    logistics ventures capital investments""".split())
# A company's legal form after its name: "Veltrix Corp", "Nordvik ASA", "Siemens AG".
LEGAL_FORMS = frozenset("""inc incorporated corp corporation ltd limited plc llc lp ag sa asa ab
    gmbh nv bv spa oyj""".split())
NAME_WORD = re.compile(r"^[A-Z][a-zà-ÿ'’\-]+$")

# Words after a name that show a person: "Ana Lima (born 1980)", "Ana Lima, who ...".
PERSON_AFTER = re.compile(r"\s*(?:\(\s*(?:born|b\.|née|nee)\b|,?\s+who\b|,?\s+née\b)")

# Named things that are not agents, which the model often tags as organisations or people.
# By the head of the name ("the Lisbon Book Prize", "the Second Boer War", "Treaty of Ghent"):
THING_HEADS = frozenset("""Prize Prizes Award Awards Medal Medals Trophy Cup Championship
    Championships Tournament Olympics Olympiad Game Draft Series Festival Marathon Prix War Wars
    Battle Revolution Uprising Treaty Accord Accords Agreement Act Amendment Convention
    Declaration Manifesto Summit Expo Scholarship Fellowship Syndrome Disease Pandemic
    Earthquake Regulation Directive Protocol""".split())
# "Games" is an event only after these ("the Commonwealth Games"; "Epic Games" is a company).
GAMES = re.compile(r"\b(?:Olympic|Paralympic|Commonwealth|Asian|African|European|American|Pan|"
                   r"Mediterranean|Winter|Summer|Youth|Invictus|Special|World|Island)\s+Games$")
# By its first word: "Cyclone Idris", "Hurricane Ana".
THING_FIRST_WORDS = frozenset("Cyclone Hurricane Typhoon Storm Operation".split())
# An award's category: "Best Actress", "Best Supporting Actor" (but "Best Buy" is a company).
AWARD_CATEGORY = re.compile(r"Best\s+(?:Supporting\s+|Original\s+|Foreign\s+|New\s+|Animated\s+)?"
                            r"(?:Actor|Actress|Director|Picture|Film|Song|Album|Screenplay|"
                            r"Documentary|Artist|Score|Play|Musical)\b")
# By the common noun just before it: "the film Harbour Lights", "her novel Grey Water".
WORK_NOUNS = frozenset("""film films movie movies series sitcom show novel novels book books
    play plays opera musical album albums song songs single documentary drama comedy thriller
    poem painting sculpture epic trilogy episode miniseries""".split())
# Or by a year in brackets right after it: "Harbour Lights (2005)".
WORK_YEAR = re.compile(r"\s*\((?:1[5-9]|20)\d\d\)")
# Plural heads of place names: "the Falkland Islands", "the Rocky Mountains", "Niagara Falls".
GEOGRAPHIC_PLURALS = frozenset("""Islands Isles Mountains Mounts Hills Lakes Falls Heights Springs
    Plains Highlands Lowlands Keys Rapids Woods Forests Gardens Fields Flats Territories States
    Emirates Provinces Countries Americas Alps Andes Balkans Rockies Midlands Downs Sands Waters
    Straits Narrows Rivers Glades Meadows Oaks Pines Palms Dunes Banks Shoals Cliffs Caves Docks Quays
    Harbours Harbors Parks Towers Hamptons Cotswolds Dales Marshes Moors""".split())
# Nouns that make a demonym before them a language: "the Spanish edition", "German pronunciation".
LANGUAGE_NOUNS = frozenset("""language languages edition editions translation translations version
    pronunciation word words name names dialect dialects accent speaker speakers speaking text
    title spelling term terms subtitles grammar literature lessons class classes""".split())
# Verbs whose complement is a language: "she spoke German", "he learned Spanish".
LANGUAGE_VERBS = frozenset("""speak speaks spoke spoken speaking learn learns learned learnt
    learning teach teaches taught teaching write writes wrote written writing read reads reading
    translate translates translated translating study studies studied studying""".split())
# Currencies, from ISO 4217 (pycountry): a name that is one is no agent. A full name
# ("Pound Sterling", "Danish Krone") is one wherever it stands; a code ("DKK") or a one-word
# name ("Rand", "Won", also a person's or a place's) only in an article that counts money in
# it ("DKK 40 million", "3,000 Baht"). Metals and funds codes are left out.
_CURRENCIES = [c for c in pycountry.currencies if not c.alpha_3.startswith("X")]
CURRENCY_NAMES = frozenset(form for c in _CURRENCIES if " " in c.name
                           for form in (c.name.lower(), c.name.lower() + "s"))
CURRENCY_WORDS = frozenset([c.alpha_3 for c in _CURRENCIES]
                           + [c.name for c in _CURRENCIES if " " not in c.name]
                           + [c.name + "s" for c in _CURRENCIES if " " not in c.name])
# A word written right before or after an amount (not a year: "Rand 1957" may be a citation).
_AMOUNT = r"(?<![\w.,])(?!(?:1[5-9]|20)\d\d(?!\d))\d[\d.,]*(?:\s?(?:k|m|bn|million|billion|trillion))?"
COUNTED_WORD = re.compile(r"(?<![\w-])([A-Z][A-Za-z’']+)\s?(?=%s)|(?:%s)\s?([A-Z][A-Za-z’']+)(?![\w-])"
                          % (_AMOUNT, _AMOUNT))


def counted_currencies(text: str) -> frozenset[str]:
    """The currency codes and one-word names the text writes beside an amount."""
    return frozenset(word for match in COUNTED_WORD.finditer(text) for word in match.groups()
                     if word in CURRENCY_WORDS)


def names_a_currency(name: str, counted: frozenset[str]) -> bool:
    """Whether a name the model took for an agent is a currency (see CURRENCY_NAMES)."""
    return name.lower() in CURRENCY_NAMES or name in counted


# Abbreviations of concepts and kinds, which news writes without defining them and the model
# takes for organisations or places ("uses AI to sort parcels", "VAT would rise", "LNG
# imports", "the EV market", "an NGO"): no agent's name, unless the text defines one so
# ("Amnesty International (AI)").
CONCEPT_ABBREVIATIONS = frozenset("""AI AGI GDP GNP CPI VAT GST IPO CEO CFO COO CTO LNG LPG EV
    GPS DNA RNA ESG GPU CPU SUV ATM PC TV LED CO2 NGO VPN SMS API ICU PPE IVF MRI ICT UAV ETF
    NFT GMO SME FDI KPI""".split())


def names_a_concept(name: str) -> bool:
    """Whether a name the model took for an agent or a place is a concept's abbreviation (see
    CONCEPT_ABBREVIATIONS), or its plural ("EVs", "NGOs")."""
    return name in CONCEPT_ABBREVIATIONS or (name.endswith("s") and name[:-1] in CONCEPT_ABBREVIATIONS)


# Word classes no name takes, whatever the model tagged: a word alone so read is no name.
NOT_NAME_CLASSES = frozenset({"VERB", "AUX", "ADV", "INTJ", "SCONJ", "CCONJ", "ADP", "PRON", "DET"})


# A caption's or a video's label, which the model may read into the name after it.
CAPTION_LABEL = re.compile(r"(?:Photo(?:graph)?s?|Pictures?|Pictured|Images?|Video|Watch|Above|Below|"
                           r"Top|Left|Right|Inset|File|Main|Gallery)\s*:\s*")


# Words that end a name's head: "Treaty [of Ghent]", "Award [for Best Actress]".
HEAD_END = frozenset("of for in on at".split())


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
    personal: bool = False  # the text shows a person: a title before, "(born", "who" after
    cues: tuple[str, ...] = ()  # what the text calls it, from the cues component
    team: bool = False  # a country's name standing for its national team
    long_form: str = ""  # the name an abbreviation stands for, as the article defines it
    dateline: bool = False  # the city of a dateline ("KARACHI -"), a place whatever else says

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


def _is_web_furniture(text: str) -> bool:
    return text.lower() in WEB_FURNITURE and rules.on("web-furniture")


# Where the model ran one span over two names: a line break, a possessive inside the span
# ("Alphabet's Google"), brackets ("World Health Organization (WHO)").
# Not before an institution's head word: "King's College", "St Mary's Hospital" are one name.
SPAN_BREAK = re.compile(r"\n|(?<=\w)['’]s\s+(?=[A-Z])(?!(?:%s|Hospital|Cathedral|Chapel)\b)|\s*[()]\s*"
                        % "|".join(sorted(ORG_HEADS)))
# A dateline opening a news agency's story: "BRUSSELS (Reuters) -", "LONDON —".
# What follows a dateline's city: its country or state ("DHAKA, Bangladesh -", "SPRINGFIELD,
# Ill. (AP) -"), its date ("FRANKFURT, March 3 (Reuters) -", "PARIS, 3 March -"), an agency or
# a state in brackets, and a dash.
_REGION = r"(?:,\s*[A-Z][a-z]+\.?(?:\s[A-Z][a-z]+\.?)?)?"
_DATE = _REGION + r"(?:,\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?)(?:,?\s+\d{4})?)?"
DATELINE = re.compile(_DATE + r"\s*(?:\([^)]{1,40}\)\s*)?[-–—]")
# A dateline whose city is not in capitals names its agency in brackets: "Nairobi (Reuters) -",
# "Lyon, May 2 (AFP) —", not "Apple (AAPL.O) -".
AGENCY_DATELINE = re.compile(_DATE + r"\s*\((?:[A-Z][A-Za-z]{1,11}|dpa)\)\s*[-–—]")
# Or a date in figures closes the line: "BRUSSELS 1996-08-22".
FIGURES_DATELINE = re.compile(r"[ \t]+\d{4}-\d\d-\d\d[ \t]*(?:\n|$)")
# A dateline's city in capitals, or two of them: "LJUBLJANA", "BUDAPEST/MOSCOW", "NEW YORK".
CAPITALS = re.compile(r"[A-Z][A-Z'.-]*[A-Z](?:[ /][A-Z][A-Z'.-]*[A-Z])*")


def _opens_a_dateline(text: str, start: int, end: int) -> bool:
    """Whether the name at a block's start is a dateline's city: in capitals before a date,
    an agency's name or both and a dash ("NAIROBI, Dec 1 (Reuters) -"), before a dash alone
    when it is a large city's ("LISBON -"), or before a date in figures ending the line
    ("BRUSSELS 1996-08-22"); in title case, before an agency's name and a dash."""
    if text[start:end].isupper():
        dated = DATELINE.match(text, end)
        if dated and not re.search(r"[\d(]", dated.group()):
            # A dash alone follows an acronym as well ("NATO - the alliance at 75"): a
            # large city's or a country's name only.
            name = text[start:end]
            return places.is_large_place(name) or countries.country_by_name(name) is not None
        return bool(dated or FIGURES_DATELINE.match(text, end))
    return bool(AGENCY_DATELINE.match(text, end))


def _dateline_cities(pieces: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Each city of a dateline: "BUDAPEST/MOSCOW, Nov 30 (Reuters) -" names two."""
    return [(s + m.start(), s + m.end()) for s, e in pieces for m in re.finditer(r"[^/]+", text[s:e])]


def _untagged_dateline(text: str, block: Block, occupied: bytearray) -> list[Candidate]:
    """The cities of a dateline the model tagged nothing in ("LJUBLJANA, Nov 30 (Reuters) -",
    "SANTIAGO, Feb 3 (AP) -"): places, or a country where one is named."""
    found = CAPITALS.match(text, block.start, block.end)
    if (found is None or 1 in occupied[found.start():found.end()]
            or not _opens_a_dateline(text, found.start(), found.end()) or not rules.on("dateline")):
        return []
    cities = [_typed(text, block, s, e, "GPE") for s, e in _dateline_cities([found.span()], text)]
    for city in cities:
        city.dateline = True
    return cities


def _split_at_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span the model ran across a line break or a possessive becomes its pieces."""
    breaks = list(SPAN_BREAK.finditer(text, start, end))
    if not breaks or not rules.on("span-breaks"):
        return _split_at_open_bracket(text, start, end)
    pieces, pos = [], start
    for match in [*breaks, None]:
        piece_end = match.start() if match else end
        if text[pos:piece_end].strip():
            pieces.append((pos, piece_end))
        if match:
            pos = match.end()
    return pieces


def _split_at_open_bracket(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A span the model ran into a bracket it did not close ("World Health Organization
    (WHO") becomes its two pieces, the name and the abbreviation after it; not a word's own
    bracket ("Spouse(s)", "Governor(s)")."""
    bracket = text.find(" (", start, end) + 1
    if not bracket or ")" in text[bracket:end] or not rules.on("open-brackets"):
        return [(start, end)]
    return [(start, bracket), (bracket + 1, end)]


def names_a_thing(ent, text: str, offset: int) -> bool:
    """Whether a span the model took for a person or organisation names a thing: a prize, war,
    treaty, event, storm or work ("the Lisbon Book Prize", "the film Harbour Lights")."""
    words = []
    for token in ent:
        if token.lower_ in HEAD_END and words:
            break
        words.append(token.text)
    if words and (words[-1] in THING_HEADS or words[0] in THING_FIRST_WORDS
                  or AWARD_CATEGORY.match(ent.text) or GAMES.search(" ".join(words))):
        return True
    before = ent.doc[ent.start - 1] if ent.start else None
    if (before is not None and before.lower_ in WORK_NOUNS and before.pos_ == "NOUN"
            and not _author_of(ent[-1], before)):
        return True
    # A person's name before a year in brackets is how a text cites an author ("Jenkins
    # (2006)"); a work the model took for a person is rarer than a cited author.
    return ent.label_ != "PERSON" and bool(WORK_YEAR.match(text, offset + ent.end_char))


# Determiners that count what they go with: "a Polaroid", "each Picasso".
YEAR = re.compile(r"^(?:1[5-9]|20)\d\d$")
COUNTING_DETERMINERS = frozenset("a an another each every".split())


def is_counted(ent) -> bool:
    """Whether a name the model took for an organisation is counted like a common noun, so
    names a thing: "a Polaroid", "3 RBI", "3000 BC", "a UNESCO World Heritage Site". Not a
    name that only modifies the counted noun ("two Ford cars", "the 27 EU members": it is not
    the phrase's head), nor one after a year ("the 2009 Draft"; a date's year is often parsed
    as counting the name after it). A person's name after "a" is still a person's ("a Moreau",
    one of the family): people are left alone."""
    root = ent.root
    if ent.label_ != "ORG" or root.dep_ == "compound":
        return False
    return any(child.i < ent.start and (
        (child.dep_ == "det" and child.lower_ in COUNTING_DETERMINERS)
        or (child.dep_ == "nummod" and child.like_num and child.lower_ != "one"
            and not YEAR.match(child.text)))
        for child in root.children)


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


SPEAK_VERBS = frozenset("speak speaks spoke spoken speaking".split())


def is_spoken(ent) -> bool:
    """Whether a name the model took for an agent is what someone speaks: the object of
    "speak" ("she spoke Guarani", "people speak Swahili and Guarani"), a language."""
    if len(ent) != 1:
        return False
    head = ent.root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return head.dep_ == "dobj" and head.head.lower_ in SPEAK_VERBS


@functools.cache
def language_names() -> frozenset[str]:
    """The major languages' names (ISO 639-1, pycountry) that are no country's name or
    demonym nor a given name: "Yoruba", "Swahili", "Guarani" (the model tags them people,
    places, groups). Read when first asked for, not when the engine is imported."""
    return frozenset(
        name for name in (re.sub(r"\s*\(.*\)$", "", lang.name) for lang in pycountry.languages
                          if hasattr(lang, "alpha_2"))
        if countries.country_by_name(name) is None and countries.country_by_demonym(name) is None
        and not is_given_name(name))


def names_a_language(ent) -> bool:
    """Whether a name the model took for an agent or a place is a language's, modifying a
    common noun ("Yoruba and Igbo newspapers", "Swahili songs"): a language, not an agent."""
    if ent.text not in language_names():
        return False
    head = ent.root
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return (head.dep_ in ("compound", "nmod", "amod") and head.head.pos_ == "NOUN"
            and head.head.is_lower)


def _author_of(name_end, work) -> bool:
    """Whether the name after a work noun is who made it, not its title: "the book [Ana Lima]
    wrote" (the subject of a clause about the book), not "the novel [Grey Water] sold well"."""
    return (name_end.dep_ == "nsubj" and name_end.head.dep_ == "relcl"
            and name_end.head.head.i == work.i)


def _titles_of_works(block: Block, doc, things: list[tuple[int, int, str]]) -> None:
    """Capitalised words right after a work noun ("the series Silverline") name a work,
    whether or not the model tagged them."""
    for token in doc:
        if token.lower_ not in WORK_NOUNS or token.pos_ != "NOUN" or token.i + 1 >= len(doc):
            continue  # "the show", not "polls show Lima ahead"
        end = token.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].text[:1].isupper():
            end += 1
        if end > token.i + 1 and not _author_of(doc[end - 1], token):
            span = doc[token.i + 1:end]
            things.append((block.start + span.start_char, block.start + span.end_char, span.text))


@dataclass
class _Reading:
    """One of the model's entities as the decisions below read it: where its name is in the
    text, its label, and what was cut off its front."""

    ent: Span
    start: int
    end: int
    label: str
    inner_title: str = ""  # a title the model ran into a person's name ("Councillor")
    dateline: bool = False


def _entity_candidates(text: str, block: Block, doc, limit: int,
                       things: list[tuple[int, int, str]],
                       lower_words: frozenset[str] = frozenset(),
                       counted: frozenset[str] = frozenset(),
                       named: frozenset[str] = frozenset()) -> list[Candidate]:
    """The model's entities as candidates; the named things it took for agents go to `things`
    (not an abbreviation the text defines by a name, one of `named`)."""
    found = []
    for ent in _joined_names(doc):
        if ent.label_ not in NAME_LABELS and ent.label_ not in PLACE_LABELS and ent.label_ != "NORP":
            continue
        reading = _Reading(ent, block.start + ent.start_char, block.start + ent.end_char, ent.label_)
        if reading.start >= limit:
            continue  # inside the credit: credits are read by the parser
        thing_names = _not_an_agent(reading, text, block, lower_words, counted, named)
        if thing_names is not None:
            things += [(reading.start, reading.end, name) for name in thing_names]
            continue
        _relabel(reading)
        if _counted_unit(reading):
            continue
        _extend(reading, block, limit)
        if _in_a_job_title(reading, text, block):
            continue
        _cut_tail(reading, block)
        _honorific_person(reading, block)
        _trade_front(reading, block)
        nationality = _person_front(reading, block, lower_words)
        if nationality is not None:
            found.append(nationality)
        _place_or_club(reading, text, block)
        found += _pieces(reading, text, block)
    return found


# A saint's name in the possessive begins a name of its own: "St James's", "St Thomas'".
SAINTS = frozenset({"St", "St.", "Saint"})


def _joined_names(doc) -> list[Span]:
    """The model's entities, two it tagged side by side with only a space between made one:
    two people (no sentence writes two names so, but a long name the model broke in two:
    "opposition politician [Mirza Fakhrul] [Islam Alamgir]", not after a possessive: "Matthew
    Vaughn's Kingsman"), and a saint's name in the possessive before an organisation's head
    word ("[St James's] [University Hospital]", as span-breaks keeps "St Mary's Hospital"
    whole; not "[Berkeley's] [Department of Linguistics]", a department Berkeley has)."""
    joined = []
    for ent in doc.ents:
        last = joined[-1] if joined else None
        if last is None or ent.start != last.end or doc[last.end - 1].whitespace_ != " ":
            joined.append(ent)
            continue
        possessive = doc[last.end - 1].text.endswith(("'s", "’s", "'", "’"))
        if (ent.label_ == last.label_ == "PERSON" and not possessive
                and rules.on("joined-people")):
            joined[-1] = Span(doc, last.start, ent.end, label="PERSON")
        elif (ent.label_ == last.label_ == "ORG" and possessive and last[0].text in SAINTS
                and ent[0].text in ORG_HEADS and rules.on("possessive-heads")):
            joined[-1] = Span(doc, last.start, ent.end, label="ORG")
        else:
            joined.append(ent)
    return joined


# A US legislator's party and state, as American news writes them after the name: "D-Mass.",
# "R-Mo.", "I-Vt.", "D-N.Y.".
PARTY_STATE = re.compile(r"[DRI]-[A-Z][A-Za-z]*\.?(?:[A-Z]\.)?")


def _not_an_agent(reading: _Reading, text: str, block: Block, lower_words: frozenset[str],
                  counted: frozenset[str], named: frozenset[str]) -> tuple[str, ...] | None:
    """None if the entity may name an agent or a place; else the names of the things it
    stands for (none if it is no name at all). A caption's label is cut off its front."""
    ent, label = reading.ent, reading.label
    if label in NAME_LABELS and names_a_thing(ent, text, block.start) and rules.on("named-things"):
        if ent[0].text in THING_FIRST_WORDS and len(ent) > 1:
            # "Phailin" after "Cyclone Phailin" is the storm too, wherever it stands.
            return ent.text, ent[1:].text
        return (ent.text,)
    if label in NAME_LABELS and is_counted(ent) and rules.on("countable-names"):
        return (ent.text,)
    if label in NAME_LABELS and names_a_currency(ent.text, counted) and rules.on("currencies"):
        return (ent.text,)
    if PARTY_STATE.fullmatch(ent.text) and rules.on("party-states"):
        return ()  # "Sen. Elizabeth Warren, D-Mass., said": her party and state, no place's name
    if len(ent) == 1 and ent[0].pos_ in NOT_NAME_CLASSES and rules.on("word-classes"):
        return ()  # "(Writing by Brendan O'Boyle; ...)": the model's person, a verb
    if _headline_word(reading, block, lower_words) and rules.on("headline-words"):
        return ()  # "Wildfire forces thousands to flee": the article writes "a wildfire"
    label_cut = CAPTION_LABEL.match(ent.text)
    if label_cut and rules.on("caption-labels"):
        rest = ent.text[label_cut.end():].split()
        if len(rest) < 2 or not all(word[:1].isupper() for word in rest):
            return ()  # "Photo: Workers at the site": the label's capital made a name
        reading.start += label_cut.end()
    if names_a_concept(ent.text) and ent.text not in named and rules.on("concept-abbreviations"):
        return (ent.text,)
    if label == "NORP" and is_language(ent) and rules.on("languages"):
        return ()
    if label in NAME_LABELS and is_spoken(ent) and rules.on("languages"):
        return (ent.text,)  # "people speak Swahili and Guarani"
    if label != "NORP" and names_a_language(ent) and rules.on("languages"):
        return (ent.text,)  # "Yoruba and Igbo newspapers"
    return None


# A word of letters and figures: "COP29", "M23", "4Kids"; not "50" of "50 Cent", nor an
# ordinal ("the 1st Earl of Essex").
LETTERS_AND_DIGITS = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)


def _relabel(reading: _Reading) -> None:
    """A name the model took for an agent is a country or a place where it is listed with
    them, and its country where it is a demonym before a noun."""
    ent = reading.ent
    if reading.label not in NAME_LABELS:
        return
    if _listed_with_countries(ent) and rules.on("listed-countries"):
        reading.label = "GPE"  # "coups in Mali, Burkina Faso and Niger": Niger is the country
    elif _listed_with_places(ent) and rules.on("listed-places"):
        reading.label = "GPE"  # "in Bruges, Bergen, Novgorod and London"
    if (reading.label == "PERSON" and any(LETTERS_AND_DIGITS.search(token.text)
                                          and not ORDINAL.fullmatch(token.text) for token in ent)
            and rules.on("digit-names")):
        reading.label = "ORG"  # "COP29", "M23", "G20": no person's name has a figure in a word
    if reading.label in NAME_LABELS and _demonym_before_a_noun(ent) and rules.on("demonym-agents"):
        reading.label = "NORP"  # "Ugandan activist Sarah Nabukenya": the model's organisation


def _end_at(reading: _Reading, block: Block, last: int) -> None:
    """The name ends with token `last - 1`, if that is sooner than it ends now."""
    token = reading.ent.doc[last - 1]
    reading.end = min(reading.end, block.start + token.idx + len(token.text))


def _headline_word(reading: _Reading, block: Block, lower_words: frozenset[str]) -> bool:
    """Whether the entity is a headline's word alone that the article also writes in lower
    case: an ordinary word, capitalised as a headline's first, or as any word of a headline in
    title case ("How to Start a Vegetable Garden on a Balcony"); not a country's name ("Turkey"
    beside the turkey on the table)."""
    ent = reading.ent
    return (block.kind == "headline" and len(ent) == 1 and ent.text.lower() in lower_words
            and (reading.label in NAME_LABELS or (reading.label in PLACE_LABELS
                                                  and countries.country_by_name(ent.text) is None))
            and (ent.start == 0 or _in_title_case(ent.doc)))


def _in_title_case(doc) -> bool:
    """Whether a headline capitalises its words as a title does: all but its short ones."""
    words = [token.text for token in doc if token.is_alpha and len(token.text) > 3]
    return len(words) >= 3 and all(word[0].isupper() for word in words)


def _demonym_before_a_noun(ent) -> bool:
    """Whether a word alone is a country's demonym before a common noun ("Ugandan activist",
    "Ugandan opposition leader"): its country, not a person or an organisation ("Lao, a
    language" is left alone)."""
    doc = ent.doc
    after = doc[ent.end] if ent.end < len(doc) else None
    return (len(ent) == 1 and after is not None and after.is_lower and after.pos_ in ("NOUN", "ADJ")
            and countries.country_by_demonym(ent.text) is not None and not is_given_name(ent.text))


def _counted_unit(reading: _Reading) -> bool:
    """Whether an acronym is counted as a unit, currency or era ("11 RBI", "25 CUC", "300
    BC"), not an organisation; not "the 27 EU members", "in 2012 NATO expanded"."""
    ent = reading.ent
    number = ent.doc[ent.start - 1] if ent.start else None
    return (reading.label == "ORG" and len(ent) == 1 and ent.text.isupper() and number is not None
            and number.like_num and number.head.i == ent.start and rules.on("counted-units"))


# Words no name ends on, where the model stopped short: "Australian Competition and".
OPEN_ENDS = frozenset({"and", "of", "for", "&"})


def _name_word(token) -> bool:
    return token.is_title and token.pos_ == "PROPN"


def _extend(reading: _Reading, block: Block, limit: int) -> None:
    """The name ends at the caption's credit, after "group" when that follows an
    organisation's name ("the Meridian group"), after the surname that a person's
    name the model ended on a particle goes on to ("Ursula von der [Leyen]"), and after the
    capitalised words a name the model ended on "and" or "of" goes on to ("the Australian
    Competition and [Consumer Commission]")."""
    ent, doc = reading.ent, reading.ent.doc
    after = ent.end < len(doc) and _name_word(doc[ent.end])
    if (reading.label == "PERSON" and len(ent) > 1 and ent[-1].text in NAME_PARTICLES and after
            and rules.on("particle-surnames")):
        reading.end = block.start + doc[ent.end].idx + len(doc[ent.end].text)
    if (reading.label in NAME_LABELS and len(ent) > 1 and ent[-1].lower_ in OPEN_ENDS and after
            and rules.on("open-ends")):
        last = ent.end
        while last + 1 < len(doc) and _name_word(doc[last + 1]):
            last += 1
        reading.end = block.start + doc[last].idx + len(doc[last].text)
    reading.end = min(reading.end, limit)
    if (reading.label == "ORG" and ent.end < len(doc) and doc[ent.end].text in ORG_TAIL
            and ent[-1].tag_ != "POS"  # "the Harbour Trust's group" is a group it has
            and rules.on("org-tail")):
        reading.end = block.start + doc[ent.end].idx + len(doc[ent.end].text)


def _in_a_job_title(reading: _Reading, text: str, block: Block) -> bool:
    """Whether the entity is the field or portfolio of a job title, no organisation:
    "Professor of [Law]", "Secretary of [State]", "Shadow [Home] Secretary"."""
    ent, label, start, end = reading.ent, reading.label, reading.start, reading.end
    before = text[max(block.start, start - 40):start]
    if (label == "ORG" and ACADEMIC_FIELD.search(before) and ent[0].lower_ != "the"
            and ent[-1].text not in ORG_HEADS and rules.on("academic-fields")):
        return True
    return label in ("ORG", "GPE") and bool(
        PORTFOLIO.search(before)
        or (PORTFOLIO_AFTER.match(text, end) and not ent.text.isupper()
            and ent[-1].text not in ORG_HEADS)
        or (ent.text in PORTFOLIO_WORDS and PORTFOLIO_LOWER.match(text, end))) and rules.on("portfolios")


def _cut_tail(reading: _Reading, block: Block) -> None:
    """A job title the model ran into an organisation's end ("State Department
    [Spokesperson]"), a match score at a name's end ("Liverpool 2-0") and the words in lower
    case after a name ("Uncle Desmond's van") are cut off."""
    ent, doc = reading.ent, reading.ent.doc
    if reading.label == "ORG" and len(ent) > 1 and ent[-1].text in TITLE_WORDS and rules.on("title-tail"):
        reading.end = block.start + ent[-2].idx + len(ent[-2].text)
    last = ent.end
    while last - ent.start > 1 and (doc[last - 1].like_num or doc[last - 1].is_punct
                                    or SCORE.match(doc[last - 1].text)) and rules.on("score-trim"):
        last -= 1
    if last < ent.end:
        _end_at(reading, block, last)
    last = ent.end
    while (last - ent.start > 1 and doc[last - 1].is_lower and doc[last - 1].is_alpha
           and doc[last - 2].whitespace_ and doc[last - 1].lower_ not in cues.PLACE_NOUNS):
        last -= 1  # "Uncle Desmond's van": the van is no part of his name (but "Hau Lung-bin",
        # "Jiangsu province")
    if last < ent.end and last - ent.start > 1 and doc[last - 1].tag_ == "POS":
        last -= 1
    if last < ent.end and rules.on("lower-tail"):
        _end_at(reading, block, last)


def _honorific_person(reading: _Reading, block: Block) -> None:
    """An organisation span that opens with an honorific ("Mrs Bird", "Dr Lima") is a
    person; one that opens with a title before a given name and a surname ("Councillor Priya
    Raman") is that person, the title cut off."""
    ent = reading.ent
    if (reading.label == "ORG" and len(ent) > 1 and ent[0].text.rstrip(".") in HONORIFICS
            and rules.on("honorific-person")):
        reading.label = "PERSON"
    titled = _titled_person(ent) if reading.label == "ORG" else None
    if titled is not None and rules.on("honorific-person"):
        reading.label, reading.inner_title = "PERSON", ent[:titled].text
        reading.start = block.start + ent[titled].idx


def _trade_front(reading: _Reading, block: Block) -> None:
    """A trade in title case at a name's front, as a headline or a sentence's start writes it
    ("Drugmaker Halvorsen recalls pills"), is cut off, and says the name is a company's."""
    ent = reading.ent
    if (len(ent) > 1 and ent[0].is_title and ent[0].lower_ in cues.TRADE_NOUNS
            and reading.start == block.start + ent.start_char and rules.on("nouns-before")):
        reading.label, reading.start = "ORG", block.start + ent[1].idx


def _person_front(reading: _Reading, block: Block, lower_words: frozenset[str]) -> Candidate | None:
    """A person's span loses the titles, roles and nationality at its front (the nationality
    is returned, a country's mention of its own); an untagged given name just before a name
    the model or the text calls a person becomes its front."""
    ent, doc, nationality = reading.ent, reading.ent.doc, None
    if (reading.label == "PERSON" and len(ent) > 1 and ent[0].text.rstrip(".") in HONORIFICS
            and ent[1].text[:1].isupper() and rules.on("honorific-front")):
        # "Ms Otieno said" beside "Maria Otieno": the surname, which then joins her
        reading.inner_title, reading.start = ent[0].text, block.start + ent[1].idx
    edges = (_person_edges(ent, lower_words)
             if reading.label == "PERSON" and not rules.skipped("person-edges") else None)
    if edges is not None and edges != (ent.start, ent.end, None) and rules.on("person-edges"):
        first, last, demonym = edges
        if demonym is not None:
            n_start = block.start + demonym.idx
            nationality = Candidate(n_start, n_start + len(demonym.text), demonym.text, block,
                                    "country", countries.country_by_demonym(demonym.text))
        reading.inner_title = " ".join(t.text for t in ent[:first - ent.start])
        reading.start = block.start + doc[first].idx
        _end_at(reading, block, last)
    given = (_given_name_before(ent, reading.label)
             if not rules.skipped("given-name-front") else None)
    if given is not None and rules.on("given-name-front"):
        reading.start, reading.label = block.start + given.idx, "PERSON"
    return nationality


def _place_or_club(reading: _Reading, text: str, block: Block) -> None:
    """A place that plays a match is a club ("Liverpool beat Leeds"; a country's team is
    national-teams'), so is a word alone the model calls a person that plays one beside a
    score, which no given name comes before anywhere ("Brentford held them to a 1-1 draw"),
    and a name opening a dateline is its city, not an organisation."""
    ent = reading.ent
    if (reading.label in PLACE_LABELS and countries.country_by_name(ent.text) is None
            and plays_a_match(ent) and rules.on("match-clubs")):
        reading.label = "ORG"
    if (reading.label == "PERSON" and len(ent) == 1 and not is_given_name(ent.text)
            and plays_a_match(ent) and _scored(text, block, reading.start, reading.end)
            and not after_a_given_name(text, ent.text) and rules.on("person-clubs")):
        reading.label = "ORG"  # "Brentford held them to a 1-1 draw"; not "Sinner beat Jannik ..."
    if reading.start != block.start or reading.label not in ("ORG", *PLACE_LABELS):
        return
    # The model may tag one city of two: "KINSHASA" of "KINSHASA/GOMA, Jan 3 (Reuters) -".
    capitals = CAPITALS.match(text, reading.start, block.end)
    end = max(reading.end, capitals.end()) if capitals else reading.end
    reading.dateline = _opens_a_dateline(text, reading.start, end) and rules.on("dateline")
    if reading.dateline:
        reading.label, reading.end = "GPE", end


def _pieces(reading: _Reading, text: str, block: Block) -> list[Candidate]:
    """The entity's candidates: one, or one per piece of a span the model ran across a line
    break or a possessive; with the 's a name always has, its title and what shows a person."""
    ent, doc, label, found = reading.ent, reading.ent.doc, reading.label, []
    pieces = _split_at_breaks(text, reading.start, reading.end)
    if reading.dateline:  # "BUDAPEST/MOSCOW, Nov 30 (Reuters) -": two cities
        pieces = _dateline_cities(pieces, text)
    for piece_start, piece_end in pieces:
        s, e = trim(text, piece_start, piece_end)
        if label == "ORG" and _own_possessive(text, s, e, piece_end) and rules.on("own-possessive"):
            e += 2  # "McDonald's": the article never writes the name without its 's
        if e <= s or not any(ch.isupper() for ch in text[s:e]) or _is_web_furniture(text[s:e]):
            continue
        last_token = doc[ent.end - 1]
        plural_head = (last_token.tag_ == "NNPS"
                       if block.start + last_token.idx + len(last_token.text) == e else None)
        candidate = _typed(text, block, s, e, label, plural_head)
        if candidate is None:
            continue
        outer_title = title_before(doc, ent.start)
        if candidate.type == "person":
            candidate.title = " ".join(filter(None, (outer_title, reading.inner_title)))
        titled = bool(outer_title) and is_title_word(outer_title.split()[-1])
        candidate.personal = bool(PERSON_AFTER.match(text, e) or titled or reading.inner_title)
        candidate.dateline = reading.dateline
        found.append(candidate)
    return found


def _listed_with_countries(ent) -> bool:
    """Whether a country's name that is also a person's or a word ("Niger", "Jordan",
    "Georgia") stands in a list with another country ("Mali, Burkina Faso and Niger",
    "Jordan and Syria"): then it is the country."""
    if countries.country_by_name(ent.text) is None or not countries.is_ambiguous(ent.text):
        return False
    return any(countries.country_by_name(name_around(other).text) is not None
               for token in ent for other in token.conjuncts
               if not ent.start <= other.i < ent.end)


def _listed_with_places(ent) -> bool:
    """Whether a name the model took for an agent stands in a list of places and of nothing
    else, two places beside it at least: "offices in Bruges, Bergen, Novgorod and London"
    (one is too few: the parser joins "Microsoft and Japan" in more lists than it should)."""
    others = {name_around(other) for token in ent for other in token.conjuncts
              if not ent.start <= other.i < ent.end}
    if any(other.label_ in NAME_LABELS for other in others):
        return False
    places = sum(other.label_ in PLACE_LABELS or countries.country_by_name(other.text) is not None
                 for other in others)
    return places >= 2


# How many words a title may take before the name it stands for ("Health Minister").
TITLE_WORDS_BEFORE = 3


def _titled_person(ent) -> int | None:
    """Where the person's own name begins in an organisation span that opens with a title
    and goes on with a given name and a surname ("Councillor Priya Raman", "Health Minister
    Susan Nakhumicha"), or None. Not a name with an organisation's head word ("King Abdullah
    University"), nor one whose title stands alone ("General Motors")."""
    if any(token.text in ORG_HEADS for token in ent):
        return None
    for at in range(1, min(TITLE_WORDS_BEFORE, len(ent) - 2) + 1):
        title, given = ent[at - 1], ent[at]
        if not title.is_title:
            return None
        if (title.lower_ in cues.PERSON_TITLES and given.pos_ == "PROPN" and is_given_name(given.text)
                and all(token.pos_ == "PROPN" and token.is_title for token in ent[at:])):
            return at
    return None


def _given_name_before(ent, label: str):
    """The untagged given name just before a name that the model or the text calls a person
    ("Ana [Lima], the team captain": the model tagged "Lima" a place, the apposition calls it
    a person), or None."""
    doc = ent.doc
    if not ent.start:
        return None
    token = doc[ent.start - 1]
    if token.ent_type_ or token.pos_ != "PROPN" or not is_given_name(token.text):
        return None
    if label == "PERSON" or any(span.label_ == "person" and span.start <= ent.start < span.end
                                for span in cue_spans(doc)):
        return token
    return None


# The endings of nouns for what a person does ("Defender", "Novelist", "Historian"): with the
# article writing the word in lower case too, it is a role before a name, not part of it
# (unlike "Park" in "Park Geun-hye").
AGENT_NOUN = re.compile(r"(?:er|or|ist|ian|ant|ent|man|woman)$")
# Honorifics that may stand before a surname alone: "Miss Roe" is Roe.
HONORIFICS = frozenset("Mr Mrs Ms Miss Mx Dr Mme Mlle Messrs".split())
ROMAN_NUMERAL = re.compile(r"^[IVX]+$")


def _own_possessive(text: str, start: int, end: int, limit: int) -> bool:
    """Whether the 's that trim cut off is part of the name: the article never writes the
    name without it ("McDonald's"), as it would for a possessive ("Apple's profits")."""
    if end + 2 > limit or text[end:end + 2] not in ("'s", "’s"):
        return False
    name = text[start:end]
    if name.split()[-1] in ORG_HEADS:
        return False  # "the European Union's": a possessive
    possessive = text.count(name + "'s") + text.count(name + "’s")
    return possessive >= 2 and text.count(name) == possessive


def _person_edges(ent, lower_words: frozenset[str]):
    """Where the name inside a person span starts and ends (token indices), and the token of a
    nationality cut off its front: "Defender Ali Hassan" -> Ali Hassan; "Russian Igor Petrov"
    -> Igor Petrov, and Russian; "Miss Roe" -> Roe; "Ana [Frost]" -> Ana Frost."""
    doc = ent.doc
    first, last, nationality = ent.start, ent.end, None
    if len(ent) == 1 and first and doc[first - 1].pos_ == "PROPN" and is_given_name(doc[first - 1].text) \
            and NAME_WORD.match(doc[first - 1].text) and doc[first - 1].ent_type_ == "":
        return first - 1, last, None  # "Ana [Frost]": the model left the given name out
    while last - first > 1:
        token = doc[first]
        word = token.text.rstrip(".")
        honorific = word in HONORIFICS
        given = is_given_name(word)
        demonym = not given and countries.country_by_demonym(token.text) is not None
        role = not given and (is_title_word(word) or (word.lower() in lower_words
                                                      and AGENT_NOUN.search(word)))
        if (not token.text[:1].isupper() or not (honorific or demonym or role)
                or (last - first < 3 and not honorific)):
            break
        if demonym:
            nationality = token
        first += 1
    return first, last, nationality


def _post_nominal(word: str) -> bool:
    """Letters after a name: "FRS", "DBE", "PhD", "MP"; not "Jr", "Sr" or "III", which are part of it."""
    bare = word.strip(".,")
    return (bare.isupper() and 2 <= len(bare) <= 5 and not ROMAN_NUMERAL.match(bare)
            and bare not in ("JR", "SR")) or (is_suffix(word) and bare.lower() not in ("jr", "sr")
                                             and not ROMAN_NUMERAL.match(bare))


# Verbs of a match's result: "Liverpool beat Leeds", "Porto drew with Braga" (not a
# fixture's "Lisbon faces a housing crisis": a club needs no score to be one).
MATCH_VERBS = frozenset(cues.RESULT_VERBS)


# A result in the passive, which a score beside the verb makes a match's: "held 1-1 by".
PASSIVE_RESULTS = frozenset("held beaten defeated thrashed edged routed hammered outplayed".split())


def plays_a_match(ent) -> bool:
    """Whether a place's name is the subject or object of a match verb, or of "held ... to a
    draw", or the subject of a verb that goes on to one ("came from behind to beat", "failed
    to beat"), or the agent of a result in the passive beside a score ("held 1-1 by
    Brentford"): then it is a club."""
    root = ent.root
    head = root.head
    if (root.dep_ == "pobj" and head.dep_ == "agent" and head.head.lower_ in PASSIVE_RESULTS
            and any(child.like_num for child in head.head.children)):
        return True  # "Chelsea were held 1-1 by Brentford", "beaten 3-0 by Brentford"
    if root.dep_ == "pobj" and head.lower_ in ("with", "against", "over", "to"):
        head = head.head
    if root.dep_ in ("nsubj", "dobj") and head.lower_ in cues.HELD and any(
            child.dep_ == "prep" and child.lower_ == "to" and any(g.lower_ in cues.DRAWS for g in child.children)
            for child in head.children):
        return True  # "Brentford held Arsenal to a 1-1 draw"
    if root.dep_ == "nsubj" and any(child.dep_ in ("xcomp", "advcl") and child.lower_ in MATCH_VERBS
                                    for child in head.children):
        return True
    return root.dep_ in ("nsubj", "dobj", "pobj") and head.lower_ in MATCH_VERBS


def is_team_name(span: str, plural: bool | None = None) -> bool:
    """A place's name that ends in a plural is a team or a group, not a place: "Pittsburgh
    Pirates", "Lisbon Harbour Hawks"; "Rocky Mountains" are places. `plural` is the tagger's
    word on the last word (NNPS), which knows "Buenos Aires" is no plural; without it, a
    final "s" stands in."""
    head = span.split()[-1]
    if plural is None:
        plural = len(head) > 3 and head.endswith("s") and not head.endswith(("ss", "us", "is"))
    return plural and head[:1].isupper() and head not in GEOGRAPHIC_PLURALS


def named_like_a_team(name: str) -> bool:
    """A place's name and a plural, every word in capitals: "Pittsburgh Pirates", not "Bank
    of Portugal" nor the "Department of Linguistics"."""
    words = name.split()
    return len(words) > 1 and is_team_name(name) and not any(w.islower() for w in words)


def _typed(text: str, block: Block, start: int, end: int, label: str,
           plural_head: bool | None = None) -> Candidate | None:
    """Give a span its type: a country by name or demonym, else what the model said."""
    span = text[start:end]
    if label == "NORP":
        country = countries.country_by_demonym(span)
        return Candidate(start, end, span, block, "country", country) if country else None
    country = countries.country_by_name(span)
    if country and (label in PLACE_LABELS or not countries.is_ambiguous(span)):
        return Candidate(start, end, span, block, "country", country)
    head = span.split()[-1]
    if label in PLACE_LABELS and countries.country_by_demonym(span):
        return Candidate(start, end, span, block, "country", countries.country_by_demonym(span))
    if label in PLACE_LABELS:
        kind = "organization" if (" " in span and (
            head in PLACE_ORG_HEADS or is_team_name(span, plural_head))
            and rules.on("place-org-heads")) else "place"
        return Candidate(start, end, span, block, kind)
    if (label == "PERSON" and head in ORG_HEADS and " " in span
            and not is_given_name(span.split()[0]) and rules.on("person-org-heads")):
        return Candidate(start, end, span, block, "organization")
    return Candidate(start, end, span, block, NAME_LABELS[label])


def _country_words(text: str, block: Block, doc, occupied: bytearray) -> list[Candidate]:
    """Countries, short forms and demonyms the model did not mark ("Chinese firms", "U.S.")."""
    found = []
    i = 0
    while i < len(doc):
        if not countries.may_begin_a_country(doc[i].text):
            i += 1
            continue
        for size in (3, 2, 1):
            if i + size > len(doc):
                continue
            span = doc[i:i + size]
            if span[-1].is_punct or span[-1].is_space:
                continue  # 'Mexico"' is Mexico and a quote mark: the shorter span names it
            start, end = block.start + span.start_char, block.start + span.end_char
            if 1 in occupied[start:end] or _in_a_longer_name(span):
                continue
            country = None
            if not countries.is_ambiguous(span.text):
                country = countries.country_by_name(span.text)
            if (country is None and span[-1].pos_ in ("ADJ", "PROPN", "NOUN")
                    and not span[-1].tag_.endswith("S") and not is_language(span)):
                country = countries.country_by_demonym(span.text)
            if country is not None:
                found.append(Candidate(start, end, text[start:end], block, "country", country))
                i += size - 1
                break
        i += 1
    return found


def _in_a_longer_name(span) -> bool:
    """Whether country words the model left untagged are part of another name or a currency:
    "the Saudi Gazette", "(Italian Episcopal Conference)" (before a capitalised proper noun
    that is no title: not "the Chinese President"), "NZ $ 26 million"."""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is None:
        return False
    if after.tag_ == "$":
        return True
    return (after.pos_ == "PROPN" and after.text[:1].isupper() and not is_title_word(after.text)
            and countries.country_by_demonym(after.text) is None)


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
        if name == name.lower():
            continue  # "(Photo: the family)", "(courtesy of the artist)": no name
        # Words in lower case after the name are what it credits for: "Google maps", "AP file".
        name = re.sub(r"(?:\s+[a-z][\w-]*)+$", "", name)
        end = start + len(name)
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
    legal: set[tuple[str, ...]] = set()  # "Veltrix" of "Veltrix Corp"
    clubs: set[tuple[str, ...]] = set()  # "Liverpool beat Aston Villa 2-0", "Chelsea coach Enzo Maresca"
    for c in candidates:
        if c.type == "country" or c.credit:
            continue
        forms = [tuple(c.words)]
        if c.type == "organization" and not c.dateline and (cues.MATCH in c.cues or "team" in c.cues):
            clubs.add(tuple(c.words))
        if (c.type == "organization" and len(c.words) == 2
                and c.words[1].rstrip(".").lower() in LEGAL_FORMS):
            legal.add((c.words[0],))
        if c.type == "person" and len(c.words) > 1:
            # Known by the surname alone, or the given name ("Tedros" of Tedros Adhanom, "Wang" of Wang Lei).
            forms += [(word,) for word in (c.words[-1], c.words[0]) if len(word) > 2]
        if c.type == "organization" and len(c.words) == 2 and c.words[1].lower() in SHORT_NAME_TAILS:
            forms.append((c.words[0],))
        if c.dateline and c.text.isupper():
            forms.append(tuple(word.capitalize() for word in c.words))  # "KARACHI -": Karachi
        # The model reads whole sentences better than captions and headlines; a dateline's
        # city is a place whatever a sentence makes the model call it ("visits in Karachi").
        weight = 2.0 if c.dateline else 1.0 if c.block.kind == "paragraph" else 0.5
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
    for form in clubs:
        # A city's name that plays a match is its club wherever a sentence names it, though
        # the model calls it the city more often (a dateline's city stays the city: _retype).
        if known.get(form) == "place" and rules.on("club-cities"):
            known[form] = "organization"
    for form in legal:
        # The text names the company with its legal form: the name alone is the company, not
        # the place the model sometimes calls it ("Veltrix shares fell", GPE to the model).
        if known.get(form, "place") == "place" and len(form[0]) > 2 and rules.on("legal-forms"):
            known[form] = "organization"
    return known


def _known_extents(text: str, found: list[Candidate], known: dict[tuple[str, ...], str]
                   ) -> list[tuple[int, Candidate]]:
    """(id of a candidate, what replaces it) where the model cut a name short of one the
    article writes in full elsewhere, and the rest of it follows: "[Tulia] Pay said", with
    "Tulia Pay" an organisation, is Tulia Pay."""
    longer: dict[str, list[tuple[str, ...]]] = {}
    for form, kind in known.items():
        if len(form) > 1 and kind in ("person", "organization"):
            longer.setdefault(form[0], []).append(form)
    starts = sorted(c.start for c in found)
    replaced = []
    for c in found:
        words = tuple(c.text.split())
        if c.type == "country" or c.credit or not words:
            continue
        for form in sorted(longer.get(words[0], ()), key=len, reverse=True):
            if len(form) <= len(words) or form[:len(words)] != words:
                continue
            match = re.compile(r"\s+".join(map(re.escape, form)) + r"(?!\w)").match(text, c.start)
            following = bisect.bisect_right(starts, c.start)
            if (match and match.end() <= c.block.end
                    and (following == len(starts) or starts[following] >= match.end())):
                replaced.append((id(c), Candidate(c.start, match.end(), match.group(), c.block, known[form])))
                break
    return replaced


def _retype(text: str, candidates: list[Candidate], known: dict[tuple[str, ...], str]) -> None:
    """A name is a place or not in the whole article, as the model said most ("Marseille"
    once an organisation in a caption, a place in the text). Person or organisation is
    left to grouping, which weighs the full names and surnames together. A team's name the
    model once called an organisation stays one ("Pittsburgh Pirates", mostly a "place").
    A large city the model saw where a place stands ("the court in Austin") stays one,
    whoever else bears the name (Tom Austin); not a case cited "in Clements and Clements"."""
    for c in candidates:
        kind = known.get(tuple(c.words))
        if (kind and kind != c.type and c.type != "country" and not c.credit
                and "place" in (kind, c.type)
                and not (c.type == "organization" and named_like_a_team(c.text))
                and not (c.type == "place" and (c.dateline or _dateline_region(text, c)))
                and not (c.type == "place" and kind == "person" and _located(text, c)
                         and places.is_large_place(c.text) and rules.on("located-places"))
                and rules.on("retype-places")):
            c.type = kind


def _dateline_region(text: str, candidate: Candidate) -> bool:
    """Whether a name is the country or state after a dateline's city ("MANCHESTER, England
    -"): a place, as the city is."""
    city = CAPITALS.match(text, candidate.block.start, candidate.start)
    return (city is not None and text[city.end():candidate.start] == ", "
            and _opens_a_dateline(text, city.start(), city.end()))


# Where a place is: "in Austin", "near Midland" (not "in Austin's view": his).
LOCATED_BEFORE = re.compile(r"\b(?:in|near)\s+$")


def _located(text: str, candidate: Candidate) -> bool:
    return (LOCATED_BEFORE.search(text, max(0, candidate.start - 6), candidate.start) is not None
            and not text.startswith(("'s", "’s"), candidate.end))


def _worth_looking_for(known: dict[tuple[str, ...], str],
                       candidates: list[Candidate]) -> dict[tuple[str, ...], str]:
    """The known names to look for where the model missed them. A word the model called a
    person only when it stood alone is weak evidence (a ship called "Endeavour", "Dear Reader"):
    it is not looked for; a surname or given name of a person named in full is."""
    parts = {(word,) for c in candidates if c.type == "person" and len(c.words) > 1
             for word in (c.words[0], c.words[-1])}
    # Nor is an "organisation" that is the surname of a name beginning with a given name
    # ("Holm" after "Erik Holm"): the model's organisation label there is its confusion.
    surnames = {(c.words[-1],) for c in candidates
                if len(c.words) == 2 and is_given_name(c.words[0])}
    return {form: kind for form, kind in known.items()
            if (kind != "person" or len(form) > 1 or form in parts)
            and not (kind == "organization" and form in surnames)}


def _propagate(text: str, blocks: list[Block], docs, limits: list[int],
               candidates: list[Candidate], known: dict[tuple[str, ...], str],
               taken: list[tuple[int, int]], lower_words: frozenset[str]) -> list[Candidate]:
    """Every other place where a known name stands, which the model missed (not inside
    another candidate nor a `taken` span); `lower_words` are the words the article also
    writes in lower case, ordinary words ("will", "may")."""
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(known, key=len, reverse=True):
        by_first.setdefault(form[0], []).append(form)
    occupied = bytearray(len(text))
    _occupy(occupied, [(c.start, c.end) for c in candidates] + list(taken))
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
    # Words the article also writes in lower case are ordinary words ("the defender").
    lower_words = frozenset(re.findall(r"\b[a-z]\w*", text))
    defined = abbreviations.definitions(blocks, docs)
    found, things = _model_candidates(text, blocks, docs, limits, lower_words, defined)
    thing_names = _thing_names(things, blocks, docs, limits, defined)
    found = _without_overlaps([c for c in found if norm(c.text) not in thing_names])
    if defined and rules.on("defined-names"):
        found = _with_long_forms(found, defined, text)
    found = _with_untagged_agents(text, blocks, docs, limits, found, thing_names)
    _attach_cues(found, blocks, docs)
    if not rules.skipped("entity-cues"):
        _cued_people_first(found)
    if not rules.skipped("large-places"):
        _large_places(text, found)
    known = {form: kind for form, kind in _name_forms(found).items()
             if norm(" ".join(form)) not in thing_names}
    if defined and rules.on("defined-names"):
        known.update(_defined_short_forms(found, defined))
    found = _with_known_names(text, blocks, docs, limits, found, known,
                              [(s, e) for s, e, _ in things], lower_words)
    _national_teams(text, found)
    if defined and rules.on("defined-names"):
        _link_abbreviations(found, defined)
    return found


def _model_candidates(text: str, blocks: list[Block], docs, limits: list[int],
                      lower_words: frozenset[str], defined) -> tuple[list[Candidate], list]:
    """Each block's candidates, from the model's entities, a caption's credit and the
    countries the model missed; and the named things it took for agents."""
    found: list[Candidate] = []
    things: list[tuple[int, int, str]] = []
    # Which characters a candidate already covers: overlap tests cost one slice, not a scan.
    occupied = bytearray(len(text))
    counted = frozenset() if rules.skipped("currencies") else counted_currencies(text)
    # "Amnesty International (AI)": an abbreviation the text defines by a name is that name's.
    named = frozenset(d.short for d in defined.values() if d.kind == abbreviations.NAME)
    for block, doc, limit in zip(blocks, docs, limits):
        signed = _sign_off_candidates(text, block)
        if signed:
            found += signed
            _occupy(occupied, ((c.start, c.end) for c in signed))
            continue
        block_found = _entity_candidates(text, block, doc, limit, things, lower_words, counted, named)
        works = []
        if not rules.skipped("titles-of-works"):
            _titles_of_works(block, doc, works)
        if works and rules.on("titles-of-works"):
            things += works
        credited = (_credit_candidates(text, block, doc)
                    if block.kind == "caption" and not rules.skipped("credits") else [])
        if credited and rules.on("credits"):
            block_found += credited
        if not rules.skipped("dateline"):
            _occupy(occupied, ((c.start, c.end) for c in block_found))
            block_found += _untagged_dateline(text, block, occupied)
        _occupy(occupied, ((c.start, c.end) for c in block_found))
        country_words = ([] if rules.skipped("country-words") else
                         [c for c in _country_words(text, block, doc, occupied) if c.start < limit])
        if country_words and rules.on("country-words"):
            block_found += country_words
        found += block_found
    return found, things


def _sign_off_candidates(text: str, block: Block) -> list[Candidate]:
    """A wire story's sign-off, read by the parser, not the model: its names are the people
    who reported, wrote and edited ("(Reporting by Ana Lima in Accra; Editing by Bo Berg)"),
    "in" names a place, and "Writing" or "Editing" is no name. Nothing for any other block."""
    if block.kind != "paragraph" or rules.skipped("sign-offs"):
        return []
    signed = sign_off_names(text[block.start:block.end])
    if signed is None or not rules.on("sign-offs"):
        return []
    people, places = signed

    def candidate(start: int, end: int, kind: str) -> Candidate:
        start, end = block.start + start, block.start + end
        return Candidate(start, end, text[start:end], block, kind, credit=kind == "person")

    return sorted([candidate(s, e, "person") for s, e in people]
                  + [candidate(s, e, "place") for s, e in places], key=lambda c: c.start)


def _thing_names(things: list[tuple[int, int, str]], blocks: list[Block], docs,
                 limits: list[int], defined) -> set[str]:
    """The comparable forms of the names that are things wherever they stand: a name seen
    once as a thing ("the series Harbour Lights"), a disease, a product, a defined term."""
    thing_names = {norm(name) for _, _, name in things}
    # A named thing's acronym is that thing too: the GDPR of the General Data Protection
    # Regulation, NAFTA of the North American Free Trade Agreement.
    acronyms = {norm(initials(norm(name))) for _, _, name in things if len(initials(norm(name))) > 2}
    if acronyms and rules.on("thing-acronyms"):
        thing_names |= acronyms
    diseases = set() if rules.skipped("diseases") else _diseases(blocks, docs, limits)
    if diseases and rules.on("diseases"):
        thing_names |= diseases
    products = set() if rules.skipped("products") else _products(blocks, docs, limits)
    if products and rules.on("products"):
        thing_names |= products
    terms = set() if rules.skipped("defined-terms") else defined_terms(defined)
    if terms and rules.on("defined-terms"):
        thing_names |= terms
    return thing_names


def _with_untagged_agents(text: str, blocks: list[Block], docs, limits: list[int],
                          found: list[Candidate], thing_names: set[str]) -> list[Candidate]:
    """`found` with the names the model never tagged that the text makes speak or act
    ("Kilima Gold said") or calls a person or organisation ("Lumora, a Danish start-up")."""
    agents = ([] if rules.skipped("repeated-agents") else
              _repeated_agents(text, blocks, docs, limits, found, thing_names))
    if agents and rules.on("repeated-agents"):
        found = _without_overlaps(found + agents)
    titled = [] if rules.skipped("titled-names") else _titled_names(text, blocks, docs, limits)
    if titled and rules.on("titled-names"):
        found = _without_overlaps(found + titled)
    cued = [] if rules.skipped("cued-names") else _cued_names(text, blocks, docs, limits, found, thing_names)
    if cued and rules.on("cued-names"):
        found = _without_overlaps(found + cued)
    return found


# The most words of a name after a job title: "Jan Christian Vestre", "Mohammed Amin Adam".
MAX_TITLED_WORDS = 4


def _titled_names(text: str, blocks: list[Block], docs, limits: list[int]) -> list[Candidate]:
    """Names the model did not tag that begin with a given name right after a job title
    ("Chief Executive Solveig Brandt told analysts", "the bank's chief executive Ana Lima"):
    people. The model has at most part of it ("Brandt"); the whole name replaces that."""
    found = []
    for block, doc, limit in zip(blocks, docs, limits):
        for token in doc[1:]:
            before = doc[token.i - 1]
            if (token.ent_iob_ != "O" or token.pos_ != "PROPN" or not token.is_title
                    or not is_given_name(token.text)
                    or not ((before.is_title and is_title_word(before.text))
                            or (before.is_lower and before.lower_ in cues.PERSON_NOUNS))):
                continue
            end = token.i + 1
            while (end < len(doc) and end - token.i < MAX_TITLED_WORDS and doc[end].pos_ == "PROPN"
                   and doc[end].is_title and doc[end].ent_iob_ != "I"):
                end += 1
            if (end == token.i + 1 or (end < len(doc) and doc[end].ent_iob_ == "I")
                    or any(t.text in ORG_HEADS for t in doc[token.i + 1:end])):
                continue  # a given name alone, the model's entity runs on, or a company's name
            start, stop = block.start + token.idx, block.start + doc[end - 1].idx + len(doc[end - 1])
            if stop <= limit:
                found.append(Candidate(start, stop, text[start:stop], block, "person",
                                       title=title_before(doc, token.i)))
    return found


def _with_known_names(text: str, blocks: list[Block], docs, limits: list[int],
                      found: list[Candidate], known: dict, taken: list[tuple[int, int]],
                      lower_words: frozenset[str]) -> list[Candidate]:
    """`found` once the names it knows are settled: a name is a place or not as the model
    said most, a name cut short is the longer one the text writes, and a known name is found
    where the model missed it (not inside a thing, one of `taken`)."""
    if not rules.skipped("retype-places"):
        _retype(text, found, known)
    extents = [] if rules.skipped("known-extents") else _known_extents(text, found, known)
    if extents and rules.on("known-extents"):
        longer = dict(extents)
        found = [longer.get(id(c), c) for c in found]
        _attach_cues(list(longer.values()), blocks, docs)
    propagated = ([] if rules.skipped("propagate") else
                  _propagate(text, blocks, docs, limits, found, _worth_looking_for(known, found),
                             taken, lower_words))
    if propagated and rules.on("propagate"):
        _attach_cues(propagated, blocks, docs)
        found = _without_overlaps(found + propagated)
    if not rules.skipped("name-cues"):
        _cues_of_untagged_names(found, blocks, docs)
    return found


def _national_teams(text: str, found: list[Candidate]) -> None:
    """A country the text shows playing a match is its national team: in an article with a
    team's roles, or beside a score in its sentence."""
    sporting = any("team" in candidate.cues for candidate in found)
    for candidate in found:
        shown = sporting or (cues.MATCH in candidate.cues
                             and _scored(text, candidate.block, candidate.start, candidate.end))
        if is_national_team(candidate, shown) and rules.on("national-teams"):
            candidate.type, candidate.team = "organization", True


def _diseases(blocks: list[Block], docs, limits: list[int]) -> set[str]:
    """The comparable forms of the names the text shows to be diseases ("the COVID-19
    pandemic", "infected with Ebola", "died of AIDS"): things, wherever they stand."""
    return {norm(span.text) for block, doc, limit in zip(blocks, docs, limits)
            for span in cue_spans(doc)
            if span.label_ == cues.DISEASE and block.start + span.end_char <= limit}


# What the cues show an untagged name to be, for it to be found.
CUED_AGENTS = ("person", "organization")


def _products(blocks: list[Block], docs, limits: list[int]) -> set[str]:
    """The comparable forms of the names the text shows to be products or platforms ("the
    Safari browser", "downloaded from Google Play", "an app called Lumo"): things, wherever
    they stand, unless the text also makes the name say something or calls it a person or an
    organisation ("Amazon said ... available on Amazon": the company), or it is a country."""
    products, agents = set(), set()
    for block, doc, limit in zip(blocks, docs, limits):
        for span in cue_spans(doc):
            if block.start + span.end_char > limit:
                continue
            if span.label_ == cues.PRODUCT:
                products.add(norm(span.text))
            elif span.label_ in CUED_AGENTS:
                agents.add(norm(span.text))
        agents.update(norm(span.text) for span in doc.spans.get(cues.AGENTS_KEY, ()))
    return {name for name in products - agents if countries.country_by_name(name) is None}


def _cued_names(text: str, blocks: list[Block], docs, limits: list[int],
                found: list[Candidate], thing_names: set[str]) -> list[Candidate]:
    """Names the model did not tag that the text calls a person or an organisation by an
    apposition, "is a", or a role ("Lumora, a Danish start-up", "chief executive of Lumora",
    "Marlow Rusk is an American second baseman" with occupations):
    candidates of that kind, which propagation then finds wherever else they stand."""
    occupied = bytearray(len(text))
    _occupy(occupied, [(c.start, c.end) for c in found])
    cued = []
    for block, doc, limit in zip(blocks, docs, limits):
        for span in cue_spans(doc):
            start, end = block.start + span.start_char, block.start + span.end_char
            kind = span.label_
            if kind == cues.OCCUPATION and rules.on("occupations"):
                kind = "person"
            if (kind not in CUED_AGENTS or end > limit or 1 in occupied[start:end]
                    or not all(not t.ent_type_ and t.pos_ == "PROPN" and t.text[:1].isupper() for t in span)
                    or is_title_word(span[0].text) or norm(span.text) in thing_names
                    or countries.country_by_name(span.text) is not None
                    or countries.country_by_demonym(span.text) is not None):
                continue
            cued.append(Candidate(start, end, span.text, block, kind))
            _occupy(occupied, [(start, end)])
    return cued


# How often the text must make an untagged name the subject of a verb of saying.
AGENT_REPEATS = 2


def _repeated_agents(text: str, blocks: list[Block], docs, limits: list[int],
                     found: list[Candidate], thing_names: set[str]) -> list[Candidate]:
    """Names the model did not tag where the article makes them the subject of "said",
    "announced" (cues.AGENT_VERBS): a known person's surname or given name there is a
    mention of them ("Nora Fairweather ... Fairweather said"); a name of two words or more
    that does so twice ("Kilima Gold said ... Kilima Gold announced") is found wherever the
    article writes it, a person if it begins with a given name, else an organisation. Any
    other word alone ("Jordan said") is left to the model: a surname, a place or a company."""
    occupied = bytearray(len(text))
    _occupy(occupied, [(c.start, c.end) for c in found])
    parts = {word for c in found if c.type == "person" and len(c.words) > 1
             for word in (c.words[0], c.words[-1]) if len(word) > 2}
    agents, said = [], Counter()
    for block, doc, limit in zip(blocks, docs, limits):
        for span in doc.spans.get(cues.AGENTS_KEY, ()):
            start, end = block.start + span.start_char, block.start + span.end_char
            if (end > limit or 1 in occupied[start:end]
                    or not all(not t.ent_type_ and t.text[:1].isupper() for t in span)
                    or is_title_word(span[0].text) or norm(span.text) in thing_names
                    or countries.country_by_name(span.text) is not None):
                continue
            if len(span) == 1 and span.text in parts:
                agents.append(Candidate(start, end, span.text, block, "person"))
                _occupy(occupied, [(start, end)])
            elif len(span) >= 2:
                said[span.text] += 1
    names = sorted((name for name, count in said.items() if count >= AGENT_REPEATS), key=len, reverse=True)
    if names:
        written = re.compile(r"(?<!\w)(?:%s)(?!\w)" % "|".join(map(re.escape, names)))
        for block, limit in zip(blocks, limits):
            for match in written.finditer(text, block.start, limit):
                start, end = match.span()
                if 1 not in occupied[start:end]:
                    kind = "person" if is_given_name(match.group().split()[0]) else "organization"
                    agents.append(Candidate(start, end, match.group(), block, kind))
                    _occupy(occupied, [(start, end)])
    return agents


def _defined_short_forms(found: list[Candidate], defined: dict[str, abbreviations.Definition]
                         ) -> dict[tuple[str, ...], str]:
    """The abbreviations defined by a name the article has as a person or organisation, with
    that type, where the model too took the abbreviation for a name somewhere: wherever else
    it stands, it is found too. (A concept written in capitals, "Geographic Information
    Systems (GIS)", the model may tag as an organisation, but not its abbreviation.)"""
    types = {norm(c.text): c.type for c in found if c.type in ("person", "organization")}
    tagged = {norm(c.text) for c in found}
    return {(d.short,): types[norm(d.long)] for d in defined.values()
            if d.kind == abbreviations.NAME and norm(d.long) in types and norm(d.short) in tagged}


def defined_terms(defined: dict[str, abbreviations.Definition]) -> set[str]:
    """The comparable forms of abbreviations the text defines as terms ("compact fluorescent
    lamps (CFLs)"): concepts, not names."""
    return {norm(form) for d in defined.values() if d.kind == abbreviations.TERM
            for form in (d.short, abbreviations.letters(d.short))}


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


def _cued_people_first(found: list[Candidate]) -> None:
    """A full name the model called an organisation that begins with a given name and that the
    text calls a person, and nothing else ("Chancellor Olaf Scholz", "Ana Lima, a farmer"), is
    a person before known names are looked for elsewhere, so that "Scholz said" is found as
    his surname (entity-cues types the entity so later; propagate looks for names before)."""
    for candidate in found:
        words = candidate.text.split()
        if (candidate.type == "organization" and len(words) > 1 and is_given_name(words[0])
                and set(candidate.cues) - {cues.DEFINED} == {"person"} and rules.on("entity-cues")):
            candidate.type = "person"


def after_a_given_name(text: str, name: str) -> bool:
    """Whether the text anywhere writes `name` right after a given name ("Marta Bolton"): it
    is a surname there, tagged or not (by its first word, which is enough to be careful)."""
    return name.split()[0] in _given_name_pairs(text)[1]


def before_a_name(text: str, word: str) -> bool:
    """Whether the text anywhere writes the given name `word` before a capitalised word
    ("Goma Mensah"): it is used as a given name there, not only listed as one."""
    return word in _given_name_pairs(text)[0]


# A capitalised word, and the capitalised word after it.
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]+)\s+(?=([A-Z][\w'’-]*))")


@functools.lru_cache(maxsize=4)
def _given_name_pairs(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The given names the text writes before a capitalised word, and the capitalised words
    it writes right after a given name: one pass over an article, however many names are
    asked about (a list of 5,000 cities costs no more)."""
    pairs = [m.groups() for m in CAPITALISED_PAIR.finditer(text) if is_given_name(m.group(1))]
    return frozenset(first for first, _ in pairs), frozenset(after for _, after in pairs)


def _large_places(text: str, found: list[Candidate]) -> None:
    """A name the model called a person that is a large city's or a US state's ("Łódź has
    been battling unemployment", "flights from Sharjah") is that place, unless the article
    shows a person: the name begins with a given name (`_begins_with_a_given_name`:
    "Victoria told her", not "fighting near Goma"), follows a given name anywhere ("Valeska
    Paris"), has a title or a cue, or the model calls it an organisation as often. And one
    the model called an organisation more often (org-cities: "fell 8.4 percent in
    Copenhagen") where a mention stands after "in" or "near", in an article with no score
    and no word of sport, and no organisation's longer name holds it ("the University of
    Helsinki")."""
    by_form: dict[tuple[str, ...], list[Candidate]] = {}
    for c in found:
        if c.type != "country" and not c.credit:
            by_form.setdefault(tuple(c.words), []).append(c)
    for form, named in by_form.items():
        votes = Counter(c.type for c in named)
        if (votes["person"] == votes["organization"] or any(c.title or c.personal or c.cues for c in named)
                or not places.is_large_place(" ".join(form))):
            continue
        if votes["person"] > votes["organization"]:
            if (_begins_with_a_given_name(text, form, named) or after_a_given_name(text, " ".join(form))
                    or not rules.on("large-places")):
                continue
        elif (not any(_located(text, c) for c in named) or _plays_matches(text)
              or _in_an_organisations_name(form, found) or not rules.on("org-cities")):
            continue
        for c in named:
            c.type = "place"


# Words of sport: an article with one may name a club after its city ("Herat beat Kabul").
SPORT = re.compile(r"\b(?:[Ll]eague|[Cc]up|stadium|striker|goalkeeper|midfielder|footballer|fixture|derby"
                   r"|semi-?finals?|quarter-?finals?|playoffs?|tournament|championship|coach|season)\b")


def _in_an_organisations_name(form: tuple[str, ...], found: list[Candidate]) -> bool:
    """Whether an organisation's longer name holds the city's: then the city alone may be
    its short name ("Helsinki" of the University of Helsinki, "Berkeley's faculty")."""
    size = len(form)
    return any(c.type == "organization" and len(c.words) > size
               and any(tuple(c.words[i:i + size]) == form for i in range(len(c.words) - size + 1))
               for c in found)


@functools.lru_cache(maxsize=4)
def _plays_matches(text: str) -> bool:
    """Whether an article may be about sport: a score ("2-1") or a word of sport. One search
    per article, however many cities ask."""
    return bool(SCORE.search(text) or SPORT.search(text))


def _begins_with_a_given_name(text: str, form: tuple[str, ...], named: list[Candidate]) -> bool:
    """Whether a name begins with a given name, as large-places counts one: a name alone that
    is only listed as one ("Goma"), never written before a capitalised word, does not when a
    mention stands where a place does ("fighting near Goma")."""
    if not is_given_name(form[0]):
        return False
    return len(form) > 1 or before_a_name(text, form[0]) or not any(_located(text, c) for c in named)


def cue_spans(doc) -> list[Span]:
    """What the cues component marked in a doc: the parse's cues, and those of the rules that
    read the words around a name (cues.RULED_KEYS) while each is on."""
    spans = list(doc.spans.get(cues.SPANS_KEY, ()))
    for key, rule in cues.RULED_KEYS.items():
        if doc.spans.get(key) and not rules.skipped(rule) and rules.on(rule):
            spans += doc.spans[key]
    return spans


def _attach_cues(found: list[Candidate], blocks: list[Block], docs) -> None:
    """Each candidate gets the kinds the cues component saw over any part of it."""
    by_block = {id(block): [(block.start + span.start_char, block.start + span.end_char,
                             "person" if span.label_ == cues.OCCUPATION else span.label_)
                            for span in cue_spans(doc)
                            if span.label_ != cues.OCCUPATION or rules.on("occupations")]
                for block, doc in zip(blocks, docs)}
    for candidate in found:
        # A dateline says nothing of its city: the parse hangs the first sentence on it
        # ("COPENHAGEN, March 4 (Reuters) - Danish shipping group Maersk" an apposition).
        spans = () if candidate.dateline else by_block.get(id(candidate.block), ())
        candidate.cues = tuple(kind for start, end, kind in spans
                               if start < candidate.end and end > candidate.start
                               # diseases and products are read before (_diseases, _products)
                               and kind not in (cues.DISEASE, cues.PRODUCT))


def _cues_of_untagged_names(found: list[Candidate], blocks: list[Block], docs) -> None:
    """A cue on a name where the model tagged nothing ("Lumora, a Danish start-up", Lumora a
    "person" in every other sentence) counts for the first candidate written the same way."""
    first: dict[str, Candidate] = {}
    by_block: dict[int, list[Candidate]] = {}
    for candidate in found:
        first.setdefault(norm(candidate.text), candidate)
        by_block.setdefault(id(candidate.block), []).append(candidate)
    for block, doc in zip(blocks, docs):
        here = by_block.get(id(block), [])
        for span in cue_spans(doc):
            if span.label_ not in NAME_CUES:
                continue
            owner = first.get(norm(span.text))
            start, end = block.start + span.start_char, block.start + span.end_char
            if owner is None or any(c.start < end and c.end > start for c in here):
                continue
            if rules.on("name-cues"):
                owner.cues += (span.label_,)


# The cues that say what kind of name a name is (not a team, a disease or a product).
NAME_CUES = frozenset({"person", "organization", "place", "thing"})


def is_national_team(candidate: Candidate, sporting: bool) -> bool:
    """A country's name the text shows playing: with a team's roles ("Sweden's goalkeeper"),
    or beating or drawing with another where the text is `sporting` (a score, a team's
    roles: "Belgium beat Panama 3-0"; not "Britain defeated Germany in 1945")."""
    if candidate.type != "country" or candidate.text.islower():
        return False
    return "team" in candidate.cues or (sporting and cues.MATCH in candidate.cues)


# A match's score: "3-0", "2 - 1", "1–1" (two numbers of at most two digits); also the one
# the model runs into a club's name ("Liverpool 2-0").
SCORE = re.compile(r"(?<![\d.,])\d{1,2} ?[-–] ?\d{1,2}(?![\d,]|\.\d|[-–]\d)")


def _scored(text: str, block: Block, name_start: int, name_end: int) -> bool:
    """Whether a score stands in the sentence around a name (by the one sentence rule)."""
    start, stop = block.start, block.end
    for end in sentence_ends(text, start, stop):
        if end <= name_start:
            start = end
        elif end >= name_end:
            stop = end
            break
    return bool(SCORE.search(text[start:stop]))


def _without_overlaps(found: list[Candidate]) -> list[Candidate]:
    found.sort(key=lambda c: (c.start, -c.end))
    kept, last_end = [], -1
    for candidate in found:
        if candidate.start >= last_end:
            kept.append(candidate)
            last_end = candidate.end
    return kept
