"""Names the model broke apart or the grouping kept apart, and types the article's words settle
(issue 15, found by reading invented wire stories): each shown on invented sentences, with the
sentences the change must leave alone."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.cues import COMMA_KEY, SPANS_KEY
from webapp.analysis.rules import switched_off
from rules_on import every_rule  # noqa: F401  (joined-people is a dropped rule)


def typed(analysis):
    return {(e.name, e.type) for e in analysis.entities}


def entity_of(analysis, mention_text):
    """The name of the entity each mention written `mention_text` belongs to."""
    return {e.name for e in analysis.entities for m in e.mentions if m.text == mention_text}


def test_two_people_the_model_tagged_side_by_side_are_one(nlp, every_rule):
    """joined-people: the model tags "Mirza Fakhrul" and "Islam Alamgir" as two people with
    only a space between them; a reader saw two people where the article names one."""
    text = "The court freed opposition politician Mirza Fakhrul Islam Alamgir on bail."
    assert ("Mirza Fakhrul Islam Alamgir", "person") in typed(analyse(text, nlp))
    with switched_off("joined-people"):
        assert {("Mirza Fakhrul", "person"), ("Islam Alamgir", "person")} <= typed(analyse(text, nlp))


def test_a_possessive_between_two_people_keeps_them_apart(nlp, every_rule):
    """Guards joined-people: "Matthew Vaughn's Kingsman" is a director and his film, which
    the model tags as two people side by side."""
    names = {name for name, _ in typed(analyse("She is filming Matthew Vaughn's Kingsman prequel.", nlp))}
    assert "Matthew Vaughn" in names and not any("Kingsman" in n and "Vaughn" in n for n in names)


@pytest.mark.parametrize("text, joined", [
    ("Ana Lima Bo Berg", ["Ana Lima Bo Berg"]),
    ("Ana Lima, Bo Berg", ["Ana Lima", "Bo Berg"]),
    ("Ana Lima and Bo Berg", ["Ana Lima", "Bo Berg"]),
])
def test_only_people_a_space_apart_are_joined(nlp, text, joined, every_rule):
    from spacy.tokens import Span

    from webapp.analysis.recognise import _joined_names

    doc = nlp.make_doc(text)
    first, last = doc.char_span(0, 8), doc.char_span(len(text) - 7, len(text))
    doc.ents = [Span(doc, first.start, first.end, "PERSON"), Span(doc, last.start, last.end, "PERSON")]
    assert [ent.text for ent in _joined_names(doc)] == joined


def test_a_surname_the_text_defines_as_a_person_joins_the_person_the_model_called_a_place(nlp):
    """lone-names after the cues: the model calls "Alamgir" a place in every sentence but the
    first; "Alamgir, the secretary general of the party" makes it a person, who is the one
    named in full, not a second person called Alamgir."""
    text = ("The court freed opposition politician Mirza Fakhrul Islam Alamgir on bail.\n\n"
            "Alamgir, the secretary general of the Bangladesh Nationalist Party (BNP), was "
            "arrested in October.\n\nAlamgir is expected to leave Keraniganj jail on Monday.")
    analysis = analyse(text, nlp)
    (owner,) = entity_of(analysis, "Alamgir")  # "Islam Alamgir" while joined-people is off
    assert owner.endswith("Islam Alamgir") and (owner, "person") in typed(analysis)
    assert ("Alamgir", "place") not in typed(analysis)


@pytest.mark.parametrize("text, cue", [
    ("Alamgir, the secretary general of the party, was arrested.", ("Alamgir", "person")),
    ("Ortega, a former attorney general, said so.", ("Ortega", "person")),
])
def test_a_title_with_general_after_its_noun_is_a_persons_apposition(nlp, text, cue):
    """comma-appositions: "general" after "secretary" is part of the noun, not a noun of
    its own that goes on from it ("a company executive")."""
    doc = nlp(text)
    assert cue in {(s.text, s.label_) for s in doc.spans[COMMA_KEY]} | {
        (s.text, s.label_) for s in doc.spans[SPANS_KEY]}


@pytest.mark.parametrize("text, name", [
    ("A spokesperson for Lactalis, the French dairy group, declined to comment.", "Lactalis"),
    ("Hamas, the militant group, said it would reply.", "Hamas"),
])
def test_what_the_text_calls_a_group_is_an_organisation(nlp, text, name):
    """"group" is an organisation's noun: "Lactalis, the French dairy group" was a person."""
    assert (name, "organization") in typed(analyse(text, nlp))


