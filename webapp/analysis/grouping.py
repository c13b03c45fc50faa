"""Candidate mentions -> entities: one entity per real person, organisation, country or place."""
from __future__ import annotations

import re
from collections import Counter

from rapidfuzz.distance import Levenshtein

from . import cues, rules
from .article import Entity, Mention, slugify, unused_id
from .countries import country_by_demonym, country_by_name
from .names import ACRONYM_SKIP, NAME_PARTICLES, initials, is_given_name, norm
from .recognise import HONORIFICS, ORG_HEADS, SHORT_NAME_TAILS, Candidate, named_like_a_team

# First words of organisations' names that do not name them alone ("National" Trust).
GENERIC_FIRST_WORDS = frozenset("""new national united international european american british
    royal federal central general first global world north south east west state public""".split())
# Two spellings of one person's surname (with the same given name) differ by this little.
SURNAME_SIMILARITY = 0.8
CONJUNCTION = re.compile(r"\s+(?:&|and|und|et|y)\s+")


class Cluster:
    """Mentions believed to name one entity, while grouping."""

    def __init__(self, first: Candidate):
        self.members: list[Candidate] = [first]
        self.type = first.type
        # Other people this one may be, which the text does not settle ("Senator Kennedy").
        self.maybe: list[Cluster] = []
        self._full_names: tuple[int, list[Candidate]] = (0, [])
        # A lone name given to this person that other people here also bear: name -> them.
        self.shared: dict[str, list[Cluster]] = {}

    @property
    def full_names(self) -> list[Candidate]:
        # Members are only ever added, so the list is kept until their number changes.
        if self._full_names[0] != len(self.members):
            self._full_names = (len(self.members), [m for m in self.members if len(m.words) > 1])
        return self._full_names[1]

    @property
    def first(self) -> int:
        return min(m.start for m in self.members)

    def tokens(self, position: int) -> set[str]:
        return {norm(m.words[position]) for m in self.full_names}

    def keys(self) -> set[str]:
        return {norm(m.text) for m in self.members}


def _initials_then_words(name: str) -> set[str]:
    """Short forms that write a name's first words as initials and keep the rest:
    "UC Berkeley" for "University of California, Berkeley" (comparable forms)."""
    words = [w for w in re.split(r"[\s\-,]+", name) if w and w not in ACRONYM_SKIP]
    return {norm("".join(w[0] for w in words[:k]).upper() + " " + " ".join(words[k:]))
            for k in range(2, len(words))}


def _similar(a: str, b: str) -> bool:
    return a != b and Levenshtein.normalized_similarity(a, b) >= SURNAME_SIMILARITY


def particle_surname(words: list[str]) -> str | None:
    """A surname that starts with a particle: "bin Salman", "van der Leyen", "De Wever" (as
    Belgians write it); else None."""
    for i in range(1, len(words) - 1):
        if words[i].lower() in NAME_PARTICLES:
            return norm(" ".join(words[i:]))
    return None


def _given_names(cluster: Cluster) -> set[str]:
    """The given names of a cluster's full names, not counting a surname alone ("Bin Salman")."""
    return {norm(m.words[0]) for m in cluster.full_names if m.words[0].lower() not in NAME_PARTICLES}


def _same_person(a: Cluster, b: Cluster) -> bool:
    """Two full names of one person spelled two ways, and not two people who share a name.

    Same surname, different given name: one person only if the text gives both the same
    title and the title names an office one person holds at a time ("US Secretary of State");
    a rank many hold ("Senator") leaves two people, each noted as possibly the other. Same
    given name and a near-identical surname ("Vasconcelos"/"Vasconselos"): a misspelling.
    A middle name may be left out.
    """
    if any(len(x.words) > 2 and len(y.words) > 2 and x.words[0] == y.words[0]
           and x.words[-1] == y.words[-1] and norm(x.name) != norm(y.name)
           for x in a.full_names for y in b.full_names):
        return False  # both give a middle name, and not the same one
    for x in a.full_names:
        for y in b.full_names:
            if norm(x.name) == particle_surname(y.words) or norm(y.name) == particle_surname(x.words):
                # "Bin Salman" is Mohammed bin Salman, unless it is already Khalid bin Salman's
                return len(_given_names(a) | _given_names(b)) <= 1
            fx, fy = norm(x.words[0]), norm(y.words[0])
            lx, ly = norm(x.words[-1]), norm(y.words[-1])
            if len(x.words) != len(y.words):
                # "George Bush" is "George W. Bush"; "George H. W. Bush" is not.
                if fx == fy and lx == ly and min(len(x.words), len(y.words)) == 2:
                    return True
                continue
            if lx == ly and fx != fy and x.title and norm(x.title) == norm(y.title):
                if unique_office(x.title):
                    return True
                _maybe(a, b)
            if fx == fy and _similar(lx, ly) and len(lx) >= 5:
                return True
    return False


