"""repeated-agents (issue 15): a name the model does not tag, which the article makes say or
announce something, is found; one word alone that is no known person's name is left alone."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.article import Block
from webapp.analysis.recognise import find_candidates
from webapp.analysis.rules import configured, switched_off


def untagged(nlp, text):
    """What recognise finds in `text` (one paragraph) when the model tags nothing at all."""
    with nlp.select_pipes(disable=["ner"]):
        doc = nlp(text)
    with configured():
        found = find_candidates(text, [Block("b1", "paragraph", 0, len(text))], [doc])
        with switched_off("repeated-agents"):
            without = find_candidates(text, [Block("b1", "paragraph", 0, len(text))], [doc])
    return [(c.text, c.type) for c in found], [(c.text, c.type) for c in without]


def test_a_company_that_speaks_twice_is_found_wherever_it_is_written(nlp):
    text = ("Kilima Gold said on Monday that output rose. Kilima Gold announced a new mine on "
            "Friday. Traders bought Kilima Gold.")
    found, without = untagged(nlp, text)
    assert found == [("Kilima Gold", "organization")] * 3 and without == []


def test_a_name_that_speaks_once_is_left_to_the_model(nlp):
    found, _ = untagged(nlp, "Kilima Gold said on Monday that output rose. Traders bought Kilima Gold.")
    assert found == []


@pytest.mark.parametrize("text", [
    "Rivers said the vote was close. Rivers told reporters she would run again.",
    "Jordan said he would stay. Jordan added that the team was ready.",
])
def test_one_word_that_speaks_is_no_name_unless_a_known_persons(nlp, text):
    found, without = untagged(nlp, text)
    assert found == without == []


def test_a_known_persons_surname_that_speaks_is_that_person(nlp):
    """The model tags "Nora Fairweather" but not "Fairweather said": the surname joins her."""
    text = ('Nora Fairweather runs the port authority. "We will open in May," Fairweather said. '
            "Fairweather added that ships were waiting.")
    with configured(["propagate"]):  # propagate would find the surname anywhere
        with_rule = {e.name: len(e.mentions) for e in analyse(text, nlp).entities}
        with switched_off("repeated-agents"):
            without = {e.name: len(e.mentions) for e in analyse(text, nlp).entities}
    assert with_rule.get("Nora Fairweather") == 3 and without.get("Nora Fairweather") == 1


@pytest.mark.parametrize("text", [
    "Danube Capital said it would buy the port. Danube Capital confirmed the price on Friday.",
    "Apple said the App Store would close early. Apple added that prices would rise.",
    "Belgium's government said the budget was ready. Belgium's government announced cuts.",
])
def test_names_the_model_tags_are_not_changed(nlp, text):
    with configured():
        with_rule = analyse(text, nlp).to_json()["entities"]
        with switched_off("repeated-agents"):
            assert analyse(text, nlp).to_json()["entities"] == with_rule
