"""Which known names the engine looks for where the model missed them (the propagate rule,
issue 15): the evidence a name must have before it is spread through the article."""
import re
from types import SimpleNamespace

import pytest
from spacy.tokens import Doc

from webapp.analysis import analyse
from webapp.analysis.article import Block
from webapp.analysis.recognise import Candidate, _known_extents, _titled_names, _worth_looking_for
from webapp.analysis.rules import switched_off


def candidate(text: str, kind: str):
    return SimpleNamespace(words=text.split(), type=kind)


def test_a_word_the_model_called_a_person_only_alone_is_not_looked_for():
    """Regression: one lone word the model took for a person (a ship, "Endeavour") was
    spread to every other place the word stood, all of them wrong."""
    found = [candidate("Endeavour", "person")]
    assert _worth_looking_for({("Endeavour",): "person"}, found) == {}


def test_the_surname_and_given_name_of_a_person_named_in_full_are_looked_for():
    found = [candidate("Oskar Lindqvist", "person"), candidate("Lindqvist", "person")]
    known = {("Oskar", "Lindqvist"): "person", ("Lindqvist",): "person", ("Oskar",): "person"}
    assert _worth_looking_for(known, found) == known


def test_an_organisation_that_is_a_named_persons_surname_is_not_looked_for():
    """Regression: "Erik Holm" in full, and "Holm" alone once taken for an organisation:
    every later "Holm" became an organisation."""
    found = [candidate("Erik Holm", "person"), candidate("Holm", "organization")]
    known = {("Erik", "Holm"): "person", ("Holm",): "organization"}
    assert _worth_looking_for(known, found) == {("Erik", "Holm"): "person"}


def test_organisations_not_named_like_people_are_still_looked_for():
    """Must not change: a company's short name ("Meridian" of Meridian Shipping), a
    company named after a river ("Danube Capital"), a one-word company ("Apple")."""
    found = [candidate("Meridian Shipping", "organization"), candidate("Danube Capital", "organization"),
             candidate("Apple", "organization")]
    known = {("Meridian",): "organization", ("Danube", "Capital"): "organization",
             ("Apple",): "organization"}
    assert _worth_looking_for(known, found) == known



def test_a_name_the_model_cut_short_is_the_name_the_article_writes_in_full(nlp):
    """known-extents: the model tags "Tulia" alone, a place, in "Tulia Pay said"; the article
    writes "Tulia Pay, a Kenyan payments start-up" before, so it is Tulia Pay there too."""
    text = ("Tulia Pay, a Kenyan payments start-up, will handle the wages. "
            "Tulia Pay said it was its largest contract.")
    tulia = next(e for e in analyse(text, nlp).entities if e.name == "Tulia Pay")
    assert [m.text for m in tulia.mentions] == ["Tulia Pay", "Tulia Pay"]
    with switched_off("known-extents"):
        assert "Tulia" in [m.text for e in analyse(text, nlp).entities for m in e.mentions]


def test_a_cut_name_is_extended_only_where_the_rest_follows_and_no_other_name_stands():
    """Guards known-extents: "Tulia said" stays "Tulia", and "Kilima" before "Gold", which is
    another candidate, is not grown over it."""
    text = "Tulia Pay grew. Tulia Pay rose. Tulia said so. Kilima Gold fell. Kilima Gold rallied."
    block = Block("b1", "paragraph", 0, len(text))

    def at(word, n, kind):
        start = [m.start() for m in re.finditer(word, text)][n]
        return Candidate(start, start + len(word), word, block, kind)

    found = [at("Tulia Pay", 0, "organization"), at("Tulia", 1, "place"), at("Tulia", 2, "place"),
             at("Kilima Gold", 0, "organization"), at("Kilima", 1, "place"), at("Gold", 1, "person")]
    known = {("Tulia", "Pay"): "organization", ("Kilima", "Gold"): "organization"}
    replaced = dict(_known_extents(text, found, known))
    assert [(c.text, c.type) for c in replaced.values()] == [("Tulia Pay", "organization")]
    assert list(replaced) == [id(found[1])]