def unique_office(title: str) -> bool:
    """Whether a job title names an office one person holds at a time: it says where or of
    what ("US Secretary of State", "Mayor of Lisbon", "Russian Foreign Minister"), not only a
    rank or honorific that many hold at once ("Senator", "General", "Dr", "Foreign Minister")."""
    words = title.replace("-", " ").split()
    if len(words) < 2:
        return False
    return ("of" in words or "for" in words
            or any(country_by_name(w) or country_by_demonym(w) for w in words))


def _maybe(a: Cluster, b: Cluster) -> None:
    if b not in a.maybe:
        a.maybe.append(b)
        b.maybe.append(a)


def _split_fused(candidate: Candidate, parts: dict[str, list[Cluster]],
                 own: Cluster) -> list[tuple[Candidate, Cluster]] | None:
    """A span the model fused from two known names ("Keller Amaral", "Keller & Amaral") -> two.

    Only where the text gives a reason: a conjunction between them, or a caption's title
    (headline-style lists of names); in running text "Smith Jones" may be a third person.
    """
    text = candidate.text
    pieces: list[tuple[int, int]] = []
    joint = CONJUNCTION.search(text)
    if joint:
        pieces = [(0, joint.start()), (joint.end(), len(text))]
    elif len(candidate.words) == 2 and candidate.block.kind == "caption_title":
        gap = text.index(" ")
        pieces = [(0, gap), (gap + 1, len(text))]
    if not pieces:
        return None
    owners = [_part_owner(norm(text[s:e]), parts, own) for s, e in pieces]
    if any(owner is None for owner in owners) or owners[0] is owners[1]:
        return None
    first, last = (norm(text[s:e]) for s, e in pieces)
    if not joint and first in owners[0].tokens(0) and last in owners[1].tokens(-1):
        return None  # "John Smith" beside "John Doe" and "Jane Smith" is a third person
    return [(Candidate(candidate.start + s, candidate.start + e, text[s:e], candidate.block,
                       owner.type, credit=candidate.credit), owner)
            for (s, e), owner in zip(pieces, owners)]


def _part_owner(word: str, parts: dict[str, list[Cluster]],
                own: Cluster | None = None) -> Cluster | None:
    """The one person (other than `own`) whose surname or given name is `word`."""
    owners = {id(c): c for c in parts.get(word, []) if c is not own}
    return next(iter(owners.values())) if len(owners) == 1 else None


def _name_parts(clusters: list[Cluster]) -> dict[str, list[Cluster]]:
    """Surnames and given names of the people named in full -> those people."""
    parts: dict[str, list[Cluster]] = {}
    for cluster in clusters:
        if cluster.type != "person":
            continue
        for member in cluster.full_names:
            for word in (member.words[0], member.words[-1]):
                owners = parts.setdefault(norm(word), [])
                if cluster not in owners:
                    owners.append(cluster)
    return parts


def group(candidates: list[Candidate]) -> list[Entity]:
    """Group candidate mentions into entities, correcting the model's types on the way."""
    countries: dict[str, Cluster] = {}
    by_key: dict[tuple[str, str], Cluster] = {}
    clusters: list[Cluster] = []
    singles: list[Candidate] = []
    for candidate in candidates:
        if candidate.type == "country":
            code = candidate.country.code
            if code in countries:
                countries[code].members.append(candidate)
            else:
                countries[code] = Cluster(candidate)
            continue
        if len(candidate.words) == 1 and candidate.type in ("person", "organization"):
            singles.append(candidate)
            continue
        kind = "place" if candidate.type == "place" else "name"
        key = (kind, norm(candidate.name))
        if key in by_key:
            by_key[key].members.append(candidate)
        else:
            by_key[key] = Cluster(candidate)
            clusters.append(by_key[key])

    if rules.on("merge-people"):
        clusters = _merge_people(clusters)
    for cluster in clusters:
        if cluster.type == "organization" and _shown_to_be_a_person(cluster):
            cluster.type = "person"  # before lone names look for their person
    clusters = _attach_singles(clusters, singles)
    _clubs(clusters)
    if not rules.skipped("settle-types"):
        _settle_types(clusters)
    if rules.on("entity-cues"):
        clusters = _types_from_cues(clusters)
    if rules.on("merge-organisations"):
        clusters = _merge_organisations(clusters)
    return _entities(list(countries.values()) + clusters)