def test_a_group_of_things_is_no_organisation(nlp):
    """Guards "group": "a group of islands" describes no organisation."""
    doc = nlp("The Azores, a group of volcanic islands, lie in the Atlantic.")
    assert ("Azores", "organization") not in {(s.text, s.label_) for s in doc.spans[COMMA_KEY]}
    assert ("Azores", "organization") not in {(s.text, s.label_) for s in doc.spans[SPANS_KEY]}


def test_a_datelines_city_takes_no_cue_from_the_sentence_after_it(nlp):
    """Regression: "COPENHAGEN, March 4 (Reuters) - Danish shipping group Maersk lowered" is
    parsed as an apposition of the city, which made Copenhagen an organisation in both its
    mentions."""
    text = ("COPENHAGEN, March 4 (Reuters) - Danish shipping group Maersk lowered its forecast "
            "on Tuesday.\n\nMaersk shares fell 4.2% in Copenhagen.")
    assert ("Copenhagen", "place") in typed(analyse(text, nlp))


@pytest.mark.parametrize("text", [
    "DHAKA, Bangladesh - A court in Dhaka on Sunday ordered the release of an opposition leader.",
    "DHAKA, Bangladesh (AP) - A court in Dhaka on Sunday ordered the release of an opposition leader.",
])
def test_a_dateline_with_its_country_is_a_dateline(nlp, text):
    """dateline: the AP writes the country or state after the city ("DHAKA, Bangladesh -");
    the model's organisation "DHAKA" was left an organisation."""
    found = typed(analyse(text, nlp))
    assert ("Dhaka", "place") in found and not any(kind == "organization" for name, kind in found if name != "AP")


def test_capitals_before_a_name_and_a_dash_are_no_dateline_unless_a_large_city(nlp):
    """Guards the country after a dateline's city: an acronym before a comma, a name and a
    dash is no city ("NATO, Brussels - talks")."""
    text = "NATO, Brussels - talks went on. NATO said it was ready."
    assert ("NATO", "organization") in typed(analyse(text, nlp))


@pytest.mark.parametrize("text, person, surname", [
    ("Belgian Prime Minister Bart De Wever called for calm. De Wever's government is split.",
     "Bart De Wever", "De Wever"),
    ("Former prime minister Herman Van Rompuy spoke. Van Rompuy, who led the council, said so.",
     "Herman Van Rompuy", "Van Rompuy"),
])
def test_a_surname_with_a_capitalised_particle_joins_its_person(nlp, text, person, surname):
    """Regression: "De Wever" was a second person beside "Bart De Wever": particles were
    only known in lower case ("von der Leyen")."""
    assert entity_of(analyse(text, nlp), surname) == {person}


def test_a_surname_two_people_share_joins_neither_into_one(nlp):
    """Regression: "Bin Salman" joined Mohammed bin Salman, and then Prince Khalid bin Salman
    joined them both: two people shown as one entity."""
    text = ("Crown Prince Mohammed bin Salman met the president. Bin Salman also spoke to "
            "Prince Khalid bin Salman, the defence minister.")
    people = [e for e in analyse(text, nlp).entities if e.type == "person"]
    assert len(people) == 2
    assert entity_of(analyse(text, nlp), "Bin Salman") == {"Crown Prince Mohammed bin Salman"}


def test_a_name_the_model_ended_on_and_runs_on_to_its_end(nlp):
    """open-ends: the model tags "The Australian Competition and" and leaves "Consumer
    Commission" out; the reader saw an organisation called "Australian Competition and",
    apart from its abbreviation."""
    text = ("The Australian Competition and Consumer Commission (ACCC) fined the company. "
            "The ACCC said the penalty should warn others.")
    names = {name for name, _ in typed(analyse(text, nlp))}
    assert "Australian Competition and Consumer Commission" in names
    assert "Australian Competition and" not in names
    with switched_off("open-ends"):
        assert "Australian Competition and" in {name for name, _ in typed(analyse(text, nlp))}


def test_a_name_that_ends_on_a_full_word_is_not_run_on(nlp):
    """Guards open-ends: a name the model ended well is not joined to the next one."""
    text = "Officials of Bank of England and Goldman Sachs met in London."
    names = {name for name, _ in typed(analyse(text, nlp))}
    assert not any("England and Goldman" in n for n in names)


