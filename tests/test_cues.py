"""What the text says a name is (issue 15): the cues component, and the type an entity takes
from all its mentions' cues. Invented sentences only."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.cues import AGE_KEY, BEFORE_KEY, COMMA_KEY, SPANS_KEY
from webapp.analysis.rules import switched_off


def cues(nlp, text):
    doc = nlp(text)
    return {(span.text, span.label_) for span in doc.spans[SPANS_KEY]}


def types(nlp, text):
    return {e.name: e.type for e in analyse(text, nlp).entities}


def test_the_cue_component_runs_in_the_pipeline_with_its_settings_in_the_config(nlp):
    assert "dramatis_cues" in nlp.pipe_names
    assert "river" in nlp.config["components"]["dramatis_cues"]["place_nouns"]


@pytest.mark.parametrize("text, cue", [
    ("Quantica, a Portuguese company, raised money.", ("Quantica", "organization")),
    ("Technisches Hilfswerk, the civil protection agency, helped.", ("Technisches Hilfswerk", "organization")),
    ("Rodrigo Etcheverry, the chief executive, said so.", ("Rodrigo Etcheverry", "person")),
    ("The Inn is a river in Austria.", ("Inn", "place")),
    ("Water flowed from the Gibe III dam.", ("Gibe III", "place")),
    ("She is co-founder of Quantica.", ("Quantica", "organization")),
    ("Orvalho's shares rose.", ("Orvalho", "organization")),
    ("Swahili is a language spoken widely.", ("Swahili", "thing")),
    ("Kenya's national football team, the Harambee Stars, won.", ("Harambee Stars", "organization")),
])
def test_appositions_predicates_heads_and_roles_are_cues(nlp, text, cue):
    assert cue in cues(nlp, text)


def test_a_piece_without_names_gets_empty_cue_groups_and_an_entity_alone_is_still_read(nlp):
    """Guards the shortcut that skips the matcher where no proper noun or entity is (one-word
    lines of a list): such a piece still carries every group, and a tagged noun with no proper
    noun beside it ("COVID-19", tagged a person) is still read."""
    doc = nlp("Yes")
    assert all(len(doc.spans[key]) == 0 for key in (SPANS_KEY, COMMA_KEY, BEFORE_KEY))
    assert ("COVID-19", "disease") in cues(nlp, "Many were infected with COVID-19.")


def test_both_names_before_a_plural_head_are_cued(nlp):
    assert {("Danube", "place"), ("Inn", "place")} <= cues(nlp, "The Danube and Inn rivers rose.")


def test_a_name_without_a_cue_has_none(nlp):
    """Guards against cues from mere closeness: "Jordan said" and "Belgium's government"
    say nothing of what the name is."""
    assert cues(nlp, "Jordan said the plan was good.") == set()
    assert cues(nlp, "Belgium's government resigned on Tuesday.") == set()


def test_an_organisation_the_model_calls_a_person_follows_what_the_text_calls_it(nlp):
    text = ("Quantica, a Portuguese company, raised money on Monday. Quantica said sales rose. "
            "Ana Lima is co-founder of Quantica.")
    assert types(nlp, text).get("Quantica") == "organization"


def test_a_person_called_rivers_and_a_company_called_danube_capital_keep_their_types(nlp):
    """Guards the head-noun cue: a surname like a place noun, or a company named after a
    river, is not made a place."""
    found = types(nlp, "Sergio Rivers, a farmer, said the harvest was late. Rivers said so again. "
                       "Danube Capital, an investment firm, bought the farm.")
    assert found.get("Sergio Rivers") == "person"
    assert found.get("Danube Capital") == "organization"


def test_a_person_named_once_beside_a_place_noun_stays_a_person(nlp):
    """One cue does not outweigh a given name: "the Kennedy airport" leaves John Kennedy a person."""
    found = types(nlp, "John Kennedy spoke on Monday. Kennedy said he would fly from the Kennedy airport.")
    assert found.get("John Kennedy") == "person"


def test_what_the_text_calls_a_language_is_not_highlighted(nlp):
    found = types(nlp, "Swahili is a language spoken in Kenya. Many pupils learn Swahili at school.")
    assert "Swahili" not in found


def test_apple_the_company_stays_beside_the_app_store(nlp):
    found = types(nlp, "Apple's shares rose after Apple said the App Store would change.")
    assert found.get("Apple") == "organization"


@pytest.mark.parametrize("text, cue", [
    ("She was held aboard the cruise ship, Seawind Star, for years.", ("Seawind Star", "thing")),
    # The model tags only "Lima" (as a place): the cue is on the name as the model cut it.
    ("The company's founder, Ana Lima, said so.", ("Lima", "person")),
    ("They met in the nation's capital, Porto Velho, on Monday.", ("Porto Velho", "place")),
])
def test_a_name_in_apposition_after_its_noun_is_cued(nlp, text, cue):
    """The apposition read the other way: the noun first, the name after its comma."""
    assert cue in cues(nlp, text)


@pytest.mark.parametrize("text, name", [
    ("Corvida is a spacecraft that returned in 2006.", "Corvida"),
    ("She was held aboard the cruise ship, Seawind Star, for years.", "Seawind Star"),
])
def test_what_the_text_calls_a_vehicle_is_not_highlighted(nlp, text, name):
    assert name not in types(nlp, text)


@pytest.mark.parametrize("text, name", [
    ("Chancellor Olaf Scholz visited the town on Monday.", "Olaf Scholz"),
    ("Health Minister Susan Nakhumicha said the outbreak was under control.", "Susan Nakhumicha"),
])
def test_a_title_before_a_given_name_shows_a_person(nlp, text, name):
    """The model tags "Olaf Scholz" after "Chancellor" as an organisation."""
    assert any(kind == "person" and name in cued for cued, kind in cues(nlp, text))
    assert types(nlp, text).get(name) == "person"


@pytest.mark.parametrize("text, name", [
    ("General Motors said sales rose on Monday.", "General Motors"),
    ("Shares of General Electric fell.", "General Electric"),
    ("Secretary Street was closed for repairs.", None),
])
def test_a_title_word_inside_a_companys_name_is_no_cue(nlp, text, name):
    """Guards the title cue: it needs a given name after the title."""
    assert not [cue for cue in cues(nlp, text) if cue[1] == "person"]
    if name:
        assert types(nlp, text).get(name) == "organization"


def test_a_titled_person_the_model_called_an_organisation_is_found_by_surname_too(nlp):
    """The person is typed before names are looked for elsewhere: "Scholz said", which the
    model does not tag, is his surname (it was left out while he was an organisation)."""
    text = 'Chancellor Olaf Scholz visited the town of Deggendorf. "We will help," Scholz said.'
    scholz = next(e for e in analyse(text, nlp).entities if e.name == "Olaf Scholz")
    assert scholz.type == "person" and [m.text for m in scholz.mentions] == ["Olaf Scholz", "Scholz"]


@pytest.mark.parametrize("text, cue", [
    ("Lumio was founded in 2014 by two engineers.", ("Lumio", "organization")),
    ("Quantica, founded in 2020, designs chips.", ("Quantica", "organization")),
    ("The town of Bath was flooded.", ("Bath", "place")),
    ("Ships left the port of Rotterdam.", ("Rotterdam", "place")),
])
def test_what_is_founded_is_an_organisation_and_a_town_of_a_place(nlp, text, cue):
    assert cue in cues(nlp, text)


@pytest.mark.parametrize("text, name, kind", [
    ("Rome was founded in 753 BC. Rome is a large city.", "Rome", "place"),
    ("Sara Lindqvist founded Lumio in 2014. Lindqvist said it was hard.", "Sara Lindqvist", "person"),
    ("The University of Bath said exams would go ahead.", "University of Bath", "organization"),
    ("The capital of France is Paris.", "France", "country"),
])
def test_founded_and_town_of_keep_what_they_do_not_describe(nlp, text, name, kind):
    """Guards the "founded" and "town of" cues: a city founded long ago stays a place, a
    founder stays a person (she founded, nothing founded her), a university named after a
    town stays one, and "the capital of" says nothing of its country."""
    assert types(nlp, text).get(name) == kind


def test_a_platform_the_text_shows_to_be_a_company_is_the_company(nlp):
    """An app or platform is no agent ("Safari, the browser"), but one the text says was
    founded is the company of that name: the model tags "Lumio" a person, the apposition
    alone would have left it out."""
    text = ("Lumio, the Swedish music streaming platform, will raise prices, the company said. "
            "Lumio was founded in 2014. Chief financial officer Henrik Wallin said Lumio would "
            "turn a profit.")
    lumio = next(e for e in analyse(text, nlp).entities if e.name == "Lumio")
    assert lumio.type == "organization" and len(lumio.mentions) == 3


def test_a_platform_the_text_says_nothing_else_of_is_not_highlighted(nlp):
    assert "Kestrel" not in types(nlp, "Kestrel, a video platform, shows films for free.")


@pytest.mark.parametrize("text, name, surname", [
    ('Councillor Priya Raman, who proposed the plan, said it was safer. "It is," Raman said.',
     "Priya Raman", "Raman"),
    ("Health Minister Susan Nakhumicha visited the clinic. Nakhumicha said it was full.",
     "Susan Nakhumicha", "Nakhumicha"),
])
def test_a_title_the_model_ran_into_an_organisation_is_cut_off_a_person(nlp, text, name, surname):
    """The model tags "Councillor Priya Raman" as one organisation: it is the person Priya
    Raman, her title cut off, and "Raman" alone is her."""
    person = next(e for e in analyse(text, nlp).entities if e.name == name)
    assert person.type == "person" and surname in [m.text for m in person.mentions]


@pytest.mark.parametrize("text, name", [
    ("King Abdullah University of Science and Technology hosted the talks.",
     "King Abdullah University of Science and Technology"),
    ("General Motors said sales rose on Monday.", "General Motors"),
])
def test_a_title_and_given_name_inside_an_organisations_name_stay_its_name(nlp, text, name):
    """Guards the titled-person cut: not where an organisation's head word ends the name,
    nor where no given name follows the title."""
    assert types(nlp, text).get(name) == "organization"


def test_a_name_the_text_defines_as_a_company_is_one_though_it_starts_with_a_given_name(nlp):
    """"Tulia" is a given name, so one head noun or role would not retype "Tulia Pay" (as
    "Kennedy airport" must not make Kennedy a place); an apposition that defines it does."""
    text = ("Tulia Pay, a Kenyan payments start-up, will handle the wages. "
            "Tulia Pay said it was its largest contract.")
    assert types(nlp, text).get("Tulia Pay") == "organization"


@pytest.mark.parametrize("text, name, kind", [
    ("John Kennedy was president. Flights left John Kennedy airport late.", "John Kennedy", "person"),
    ("The plaintiffs sued Richard Roe, County of Maui, and Scott Teruya.", "Richard Roe", "person"),
])
def test_a_given_name_still_needs_a_definition_in_lower_case(nlp, text, name, kind):
    """Guards the defining cue: a head noun is no definition, nor is a capitalised name in a
    list that the parser reads as an apposition ("County of Maui")."""
    assert types(nlp, text).get(name) == kind


@pytest.mark.parametrize("text, name", [
    ("Kilima Gold said output rose. Kilima Gold will dig deeper.", "Kilima Gold"),
    ("Shares in Orvalho rose 4% in Lisbon.", "Orvalho"),
    ("Andes Mining said it would hire 300 workers.", "Andes Mining"),
])
def test_a_company_word_or_its_shares_make_a_name_an_organisation(nlp, text, name):
    """The model tags "Kilima Gold" a person; "Gold", "Mining", "Capital" end a company's
    name, and "shares in" are a company's."""
    assert types(nlp, text).get(name) == "organization"


