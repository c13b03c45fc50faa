"""The large-places rule: a name the model took for a person that is a large city's or a US
state's is that place, unless the article shows a person (webapp/analysis/places.py)."""
import pytest

from test_cues import types

from webapp.analysis import analyse
from webapp.analysis.article import Block
from webapp.analysis.places import is_large_place
from webapp.analysis.recognise import Candidate, _large_places
from webapp.analysis.rules import switched_off


def test_large_cities_and_us_states_are_known_with_or_without_accents():
    assert is_large_place("Łódź") and is_large_place("Dakar") and is_large_place("Sao Paulo")
    assert is_large_place("São Paulo") and is_large_place("Nebraska")
    # A town of a few thousand is no evidence: too many surnames are one somewhere.
    assert not is_large_place("Ballycastle") and not is_large_place("Obama")


@pytest.mark.parametrize("text, name", [
    ("Łódź has been battling rising unemployment since the mills closed.", "Łódź"),
    ("Dakar hosted the summit, and delegates praised Dakar for its calm.", "Dakar"),
    # "Goma" is also listed as a given name; alone, and where a place stands, it is the city.
    ("WHO officials visited Goma on Tuesday. Fighting near Goma has displaced thousands.", "Goma"),
])
def test_a_large_city_the_model_calls_a_person_is_a_place(nlp, text, name):
    assert types(nlp, text)[name] == "place"
    with switched_off("large-places"):
        assert types(nlp, text)[name] == "person"  # what the model says


@pytest.mark.parametrize("text, name", [
    ("Houston told reporters she was tired, hours after Whitney Houston sang at the gala.",
     "Whitney Houston"),
    ("Joaquin Phoenix was not available. Phoenix has said little about the film.", "Joaquin Phoenix"),
    ("\"I never wanted this,\" Victoria told her brother.", "Victoria"),
    ("Her daughter Sydney was born in March.", "Sydney"),
])
def test_a_city_that_is_a_persons_name_here_stays_a_person(nlp, text, name):
    """Guards people named like cities: a surname after a given name somewhere in the article
    (whichever comes first), and a given name that is also a city."""
    found = types(nlp, text)
    assert found[name] == "person"
    assert "place" not in found.values()


def _typed_by_large_places(text, spans):
    """The types `_large_places` leaves on candidates at `spans` (start, end, model type)."""
    block = Block("b1", "paragraph", 0, len(text))
    found = [Candidate(start, end, text[start:end], block, kind) for start, end, kind in spans]
    _large_places(text, found)
    return [c.type for c in found]


def test_a_city_after_a_given_name_anywhere_in_the_article_is_a_surname():
    """Guards a surname that is a large city's when the model tagged only the surname: "Bolton"
    stays a person wherever "Marta Bolton" stands, tagged or not."""
    text = "Bolton said the talks failed. Marta Bolton flew home."
    assert _typed_by_large_places(text, [(0, 6, "person")]) == ["person"]
    alone = "Bolton said the talks failed. The delegation flew home."
    assert _typed_by_large_places(alone, [(0, 6, "person")]) == ["place"]


def test_a_lone_given_name_that_is_a_city_is_a_place_only_where_a_place_stands():
    """Guards people called by a given name that is a city's: "Goma" near which fighting is
    is the city, but not where the article also writes "Goma Mensah", nor when no mention
    stands after "in" or "near" (Victoria who told her brother)."""
    text = "Goma is calm. Fighting near Goma stopped."
    spans = [(0, 4, "person"), (28, 32, "person")]
    assert _typed_by_large_places(text, spans) == ["place", "place"]
    named = "Goma is calm. Fighting near Goma stopped, Goma Mensah said."
    assert _typed_by_large_places(named, spans) == ["person", "person"]
    told = "Victoria told her brother. Victoria left."
    assert _typed_by_large_places(told, [(0, 8, "person"), (27, 35, "person")]) == ["person", "person"]


def test_a_city_the_model_calls_an_organisation_as_often_as_a_person_is_left_alone():
    """Guards clubs and councils named after their city ("Leeds beat Wigan")."""
    text = "Leeds said no. Leeds signed him. Leeds won."
    spans = [(0, 5, "person"), (15, 20, "organization"), (33, 38, "organization")]
    assert _typed_by_large_places(text, spans) == ["person", "organization", "organization"]


def test_a_large_city_where_a_place_stands_stays_a_place_beside_a_person_of_its_name(nlp):
    """located-places: "Tom Austin" made every "Austin" his surname, "the court in Austin" too."""
    text = "Dallas's lawyer, Tom Austin, said she would appeal to the Texas Supreme Court in Austin."
    found = {(e.name, e.type, len(e.mentions)) for e in analyse(text, nlp).entities}
    assert {("Tom Austin", "person", 1), ("Austin", "place", 1)} <= found
    with switched_off("located-places"):
        assert ("Tom Austin", "person", 2) in {(e.name, e.type, len(e.mentions))
                                               for e in analyse(text, nlp).entities}


def test_a_case_cited_in_a_courtroom_is_no_place():
    """Guards located-places: "in Clements and Clements" (a case) names no large city, so the
    place the model saw there is not kept against the people called Clements."""
    assert not is_large_place("Clements")


def test_one_place_however_its_mentions_were_first_typed(nlp):
    """A name the model called a person once and a place once, which the cues make a place
    ("Lübeck was its leading city"), is one place, not two."""
    text = ("Lübeck was its leading city. Other members included Hamburg and Bremen.\n\n"
            "Its assembly, the Hanseatic Diet, met irregularly in Lübeck.")
    places = [(e.name, len(e.mentions)) for e in analyse(text, nlp).entities if e.name == "Lübeck"]
    assert places == [("Lübeck", 2)]


def test_a_large_city_the_model_calls_an_organisation_where_a_place_stands_is_a_place(nlp):
    """org-cities: "fell 8.4 percent in Copenhagen" made the model's Copenhagen a company."""
    text = "Shares in Halvorsen, which makes a fifth of its sales from the drug, fell 8.4 percent in Copenhagen."
    assert types(nlp, text)["Copenhagen"] == "place"
    with switched_off("org-cities"):
        assert types(nlp, text)["Copenhagen"] == "organization"  # what the model says


@pytest.mark.parametrize("text, spans", [
    # No mention where a place stands: a company or a scheme named like a city.
    ("Toyota said sales rose. Toyota hired 300 people.", [(0, 6), (24, 30)]),
    # Sport: a club named after its city.
    ("Fans in Leeds cheered. Leeds won the league.", [(8, 13), (23, 28)]),
    # The city alone as an organisation's short name ("in Helsinki" of its university).
    ("She taught at the University of Helsinki. Colleagues in Helsinki praised her.", [(18, 40), (55, 63)]),
])
def test_a_city_the_model_calls_an_organisation_stays_one_without_a_place_or_in_sport(text, spans):
    """Guards org-cities: companies (Toyota is a city of 400,000), clubs, and universities."""
    assert _typed_by_large_places(text, [(s, e, "organization") for s, e in spans]) == ["organization"] * len(spans)
    located = "Workers in Toyota cheered. Toyota grew."
    assert _typed_by_large_places(located, [(11, 17, "organization"), (27, 33, "organization")]) == ["place"] * 2