def test_a_saints_name_before_an_organisations_head_is_one_name(nlp):
    """possessive-heads: the model tags "St James's" and "University Hospital" apart: two
    organisations for one hospital."""
    text = "She worked at St James's University Hospital for nine years."
    assert ("St James's University Hospital", "organization") in typed(analyse(text, nlp))
    with switched_off("possessive-heads"):
        assert ("University Hospital", "organization") in typed(analyse(text, nlp))


@pytest.mark.parametrize("text, first, joined", [
    ("St James's University Hospital", "St James's", ["St James's University Hospital"]),
    ("Berkeley's Department of Linguistics", "Berkeley's", ["Berkeley's", "Department of Linguistics"]),
    ("Alphabet's Google Cloud", "Alphabet's", ["Alphabet's", "Google Cloud"]),
])
def test_only_a_saints_possessive_joins_the_organisation_after_it(nlp, text, first, joined):
    """Guards possessive-heads: "Berkeley's Department of Linguistics" is a department that
    Berkeley has, two names, as the model may tag them."""
    from spacy.tokens import Span

    from webapp.analysis.recognise import _joined_names

    doc = nlp.make_doc(text)
    a, b = doc.char_span(0, len(first)), doc.char_span(len(first) + 1, len(text))
    doc.ents = [Span(doc, a.start, a.end, "ORG"), Span(doc, b.start, b.end, "ORG")]
    assert [ent.text for ent in _joined_names(doc)] == joined


def test_what_the_text_calls_an_alliance_is_an_organisation(nlp):
    """"alliance" and "coalition" are organisations' nouns: "Gavi, the vaccine alliance" was
    a person."""
    text = "Gavi, the vaccine alliance, said it had shipped 45,000 doses from Geneva."
    assert ("Gavi", "organization") in typed(analyse(text, nlp))


def test_a_country_before_a_teams_role_is_its_team(nlp):
    """national-teams: "India captain Shubman Gill" and "the England coach" show a team as
    "Sweden's goalkeeper" does; India stayed the country in a cricket report."""
    text = ("Rain ended the fourth Test on Monday. India captain Shubman Gill said his side "
            "were confident. Gill said India would win the final Test.")
    analysis = analyse(text, nlp)
    assert ("India (national team)", "organization") in typed(analysis)
    with switched_off("national-teams"):
        assert ("India", "country") in typed(analyse(text, nlp))


def test_a_country_before_a_common_noun_is_still_the_country(nlp):
    """Guards the team's roles: "India coach" is a team only by a team's role, not before
    any noun ("India trade talks")."""
    text = "India trade talks resumed on Monday. India sent a coach of officials to the border."
    found = typed(analyse(text, nlp))
    assert ("India", "country") in found and not any("team" in name for name, _ in found)


def test_antarctica_is_a_place_not_a_country(nlp):
    """ISO 3166 lists Antarctica, which no reader calls a country: it was shown in the
    countries' colour."""
    from webapp.analysis.countries import country_by_name

    assert country_by_name("Antarctica") is None and country_by_name("France") is not None
    found = typed(analyse("Her balloon measurements over Antarctica showed the ozone hole.", nlp))
    assert not any(kind == "country" for _, kind in found)


def test_a_name_ending_in_station_is_a_place(nlp):
    """"Station" ends a place's name as "Square" does: "McMurdo Station" was a person."""
    text = "In 1987 she joined an expedition to McMurdo Station with the chemist Susan Solomon."
    assert ("McMurdo Station", "place") in typed(analyse(text, nlp))


@pytest.mark.parametrize("text, product", [
    ("The iPhone maker could face fines of up to 10% of its turnover.", "iPhone"),
    ("Alphabet's Google was fined over its Android operating system.", "Android"),
])
def test_a_product_named_by_its_maker_or_a_possessive_is_not_highlighted(nlp, text, product):
    """products: "the iPhone maker" names Apple by its product (the head-noun cue had made
    iPhone the organisation), and "its Android operating system" is a product though the
    parser hangs the name on the noun as a modifier (nmod), not a compound."""
    assert product not in {name for name, _ in typed(analyse(text, nlp))}


def test_a_maker_named_after_its_product_noun_is_still_an_organisation(nlp):
    """Guards MAKERS: "iPhone maker Apple" keeps Apple, and "the Labour party" its party."""
    found = typed(analyse("iPhone maker Apple said it would appeal. The Labour party agreed.", nlp))
    assert ("Apple", "organization") in found