@pytest.mark.parametrize("text, name", [
    ("Tracey Gold said the film would open in May.", "Tracey Gold"),
    ("Mark Steel, a comedian, said the show was sold out.", "Mark Steel"),
])
def test_a_person_whose_surname_is_a_company_word_stays_a_person(nlp, text, name):
    """Guards the company words: after a given name, "Gold" and "Steel" are surnames."""
    assert types(nlp, text).get(name) == "person"


@pytest.mark.parametrize("text, name", [
    ("Coups in Mali, Burkina Faso and Niger have toppled elected governments.", "Niger"),
    ("Envoys from Georgia and Armenia met in Brussels.", "Georgia"),
])
def test_a_country_name_that_is_also_a_persons_is_the_country_in_a_list_of_countries(nlp, text, name):
    """The model tags "Niger" a person after "Mali, Burkina Faso and" (listed-countries)."""
    assert types(nlp, text).get(name) == "country"


@pytest.mark.parametrize("text, name, kind", [
    ("Michael Jordan and Scottie Pippen won the title.", "Michael Jordan", "person"),
    ("Jordan said he would stay, and Ana Lima agreed.", "Jordan", "person"),
])
def test_a_person_named_like_a_country_outside_a_list_of_countries_stays_a_person(nlp, text, name, kind):
    """Guards listed-countries: a person listed with a person is no country."""
    assert types(nlp, text).get(name) == kind


