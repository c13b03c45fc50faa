"""Grouping mentions into entities: each merge the issue asks for, and the ones it forbids."""
import re

import pytest

from webapp.analysis import countries
from webapp.analysis.article import Block
from webapp.analysis.grouping import group
from webapp.analysis.recognise import Candidate
from rules_on import every_rule  # noqa: F401  (tests of dropped rules switch them on)


def candidates(text, *marks, kind="paragraph"):
    """Candidates for `marks`: (surface, type[, title]) in order of appearance in `text`."""
    block = Block("b1", kind, 0, len(text))
    found, pos = [], 0
    for surface, kind, *title in marks:
        start = text.index(surface, pos)
        end = start + len(surface)
        country = countries.country_by_name(surface) or countries.country_by_demonym(surface)
        found.append(Candidate(start, end, surface, block, kind,
                               country if kind == "country" else None,
                               title=title[0] if title else ""))
        pos = end
    return found


def entities_by_name(entities):
    return {e.name: [m.text for m in e.mentions] for e in entities}


def test_surname_and_possessive_join_the_full_name():
    text = "Lukas Amaral met reporters. Amaral said little. Amaral's aides agreed."
    ents = group(candidates(text, ("Lukas Amaral", "person"), ("Amaral", "person"),
                            ("Amaral", "person")))
    assert entities_by_name(ents) == {"Lukas Amaral": ["Lukas Amaral", "Amaral", "Amaral"]}


def test_given_name_first_names_join_too():
    text = "Wang Lei arrived. Wang spoke."
    ents = group(candidates(text, ("Wang Lei", "person"), ("Wang", "organization")))
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Wang Lei", "person", 2)]


def test_one_word_typed_organisation_but_grouped_with_a_person_is_a_person():
    text = "Oskar Lindqvist spoke. Lindqvist left."
    ents = group(candidates(text, ("Oskar Lindqvist", "person"), ("Lindqvist", "organization")))
    assert [(e.type, len(e.mentions)) for e in ents] == [("person", 2)]


def test_same_unique_office_different_given_name_is_one_person_with_a_note():
    """Two spellings of one holder of an office only one person holds at a time."""
    text = ("Mayor of Porto Lucas Amaral spoke. Mayor of Porto Lukas Amaral met "
            "Lukas Amaral.")
    ents = group(candidates(text, ("Lucas Amaral", "person", "Mayor of Porto"),
                            ("Lukas Amaral", "person", "Mayor of Porto"),
                            ("Lukas Amaral", "person")))
    assert len(ents) == 1
    assert ents[0].name == "Lukas Amaral"  # the fuller, more frequent spelling
    assert "Lucas Amaral" in ents[0].notes[0] and "Lukas Amaral" in ents[0].notes[0]


def test_same_rank_different_given_name_is_two_people_each_noted():
    """Regression: "Senator Ted Kennedy ... Senator Robert Kennedy" became one person with a
    "spelled two ways" note. A rank many hold at once proves nothing: two people, each noted."""
    text = "Senator Ted Kennedy spoke. Later Senator Robert Kennedy replied."
    ents = group(candidates(text, ("Ted Kennedy", "person", "Senator"),
                            ("Robert Kennedy", "person", "Senator")))
    assert sorted(e.name for e in ents) == ["Robert Kennedy", "Ted Kennedy"]
    notes = {e.name: e.notes for e in ents}
    assert "Possibly the same person as “Robert Kennedy”" in notes["Ted Kennedy"][0]
    assert "Possibly the same person as “Ted Kennedy”" in notes["Robert Kennedy"][0]


def test_a_misspelled_surname_with_the_same_given_name_is_one_person():
    text = "Helena Vasconcelos spoke. Later Helena Vasconselos wrote."
    ents = group(candidates(text, ("Helena Vasconcelos", "person"), ("Helena Vasconselos", "person")))
    assert len(ents) == 1 and ents[0].notes


def test_father_and_son_sharing_a_surname_stay_apart():
    """Different given names and no shared title: two people, not a spelling variant."""
    text = "Joe Biden praised his son. Hunter Biden thanked him."
    ents = group(candidates(text, ("Joe Biden", "person", "President"), ("Hunter Biden", "person")))
    assert sorted(e.name for e in ents) == ["Hunter Biden", "Joe Biden"]
    assert not any(e.notes for e in ents)