def test_a_place_after_shares_in_stays_a_place(nlp):
    """Regression: "Shares in Europe fell" read as a company's shares (the role cue) made
    Europe and London organisations."""
    found = typed(analyse("Shares in Europe fell on Monday. Shares in London rose.", nlp))
    assert {("Europe", "place"), ("London", "place")} <= found


def test_a_stake_in_a_company_still_shows_the_company(nlp):
    """Guards the role cue: "a stake in Kestrel Resources" is a company's."""
    doc = nlp("She holds a 5% stake in Kestrel Resources.")
    assert ("Kestrel Resources", "organization") in {(s.text, s.label_) for s in doc.spans[SPANS_KEY]}


def test_a_companys_short_name_the_model_called_a_person_joins_the_company(nlp):
    """merge-organisations: "Kestrel said" (a person to the model) beside "Kestrel Resources"
    was a second entity, a person."""
    text = "She holds a 5% stake in Kestrel Resources. Kestrel said no."
    assert [(e.name, e.type, len(e.mentions)) for e in analyse(text, nlp).entities] == [
        ("Kestrel Resources", "organization", 2)]


def test_a_surname_that_is_also_a_companys_short_name_stays_the_person(nlp):
    """Guards the short name: "Ford" after "Henry Ford" is the person, not Ford Motors."""
    text = "Henry Ford built cars. Ford Motors grew. Ford said so."
    assert entity_of(analyse(text, nlp), "Ford") == {"Henry Ford"}


@pytest.mark.parametrize("text, name", [
    ("Delegates at COP29 in Baku agreed a new goal. COP29 ended on Sunday.", "COP29"),
])
def test_a_name_with_letters_and_figures_in_one_word_is_no_person(nlp, text, name):
    """digit-names: the model tagged "COP29" a person."""
    assert (name, "person") not in typed(analyse(text, nlp))
    with switched_off("digit-names"):
        assert (name, "person") in typed(analyse(text, nlp))


def test_an_ordinal_in_a_persons_name_leaves_a_person(nlp):
    """Guards digit-names: "the 1st Earl" has figures and letters and is a person."""
    from webapp.analysis.recognise import LETTERS_AND_DIGITS, ORDINAL

    assert LETTERS_AND_DIGITS.search("1st") and ORDINAL.fullmatch("1st")
    assert LETTERS_AND_DIGITS.search("COP29") and not ORDINAL.fullmatch("COP29")


@pytest.mark.parametrize("text, surname, person", [
    ("Jane Smith was detained on Saturday. Ms Smith said she would appeal.", "Smith", "Jane Smith"),
    ("Maria Otieno was detained.\n\nMs Otieno, who has lived in Nairobi since 2019, campaigns.",
     "Otieno", "Maria Otieno"),
])
def test_an_honorific_the_model_ran_into_a_name_is_cut_off(nlp, text, surname, person):
    """honorific-front: the model tags "Ms Smith" whole (it leaves "Mr" out), and "Ms Smith"
    was a second person beside Jane Smith."""
    assert entity_of(analyse(text, nlp), surname) == {person}
    with switched_off("honorific-front"):
        assert ("Ms " + surname, "person") in typed(analyse(text, nlp))


@pytest.mark.parametrize("text, name", [
    ("Pakistan is among the countries most affected, according to Germanwatch, a Bonn-based "
     "think tank.", "Germanwatch"),
    ("Chatham House, a think-tank in London, said so.", "Chatham House"),
])
def test_what_the_text_calls_a_think_tank_is_an_organisation(nlp, text, name):
    """"think tank": "Germanwatch, a Bonn-based think tank" was a person."""
    assert (name, "organization") in typed(analyse(text, nlp))


def test_a_tank_is_no_organisation(nlp):
    """Guards "think tank": "tank" alone says no organisation ("the T-72, a Soviet tank")."""
    doc = nlp("The Leopard, a German tank, was shown at the parade.")
    cued = {(s.text, s.label_) for key in (SPANS_KEY, COMMA_KEY) for s in doc.spans[key]}
    assert not any(kind == "organization" for _, kind in cued)