def test_a_place_before_an_organisations_noun_says_where_it_is(nlp):
    """"a Silicon Valley maker of chips" made Silicon Valley an organisation by its head noun:
    a name the model tags a place says where the organisation is."""
    text = ("Cerebras Systems, a Silicon Valley maker of chips, filed for a listing. "
            "The Labour party said it would object.")
    found = types(nlp, text)
    assert found.get("Silicon Valley") == "place" and found.get("Cerebras Systems") == "organization"


def test_a_person_the_text_defines_whom_the_model_called_an_organisation_has_her_surname_too(nlp):
    """Regression: the mark that an apposition or "is a" defines a name made "Nadia Rahman is
    the founder of Shiftwise" (the model's organisation) look cued as more than a person, so
    she was typed too late for "Rahman:" in the interview below to be found as her."""
    text = ("Nadia Rahman is the founder of Shiftwise, a London start-up.\n\n"
            "Q: Where did the idea come from?\n\nRahman: My mother was a nurse.")
    rahman = next(e for e in analyse(text, nlp).entities if e.name == "Nadia Rahman")
    assert rahman.type == "person" and [m.text for m in rahman.mentions] == ["Nadia Rahman", "Rahman"]


def test_a_speakers_label_is_no_apposition(nlp):
    """Regression: in an interview, "Okafor: Yoruba and Igbo newspapers." is parsed as an
    apposition, which made the interviewee an organisation (a newspaper) in all five of her
    mentions; a name before a colon is a label, not defined by what follows it."""
    text = ("Amina Okafor spent eleven years on the archive.\n\nQ: What comes next?\n\n"
            "Okafor: Yoruba and Igbo newspapers. Nobody has scanned most of them.")
    assert ("Okafor", "organization") not in cues(nlp, text)
    assert types(nlp, text).get("Amina Okafor") == "person"
    assert ("Quantica", "organization") in cues(nlp, "Quantica, a newspaper, closed.")


