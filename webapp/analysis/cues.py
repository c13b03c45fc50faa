"""A pipeline component: what the text says a name is, read from the parse.

"Quantica, a start-up" and "Quantica is a company" (apposition, predicate nominal), "the
Danube and Inn rivers" (the noun the names modify), "chief executive of Quantica" and
"Quantica's shares" (roles an organisation has), "Belgium beat Panama", "Sweden's goalkeeper"
(a country playing as its team). Each cue is a span in doc.spans[SPANS_KEY] over the name,
labelled with the kind it shows: person, organization, place, thing, team (a team's roles)
or match (beating or drawing with another, which makes a team only where the text shows a
match: recognise.is_national_team). The patterns
are DependencyMatcher patterns built from the word lists in the component's config.

The pipeline runs without a lemmatizer (pipeline.UNUSED_COMPONENTS), so the lists hold the
word forms, plurals included.
"""
from __future__ import annotations

import re

from spacy import symbols
from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span

from . import countries, places
from .names import is_given_name

SPANS_KEY = "dramatis_cues"
# Names the text makes the subject of a verb of saying or announcing ("Kilima Gold said"),
# kept apart from the cues: they show an agent, not which kind of agent.
AGENTS_KEY = "dramatis_agents"
# Cues read from the words after a name and a comma, where the parse may miss an apposition
# ("Icera, a British modem start-up"), and from the noun right before a name ("Brazilian
# builder Odebrecht"): each kept apart, under the rule that weighs it.
COMMA_KEY = "dramatis_comma_cues"
BEFORE_KEY = "dramatis_noun_before_cues"
# And from an age in commas after a full name ("Amara Okonkwo, 52, a market trader").
AGE_KEY = "dramatis_age_cues"
RULED_KEYS = {COMMA_KEY: "comma-appositions", BEFORE_KEY: "nouns-before", AGE_KEY: "ages"}

# What an apposition or a predicate nominal calls a name.
PERSON_NOUNS = """executive founder co-founder president chairman chairwoman chair director
    minister spokesman spokeswoman spokesperson secretary official officer leader manager coach
    player striker goalkeeper defender midfielder captain author writer journalist reporter editor
    actor actress singer artist musician poet novelist scientist researcher professor lecturer
    economist analyst lawyer judge politician senator governor mayor ambassador diplomat activist
    doctor engineer farmer teacher student mother father son daughter wife husband brother sister
    man woman boy girl adviser advisor aide deputy prosecutor attorney lawmaker legislator
    congressman congresswoman businessman businesswoman tycoon billionaire entrepreneur envoy
    negotiator commander""".split()
ORGANIZATION_NOUNS = """company firm startup start-up business corporation conglomerate agency
    organisation organization charity ministry department authority bank insurer lender retailer
    manufacturer maker producer supplier airline carrier operator broadcaster newspaper publisher
    university school college institute party union club band council committee commission
    association federation foundation regulator subsidiary consortium cooperative team
    co-operative carmaker automaker chipmaker drugmaker builder brokerage refiner exporter
    shipper group alliance coalition tank""".split()
# Of those, the nouns that name a collection of anything before "of" ("a group of islands").
COLLECTIVE_NOUNS = frozenset({"group", "groups"})
# ... and the noun that is one only after "think": "Germanwatch, a Bonn-based think tank".
THINK_TANKS = frozenset({"tank", "tanks"})
# Of those, the trades a headline or a sentence puts in title case before a company's name
# ("Drugmaker Halvorsen recalls pills"), which begin no name themselves (unlike "Bank").
TRADE_NOUNS = frozenset("""carmaker automaker chipmaker drugmaker retailer insurer lender
    refiner brokerage exporter shipper manufacturer broadcaster conglomerate airline startup
    start-up""".split())
PLACE_NOUNS = """river lake dam sea ocean bay gulf mountain mount hill valley island peninsula
    city town village capital province region district county neighbourhood neighborhood suburb
    street road square park airport port harbour harbor station bridge canal reservoir""".split()
THING_NOUNS = """language dialect disease virus illness syndrome currency app application
    platform browser software vaccine drug medicine
    ship vessel yacht boat tanker freighter submarine aircraft airliner plane helicopter
    spacecraft capsule probe satellite rocket telescope rover locomotive
    film movie novel album song sitcom documentary opera musical painting poem""".split()
# A name's own last word that makes it a natural place or a street ("the Douro Valley",
# "Lake Volta" by its first, "Hoover Dam", "Potsdamer Platz"), whatever the model said; not
# after a given name ("Ricki Lake").
PLACE_HEADS = """river lake valley mountain mount island peninsula bay gulf sea ocean desert canyon
    glacier plateau delta basin strait lagoon creek estuary reef volcano dam reservoir canal
    street avenue boulevard square plaza platz station""".split()
PLACE_FIRST_WORDS = """lake mount mt cape""".split()
# Nouns for a place that its name follows with "of": "the town of Bath", "the port of
# Rotterdam", "the Indian state of Tamil Nadu" (not "capital": "the capital of France" is the
# country's).
PLACES_OF = """city town village port province region district county municipality island
    suburb state""".split()
