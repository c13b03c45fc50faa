"""Name similarity (issue 16): the order of the "Same as..." list, and which library names
are offered as possibly one person, organisation, country or place. Never namesakes."""
import pytest

from webapp.analysis.article import Entity
from webapp.similar import name_similarity, possibly_same, same_as_order


def test_a_name_held_in_another_or_a_letter_off_reads_alike():
    assert name_similarity("Northgate", "Northgate Minerals Corp.") > 85
    assert name_similarity("Thibodeaux", "Jean-Luc Thibodeau") > 80
    assert name_similarity("Thibodeaux", "Jean-Luc Thibodeau") > name_similarity("Thibodeaux", "Quantica Research")
    assert name_similarity("Sousa Tavira", "Miguel Sousa Tavira") > name_similarity("Sousa Tavira", "Margaret Halvorson")


def test_same_as_lists_the_own_type_first_then_the_likest():
    entity = Entity("thibodeaux", "Thibodeaux", "person")
    others = [Entity("quantica", "Quantica Research", "organization"),
              Entity("kilabuk", "Daniel Kilabuk", "person"),
              Entity("jlt", "Jean-Luc Thibodeau", "person")]
    assert [e.id for e in same_as_order(entity, others)] == ["jlt", "kilabuk", "quantica"]


@pytest.mark.parametrize("a, b", [
    ("Margaret Halvorson", "Margaret Halvorsen"),
    ("Daniel Kilabuk", "Daniel Kilabuck"),
    ("Dr Margaret Halvorson", "Margaret Halvorsen"),
    ("Zoë Ardent", "Zoe Ardant"),
])
def test_people_a_letter_or_two_apart_with_one_given_name_are_offered(a, b):
    assert possibly_same(a, b, "person", "person")


@pytest.mark.parametrize("a, b, why", [
    ("Dana Kovac", "Lena Kovac", "two people one letter apart with different given names"),
    ("Mark Hale", "Mary Hale", "two people one letter apart with different given names"),
    ("Margaret Halvorson", "Margaret Halvorson", "namesakes are never offered"),
    ("Halvorson", "Halvorsen", "a surname alone identifies no one"),
    ("Margaret Halvorson", "Margaret Henderson", "more than two letters apart"),
])
def test_people_who_may_be_different_are_never_offered(a, b, why):
    assert not possibly_same(a, b, "person", "person"), why


def test_other_types_need_the_same_type_and_a_long_enough_name():
    assert possibly_same("Quantica Research", "Quantika Research", "organization", "organization")
    assert not possibly_same("Quantica Research", "Quantika Research", "organization", "place")
    assert not possibly_same("Iran", "Iraq", "country", "country")
