"""Abbreviations the text defines (issue 15): the component that finds their long forms, and
what the analysis makes of them. Invented sentences only."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.abbreviations import NAME, SPANS_KEY, TERM, _long_form_start, letters
from rules_on import every_rule  # noqa: F401  (tests of dropped rules switch them on)


def defined(nlp, text):
    doc = nlp(text)
    return [(s.text, s.label_, s.kb_id_) for s in doc.spans[SPANS_KEY]]


@pytest.mark.parametrize("short, text, start", [
    ("WHO", "the World Health Organization", 4),
    ("CFL", "households bought compact fluorescent lamps", 18),
    ("NHS", "at the National Health Service", 7),
])
def test_the_long_form_is_the_fewest_words_that_spell_the_abbreviation(short, text, start):
    assert _long_form_start(short, text) == start


def test_no_long_form_when_the_words_do_not_spell_it():
    assert _long_form_start("XYZ", "the harbour authority") is None


def test_a_plural_s_is_not_a_letter_to_spell():
    assert letters("CFLs") == "CFL" and letters("NGOs") == "NGO" and letters("IBS") == "IBS"


def test_names_and_terms_are_told_apart(nlp):
    assert defined(nlp, "Households bought compact fluorescent lamps (CFLs) last year.") == [
        ("compact fluorescent lamps", TERM, "CFLs")]
    assert defined(nlp, "The Harbour Safety Board (HSB) met.") == [("Harbour Safety Board", NAME, "HSB")]


def test_brackets_that_define_nothing_are_left_alone(nlp):
    assert defined(nlp, "He joined the party (PSD) in 2001.") == []


def mentions_of(analysis, text):
    return next(e for e in analysis.entities if text in {m.text for m in e.mentions})


@pytest.mark.usefixtures("every_rule")
def test_an_abbreviation_defined_as_a_name_joins_its_long_form(nlp):
    """Guards the grouping of "(FSAL)" with its long form, which the model may never tag."""
    text = ("Food Standards Australia Lusitania (FSAL) said on Monday that imports would be "
            "checked. FSAL inspectors will visit ports. Later, FSAL said no.")
    entity = mentions_of(analyse(text, nlp), "FSAL")
    assert entity.name == "Food Standards Australia Lusitania" and entity.type == "organization"
    assert [m.text for m in entity.mentions].count("FSAL") == 3


@pytest.mark.usefixtures("every_rule")
def test_a_long_form_the_model_cut_in_two_is_one_name(nlp):
    text = ("The Maritime Safety Agency of Portugal (MSAP) said on Monday that ships would be "
            "checked. The MSAP will inspect them.")
    analysis = analyse(text, nlp)
    assert mentions_of(analysis, "MSAP").name == "Maritime Safety Agency of Portugal"
    assert "Portugal" not in {e.name for e in analysis.entities}


@pytest.mark.usefixtures("every_rule")
def test_an_abbreviation_defined_as_a_term_is_not_an_organisation(nlp):
    text = ("Offices replaced bulbs with compact fluorescent lamps (CFLs). CFLs use less power, "
            "and the Harbour Safety Board said CFLs are safe.")
    names = {m.text for e in analyse(text, nlp).entities for m in e.mentions}
    assert "CFLs" not in names and "Harbour Safety Board" in names


@pytest.mark.usefixtures("every_rule")
def test_a_capitalised_concepts_abbreviation_is_not_found_where_the_model_never_tagged_it(nlp):
    """Regression (defined-names): "Geographic Information Systems (GIS)", which the model
    may tag as an organisation, made every "GIS" an organisation; an abbreviation is found
    wherever it stands only if the model took it for a name somewhere itself."""
    text = ("In this article, we propose mutation operators specific to the domain of "
            "Geographic Information Systems (GIS) applications. The operators change GIS "
            "layers. We test them on GIS software.")
    found = {m.text for e in analyse(text, nlp).entities for m in e.mentions}
    assert "GIS" not in found