# ... and for a part of a place: "the mouth of the Amazon", "the outskirts of Porto".
PARTS_OF = """mouth banks shores coast coastline outskirts suburbs streets centre center""".split()
# Who works at an organisation: "analysts at Jefferies", "an economist at Nomura".
EMPLOYED_AT = """analyst economist strategist researcher banker lawyer partner engineer scientist
    trader""".split()
# What a place has: "Porto's mayor", "Kyiv's suburbs" (a city's, not a company's or a person's).
PLACE_POSSESSIONS = """mayor airport station suburbs outskirts streets residents inhabitants harbour harbor
    neighbourhoods neighborhoods""".split()
# Nouns before which a name names what the noun says: "the Danube river", "the Labour party"
# (not things: "Apple devices" are Apple's, not named Apple); the model's labels for a place,
# which before an organisation's noun says where it is.
WHERE_LABELS = ("GPE", "LOC")
# Roles an organisation has: "chief executive of X", "shares in X", "X's shares".
ROLES_OF = """executive founder co-founder chairman chairwoman ceo shareholders shareholder
    employees employee staff subsidiary spokesman spokeswoman spokesperson board shares stake
    stakes arm unit division""".split()
# Where a person is born or lives ("born in Ibadan", "grew up in Tema", "lives in Porto"),
# which also shows who is a person ("Adebayo was born", the model's organisation).
LIVED_IN = """born raised grew lives lived living died settled""".split()
# ... of whom only these show a person ("Quantica grew", "the firm settled" do not).
LIVED = """born lives lived living died""".split()
# What is founded: "X was founded in 2014", "X, founded by two engineers" (a company, a
# charity, a band; not a person).
FOUNDED = """founded established""".split()
POSSESSIONS = """shares stock profits profit revenue revenues headquarters shareholders
    subsidiary subsidiaries ceo chairman employees""".split()
# A country with these is its national team: "Sweden's goalkeeper", "beat Belgium".
TEAM_ROLES = """goalkeeper striker midfielder defender captain squad coach""".split()
# Verbs of a match's result ("Liverpool beat Leeds", "Porto drew with Braga"), which make a
# place that plays it a club (recognise.plays_a_match); and of a fixture, which say less.
RESULT_VERBS = """beat beats defeated defeat defeats drew draw draws thrashed edged routed hammered
    overcame outplayed""".split()
FIXTURE_VERBS = """face faces faced play plays played""".split()
MATCH_VERBS = RESULT_VERBS + FIXTURE_VERBS
# "Brentford held Arsenal to a 1-1 draw": both play it.
HELD = frozenset("held hold holds".split())
DRAWS = frozenset("draw stalemate".split())
# A name that beats or draws with another: its team, where the text is about a match (a
# score, or a team's roles, also read: recognise.is_national_team), not a war's victor.
MATCH = "match"
# What names a disease: the noun it modifies ("the Ebola outbreak", "COVID-19 cases") and the
# words before its preposition ("infected with", "died of", "tested positive for"). A maker's
# name stands before "vaccine" ("the Pfizer vaccine"), so vaccines are not among them.
DISEASE_HEADS = """pandemic pandemics epidemic epidemics outbreak outbreaks virus viruses
    infection infections symptoms""".split()
DISEASE_BEFORE = {"with": """infected diagnosed ill sick""".split(),
                  "of": """died dies dying death deaths outbreak outbreaks""".split(),
                  "from": """died dies dying suffering suffers recovered""".split(),
                  "for": """positive""".split(),
                  "against": """vaccine vaccines vaccinated vaccination immunity""".split()}
DISEASE = "disease"
# Nouns for what a person is or does, by their ending, beyond PERSON_NOUNS: "a Swiss
# mathematician", "an American second baseman", "a Marxist". (Not -er or -or: "a shipbuilder",
# "a distributor" are as often companies.) Kept apart as their own label, OCCUPATION.
OCCUPATION_ENDING = re.compile(r"^[a-z-]{3,}(?:ist|ian|man|woman)s?$")
OCCUPATION = "occupation"
# What shows a product or a platform, not its maker (PRODUCT): the noun a name modifies when
# the maker is named too ("Safaricom's M-Pesa service", "its Kestrel app"), or alone for
# nouns no maker's name stands before ("the Safari browser"; not "the Google app", which is
# Google's); "an app called Lumo"; and where an app is downloaded or available ("downloaded
# from Google Play", "available on the App Store").
PRODUCT_NOUNS = """app apps application applications browser browsers software service services
    wallet wallets game games console consoles smartphone smartphones handset handsets
    system systems""".split()
MAKERLESS_NOUNS = frozenset({"browser", "browsers"})
# A name right before these is what its maker makes, as news names a company by its product.
MAKERS = frozenset({"maker", "makers"})
# What is on a store or platform ("apps on the App Store", "games on Steam"); not services,
# which are on a maker's site as often ("services on Amazon").
APPS = frozenset({"app", "apps", "application", "applications", "game", "games"})
DOWNLOAD_VERBS = """download downloads downloaded downloading install installs installed
    installing""".split()