@pytest.mark.parametrize("text, name, kind", [
    ("The Douro Valley in northern Portugal is one of the oldest wine regions in the world.",
     "Douro Valley", "place"),  # the model's organisation, by its own last word
    ("Ricki Lake hosted a talk show for years. Lake said she was proud of it.", "Ricki Lake", "person"),
    ("Silicon Valley Bank collapsed in March, and regulators took over.", "Silicon Valley Bank", "organization"),
    ("River Island, the fashion retailer, said sales fell.", "River Island", "organization"),
    ("A woman shared her gels with me, and we ran together to Potsdamer Platz.",
     "Potsdamer Platz", "place"),  # a street's or a square's head too
])
def test_a_natural_places_head_inside_a_name_makes_it_a_place(nlp, text, name, kind):
    """"Valley", "River", "Lake" as a name's own last word (or "Lake", "Mount" as its first)
    make the name a place, not after a given name, not before an organisation's head, not
    against what the text calls it."""
    assert types(nlp, text).get(name) == kind


@pytest.mark.parametrize("text, name, kind", [
    ("Trains leave Porto's São Bento station several times a day. Most visitors come from Porto.",
     "Porto", "place"),  # the model's person, then its place: a city's station
    ("Reefs lie near the mouth of the Amazon, the regulator said.", "Amazon", "place"),
    ("Amazon's shares rose after the mouth of the river flooded.", "Amazon", "organization"),
    ("Ana Lima's station was closed, and Ana Lima said she would appeal.", "Ana Lima", "person"),
])
def test_what_a_place_has_and_the_parts_of_a_place_are_place_cues(nlp, text, name, kind):
    """"Porto's mayor", "Porto's station", "the mouth of the Amazon", "the outskirts of X"
    show a place; a company's shares and a person's name are not changed by them."""
    assert types(nlp, text).get(name) == kind