def _merge_people(clusters: list[Cluster]) -> list[Cluster]:
    """Full names of one person spelled two ways become one cluster (see _same_person).

    Each name is compared only with the people it could be: those who share its surname, or
    its given name and a surname one letter away (a misspelling: both share the surname with
    one letter left out). So the work grows with the number of names, not with its square.
    """
    merged: list[Cluster] = []
    order: dict[int, int] = {}  # id(cluster) -> its place in `merged`
    index: dict[tuple[str, ...], list[Cluster]] = {}
    for cluster in clusters:
        if not _may_be_a_person(cluster):
            merged.append(cluster)
            continue
        keys = _comparison_keys(cluster)
        rivals = {id(c): c for key in keys for c in index.get(key, ())}
        target = next((m for m in sorted(rivals.values(), key=lambda c: order[id(c)])
                       if _same_person(m, cluster)), None)
        if target:
            target.members += cluster.members
        else:
            order[id(cluster)] = len(merged)
            merged.append(cluster)
            target = cluster
        for key in keys:
            owners = index.setdefault(key, [])
            if target not in owners:
                owners.append(target)
    return merged


def _may_be_a_person(cluster: Cluster) -> bool:
    """A person, or an "organisation" named like one ("Ana Lima", "De Vries" at a sentence's
    start): the model's ORG tags on people are common, and the types are settled once the
    spellings are together."""
    if cluster.type == "person":
        return True
    return cluster.type == "organization" and any(
        (is_given_name(m.words[0]) or m.words[0].lower() in NAME_PARTICLES)
        and m.words[-1] not in ORG_HEADS and not m.text.isupper()
        for m in cluster.full_names)


def _comparison_keys(cluster: Cluster) -> set[tuple[str, ...]]:
    """Where to look for a cluster's other spellings: its surnames, and each given name with
    the surname less any one letter ("Vasconcelos" and "Vasconselos" share "Vasconelos")."""
    keys = set()
    for member in cluster.full_names:
        first, last = norm(member.words[0]), norm(member.words[-1])
        keys.add(("surname", last))
        keys.add(("given", first, last))
        keys.update(("given", first, last[:i] + last[i + 1:]) for i in range(len(last)))
    return keys


def _attach_singles(clusters: list[Cluster], singles: list[Candidate]) -> list[Cluster]:
    """One-word mentions join the full name they belong to, or form their own entity."""
    name_parts = _name_parts(clusters)
    singles_by_key: dict[str, Cluster] = {}
    pending = list(singles)
    # Multi-word spans that are really two known names fused by the model.
    for cluster in () if rules.skipped("split-fused") else list(clusters):
        if cluster.type not in ("person", "organization") or len(cluster.members) > 1:
            continue
        pieces = _split_fused(cluster.members[0], name_parts, cluster)
        if pieces and rules.on("split-fused"):
            clusters.remove(cluster)
            for piece, owner in pieces:
                owner.members.append(piece)
            name_parts = _name_parts(clusters)
    orgs = {norm(m.text): c for c in clusters if c.type == "organization" for m in c.members}
    named = {norm(m.text): c for c in clusters if c.type in ("person", "organization")
             for m in c.members}
    for single in sorted(pending, key=lambda c: c.start):
        key = norm(single.text)
        owner = orgs.get(key) if single.type == "organization" else None
        if owner is None and single.long_form:  # "FSANZ", defined after its long form
            owner = named.get(norm(single.long_form))
        if owner is None and rules.on("lone-names"):
            owner = _person_for(single, key, name_parts)
        if owner is None:
            owner = singles_by_key.get(key)
            if owner is None:
                owner = singles_by_key[key] = Cluster(single)
                clusters.append(owner)
                continue
        owner.members.append(single)
    return clusters


