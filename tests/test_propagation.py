"""Which known names the engine looks for where the model missed them (the propagate rule,
issue 15): the evidence a name must have before it is spread through the article."""
from types import SimpleNamespace

from webapp.analysis.recognise import _worth_looking_for


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