@pytest.mark.parametrize("text, name, kind", [
    ("Analysts at Jefferies cut their target price to 210 crowns from 260.",
     "Jefferies", "organization"),  # the model's place
    ("Analysts in London said the price was too high, and London traders agreed.", "London", "place"),
])
def test_who_works_at_a_name_shows_an_organisation(nlp, text, name, kind):
    """"analysts at X", "an economist at X" (EMPLOYED_AT, with "at" only: "analysts in
    London" are where they are)."""
    assert types(nlp, text).get(name) == kind


@pytest.mark.parametrize("text, name, kind", [
    ("Adebayo was born in Ibadan, the daughter of a schoolteacher and a railway engineer.",
     "Adebayo", "person"),  # the model's organisation
    ("Okoro grew up in Enugu and studied law.", "Enugu", "place"),  # the model's organisation
    ("Okoro lives in Tema with her husband.", "Okoro", "person"),  # the model's place
    ("Quantica, a Portuguese company, raised money, grew fast and settled a lawsuit.",
     "Quantica", "organization"),  # a company raises money and grows: not a person's life
    ("Waymo, a unit of Alphabet, said it would expand. Alphabet declined to comment.",
     "Alphabet", "organization"),
])
def test_who_is_born_or_lives_where_and_a_unit_of_a_company(nlp, text, name, kind):
    """Who is born, grows up or lives somewhere is a person, and where is a place (LIVED_IN);
    "a unit of", "the venture arm of" a name show an organisation (ROLES_OF)."""
    assert types(nlp, text).get(name) == kind


def test_what_a_copula_says_second_is_not_said_of_its_subject(nlp):
    """Regression: in "Nabukenya is a member of the National Unity Platform (NUP), the party
    led by Bobi Wine", the parser hangs "the party" on "is" as well, which defined the
    activist as an organisation in all four of her mentions."""
    text = ("Sarah Nabukenya fled in 2023. Nabukenya is a member of the National Unity Platform "
            "(NUP), the party led by musician-turned-politician Bobi Wine.")
    assert ("Nabukenya", "organization") not in cues(nlp, text)
    assert types(nlp, text).get("Sarah Nabukenya") == "person"
    assert ("Quantica", "organization") in cues(nlp, "Quantica is a company in Porto.")


def comma_cues(nlp, text):
    doc = nlp(text)
    return {(span.text, span.label_) for span in doc.spans[COMMA_KEY]}


@pytest.mark.parametrize("text, cue", [
    # The tokenizer splits start - up and the parser hangs "up" on the verb: no apposition.
    ("The case began with a complaint from Icera, a British modem start-up later bought by Nvidia.",
     ("Icera", "organization")),
    ("Nordvik, the Oslo-listed tanker operator, cut its forecast.", ("Nordvik", "organization")),
    ("Quantica, a Portuguese start-up designing chips, raised money.", ("Quantica", "organization")),
])
def test_a_name_a_comma_and_a_noun_phrase_are_an_apposition_where_the_parse_misses_it(nlp, text, cue):
    assert cue in comma_cues(nlp, text)


@pytest.mark.parametrize("text", [
    "In Paris, a man said the shops were shut.",  # a new clause's subject
    "After Lisbon, a company executive resigned.",  # "company" modifies the noun after it
    "Muhammad Amin, the first boat rescued on Friday, was turned around.",  # a thing: the parse's word
])
def test_a_comma_before_a_clause_a_modifier_or_a_thing_is_no_apposition(nlp, text):
    """Guards comma-appositions against reading a new clause, a noun that is not the phrase's
    head, or a garbled sentence's thing (which would remove the person) as what a name is."""
    assert comma_cues(nlp, text) == set()


def test_a_hyphenated_noun_before_a_noun_of_its_own_kind_says_nothing(nlp):
    """Guards "Ana Lima, a start-up founder": the founder is a person, not a start-up."""
    assert ("Ana Lima", "organization") not in comma_cues(nlp, "Ana Lima, a start-up founder, said so.")