def _person_for(single: Candidate, key: str, name_parts):
    """The person a lone surname or given name refers to.

    The only one who has it; else the one the article is about (named in full clearly most
    often); else, of those whose surname it is (a lone name is far more often a surname), the
    nearest named before it. A guess between people who share a name is noted on the entity.
    """
    owner = _part_owner(key, name_parts)
    if owner is not None:
        return owner
    people = name_parts.get(key, [])  # the people with this surname or given name
    if not people:
        return None
    counts = sorted(((len(c.full_names), id(c), c) for c in people), reverse=True)
    if counts[0][0] >= 3 and counts[0][0] >= 2 * counts[1][0]:
        return counts[0][2]
    people = [c for c in people if key in c.tokens(-1)] or people
    if len(people) == 1:
        chosen = people[0]
    else:
        before = [c for c in people if c.first < single.start]
        if before:
            chosen = max(before, key=lambda c: max(m.start for m in c.members if m.start < single.start))
        else:
            chosen = min(people, key=lambda c: c.first)
        others = [c for c in people if c is not chosen]
        chosen.shared.setdefault(single.text, [])
        chosen.shared[single.text] += [c for c in others if c not in chosen.shared[single.text]]
    return chosen


def _clubs(clusters: list[Cluster]) -> None:
    """A word alone that plays a match as a club somewhere ("Brentford held them to a 1-1
    draw", recognise._place_or_club) is the club where the model called it a person too
    ("Brentford defended with their lives")."""
    for cluster in clusters:
        if (cluster.type == "person" and not cluster.full_names
                and any(m.type == "organization" and cues.MATCH in m.cues for m in cluster.members)
                and rules.on("person-clubs")):
            cluster.type = "organization"
            for member in cluster.members:
                member.type = "organization"


def _settle_types(clusters: list[Cluster]) -> None:
    """A cluster's type is what its full names were called most; one-word labels count less."""
    for cluster in clusters:
        if cluster.type == "place":
            continue
        votes = Counter(m.type for m in cluster.full_names) or Counter(m.type for m in cluster.members)
        # A credit's type comes from a guess about its shape; the model's word weighs more.
        kind = votes.most_common(1)[0][0]
        if kind == "organization" and _shown_to_be_a_person(cluster):
            kind = "person"
        if (kind != cluster.type or any(m.type != kind for m in cluster.members)) and rules.on("settle-types"):
            cluster.type = kind
            for member in cluster.members:
                member.type = kind


def _types_from_cues(clusters: list[Cluster]) -> list[Cluster]:
    """Each entity takes the type the text's cues give it, when they are clear; an entity the
    text calls a thing (a language, a disease, an app) is no entity."""
    kept, people = [], []
    for cluster in clusters:
        kind = _cued_type(cluster)
        if kind == "thing":
            continue
        if kind:
            if kind == "person" and not cluster.full_names:
                people.append(cluster)
            cluster.type = kind
            for member in cluster.members:
                member.type = kind
        kept.append(cluster)
    return _one_entity_per_name(_lone_names_retyped(kept, people))


def _lone_names_retyped(clusters: list[Cluster], lone: list[Cluster]) -> list[Cluster]:
    """A word alone the model called a place or an organisation that the cues make a person
    ("Alamgir, the secretary general of the party") joins the person named in full whose name
    it is, as lone names do before the cues ("... politician Mirza Fakhrul Islam Alamgir")."""
    if not lone or rules.skipped("lone-names"):
        return clusters
    name_parts = _name_parts(clusters)
    joined = set()
    for cluster in lone:
        first = min(cluster.members, key=lambda m: m.start)
        owner = _person_for(first, norm(first.text), name_parts)
        if owner is not None and rules.on("lone-names"):
            owner.members.extend(cluster.members)
            joined.add(id(cluster))
    return [c for c in clusters if id(c) not in joined]