PRODUCT = "product"
# What the model tags a place or a time is not where apps are got ("available on Lake
# Victoria", "available on Monday").
NOT_PRODUCTS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "EVENT"})
# Titles written before a person's name: "Chancellor Olaf Scholz", "Health Minister Susan
# Nakhumicha" (a person however the model tagged the name, when a given name follows).
PERSON_TITLES = """president chancellor minister premier senator governor mayor king queen prince
    princess sheikh emir pope cardinal bishop archbishop judge justice general colonel captain
    lieutenant sergeant commissioner ambassador secretary professor sir dame lord lady councillor
    councilor councilman councilwoman alderman""".split()
# Verbs whose subject is someone who speaks or acts for themselves.
AGENT_VERBS = """said says say told tells announced announces confirmed confirms denied denies
    warned warns added adds stated states reported reports""".split()


def _plurals(words: list[str]) -> list[str]:
    return sorted({w for word in words for w in (word, word + "s", word[:-1] + "ies" if word.endswith("y") else word)})


@Language.factory("dramatis_cues", default_config={
    "person_nouns": PERSON_NOUNS, "organization_nouns": ORGANIZATION_NOUNS,
    "place_nouns": PLACE_NOUNS, "thing_nouns": THING_NOUNS, "roles_of": ROLES_OF,
    "possessions": POSSESSIONS, "team_roles": TEAM_ROLES, "match_verbs": MATCH_VERBS,
    "agent_verbs": AGENT_VERBS, "disease_heads": DISEASE_HEADS, "disease_before": DISEASE_BEFORE,
    "product_nouns": PRODUCT_NOUNS, "download_verbs": DOWNLOAD_VERBS, "person_titles": PERSON_TITLES,
    "place_heads": PLACE_HEADS, "place_first_words": PLACE_FIRST_WORDS,
    "places_of": PLACES_OF + PARTS_OF, "place_possessions": PLACE_POSSESSIONS,
    "employed_at": EMPLOYED_AT, "lived_in": LIVED_IN, "lived": LIVED})
def make_cue_finder(nlp: Language, name: str, person_nouns: list[str],
                    organization_nouns: list[str], place_nouns: list[str], thing_nouns: list[str],
                    roles_of: list[str], possessions: list[str], team_roles: list[str],
                    match_verbs: list[str], agent_verbs: list[str], disease_heads: list[str],
                    disease_before: dict[str, list[str]], product_nouns: list[str],
                    download_verbs: list[str], person_titles: list[str], place_heads: list[str],
                    place_first_words: list[str], places_of: list[str], place_possessions: list[str],
                    employed_at: list[str], lived_in: list[str], lived: list[str]):
    nouns = {"person": person_nouns, "organization": organization_nouns, "place": place_nouns,
             "thing": thing_nouns}
    return CueFinder(nlp.vocab, nouns, roles_of, possessions, team_roles, match_verbs, agent_verbs,
                     disease_heads, disease_before, product_nouns, download_verbs, person_titles,
                     place_heads, place_first_words, places_of, place_possessions, employed_at,
                     lived_in, lived)


NAME = {"POS": "PROPN"}
# A disease the model took for an agent may be tagged as a noun ("COVID-19"): its entity
# label is what shows it was taken for a name.
TAGGED_AGENT = frozenset({"ORG", "PERSON"})
COPULAS = frozenset({"is", "was", "are", "were"})
AGENT = "agent"
# A noun phrase after a name and a comma ("Icera, a British modem start-up"): what the model
# tags names, the words before the noun, how many, and the verbs that show a new clause.
APPOSED_LABELS = frozenset({"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"})
APPOSED_WORDS = frozenset({symbols.ADJ, symbols.NOUN, symbols.PROPN, symbols.ADV, symbols.NUM, symbols.VERB})
MAX_APPOSED_WORDS = 6
# The jobs whose noun before a name of two words makes it a person's ("finance minister Ahmed
# Kouchouk"): not "leader" or "player", which news also says of companies ("market leader").
JOB_TITLES = frozenset("""executive officer director minister spokesman spokeswoman spokesperson
    secretary chairman chairwoman president founder co-founder adviser advisor aide deputy
    prosecutor attorney lawyer judge economist analyst ambassador envoy governor mayor senator
    lawmaker commissioner""".split())
# A word after a noun that is part of it: "the secretary general", "a former attorney general".
POSTPOSITIVE = frozenset({"general"})
FINITE_VERB_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
# What an apposition or "is a" says a name is, in lower case, weighs more than a head noun or
# a role ("Tulia Pay, a Kenyan payments start-up"; not "Kennedy airport"): its name is also
# marked DEFINED, a mark beside the kind, not a kind.
DEFINED = "defined"
DEFINING = frozenset({"appos", "appos after", "is a"})