def test_two_ministers_sharing_a_surname_stay_apart():
    text = "Foreign Minister Ana Silva met Defence Minister Rui Silva."
    ents = group(candidates(text, ("Ana Silva", "person", "Foreign Minister"),
                            ("Rui Silva", "person", "Defence Minister")))
    assert len(ents) == 2


def test_a_shared_surname_alone_goes_to_the_nearest_person_before_it():
    text = "Joe Biden spoke first. Hunter Biden spoke next. Biden then left."
    ents = group(candidates(text, ("Joe Biden", "person"), ("Hunter Biden", "person"),
                            ("Biden", "person")))
    assert entities_by_name(ents)["Hunter Biden"] == ["Hunter Biden", "Biden"]


@pytest.mark.usefixtures("every_rule")
def test_two_names_in_a_caption_title_become_two_mentions():
    """A caption's title may list two people without a joint ("Amaral Keller")."""
    text = "Amaral Keller"
    people = "Lukas Amaral met Tomas Keller."
    marks = candidates(people + "\n\n" + text, ("Lukas Amaral", "person"), ("Tomas Keller", "person"),
                       ("Amaral Keller", "person"))
    marks[2].block = Block("b2", "caption_title", len(people) + 2, len(people) + 2 + len(text))
    assert entities_by_name(group(marks)) == {"Lukas Amaral": ["Lukas Amaral", "Amaral"],
                                              "Tomas Keller": ["Tomas Keller", "Keller"]}


def test_a_name_made_of_two_surnames_in_running_text_is_not_split():
    """Regression: "Smith Jones, a trader" beside John Smith and Mary Jones was cut into two
    people. Running text gives no reason to split it: it is a third person."""
    text = "John Smith met Mary Jones. Smith Jones, a trader, joined them."
    ents = group(candidates(text, ("John Smith", "person"), ("Mary Jones", "person"),
                            ("Smith Jones", "person")))
    assert sorted(e.name for e in ents) == ["John Smith", "Mary Jones", "Smith Jones"]


def test_a_real_name_made_of_others_parts_is_not_split():
    """"John Smith" beside "John Doe" and "Jane Smith" is a third person, not two fused names."""
    text = "John Doe and Jane Smith met John Smith."
    ents = group(candidates(text, ("John Doe", "person"), ("Jane Smith", "person"),
                            ("John Smith", "person")))
    assert sorted(e.name for e in ents) == ["Jane Smith", "John Doe", "John Smith"]


@pytest.mark.usefixtures("every_rule")
def test_organisation_case_variants_and_suffix_merge():
    text = "the Acme group fought. The Acme Group denied it. Acme said."
    ents = group(candidates(text, ("Acme group", "organization"), ("Acme Group", "organization"),
                            ("Acme", "organization")))
    assert [(e.name, len(e.mentions)) for e in ents] == [("Acme Group", 3)]


@pytest.mark.usefixtures("every_rule")
def test_acronym_joins_its_full_name():
    text = "The Associated Press reported it (Photo: AP)"
    ents = group(candidates(text, ("Associated Press", "organization"), ("AP", "organization")))
    assert [(e.name, len(e.mentions)) for e in ents] == [("Associated Press", 2)]


@pytest.mark.usefixtures("every_rule")
def test_acronym_defined_in_the_text_skips_small_words():
    text = "The Federal Bureau of Investigation (FBI) said the FBI would act."
    ents = group(candidates(text, ("Federal Bureau of Investigation", "organization"),
                            ("FBI", "organization"), ("FBI", "organization")))
    assert [(e.name, len(e.mentions)) for e in ents] == [("Federal Bureau of Investigation", 3)]


def test_countries_and_demonyms_are_one_entity_labelled_by_common_name():
    text = "The US said American firms and U.S. banks would comply."
    ents = group(candidates(text, ("US", "country"), ("American", "country"), ("U.S.", "country")))
    assert [(e.id, e.name, e.code, len(e.mentions)) for e in ents] == \
        [("united-states", "United States", "US", 3)]


def test_ids_are_stable_slugs_and_unique():
    text = "Ana Lee spoke. ANA LEE Group said. Ana Lee left."
    marks = (("Ana Lee", "person"), ("ANA LEE Group", "organization"), ("Ana Lee", "person"))
    first = [e.id for e in group(candidates(text, *marks))]
    assert first == [e.id for e in group(candidates(text, *marks))]
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in first)
    assert len(set(first)) == len(first)