def _one_entity_per_name(clusters: list[Cluster]) -> list[Cluster]:
    """People and organisations written the same way are one entity: the model may call a
    name a person in a headline, a place in one sentence and an organisation in the next,
    and once the cues have typed some of them ("a start-up", "co-founder of Quantica")
    nothing should keep them apart. The entity takes the type of the part with more cues,
    then more mentions. So are places written the same way, once the cues have made a name
    the model called a person a place ("Lübeck was its leading city" beside "met in Lübeck")."""
    owners: dict[str, Cluster] = {}
    place_owners: dict[str, Cluster] = {}
    kept = []
    for cluster in clusters:
        if cluster.type == "place":
            owner = _owner(place_owners, cluster)
            if owner is None:
                place_owners.update((key, cluster) for key in cluster.keys())
                kept.append(cluster)
            else:
                owner.members.extend(cluster.members)
            continue
        if cluster.type not in ("person", "organization"):
            kept.append(cluster)
            continue
        owner = _owner(owners, cluster)
        if owner is None:
            owners.update((key, cluster) for key in cluster.keys())
            kept.append(cluster)
            continue
        if _weight(cluster) > _weight(owner):
            owner.type = cluster.type
        owner.members.extend(cluster.members)
        for member in owner.members:
            member.type = owner.type
        owners.update((key, owner) for key in cluster.keys())
    return kept


def _owner(owners: dict[str, Cluster], cluster: Cluster) -> Cluster | None:
    """The cluster already holding one of `cluster`'s names, if any."""
    return next((owners[key] for key in sorted(cluster.keys()) if key in owners), None)


def _weight(cluster: Cluster) -> tuple[int, int]:
    return sum(1 for m in cluster.members if m.cues), len(cluster.members)


def _cued_type(cluster: Cluster) -> str | None:
    """The type the cues of an entity's mentions show, if it differs from its type and they
    agree. A name that begins with a given name needs two cues to be anything but a person
    ("Kennedy airport" does not make John F. Kennedy a place), or one that defines it ("Tulia
    Pay, a payments start-up")."""
    if cluster.type == "country":
        return None
    kinds = Counter(kind for m in cluster.members for kind in m.cues
                    if kind not in ("team", cues.MATCH, cues.DEFINED))
    if set(kinds) == {"organization", "thing"}:
        # A platform or a service that is founded, has a chief executive or shares is the
        # company of that name ("Lumio, the streaming platform ... was founded in 2014").
        del kinds["thing"]
    if len(kinds) != 1:
        return None
    (kind, count), = kinds.items()
    if kind == cluster.type:
        return None
    defined = any(cues.DEFINED in m.cues for m in cluster.members)
    if (kind != "person" and count < 2 and not defined
            and any(is_given_name(m.words[0]) for m in cluster.full_names)):
        return None
    return kind


def _shown_to_be_a_person(cluster: Cluster) -> bool:
    return (_shows_a_person(cluster) or _has_honorific(cluster)) and rules.on("person-evidence")


def _shows_a_person(cluster: Cluster) -> bool:
    """An "organisation" the text shows to be a person: a full name that starts with a given
    name, and somewhere a title before it or "(born", "who" after it ("Ana Lima (born 1980)")."""
    return any(m.personal for m in cluster.members) and _may_be_a_person(cluster)


def _has_honorific(cluster: Cluster) -> bool:
    """Somewhere the text writes this name after "Mr", "Mrs", "Dr"...: it is a person's."""
    return any(m.title.split()[-1:] and m.title.split()[-1].rstrip(".") in HONORIFICS
               for m in cluster.members)