def test_a_company_is_known_by_its_name_without_systems_or_solutions(nlp):
    """"Cerebras" is Cerebras Systems, as "Meridian" is Meridian Shipping (SHORT_NAME_TAILS)."""
    text = ("Cerebras Systems, a maker of chips, filed for a listing on Monday. Analysts said "
            "the listing could value Cerebras at $8 billion.")
    cerebras = next(e for e in analyse(text, nlp).entities if e.name == "Cerebras Systems")
    assert [m.text for m in cerebras.mentions] == ["Cerebras Systems", "Cerebras"]


def test_an_energy_company_is_known_by_its_first_word_and_a_person_stays_whole(nlp):
    """"Vantor, which is listed in Oslo" was a person beside Vantor Energy, and "Vantor would
    keep its office" was not found: energy, mining, capital... join SHORT_NAME_TAILS. A
    person's surname after a given name is no company's tail ("Tracey Gold")."""
    text = ("Vantor Energy shares slump\n\nShares in Vantor Energy fell 9% on Monday. Vantor, "
            "which is listed in Oslo, said it would appeal. Aasland said Vantor would keep its "
            "office. The actress Tracey Gold said Tracey had been ill.")
    found = {e.name: [m.text for m in e.mentions] for e in analyse(text, nlp).entities}
    assert found["Vantor Energy"] == ["Vantor Energy", "Vantor Energy", "Vantor", "Vantor"]
    assert "Gold" not in found and "Tracey Gold" in found


BRANDT = ("\"The detours add roughly ten days to every voyage to Rotterdam,\" Chief Executive Solveig "
          "Brandt told analysts on a conference call. Brandt said the company would not resume "
          "Suez Canal transits until insurers lowered war-risk premiums.")


def test_an_untagged_name_after_a_job_title_is_a_person(nlp):
    """titled-names: the model tags nothing in "Chief Executive Solveig Brandt told" and calls
    "Brandt said" an organisation; the title and the given name show the person."""
    people = {e.name: (e.type, len(e.mentions)) for e in analyse(BRANDT, nlp).entities}
    assert people.get("Solveig Brandt") == ("person", 2)
    with switched_off("titled-names"):
        assert "Solveig Brandt" not in {e.name for e in analyse(BRANDT, nlp).entities}


def titled(nlp, words, pos, ents=()):
    """What _titled_names finds in a parse given word by word (no model: what it missed)."""
    doc = Doc(nlp.vocab, words=words, pos=pos, ents=list(ents) or ["O"] * len(words))
    block = Block("b1", "paragraph", 0, len(doc.text))
    return [c.text for c in _titled_names(doc.text, [block], [doc], [len(doc.text)])]


def test_a_given_name_and_a_surname_after_a_title_are_found_untagged(nlp):
    words = ["Chief", "Executive", "Solveig", "Brandt", "told", "analysts", "."]
    pos = ["PROPN", "PROPN", "PROPN", "PROPN", "VERB", "NOUN", "PUNCT"]
    assert titled(nlp, words, pos) == ["Solveig Brandt"]
    lower = ["the", "chief", "executive", "Marta", "Kowalczyk", "said", "so"]
    assert titled(nlp, lower, ["DET", "ADJ", "NOUN", "PROPN", "PROPN", "VERB", "ADV"]) == ["Marta Kowalczyk"]


@pytest.mark.parametrize("words, pos, ents", [
    # A company whose name begins with a given name.
    (["Director", "Grace", "Church", "Foundation", "staff", "met"],
     ["PROPN", "PROPN", "PROPN", "PROPN", "NOUN", "VERB"], []),
    (["Minister", "Jordan", "said", "so"], ["PROPN", "PROPN", "VERB", "ADV"], []),  # one word
    (["Director", "Grace", "Church", "Lane", "opened"],  # the model's entity runs on
     ["PROPN", "PROPN", "PROPN", "PROPN", "VERB"], ["O", "O", "B-FAC", "I-FAC", "O"]),
    (["Shares", "of", "Grace", "Church", "rose"], ["NOUN", "ADP", "PROPN", "PROPN", "VERB"], []),  # no title
])
def test_a_title_before_a_company_a_word_alone_or_a_longer_entity_finds_nothing(nlp, words, pos, ents):
    """Guards titled-names: a company named with a given name first, a given name alone, a
    name inside one the model tagged longer, and a given name after no title."""
    assert titled(nlp, words, pos, ents) == []