def test_mentions_are_numbered_in_reading_order():
    text = "Rui Costa met Ana Lee. Costa left."
    ents = group(candidates(text, ("Rui Costa", "person"), ("Ana Lee", "person"), ("Costa", "person")))
    ids = {m.text: m.id for e in ents for m in e.mentions}
    assert ids == {"Rui Costa": "m1", "Ana Lee": "m2", "Costa": "m3"}


def test_a_middle_initial_left_out_is_the_same_person_but_two_middles_are_not():
    text = "George W. Bush spoke. George Bush left. George H. W. Bush stayed."
    ents = group(candidates(text, ("George W. Bush", "person"), ("George Bush", "person"),
                            ("George H. W. Bush", "person")))
    assert entities_by_name(ents) == {"George W. Bush": ["George W. Bush", "George Bush"],
                                      "George H. W. Bush": ["George H. W. Bush"]}


@pytest.mark.usefixtures("every_rule")
def test_an_organisation_called_by_its_first_word_joins_it_unless_the_word_is_generic():
    text = "Analysts at Goldman Sachs said so. Goldman added more. The National Trust and National agreed."
    ents = group(candidates(text, ("Goldman Sachs", "organization"), ("Goldman", "organization"),
                            ("National Trust", "organization"), ("National", "organization")))
    assert entities_by_name(ents) == {"Goldman Sachs": ["Goldman Sachs", "Goldman"],
                                      "National Trust": ["National Trust"], "National": ["National"]}


def test_a_surname_with_a_particle_joins_the_full_name():
    text = "Mohammed bin Salman met him. Bin Salman left. Ursula von der Leyen spoke; von der Leyen agreed."
    ents = group(candidates(text, ("Mohammed bin Salman", "person"), ("Bin Salman", "person"),
                            ("Ursula von der Leyen", "person"), ("von der Leyen", "person")))
    assert entities_by_name(ents) == {
        "Mohammed bin Salman": ["Mohammed bin Salman", "Bin Salman"],
        "Ursula von der Leyen": ["Ursula von der Leyen", "von der Leyen"]}


@pytest.mark.usefixtures("every_rule")
def test_a_team_by_the_last_words_of_its_name_joins_it():
    """Class 6 of issue 8: "the Hawks" and "Red Sox" are Lisbon Harbour Hawks and Boston Red Sox;
    a one-word "place" that is a team's last word joins the team too."""
    text = ("Lisbon Harbour Hawks beat Boston Red Sox. The Hawks won; the Red Sox lost. "
            "Hawks fans cheered.")
    ents = group(candidates(text, ("Lisbon Harbour Hawks", "organization"),
                            ("Boston Red Sox", "organization"), ("Hawks", "organization"),
                            ("Red Sox", "organization"), ("Hawks", "place")))
    assert sorted((e.name, len(e.mentions)) for e in ents) == [
        ("Boston Red Sox", 2), ("Lisbon Harbour Hawks", 3)]


def test_the_city_a_team_is_named_after_stays_a_place():
    """Regression: letting one-word places join teams (above) also let the city in a team's
    first word join it: "won in Porto" became a mention of Porto Harbour Hawks."""
    text = "Porto Harbour Hawks won in Porto on Sunday. Porto Harbour Hawks celebrated."
    ents = group(candidates(text, ("Porto Harbour Hawks", "organization"), ("Porto", "place"),
                            ("Porto Harbour Hawks", "organization")))
    assert sorted((e.name, e.type, len(e.mentions)) for e in ents) == [
        ("Porto", "place", 1), ("Porto Harbour Hawks", "organization", 2)]


@pytest.mark.parametrize("text, marks", [
    ("Coastal Studies opened a lab. Students trained in CS for a year.",
     [("Coastal Studies", "organization"), ("CS", "place")]),
    ("She joined the Department of Geosciences after a doctorate in Geosciences.",
     [("Department of Geosciences", "organization"), ("Geosciences", "place")]),
])
def test_a_place_joins_no_organisation_that_only_looks_like_a_team(text, marks):
    """Regression: a one-word "place" joined any organisation whose name ends in a plural, by
    its initials ("CS" for Coastal Studies) or its last word ("Geosciences" for the
    Department of Geosciences), and so became an organisation. Only a team's name, in
    capitals and ending with the place's word, takes it ("the Hawks", above)."""
    ents = group(candidates(text, *marks))
    assert sorted((e.name, e.type, len(e.mentions)) for e in ents) == sorted(
        (name, kind, 1) for name, kind in marks)


