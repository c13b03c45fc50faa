"""The engine's named rules: each can be switched off, so `dramatis eval --ablate` can show
what it is worth on every evaluation set (issue 15), and those the test drops are off."""
from __future__ import annotations

import contextlib
from contextvars import ContextVar

# Every rule that changes what is found, typed or grouped, with what it does. A rule that
# changes only an entity's label or notes is not here: the scores cannot see it.
RULES = {
    "web-furniture": "a span that is web-page furniture as a whole (\"JavaScript\") is no name",
    "named-things": "a prize, war, treaty, storm or work the model took for an agent is a thing, everywhere",
    "thing-acronyms": "a named thing's acronym (\"GDPR\" of the General Data Protection Regulation) is that thing, everywhere",
    "titles-of-works": "capitalised words after a work noun (\"the film Harbour Lights\") name a work",
    "languages": "a demonym that names a language (\"spoke German\") is no country",
    "listed-countries": "a country's name that is also a person's (\"Niger\", \"Jordan\") listed with other countries is the country",
    "countable-names": "a name counted like a common noun (\"a Polaroid\", \"100 Polaroids\") names an object, not an agent",
    "currencies": "a currency the model took for an agent (\"Pound Sterling\", \"DKK\" in an article counting DKK) is a thing",
    "diseases": "a name the text shows to be a disease (\"the COVID-19 pandemic\", \"infected with Ebola\") is a thing, everywhere",
    "products": "a name the text shows to be a product or platform (\"the Safari browser\", \"downloaded from Google Play\", \"apps on the App Store\", \"M-Pesa, its money service\") is a thing, everywhere, unless it also says something",
    "party-states": "a US legislator's party and state after the name (\"Sen. Elizabeth Warren, D-Mass.\") is no name",
    "word-classes": "a word alone the tagger reads as a verb, adverb, interjection or conjunction (\"Writing by ...\", \"Albeit\") is no name",
    "headline-words": "a headline's first word alone, or any word alone of a headline in title case, which the article also writes in lower case, is no name (\"Wildfire forces thousands to flee\")",
    "caption-labels": "a caption's label the model ran into a name is cut off, and a word alone after it is no name (\"Photo: Workers at the site\")",
    "concept-abbreviations": "an abbreviation of a concept or a kind (\"AI\", \"VAT\", \"LNG\", \"NGOs\") the model took for an agent or a place is a thing, everywhere",
    "listed-places": "a name the model took for an agent, listed with places and nothing else (\"in Bruges, Bergen, Novgorod and London\"), is a place",
    "counted-units": "an acronym counted by a number (\"25 CUC\") is a unit, not an organisation",
    "joined-people": "two people the model tagged side by side, a space apart, are one (\"[Mirza Fakhrul] [Islam Alamgir]\")",
    "possessive-heads": "a saint's name in the possessive and an organisation's head word the model tagged apart are one name (\"[St James's] [University Hospital]\")",
    "open-ends": "a name the model ended on \"and\", \"of\" or \"for\" runs on over the capitalised words after it (\"Australian Competition and [Consumer Commission]\")",
    "particle-surnames": "a person's name the model ended on a particle runs on to the surname after it (\"Ursula von der [Leyen]\")",
    "org-tail": "\"group\" after an organisation's name is part of it",
    "academic-fields": "\"Professor of [Law]\": an academic field is no organisation",
    "portfolios": "\"Secretary of [State]\": a portfolio in a job title is no organisation",
    "title-tail": "a job title the model ran into an organisation's name is cut off",
    "score-trim": "a match score at a name's end is cut off (\"Liverpool 2-0\")",
    "lower-tail": "words in lower case the model ran onto a name's end are cut off, with a possessive before them (\"Uncle Desmond's van\")",
    "honorific-person": "an organisation span that starts with \"Mr\", \"Dr\", or a title before a given name (\"Councillor Priya Raman\", the title cut off), is a person",
    "honorific-front": "\"Mr\", \"Ms\", \"Dr\" the model ran into a person's name are cut off, its title (\"[Ms] Otieno\" joins Maria Otieno)",
    "person-edges": "titles, roles and nationalities at a person span's front are cut off",
    "given-name-front": "an untagged given name just before a name the model or the text calls a person is part of it (\"Ana [Lima], the team captain\")",
    "match-clubs": "a place that beats or draws with another is a club",
    "club-cities": "a city's name that plays a match or has a team's role somewhere (\"Liverpool beat Aston Villa 2-0\") is the club wherever a sentence names it, not the city the model says more often",
    "person-clubs": "a word alone the model took for a person that plays a match beside a score, never after a given name (\"Brentford held them to a 1-1 draw\"), is a club",
    "dateline": "a dateline's city is a place, an organisation or untagged to the model (\"LJUBLJANA, Nov 30 (Reuters) -\", \"Nairobi (Reuters) -\", \"BRUSSELS 1996-08-22\")",
    "span-breaks": "a span across a line break, a possessive or brackets is split",
    "open-brackets": "a span the model ran into a bracket it did not close (\"World Health Organization (WHO\") is cut there",
    "own-possessive": "an 's the article always writes with a name is part of it",
    "place-org-heads": "a place named \"... Union\", \"... Party\" or after a team is an organisation",
    "person-org-heads": "a person named \"... Shipping\", \"... Group\" is an organisation",
    "digit-names": "a person the model tagged with letters and figures in one word (\"COP29\", \"M23\") is an organisation",
    "demonym-agents": "a demonym alone the model took for a person or an organisation, before a common noun (\"Ugandan activist\"), is its country",
    "country-words": "countries and demonyms the model did not tag are found",
    "sign-offs": "a wire story's sign-off (\"(Reporting by A in Accra; Editing by B)\") and a byline (\"By Petra Novak\") name people, and a sign-off's roles no one",
    "credits": "names in a caption's credit are agencies or photographers",
    "retype-places": "a name is a place or not in the whole article, as the model said most",
    "large-places": "a name the model took for a person, a large city's or a US state's (\"Łódź\", \"Dakar\"), is that place unless the article shows a person",
    "legal-forms": "a name the article also writes with a company's legal form (\"Veltrix Corp\", \"Nordvik ASA\") is that company where the model called it a place",
    "org-cities": "a name the model took for an organisation, a large city's or a US state's (\"flights from Herat\"), is that place in an article that plays no match",
    "located-places": "a large city's name the model calls a place where a place stands (\"the court in Austin\") stays one, though a person of the article bears it",
    "known-extents": "a name the model cut short of one the article writes in full elsewhere (\"[Tulia] Pay said\" beside \"Tulia Pay\") is that name",
    "propagate": "a known name is found where the model missed it",
    "merge-people": "two spellings of one person's full name are one entity",
    "split-fused": "a span fused from two known people's names is split",
    "lone-names": "a lone surname or given name joins the person who bears it",
    "settle-types": "an entity's type is what its full names were called most",
    "person-evidence": "an \"organisation\" named like a person with a title, \"(born\" or \"who\" is a person",
    "merge-organisations": "short forms, acronyms and last words join their organisation",
    "defined-terms": "an abbreviation the text defines by lower-case words (\"lamps (CFLs)\") is a term",
    "defined-names": "an abbreviation the text defines by a name joins that name's entity",
    "national-teams": "a country the text shows playing a match (a team's roles; beating, drawing with or facing another beside a score) is its national team",
    "occupations": "a noun ending like an occupation (\"a Swiss mathematician\", \"a Marxist\") in apposition or after \"is a\" shows a person",
    "titled-names": "an untagged name that begins with a given name right after a job title (\"Chief Executive Solveig Brandt told analysts\") is a person",
    "cued-names": "an untagged name the text calls a person or organisation (\"Lumora, a Danish start-up\") is found",
    "repeated-agents": "an untagged name the text makes say or announce something: a known person's surname there, or two words said twice (\"Kilima Gold said\")",
    "name-cues": "what the text calls a name where the model tagged nothing (\"Lumora, a Danish start-up\") counts for the name where it did",
    "comma-appositions": "a name, a comma and a noun phrase whose noun says what it is count as an apposition where the parse missed one (\"Icera, a British modem start-up later bought by Nvidia\"), not where a clause begins (\"In Paris, a man said\")",
    "nouns-before": "a singular noun in lower case for an organisation or a place right before a name, which the parser makes part of it (\"Brazilian builder Odebrecht\", \"U.S. chipmaker Veltrix Corp\"), says what it is, and so does a trade in title case opening a sentence or a headline (\"Drugmaker Halvorsen recalls pills\"), cut off the name",
    "ages": "an age in commas after a full name and before words in lower case (\"Amara Okonkwo, 52, a market trader\") shows a person",
    "entity-cues": "what the text calls a name (apposition, \"is a\", head noun, roles) decides its type; one name, one entity",
}