def _merge_organisations(clusters: list[Cluster]) -> list[Cluster]:
    """Case variants, suffixes ("Meridian"/"Meridian Shipping"), acronyms ("AP"/"Associated Press")
    and the last words of a name ("the Hawks", "Red Sox" for "Lisbon Harbour Hawks", "Boston
    Red Sox"); never a generic word alone ("the University", "the Court")."""
    orgs = [c for c in clusters if c.type == "organization"]
    long_names: dict[str, list[Cluster]] = {}
    # A first word alone is weaker evidence than initials or last words: "NHU" is the
    # National Harbour University even beside "NHU Print Archive".
    first_words: dict[str, list[Cluster]] = {}
    # "Kestrel" for Kestrel Resources, which a word alone the model called a person may be too.
    short_forms: dict[str, list[Cluster]] = {}
    for cluster in orgs:
        for member in {norm(m.text): m for m in cluster.members}.values():
            key = norm(member.text)
            words = key.split()
            forms = {key}
            if len(words) > 1 and words[-1] in SHORT_NAME_TAILS:
                forms.add(" ".join(words[:-1]))
                owners = short_forms.setdefault(" ".join(words[:-1]), [])
                if cluster not in owners:
                    owners.append(cluster)
            if len(words) > 1 and words[0] not in GENERIC_FIRST_WORDS and words[0].title() not in ORG_HEADS:
                owners = first_words.setdefault(words[0], [])  # "Goldman" for Goldman Sachs
                if cluster not in owners:
                    owners.append(cluster)
            forms.update(" ".join(words[i:]) for i in range(1, len(words))
                         if i < len(words) - 1 or words[-1].title() not in ORG_HEADS)
            acronym = initials(member.text)
            if acronym:
                forms.add(acronym.lower())
            forms.update(_initials_then_words(member.text))
            for form in forms:
                owners = long_names.setdefault(form, [])
                if cluster not in owners:
                    owners.append(cluster)
    merged_into: dict[int, Cluster] = {}
    # A one-word "place" may be a team's short name ("the Pirates" for Pittsburgh Pirates).
    shorter = orgs + [c for c in clusters if c.type == "place" and _longest(c) == 1]
    for cluster in shorter:
        for key in cluster.keys():
            # A place joins only a team named with it ("Pittsburgh" is not the Pirates).
            owners = ([c for c in long_names.get(key, []) if _may_join(cluster, c, key)]
                      or [c for c in first_words.get(key, []) if _may_join(cluster, c, key)
                          and cluster.type != "place"])
            if len(owners) == 1:
                target = owners[0]
                while id(target) in merged_into:
                    target = merged_into[id(target)]
                if target is not cluster:
                    target.members += cluster.members
                    merged_into[id(cluster)] = target
                break
    for cluster in clusters:
        if _short_form_of_a_company(cluster, short_forms):
            (key,) = cluster.keys()
            target = short_forms[key][0]
            while id(target) in merged_into:  # the company may have joined a longer name
                target = merged_into[id(target)]
            target.members += cluster.members
            merged_into[id(cluster)] = target
    return [c for c in clusters if id(c) not in merged_into]


def _short_form_of_a_company(cluster: Cluster, short_forms: dict[str, list[Cluster]]) -> bool:
    """Whether a "person" is a word alone that is the short form of one company named in full
    ("Kestrel said" beside "Kestrel Resources", "Meridian Shipping"), and that nothing in the
    text calls a person; a surname of someone named in full has joined that person already."""
    if cluster.type != "person" or len(cluster.keys()) != 1 or _longest(cluster) != 1:
        return False
    owners = short_forms.get(next(iter(cluster.keys())), [])
    return (len(owners) == 1 and not any("person" in m.cues for m in cluster.members)
            and rules.on("merge-organisations"))


def _may_join(short: Cluster, owner: Cluster, key: str) -> bool:
    """Whether a shorter name (compared as `key`) may join an organisation with a longer one
    that contains it."""
    if owner is short or _longest(owner) <= _longest(short):
        return False
    if short.type != "place":
        return True
    # A place joins only a team whose name ends with it ("the Pirates", Pittsburgh Pirates):
    # not "Bank of Portugal", nor another plural name by its initials ("DH" for Digital
    # Humanities) or its last word ("Linguistics" for the Department of Linguistics: a
    # team's name has no word in lower case).
    label = _label(owner)
    return named_like_a_team(label) and norm(label).endswith(" " + key)


def _longest(cluster: Cluster) -> int:
    return max(len(m.words) for m in cluster.members)


def _label(cluster: Cluster, people: dict[str, set[int]] | None = None) -> str:
    """The fullest, most frequent name the article uses; for a country, its common English name.

    With `people` (a person's name -> the clusters that bear it), a name used once that is
    another person's name run into one of this entity's own ("Okafor Nikon" beside "Nikon" and
    Ada Okafor) is a fused span, not the label.
    """
    if cluster.type == "country":
        return cluster.members[0].country.name
    if all(m.team for m in cluster.members):
        return f"{cluster.members[0].text} (national team)"
    texts = [m.text for m in cluster.members]  # trimmed by the recogniser
    counts = Counter(texts)
    if people:
        own = {norm(t) for t in counts}
        kept = Counter({t: n for t, n in counts.items()
                        if not (n == 1 and _fused(norm(t), own, people, id(cluster)))})
        counts = kept or counts
    order = {t: i for i, t in reversed(list(enumerate(texts)))}
    capitals = {t: sum(w[:1].isupper() for w in t.split()) for t in counts}
    # Not a dateline's capitals where the text also writes the name as a name: "Karachi".
    label = max(counts, key=lambda t: (len(t.split()), counts[t], capitals[t], not t.isupper(), -order[t]))
    if label.isupper() and all(m.dateline for m in cluster.members if m.text == label):
        return _name_case(label)  # "NAIROBI -" alone: Nairobi
    return label


