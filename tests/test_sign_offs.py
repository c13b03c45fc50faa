"""A wire story's sign-off ("(Reporting by A in Accra; Editing by B)"): its names are people,
its roles are no names (the sign-offs rule, webapp/analysis/parse.sign_off_names)."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.parse import sign_off_names
from webapp.analysis.rules import switched_off


def names_in(text):
    found = sign_off_names(text)
    return found and ([text[s:e] for s, e in found[0]], [text[s:e] for s, e in found[1]])


@pytest.mark.parametrize("text, people, places", [
    ("(Reporting by Terje Solsvik; Editing by Louise Heavens)", ["Terje Solsvik", "Louise Heavens"], []),
    ("(Reporting by Ama Owusu in Accra; Writing by Rachel Moss; Editing by Alex Smith)",
     ["Ama Owusu", "Rachel Moss", "Alex Smith"], ["Accra"]),
    ("Reporting by Ana Lima and Bo Berg in Seoul, Jo Kim in Tokyo; Additional reporting by Li Wei;"
     " Editing by Mark Potter and Jane Merriman",
     ["Ana Lima", "Bo Berg", "Jo Kim", "Li Wei", "Mark Potter", "Jane Merriman"], ["Seoul", "Tokyo"]),
    ("Associated Press writers Jane Doe in Paris and John Roe contributed to this report.",
     ["Jane Doe", "John Roe"], ["Paris"]),
])
def test_a_sign_off_lists_its_people_and_their_places(text, people, places):
    assert names_in(text) == (people, places)


@pytest.mark.parametrize("text", [
    "(Reporting by the Oslo newsroom; Editing by Jan Roe)",  # not a name throughout
    "Reporting by phone, the police said nothing of the kind.",
    "The report was written by Ana Lima, who was in Accra at the time.",
    "(Photo: Reuters)",
])
def test_a_sentence_or_a_credit_is_no_sign_off(text):
    """Guards prose that mentions reporting or writing, and a caption's credit."""
    assert sign_off_names(text) is None


ARTICLE = ("Ghana's central bank held rates on Monday, Governor Ernest Addison said.\n\n"
           "(Reporting by Ama Owusu in Accra; Writing by Rachel Moss; Editing by Alex Smith)")


def test_the_people_of_a_sign_off_are_people_and_its_roles_no_names(nlp):
    types = {e.name: e.type for e in analyse(ARTICLE, nlp).entities}
    assert {name: types.get(name) for name in ("Ama Owusu", "Rachel Moss", "Alex Smith", "Accra")} == {
        "Ama Owusu": "person", "Rachel Moss": "person", "Alex Smith": "person", "Accra": "place"}
    assert not {"Writing", "Editing", "Reporting"} & set(types)
    assert types["Ernest Addison"] == "person"
    with switched_off("sign-offs"):
        # What the model alone makes of it, which the rule mends.
        assert {e.name for e in analyse(ARTICLE, nlp).entities} != set(types)


@pytest.mark.parametrize("text, people", [
    ("By Petra Novak", ["Petra Novak"]),
    ("By Ana Lima and Bo Berg", ["Ana Lima", "Bo Berg"]),
])
def test_a_byline_lists_its_people(text, people):
    assert names_in(text) == (people, [])


@pytest.mark.parametrize("text", [
    "By plane",  # a travel guide's heading
    "By Monday",
    "By Ana Lima, Reuters",  # an agency: left to the model, which names it
    "By the time the police arrived, Ana Lima had gone.",
])
def test_a_heading_a_sentence_or_a_byline_with_an_agency_is_no_byline(text):
    """Guards the byline: full names only, and nothing after them."""
    assert sign_off_names(text) is None


def test_a_bylines_reporter_is_a_person(nlp):
    """The model called the reporter of "By Petra Novak" an organisation, and that vote beat
    the sign-off's person in the entity of both."""
    text = ("Ruling party loses majority\n\nBy Petra Novak\n\nLJUBLJANA, Nov 30 (Reuters) - Slovenia's "
            "ruling party lost its majority on Sunday.\n\n(Reporting by Petra Novak; Editing by Mark Heinrich)")
    types = {e.name: (e.type, len(e.mentions)) for e in analyse(text, nlp).entities}
    assert types["Petra Novak"] == ("person", 2)
    with switched_off("sign-offs"):
        assert {e.name: e.type for e in analyse(text, nlp).entities}.get("Petra Novak") != "person"