class CueFinder:
    """Marks each name the text calls a kind of thing, with that kind."""

    def __init__(self, vocab, nouns: dict[str, list[str]], roles_of: list[str],
                 possessions: list[str], team_roles: list[str], match_verbs: list[str],
                 agent_verbs: list[str] = (), disease_heads: list[str] = (),
                 disease_before: dict[str, list[str]] | None = None,
                 product_nouns: list[str] = (), download_verbs: list[str] = (),
                 person_titles: list[str] = (), place_heads: list[str] = (),
                 place_first_words: list[str] = (), places_of: list[str] = (),
                 place_possessions: list[str] = (), employed_at: list[str] = (),
                 lived_in: list[str] = (), lived: list[str] = ()):
        self.matcher = DependencyMatcher(vocab)
        # One pattern per relation, over every kind's nouns; the noun matched tells the kind
        # (one pattern per kind and relation cost twice as much).
        self.kind_of_noun = {word: kind for kind, words in nouns.items() for word in _plurals(words)}
        self.names: dict[int, tuple[str | None, list[int], int | None]] = {}
        every_noun = {"LOWER": {"IN": sorted(self.kind_of_noun)}}
        self._add("appos", None, [
            {"RIGHT_ID": "name", "RIGHT_ATTRS": NAME},
            {"LEFT_ID": "name", "REL_OP": ">", "RIGHT_ID": "noun",
             "RIGHT_ATTRS": {**every_noun, "DEP": "appos"}}])
        self._add("appos after", None, [  # "the cruise ship, Freewinds", "its founder, Ana Lima"
            {"RIGHT_ID": "noun", "RIGHT_ATTRS": {**every_noun, "POS": "NOUN"}},
            {"LEFT_ID": "noun", "REL_OP": ">", "RIGHT_ID": "name",
             "RIGHT_ATTRS": {**NAME, "DEP": "appos"}}])
        self._add("is a", None, [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": ["is", "was", "are", "were"]}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "nsubj"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "noun",
             "RIGHT_ATTRS": {**every_noun, "DEP": "attr"}}])
        # "the Danube river", "the Danube and Inn rivers", "the Labour party"; not a place before
        # an organisation's noun, which says where it is ("a Silicon Valley maker of chips",
        # "an Abu Dhabi technology group").
        for kind, where in (("place", {}), ("organization", {"ENT_TYPE": {"NOT_IN": list(WHERE_LABELS)}})):
            # not "the iPhone maker", a product's maker (MAKERS)
            nouns_of_kind = {"LOWER": {"IN": sorted(w for w, k in self.kind_of_noun.items()
                                                    if k == kind and w not in MAKERS)}}
            for hops in ([], ["conj"]):
                pattern = [{"RIGHT_ID": "noun", "RIGHT_ATTRS": {**nouns_of_kind, "IS_LOWER": True}},
                           {"LEFT_ID": "noun", "REL_OP": ">", "RIGHT_ID": "name",
                            "RIGHT_ATTRS": {**NAME, **where, "DEP": {"IN": ["compound", "nmod"]}}}]
                for hop in hops:
                    pattern.append({"LEFT_ID": "name", "REL_OP": ">", "RIGHT_ID": hop,
                                    "RIGHT_ATTRS": {**NAME, **where, "DEP": hop}})
                self._add(f"head {kind} {' '.join(hops)}", None, pattern)
        self._add("place of", "place", [  # "the town of Bath", "the mouth of the Amazon"
            {"RIGHT_ID": "noun", "RIGHT_ATTRS": {"LOWER": {"IN": _plurals(places_of)}, "POS": "NOUN"}},
            {"LEFT_ID": "noun", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"LOWER": "of", "DEP": "prep"}},
            {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "pobj"}}])
        self._add("lived in", "place", [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": lived_in}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "in", "RIGHT_ATTRS": {"LOWER": "in", "DEP": "prep"}},
            {"LEFT_ID": "in", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "pobj"}}])
        # Who is born, lives or dies ("Adebayo was born in Ibadan"), or grows up ("Okoro grew
        # up"; not "Quantica grew", "Quantica raised money", "the firm settled").
        self._add("who lived", "person", [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": lived}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name",
             "RIGHT_ATTRS": {**NAME, "DEP": {"IN": ["nsubj", "nsubjpass"]}}}])
        self._add("who grew up", "person", [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": ["grew", "grow", "grows", "growing"]}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "up", "RIGHT_ATTRS": {"LOWER": "up", "DEP": "prt"}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "nsubj"}}])
        self._add("role of", "organization", [
            {"RIGHT_ID": "role", "RIGHT_ATTRS": {"LOWER": {"IN": roles_of}}},
            {"LEFT_ID": "role", "REL_OP": ">", "RIGHT_ID": "of", "RIGHT_ATTRS": {"LOWER": {"IN": ["of", "at"]}}},
            {"LEFT_ID": "of", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "pobj"}}])
        # "a stake in Kestrel", "shares in Orvalho" (a place to the model); not where, which
        # __call__ tells (_a_known_place): "shares in Europe fell", "staff in Kyiv"
        self._add("role in", "organization", [
            {"RIGHT_ID": "role", "RIGHT_ATTRS": {"LOWER": {"IN": roles_of}}},
            {"LEFT_ID": "role", "REL_OP": ">", "RIGHT_ID": "in", "RIGHT_ATTRS": {"LOWER": "in"}},
            {"LEFT_ID": "in", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "pobj"}}])
        self._add("works at", "organization", [  # "analysts at Jefferies" (not "in London")
            {"RIGHT_ID": "role", "RIGHT_ATTRS": {"LOWER": {"IN": _plurals(employed_at)}}},
            {"LEFT_ID": "role", "REL_OP": ">", "RIGHT_ID": "at", "RIGHT_ATTRS": {"LOWER": "at"}},
            {"LEFT_ID": "at", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "pobj"}}])
        self._add("founded", "organization", [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": FOUNDED}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "nsubjpass"}}])
        self._add("founded after", "organization", [
            {"RIGHT_ID": "name", "RIGHT_ATTRS": NAME},
            {"LEFT_ID": "name", "REL_OP": ">", "RIGHT_ID": "verb",
             "RIGHT_ATTRS": {"LOWER": {"IN": FOUNDED}, "DEP": "acl"}}])
        self._add("possession", "organization", [
            {"RIGHT_ID": "thing", "RIGHT_ATTRS": {"LOWER": {"IN": possessions}}},
            {"LEFT_ID": "thing", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "poss"}}])
        self._add("place possession", "place", [
            {"RIGHT_ID": "thing", "RIGHT_ATTRS": {"LOWER": {"IN": place_possessions}}},
            {"LEFT_ID": "thing", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "poss"}}])
        # "Sweden's goalkeeper", "India captain Shubman Gill", "the England coach"
        self._add("team role", "team", [
            {"RIGHT_ID": "role", "RIGHT_ATTRS": {"LOWER": {"IN": _plurals(team_roles)}}},
            {"LEFT_ID": "role", "REL_OP": ">", "RIGHT_ID": "name",
             "RIGHT_ATTRS": {**NAME, "DEP": {"IN": ["poss", "compound"]}}}])
        # Who beat whom: the subject, the object (which the parser calls an adverbial when a
        # score follows it: "beat Panama 3-0"), or after "with", "against" ("drew with Ghana").
        self._add("match", MATCH, [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": match_verbs}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name",
             "RIGHT_ATTRS": {**NAME, "DEP": {"IN": ["nsubj", "dobj", "npadvmod"]}}}])
        self._add("match after", MATCH, [  # "came from behind to beat", "failed to beat"
            {"RIGHT_ID": "match", "RIGHT_ATTRS": {"LOWER": {"IN": match_verbs}, "DEP": {"IN": ["xcomp", "advcl"]}}},
            {"LEFT_ID": "match", "REL_OP": "<", "RIGHT_ID": "verb", "RIGHT_ATTRS": {}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "nsubj"}}])
        self._add("match held", MATCH, [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": sorted(HELD)}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "to", "RIGHT_ATTRS": {"LOWER": "to", "DEP": "prep"}},
            {"LEFT_ID": "to", "REL_OP": ">", "RIGHT_ID": "draw", "RIGHT_ATTRS": {"LOWER": {"IN": sorted(DRAWS)}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name",
             "RIGHT_ATTRS": {**NAME, "DEP": {"IN": ["nsubj", "dobj"]}}}])
        self._add("match against", MATCH, [
            {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": match_verbs}}},
            {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "with",
             "RIGHT_ATTRS": {"LOWER": {"IN": ["with", "against"]}, "DEP": "prep"}},
            {"LEFT_ID": "with", "REL_OP": ">", "RIGHT_ID": "name", "RIGHT_ATTRS": {**NAME, "DEP": "pobj"}}])
        if agent_verbs:
            self._add("agent", AGENT, [
                {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"LOWER": {"IN": list(agent_verbs)}}},
                {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "name",
                 "RIGHT_ATTRS": {**NAME, "DEP": "nsubj"}}])

        # Dependency labels as the ints tokens carry (token.dep): compared on every token.
        self.dep = {label: vocab.strings.add(label)
                    for label in ("appos", "attr", "nsubj", "pobj", "compound", "oprd", "poss", "dobj", "nmod")}
        self.disease_deps = frozenset(vocab.strings.add(label) for label in ("compound", "nmod", "amod", "pobj"))
        self.disease_heads = frozenset(disease_heads)
        self.disease_before = {prep: frozenset(words) for prep, words in (disease_before or {}).items()}
        self.product_nouns = frozenset(product_nouns)
        # "an app called Lumo", "a ship named Freewinds": any thing is named so.
        self.called_nouns = self.product_nouns | {w for w, k in self.kind_of_noun.items() if k == "thing"}
        self.download_verbs = frozenset(download_verbs)
        self.person_titles = frozenset(person_titles)
        self.place_heads = frozenset(place_heads)
        self.place_first_words = frozenset(place_first_words)
        self.defining = frozenset(vocab.strings[key] for key in DEFINING)
        self.appos, self.is_a = vocab.strings["appos"], vocab.strings["is a"]
        self.role_in, self.team_role = vocab.strings["role in"], vocab.strings["team role"]

    def _add(self, key: str, kind: str | None, pattern: list[dict]) -> None:
        """Add a pattern whose matches show `kind`, or (None) the kind of the noun matched."""
        match_id = self.matcher.vocab.strings.add(key)
        ids = [part["RIGHT_ID"] for part in pattern]
        # Which of the matched tokens are names: the pattern's "name" and its conjuncts.
        self.names[match_id] = (kind, [i for i, id_ in enumerate(ids) if id_ in ("name", "conj")],
                                ids.index("noun") if "noun" in ids else None)
        self.matcher.add(key, [pattern])

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents and not any(token.pos == symbols.PROPN for token in doc):
            # Every cue is said of a proper noun or an entity; most pieces of a list or a
            # table have neither, and the matcher's cost per doc dominates tiny ones.
            for key in (SPANS_KEY, *RULED_KEYS, AGENTS_KEY):
                doc.spans[key] = []
            return doc
        cues, agents = {}, {}
        for match_id, token_ids in self.matcher(doc):
            kind, positions, noun = self.names[match_id]
            if match_id == self.appos and _labels(doc[token_ids[0]]):
                continue
            if match_id == self.is_a and not _first_attribute(doc[token_ids[0]], doc[token_ids[2]]):
                continue
            if match_id == self.role_in and _a_known_place(doc[token_ids[2]]):
                continue
            if match_id == self.team_role and not _a_teams_role(doc[token_ids[0]], doc[token_ids[1]]):
                continue
            if noun is not None and _not_its_kind(doc[token_ids[noun]]):
                continue
            kind = kind or self.kind_of_noun[doc[token_ids[noun]].lower_]
            # A description in lower case: "Richard Roe, County of Maui" in a list is no apposition.
            defining = match_id in self.defining and doc[token_ids[noun]].is_lower
            for position in positions:
                name = name_around(doc[token_ids[position]])
                found = agents if kind == AGENT else cues
                found[(name.start, name.end, kind)] = Span(doc, name.start, name.end, label=kind)
                if defining:
                    cues[(name.start, name.end, DEFINED)] = Span(doc, name.start, name.end, label=DEFINED)
        for token, kind in [*self._token_cues(doc), *self._own_heads(doc)]:
            name = name_around(token)
            cues.setdefault((name.start, name.end, kind), Span(doc, name.start, name.end, label=kind))
        doc.spans[SPANS_KEY] = list(cues.values())
        for key, found in ((COMMA_KEY, self._comma_appositions(doc)), (BEFORE_KEY, self._nouns_before(doc)),
                           (AGE_KEY, _ages(doc))):
            ruled = {}
            for token, kind in found:
                name = name_around(token)
                ruled.setdefault((name.start, name.end, kind), Span(doc, name.start, name.end, label=kind))
            doc.spans[key] = list(ruled.values())
        doc.spans[AGENTS_KEY] = list(agents.values())
        return doc

    def _token_cues(self, doc: Doc):
        """Names that a noun ending like an occupation is said of, in apposition or after "is
        a" ("a Swiss mathematician": OCCUPATION), names the text shows to be diseases ("the
        COVID-19 pandemic", "infected with Ebola": DISEASE) and products ("the Safari browser",
        "downloaded from Google Play": PRODUCT): (name token, kind). One pass in Python: as
        DependencyMatcher patterns (a regular expression tried on every token) they cost as
        much as every other cue together."""
        appos, attr, nsubj, pobj, compound, oprd, nmod = (
            self.dep[label] for label in ("appos", "attr", "nsubj", "pobj", "compound", "oprd", "nmod"))
        for token in doc:
            dep = token.dep  # ints: this runs on every token
            if dep == compound and token.lower_ in self.person_titles and token.is_title:
                after = token.nbor(1) if token.i + 1 < len(doc) else None
                # The model's name must begin at the given name: a title among other title
                # words ("NATO Secretary General Ana Lima") says nothing of the words before it.
                if (after is not None and after.ent_iob_ == "B" and after.pos == symbols.PROPN
                        and is_given_name(after.text)):
                    yield after, "person"  # "Chancellor Olaf Scholz"
                    continue
            if dep == appos or dep == attr:
                if (dep == appos and token.head.pos == symbols.PROPN and token.lower_ in self.product_nouns
                        and self._names_a_product(token.head, token)):
                    yield token.head, PRODUCT  # "M-Pesa, its mobile money service"
                    continue
                if token.pos != symbols.NOUN or not OCCUPATION_ENDING.match(token.lower_):
                    continue
                if token.lower_ in self.kind_of_noun:
                    continue  # a listed noun is cued by its kind already
                head = token.head
                if dep == appos and head.pos == symbols.PROPN and not _labels(head):
                    yield head, OCCUPATION
                elif dep == attr and head.lower_ in COPULAS:
                    yield from ((child, OCCUPATION) for child in head.children
                                if child.dep == nsubj and child.pos == symbols.PROPN)
            elif dep in self.disease_deps or dep == oprd:
                if not (token.pos == symbols.PROPN or token.ent_type_ in TAGGED_AGENT):
                    continue
                head = token.head
                if dep == oprd:
                    if head.lower_ in ("called", "named") and head.head.lower_ in self.called_nouns:
                        yield token, PRODUCT
                elif dep != pobj:
                    if head.lower_ in self.disease_heads:
                        yield token, DISEASE
                    elif (dep in (compound, nmod) and head.lower_ in self.product_nouns
                          and self._names_a_product(token, head)):
                        yield token, PRODUCT  # "its Android operating system": nmod
                    elif (dep == compound and head.lower_ in MAKERS and token.i + 1 == head.i
                          and token.ent_type_ not in NOT_PRODUCTS):
                        yield token, PRODUCT  # "the iPhone maker", "Nestle, the KitKat maker"
                elif head.lower_ in self.disease_before and head.head.lower_ in self.disease_before[head.lower_]:
                    yield token, DISEASE
                elif token.ent_type_ not in NOT_PRODUCTS and self._offers_downloads(head):
                    yield token, PRODUCT
                    yield from ((conj, PRODUCT) for conj in token.conjuncts if conj.pos == symbols.PROPN)

    def _names_a_product(self, name, noun) -> bool:
        """Whether a name before a product noun names the product: its maker is named too
        ("Safaricom's M-Pesa service", "Microsoft's Windows operating system", "its app"), or
        the noun is one a maker's name does not stand before ("the Safari browser")."""
        if noun.lower_ in MAKERLESS_NOUNS:
            return True
        if noun.dep == self.dep["dobj"] and noun.head.lower_ in self.download_verbs:
            return True  # "download the M-Pesa app": what is downloaded is no maker
        if noun.lower_ in ("system", "systems") and not any(t.lower_ == "operating" for t in noun.children):
            return False
        return any(child.dep == self.dep["poss"] and child.i != name.i for child in noun.children)

    def _offers_downloads(self, preposition) -> bool:
        """Whether the object of `preposition` is where apps are got: "downloaded from",
        "install it via", "available on", "download the app from"."""
        word, head = preposition.lower_, preposition.head.lower_
        return ((word in ("from", "on", "via") and head in self.download_verbs)
                or (word == "on" and (head == "available" or head in APPS))
                # "download the M-Pesa app from the App Store" (not "an app from Google")
                or (word in ("from", "via") and head in APPS
                    and preposition.head.head.lower_ in self.download_verbs))

    def _own_heads(self, doc: Doc):
        """Names the model took for agents whose own last word, or first, is a natural
        place's or a street's ("the Douro Valley", "Lake Volta", "Potsdamer Platz"): (name
        token, "place"). Not
        a name that begins with a given name ("Ricki Lake", "Jordan River" is left to the
        model), nor one word alone."""
        for ent in doc.ents:
            if ent.label_ not in TAGGED_AGENT or len(ent) < 2 or is_given_name(ent[0].text):
                continue
            first, last = ent[0], ent[-1]
            if ((last.is_title and last.lower_ in self.place_heads)
                    or (first.is_title and first.lower_.rstrip(".") in self.place_first_words)):
                yield last, "place"

    def _comma_appositions(self, doc: Doc):
        """Names followed by a comma and a noun phrase whose noun says what they are, read from
        the words rather than the parse, which often misses them: "Icera, a British modem
        start-up later bought by Nvidia" (the tokenizer splits start - up and the parser hangs
        "up" on the verb), "Nordvik, the Oslo-listed tanker operator". Not where the noun
        phrase begins a clause ("In Paris, a man said"). The name is the model's or, untagged, a run of
        proper nouns: (name token, kind), and DEFINED when the noun is in lower case."""
        for comma in doc[1:-2]:
            if comma.text != "," or doc[comma.i + 1].lower_ not in ("a", "an", "the"):
                continue
            last = doc[comma.i - 1]
            if not (last.ent_type_ in APPOSED_LABELS or (last.pos == symbols.PROPN and last.ent_iob_ == "O")):
                continue
            ent = name_around(last)
            if ent.end != comma.i:
                continue
            for i in range(ent.end + 2, min(ent.end + 2 + MAX_APPOSED_WORDS, len(doc))):
                token = doc[i]
                pair = f"{token.lower_}-{doc[i + 2].lower_}" if i + 2 < len(doc) and doc[i + 1].text == "-" else ""
                hyphenated = pair in self.kind_of_noun
                end = i + 2 if hyphenated else i
                if end + 1 < len(doc) and doc[end + 1].lower_ in POSTPOSITIVE:
                    end += 1  # "the secretary general of the party"
                kind = (self.kind_of_noun[pair] if hyphenated
                        else self.kind_of_noun.get(token.lower_)
                        if token.pos == symbols.NOUN and not _not_its_kind(token) else None)
                if kind and (_ends_a_phrase(doc, end) or (hyphenated and _apposed(ent, i, self.kind_of_noun))):
                    if kind != "thing":  # a thing is no entity: what removes a name takes the parse's word
                        yield ent[-1], kind
                        if token.is_lower:
                            yield ent[-1], DEFINED
                    break
                if token.pos not in APPOSED_WORDS and token.text != "-":
                    break

    def _nouns_before(self, doc: Doc):
        """Names right after a singular noun in lower case that the parser makes part of them,
        when it names an organisation or a place: "Brazilian builder Odebrecht", "U.S.
        chipmaker Veltrix Corp", "the river Inn", or a trade opening a sentence ("Airline
        Ryanair said"): (name token, kind). Not a person's noun ("market leader Apple",
        "leaders Liverpool"), but a job's before a name of two words or more the model calls
        an organisation ("Chief operating officer Mwila Banda"), nor a thing's (a thing is no
        entity)."""
        for ent in doc.ents:
            if ent.label_ not in APPOSED_LABELS or not ent.start:
                continue
            noun = doc[ent.start - 1]
            kind = self.kind_of_noun.get(noun.lower_)
            lower = noun.is_lower and noun.tag_ == "NN"
            trade = noun.is_sent_start and noun.is_title and noun.lower_ in TRADE_NOUNS  # "Airline Ryanair said"
            if not (noun.dep_ == "compound" and ent.start <= noun.head.i < ent.end):
                continue
            if kind in ("organization", "place") and (lower or trade):
                yield ent[-1], kind
            elif (noun.lower_ in JOB_TITLES and lower and ent.label_ == "ORG" and len(ent) > 1
                  and all(t.pos == symbols.PROPN and t.is_title for t in ent)
                  and self.kind_of_noun.get(ent[-1].lower_) != "organization"):
                yield ent[-1], "person"  # "Chief operating officer Mwila Banda said"


# Labels of the model's names an age may follow: not a place's ("Kenya, 12, and Uganda, 9").
AGED_LABELS = frozenset({"PERSON", "ORG"})
OLDEST = 119


def _ages(doc: Doc):
    """Full names followed by an age in commas and then words in lower case, as news gives a
    person's age: "Dallas Reed, 34, said", "Amara Okonkwo, 52, a market trader": (name
    token, "person"). Not one word, nor a place the model tagged, nor a list of counts
    ("Arsenal, 3, and Chelsea, 2"), nor a year or a number with a unit after the comma."""
    for comma in doc[2:-3]:
        if comma.text != "," or doc[comma.i + 2].text != ",":
            continue
        age, after = doc[comma.i + 1], doc[comma.i + 3]
        if not (age.is_digit and 0 < int(age.text) <= OLDEST and after.is_lower and after.pos != symbols.CCONJ):
            continue
        last = doc[comma.i - 1]
        if not (last.ent_type_ in AGED_LABELS or (last.pos == symbols.PROPN and last.ent_iob_ == "O")):
            continue
        name = name_around(last)
        if name.end == comma.i and len(name) > 1 and all(token.is_title for token in name):
            yield last, "person"


def _a_teams_role(role, name) -> bool:
    """Whether a role word after a name is a team's role there: "Sweden's goalkeeper", "India
    captain Shubman Gill", "the England coach said"; not a noun that goes on ("the London coach
    station", "a Manchester coach company")."""
    return (name.dep_ == "poss" or role.dep_ != "compound"
            or role.head.pos == symbols.PROPN)


def _a_known_place(token) -> bool:
    """Whether the name a token is in is a place whatever is said of it: one the model calls
    a region or a continent ("Europe"), a country, or a large city ("Kyiv")."""
    name = name_around(token)
    return (name.label_ == "LOC" or countries.country_by_name(name.text) is not None
            or places.is_large_place(name.text))


def _not_its_kind(noun) -> bool:
    """Whether a noun of a kind means something else where it stands: a collection of things
    ("the Azores, a group of islands", not "Lactalis, the French dairy group"), or a tank
    that is no think tank ("the T-72, a Soviet tank")."""
    doc, i = noun.doc, noun.i
    if noun.lower_ in COLLECTIVE_NOUNS:
        return i + 1 < len(doc) and doc[i + 1].lower_ == "of"
    if noun.lower_ in THINK_TANKS:
        before = i - 2 if i >= 2 and doc[i - 1].text == "-" else i - 1  # "think-tank", "think tank"
        return before < 0 or doc[before].lower_ != "think"
    return False


def _ends_a_phrase(doc: Doc, i: int) -> bool:
    """Whether token i ends its noun phrase and no clause goes on from it: "a start-up," or
    "a firm based in Oslo", not "a company executive" nor "a man said"."""
    after = doc[i + 1] if i + 1 < len(doc) else None
    return after is None or (after.pos not in (symbols.NOUN, symbols.PROPN)
                             and after.tag_ not in FINITE_VERB_TAGS and after.text != "-")


def _apposed(ent: Span, i: int, kinds: dict[str, str]) -> bool:
    """Whether the parser makes a noun phrase that reaches back to token i an apposition of
    the name, with no noun of a kind of its own: "Quantica, a Portuguese start-up designing
    chips" (start - up tagged a verb, "chips" the apposition); not "a start-up founder"."""
    return any(child.dep_ == "appos" and child.left_edge.i <= i and child.lower_ not in kinds
               for child in ent[-1].children)


def _first_attribute(verb, noun) -> bool:
    """Whether `noun` is what the copula `verb` says first: in "Nabukenya is a member of the
    National Unity Platform, the party led by Bobi Wine", the parser hangs "the party" on "is"
    too, but it is the platform's description, not hers."""
    return not any(child.dep_ == "attr" and child.i < noun.i for child in verb.children)


def _labels(token) -> bool:
    """Whether the name a token is in stands before a colon, as a speaker's or a section's
    label ("Okafor: Yoruba and Igbo newspapers."): what follows says no more what it is than
    what follows a name in a list would; the parser still makes it an apposition."""
    name = name_around(token)
    return name.end < len(token.doc) and token.doc[name.end].text == ":"


def name_around(token) -> Span:
    """The entity a token is in, or else the run of proper nouns around it."""
    if token.ent_iob_ in ("B", "I"):  # "" (no recogniser ran) and "O" are outside
        return next(e for e in token.doc.ents if e.start <= token.i < e.end)
    doc = token.doc
    start, end = token.i, token.i + 1
    while start > 0 and doc[start - 1].pos_ == "PROPN":
        start -= 1
    while end < len(doc) and doc[end].pos_ == "PROPN":
        end += 1
    return doc[start:end]