def test_a_generic_word_or_a_place_in_an_organisations_name_does_not_join_it():
    """Never a generic word alone ("the University"), nor the place in "Bank of Portugal"."""
    text = "The University of Porto and the Bank of Portugal met. The University agreed. Portugal paid."
    ents = group(candidates(text, ("University of Porto", "organization"),
                            ("Bank of Portugal", "organization"), ("University", "organization"),
                            ("Portugal", "country")))
    assert len(ents) == 4


def test_a_lone_surname_goes_to_the_person_the_article_is_about():
    """Class 4 of issue 8: "Marsh said" after a relative's full name is still the subject,
    named in full far more often, not whichever Marsh came last or first."""
    text = ("Ana Marsh won. Ana Marsh smiled. Her brother Tom Marsh cheered. Ana Marsh thanked "
            "him. Marsh said it was a good day.")
    ents = group(candidates(text, ("Ana Marsh", "person"), ("Ana Marsh", "person"),
                            ("Tom Marsh", "person"), ("Ana Marsh", "person"), ("Marsh", "person")))
    assert entities_by_name(ents)["Ana Marsh"][-1] == "Marsh"
    assert entities_by_name(ents)["Tom Marsh"] == ["Tom Marsh"]


def test_a_lone_surname_shared_by_two_people_is_noted_on_the_entity():
    """When the text does not settle which Marsh is meant, the entity says so."""
    text = "Ana Marsh and Tom Marsh arrived. Marsh said it was a good day."
    ents = group(candidates(text, ("Ana Marsh", "person"), ("Tom Marsh", "person"),
                            ("Marsh", "person")))
    tom = next(e for e in ents if e.name == "Tom Marsh")
    assert [m.text for m in tom.mentions] == ["Tom Marsh", "Marsh"]
    assert any("“Marsh” alone" in note and "Ana Marsh" in note for note in tom.notes)


def test_a_lone_name_is_a_surname_before_it_is_a_given_name():
    """Regression: a surname went to a fused span ("Costa Pereira") named just before it, not to
    the person whose surname it is."""
    text = "Rui Costa spoke. Costa Pereira listened. Costa left first."
    ents = group(candidates(text, ("Rui Costa", "person"), ("Costa Pereira", "person"),
                            ("Costa", "person")))
    assert entities_by_name(ents)["Rui Costa"] == ["Rui Costa", "Costa"]


@pytest.mark.usefixtures("every_rule")
def test_an_organisation_the_text_shows_to_be_a_person_is_a_person():
    """Classes 3 and 9: a person the model tagged ORG everywhere ("Brock Holt") becomes a
    person when the text shows one ("Ana Lima (born 1980)"), and the lone surname follows."""
    text = "Ana Lima\n\nAna Beatriz Lima (born 1980) is a pilot. Lima flew. Ana Lima landed."
    marks = candidates(text, ("Ana Lima", "organization"), ("Ana Beatriz Lima", "organization"),
                       ("Lima", "organization"), ("Ana Lima", "organization"))
    marks[1].personal = True
    ents = group(marks)
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Ana Beatriz Lima", "person", 4)]


def test_an_organisation_named_like_a_person_without_evidence_stays_one():
    """No evidence, no change: "Morgan Stanley" starts with a given name but is a bank."""
    text = "Morgan Stanley said profits rose. Morgan Stanley shares fell."
    ents = group(candidates(text, ("Morgan Stanley", "organization"), ("Morgan Stanley", "organization")))
    assert [(e.name, e.type) for e in ents] == [("Morgan Stanley", "organization")]


def test_one_stray_organisation_tag_among_person_tags_is_the_person():
    """Class 3 of issue 8: "Ada Lovelace's notes" tagged ORG once; the entity is one person."""
    text = "Ada Lovelace wrote. Ada Lovelace's notes survive. Ada Lovelace died young."
    ents = group(candidates(text, ("Ada Lovelace", "person"), ("Ada Lovelace", "organization"),
                            ("Ada Lovelace", "person")))
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Ada Lovelace", "person", 3)]