# The rules that backward elimination on the four visible sets drops (`dramatis eval
# --ablate`, README "Measured"), less those it brings back because no set can judge them
# (evaluation.unjudged): off unless a caller switches them on, kept so that the ablation and
# --cv weigh every candidate again as the sets change.
DROPPED = frozenset({
    "titles-of-works", "counted-units", "org-tail", "academic-fields", "title-tail", "person-edges",
    "given-name-front", "span-breaks", "place-org-heads", "settle-types",
    "person-evidence", "defined-terms", "defined-names", "occupations", "cued-names",
    "repeated-agents", "name-cues", "word-classes", "open-brackets", "listed-places",
    "lower-tail", "joined-people"})

_off: ContextVar[frozenset[str]] = ContextVar("dramatis_rules_off", default=DROPPED)
_asked: ContextVar[set[str] | None] = ContextVar("dramatis_rules_asked", default=None)


def on(name: str) -> bool:
    """Whether rule `name` applies (all do, unless switched off). The engine asks only where
    the rule would change something, so a rule never asked about changed nothing."""
    asked = _asked.get()
    if asked is not None:
        asked.add(name)
    return name not in _off.get()


def skipped(name: str) -> bool:
    """Whether rule `name` is switched off, so that its work need not be done (then the
    analysis depends on it, and it counts as asked about)."""
    if name not in _off.get():
        return False
    asked = _asked.get()
    if asked is not None:
        asked.add(name)
    return True


@contextlib.contextmanager
def asked():
    """The set of rules asked about inside the block: an analysis that never asked about a
    rule is the same with it switched off or on (the ablation reuses it)."""
    names: set[str] = set()
    token = _asked.set(names)
    try:
        yield names
    finally:
        _asked.reset(token)


def _known(names) -> frozenset[str]:
    unknown = [n for n in names if n not in RULES]
    if unknown:
        raise KeyError(f"no such rule: {', '.join(unknown)}")
    return frozenset(names)


@contextlib.contextmanager
def configured(off=()):
    """Run the analysis with exactly the rules `off` switched off, the dropped ones included
    only if named (`configured()`: every rule on). For ablation; not thread-shared."""
    token = _off.set(_known(off))
    try:
        yield
    finally:
        _off.reset(token)


@contextlib.contextmanager
def switched_off(*names: str):
    """Run the analysis without the named rules as well as those already off."""
    token = _off.set(_off.get() | _known(names))
    try:
        yield
    finally:
        _off.reset(token)