def test_a_short_name_joins_the_company_its_long_form_joined(nlp):
    """Guards the short name: "Kestrel Resources" joins "Kestrel Resources Group", and
    "Kestrel said" goes with it, not to an entity that was merged away (its mention lost)."""
    text = "Kestrel Resources Group fell. Kestrel Resources rose. Kestrel said no."
    assert [(e.name, len(e.mentions)) for e in analyse(text, nlp).entities] == [("Kestrel Resources Group", 3)]


@pytest.mark.parametrize("text", [
    "Sen. Elizabeth Warren, D-Mass., who has pushed the ban for years, called it a good day.",
    "Rep. Maria Salazar (R-Fla.) said she would vote for it.",
])
def test_a_legislators_party_and_state_is_no_name(nlp, text):
    """party-states: "D-Mass." was a place called "D-Mass"."""
    found = typed(analyse(text, nlp))
    assert not any(name.startswith(("D-", "R-")) for name, _ in found)
    assert any(kind == "person" for _, kind in found)


def test_a_name_with_a_hyphen_after_one_capital_is_left_to_the_model(nlp):
    """Guards party-states: only a party's letter before a state ("A-Rod" is no party)."""
    from webapp.analysis.recognise import PARTY_STATE

    assert not PARTY_STATE.fullmatch("A-Rod") and not PARTY_STATE.fullmatch("X-Men")
    assert PARTY_STATE.fullmatch("D-N.Y.") and PARTY_STATE.fullmatch("R-Mo.")


def test_a_city_that_plays_a_match_is_its_club_wherever_a_sentence_names_it(nlp):
    """club-cities: "Liverpool beat Aston Villa 2-0" made one mention the club, and the model's
    "place" in the headline, the dateline and two sentences outvoted it: the reader saw the
    club as the city. The dateline's city stays the city."""
    text = ("Salah double sends Liverpool top\n\n"
            "LIVERPOOL, England (Reuters) - Mohamed Salah scored twice as Liverpool beat Aston "
            "Villa 2-0 at Anfield on Saturday.\n\n"
            "Liverpool manager Arne Slot praised him. Arsenal are two points behind Liverpool.")
    liverpool = {(e.type, len(e.mentions)) for e in analyse(text, nlp).entities if e.name == "Liverpool"}
    assert ("organization", 4) in liverpool and ("place", 1) in liverpool
    with switched_off("club-cities"):
        assert ("organization", 4) not in {(e.type, len(e.mentions)) for e in analyse(text, nlp).entities
                                           if e.name == "Liverpool"}


def test_a_city_in_an_article_with_no_match_stays_the_city(nlp):
    """Guards club-cities: a coach station is no team's coach, and "Liverpool" stays a place."""
    text = ("Buses left the Liverpool coach station late on Monday. Residents of Liverpool "
            "complained. Liverpool council said it would act.")
    assert not any(e.name == "Liverpool" and e.type == "organization" and len(e.mentions) > 1
                   for e in analyse(text, nlp).entities)
    doc = nlp("Buses left the London coach station late.")
    assert ("London", "team") not in {(s.text, s.label_) for s in doc.spans[SPANS_KEY]}


def test_a_club_that_holds_another_to_a_score_in_the_passive_is_a_club(nlp):
    """person-clubs: "Chelsea were held 1-1 by Brentford" left Brentford a person."""
    text = "Chelsea were held 1-1 by Brentford on Saturday. Brentford are now ninth."
    assert ("Brentford", "organization") in typed(analyse(text, nlp))


def test_a_place_that_holds_people_is_no_club(nlp):
    """Guards the passive result: with no score beside the verb, "held by Moscow" is the city."""
    text = "The prisoners were held by Moscow for ten years, officials in Moscow said."
    assert ("Moscow", "place") in typed(analyse(text, nlp))


def test_a_job_before_a_name_the_model_calls_an_organisation_shows_a_person(nlp):
    """nouns-before: "Chief operating officer Mwila Banda said" was an organisation (the model's
    ORG, and no given name it knows)."""
    text = "Chief operating officer Mwila Banda said the company would pay for the clean-up."
    assert ("Mwila Banda", "person") in typed(analyse(text, nlp))
    with switched_off("nouns-before"):
        assert ("Mwila Banda", "organization") in typed(analyse(text, nlp))


def test_a_company_after_a_job_word_that_heads_its_name_stays_a_company(nlp):
    """Guards the job before a name: a name whose own last word is an organisation's noun
    ("Meridian Group") stays the company."""
    assert ("Meridian Group", "organization") in typed(analyse("Former director Meridian Group said so.", nlp))