@pytest.mark.usefixtures("every_rule")
def test_a_fused_span_used_once_is_not_the_label():
    """Class 7: "Okafor Nikon" (Ada Okafor's surname run into the camera's name) must not be
    the label of the entity the article otherwise calls "Nikon"."""
    text = "Ada Okafor bought a Nikon. Okafor Nikon shots sold well. The Nikon broke. Okafor wept."
    ents = group(candidates(text, ("Ada Okafor", "person"), ("Nikon", "organization"),
                            ("Okafor Nikon", "organization"), ("Nikon", "organization"),
                            ("Okafor", "person")))
    names = entities_by_name(ents)
    assert names["Nikon"] == ["Nikon", "Okafor Nikon", "Nikon"]
    assert names["Ada Okafor"] == ["Ada Okafor", "Okafor"]


@pytest.mark.usefixtures("every_rule")
def test_a_longer_name_with_a_place_or_used_twice_stays_the_label():
    """The fused-span rule only drops another person's name: "Porto Harbour Hawks" beside the
    place Porto, and "Keller Hawks" written twice, stay labels."""
    text = "Porto Harbour Hawks won in Porto. The Hawks cheered."
    ents = group(candidates(text, ("Porto Harbour Hawks", "organization"), ("Porto", "place"),
                            ("Hawks", "organization")))
    assert "Porto Harbour Hawks" in entities_by_name(ents)
    text = "Tomas Keller founded Keller Hawks. Keller Hawks and the Hawks won."
    ents = group(candidates(text, ("Tomas Keller", "person"), ("Keller Hawks", "organization"),
                            ("Keller Hawks", "organization"), ("Hawks", "organization")))
    assert entities_by_name(ents)["Keller Hawks"] == ["Keller Hawks", "Keller Hawks", "Hawks"]


@pytest.mark.usefixtures("every_rule")
def test_initials_beat_a_first_word_shared_with_another_organisation():
    """Class 6: "USI" is the University of Southern Indiana's initials; "USI Art Collections"
    also starts with it, which must not leave the initials as an entity of their own."""
    text = ("The University of Southern Indiana opened USI Art Collections. USI said so.")
    ents = group(candidates(text, ("University of Southern Indiana", "organization"),
                            ("USI Art Collections", "organization"), ("USI", "organization")))
    assert entities_by_name(ents) == {"University of Southern Indiana":
                                      ["University of Southern Indiana", "USI"],
                                      "USI Art Collections": ["USI Art Collections"]}


@pytest.mark.usefixtures("every_rule")
def test_a_first_word_still_names_its_only_organisation():
    """"Goldman" alone joins Goldman Sachs when no other organisation's name or initials match."""
    text = "Goldman Sachs rose. Goldman said so."
    ents = group(candidates(text, ("Goldman Sachs", "organization"), ("Goldman", "organization")))
    assert entities_by_name(ents) == {"Goldman Sachs": ["Goldman Sachs", "Goldman"]}


@pytest.mark.usefixtures("every_rule")
def test_initials_of_the_first_words_and_the_rest_name_an_institution():
    """Class 6: "UP Lisbon" is the University of Porto, Lisbon with its first words as
    initials; a short form whose last word differs ("UP Braga") is another institution."""
    text = "The University of Porto, Lisbon opened. UP Lisbon grew. UP Braga did not."
    ents = group(candidates(text, ("University of Porto, Lisbon", "organization"),
                            ("UP Lisbon", "organization"), ("UP Braga", "organization")))
    assert entities_by_name(ents) == {"University of Porto, Lisbon":
                                      ["University of Porto, Lisbon", "UP Lisbon"],
                                      "UP Braga": ["UP Braga"]}


def test_a_surname_with_its_particle_capitalised_joins_the_person():
    """Regression: "De Vries said", at a sentence's start and tagged an organisation, stayed
    its own entity beside "Inge de Vries": a name that opens with a particle is named like a
    person, so it is compared with the people whose surname it is."""
    text = "Inge de Vries led the project. De Vries said work would start."
    ents = group(candidates(text, ("Inge de Vries", "person"), ("De Vries", "organization")))
    assert [(e.name, e.type, len(e.mentions)) for e in ents] == [("Inge de Vries", "person", 2)]


def test_an_organisation_named_with_a_particle_stays_apart_from_other_people():
    """Guards the particle: "De Beers" is no one's surname here."""
    text = "Inge de Vries spoke. De Beers said prices would fall."
    ents = group(candidates(text, ("Inge de Vries", "person"), ("De Beers", "organization")))
    assert {(e.name, e.type) for e in ents} == {("Inge de Vries", "person"), ("De Beers", "organization")}