def test_comma_appositions_type_the_entity(nlp):
    text = ("The case began with a complaint from Icera, a British modem start-up later bought by "
            "Nvidia. A lawyer for Icera welcomed the ruling.")
    assert types(nlp, text)["Icera"] == "organization"
    with switched_off("comma-appositions"):
        assert types(nlp, text)["Icera"] != "organization"


def test_an_adviser_is_a_person_whatever_the_model_says(nlp):
    """The model calls Hernán Quispe an organisation in both mentions; "a former adviser"
    says who he is (adviser, aide, prosecutor and other wire-story nouns are person nouns)."""
    text = ("A Peruvian appeals court on Wednesday ordered the release of Hernán Quispe, a former "
            "adviser to ex-President Ollanta Humala. Quispe's lawyer said he would cooperate.")
    assert types(nlp, text)["Hernán Quispe"] == "person"


def test_an_organisations_noun_right_before_a_name_types_it(nlp):
    """nouns-before: the model calls Odebrecht a person in both mentions; "Brazilian builder
    Odebrecht" says it is a company."""
    text = "Bribes were allegedly paid by Brazilian builder Odebrecht. Odebrecht admitted it in 2016."
    assert types(nlp, text)["Odebrecht"] == "organization"
    with switched_off("nouns-before"):
        assert types(nlp, text)["Odebrecht"] == "person"


def test_a_trade_in_title_case_at_a_names_front_is_cut_off(nlp):
    """nouns-before: the model ran the headline's "Drugmaker" into the company's name, which
    then labelled all its mentions "Drugmaker Halvorsen"."""
    text = ("Drugmaker Halvorsen recalls blood pressure pills\n\nShares in Halvorsen, which makes a "
            "fifth of its sales from the drug, fell 8.4 percent. Halvorsen Pharma kept its forecast.")
    found = {e.name: [m.text for m in e.mentions] for e in analyse(text, nlp).entities}
    assert found["Halvorsen Pharma"] == ["Halvorsen", "Halvorsen", "Halvorsen Pharma"]
    with switched_off("nouns-before"):
        assert "Drugmaker Halvorsen" in {e.name for e in analyse(text, nlp).entities}


@pytest.mark.parametrize("text, name", [
    ("The central bank of Malaysia, Bank Negara Malaysia, said inflation eased.", "Bank Negara Malaysia"),
    ("Airline Ryanair said fares would rise.", "Ryanair"),
])
def test_a_trade_that_begins_no_name_is_cut_off_and_one_that_may_is_kept(nlp, text, name):
    """Guards the trades' list: "Bank" begins names ("Bank Negara Malaysia"), "Airline" none."""
    assert types(nlp, text).get(name) == "organization"


@pytest.mark.parametrize("text, name", [
    ("The iPhone made market leader Apple rich.", "Apple"),  # a person's noun: no cue
    ("Arsenal are three points behind leaders Liverpool.", "Liverpool"),  # plural
])
def test_a_persons_or_a_plural_noun_before_a_name_says_nothing(nlp, text, name):
    """Guards nouns-before: "leader" comes before companies and clubs as often as people."""
    doc = nlp(text)
    assert not any(span.text == name for span in doc.spans[BEFORE_KEY])


@pytest.mark.parametrize("text, name", [
    ("Dallas Reed, 34, said she had lost her home.", "Dallas Reed"),
    ("Amara Okonkwo, 52, a market trader in Onitsha, said prices had doubled.", "Amara Okonkwo"),
])
def test_an_age_in_commas_after_a_full_name_shows_a_person(nlp, text, name):
    """ages: the model calls both of them organisations; the age is how news says a person."""
    assert types(nlp, text)[name] == "person"
    with switched_off("ages"):
        assert types(nlp, text)[name] == "organization"


@pytest.mark.parametrize("text", [
    "Arsenal, 3, and Chelsea, 2, lead the table.",  # counts in a list
    "Kenya, 12, and Uganda, 9, won the most medals.",
    "Reed, 34, said she had lost her home.",  # one word: left to the model and the article
    "The Nordvik Tanker, 2019, is moored in Oslo.",  # a year is no age
])
def test_a_count_a_year_or_a_word_alone_before_commas_is_no_age(nlp, text):
    """Guards ages against lists of counts, places, years and a surname alone."""
    doc = nlp(text)
    assert len(doc.spans[AGE_KEY]) == 0
