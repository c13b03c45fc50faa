"""Grouping grows with the number of names, not with its square (issues 7 and 11)."""
import itertools
import random

from webapp.analysis import grouping
from webapp.analysis.article import Block
from webapp.analysis.recognise import Candidate

GIVEN = ["Ana", "Rui", "Marta", "Tomas", "Lukas", "Helena", "Oskar", "Ines", "Pedro", "Sofia",
         "Nuno", "Clara", "Joao", "Rita", "Paulo", "Vera", "Hugo", "Lara", "Ivo", "Alma"]


def distinct_names(count, seed=8):
    """`count` distinct "Given Surname" names with made-up surnames, in a fixed order."""
    rng = random.Random(seed)
    consonants, vowels = "bcdfglmnprstvz", "aeiou"
    surnames = set()
    while len(surnames) < count // 4:
        surnames.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(4)).title())
    names = [f"{g} {s}" for s, g in itertools.product(sorted(surnames), GIVEN[:4])]
    rng.shuffle(names)
    return names[:count]


def candidates_for(names):
    text = ". ".join(names) + "."
    block = Block("b1", "paragraph", 0, len(text))
    found, pos = [], 0
    for name in names:
        start = text.index(name, pos)
        found.append(Candidate(start, start + len(name), name, block, "person"))
        pos = start + len(name)
    return found


def test_5000_distinct_names_take_a_bounded_number_of_comparisons(monkeypatch):
    """Regression: every pair of full names was compared (5,000 names took two minutes).
    Only names that share a surname, or a given name and a surname one letter away, are
    compared now: a few per name, where all pairs would be 12.5 million."""
    calls = []
    real = grouping._same_person
    monkeypatch.setattr(grouping, "_same_person", lambda a, b: calls.append(1) or real(a, b))
    names = distinct_names(5000)
    entities = grouping.group(candidates_for(names))
    # Distinct people stay distinct, but for the few made-up surnames one letter apart,
    # which the misspelling rule joins as it should.
    assert len(entities) >= 4900
    assert len(calls) <= 20 * len(names)


def test_comparisons_stay_bounded_as_the_names_double(monkeypatch):
    calls = []
    real = grouping._same_person
    monkeypatch.setattr(grouping, "_same_person", lambda a, b: calls.append(1) or real(a, b))
    grouping.group(candidates_for(distinct_names(1000)))
    small = len(calls)
    calls.clear()
    grouping.group(candidates_for(distinct_names(2000)))
    assert len(calls) <= 2.5 * max(small, 1)


def test_lone_surnames_among_many_people_find_their_person():
    """The surname index must give the same answers as a scan: the nearest person before."""
    names = distinct_names(400)
    target = names[123]
    surname = target.split()[-1]
    text = ". ".join(names) + f". {surname} said."
    block = Block("b1", "paragraph", 0, len(text))
    marks = candidates_for(names)
    start = text.rindex(surname)
    marks.append(Candidate(start, start + len(surname), surname, block, "person"))
    entities = grouping.group([Candidate(m.start, m.end, m.text, block, m.type) for m in marks])
    sharing = [n for n in names if n.endswith(" " + surname)]
    owner = next(e for e in entities if any(m.text == surname for m in e.mentions))
    assert owner.name == max(sharing, key=names.index)