# The small words a place's name writes in lower case inside it: "Rio de Janeiro".
NAME_PARTICLES_IN_PLACES = frozenset("de da do das dos del la le di of the and on upon".split())


def _name_case(name: str) -> str:
    """A name in capitals as a name is written: "RIO DE JANEIRO" -> "Rio de Janeiro"."""
    words = name.lower().split()
    return " ".join(w if i and w in NAME_PARTICLES_IN_PLACES else w.capitalize()
                    for i, w in enumerate(words))


def _fused(name: str, own: set[str], people: dict[str, set[int]], cluster_id: int) -> bool:
    """Whether `name` is one of `own` names with another person's name run into its front or back."""
    words = name.split()
    for shorter in own:
        part = shorter.split()
        if not 0 < len(part) < len(words):
            continue
        if words[-len(part):] == part:
            rest = words[:-len(part)]
        elif words[:len(part)] == part:
            rest = words[len(part):]
        else:
            continue
        rest = " ".join(w for w in rest if w != "the")
        if people.get(rest, set()) - {cluster_id}:
            return True
    return False


def _people_names(clusters: list[Cluster]) -> dict[str, set[int]]:
    """Every name a person is given in the article (comparable form) -> those people's clusters."""
    names: dict[str, set[int]] = {}
    for cluster in clusters:
        if cluster.type == "person":
            for member in cluster.members:
                names.setdefault(norm(member.text), set()).add(id(cluster))
    return names


def _notes(cluster: Cluster, labels: dict[int, str]) -> list[str]:
    """What the reader should know of the grouping; `labels` are the live clusters' labels
    (a cluster merged away has none)."""
    spellings: dict[str, str] = {}
    for member in cluster.full_names:
        spellings.setdefault(norm(member.name), member.text)
    notes = []
    if cluster.type == "person" and len(spellings) > 1:
        names = " and ".join(f"“{s}”" for s in spellings.values())
        notes.append(f"The article spells this name {len(spellings)} ways: {names}.")
    for other in cluster.maybe:
        if id(other) not in labels or other is cluster:
            continue  # merged into another entity on stronger evidence
        notes.append(f"Possibly the same person as “{labels[id(other)]}”: the article gives both "
                     "the same title and surname.")
    for name, others in cluster.shared.items():
        others = [labels[id(o)] for o in others if id(o) in labels and o is not cluster]
        if others:
            names = " or ".join(f"“{o}”" for o in others)
            notes.append(f"“{name}” alone is taken to mean this person; it may also mean {names}.")
    return notes


def _entities(clusters: list[Cluster]) -> list[Entity]:
    """Plain entities with stable ids, and mentions numbered in reading order (m1, m2, ...)."""
    clusters.sort(key=lambda c: c.first)
    mention_ids = {id(m): f"m{n}" for n, m in
                   enumerate(sorted((m for c in clusters for m in c.members), key=lambda m: m.start), 1)}
    entities, used = [], set()
    people = _people_names(clusters)
    # Each cluster's label, once: a note about another entity names it as its entity does.
    labels = {id(c): _label(c, people) for c in clusters}
    for cluster in clusters:
        name = labels[id(cluster)]
        country = cluster.members[0].country if cluster.type == "country" else None
        base = country.slug if country else (slugify(name) or cluster.type)
        slug = unused_id(base, used)
        used.add(slug)
        mentions = [Mention(mention_ids[id(m)], m.start, m.end, m.text, m.block.id, m.credit)
                    for m in sorted(cluster.members, key=lambda m: m.start)]
        entities.append(Entity(slug, name, cluster.type, mentions, _notes(cluster, labels),
                               country.code if country else None))
    return entities
