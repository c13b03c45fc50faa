"""Country lookups by name, abbreviation, code and demonym."""
import pycountry
import pytest

from webapp.analysis import countries
from webapp.analysis.countries import (
    AMBIGUOUS,
    Country,
    country_by_demonym,
    country_by_name,
    is_ambiguous,
)

# Entries in ISO 3166 that are not UN member states (territories, Taiwan, Palestine,
# the Vatican); everything else must have a demonym, apart from the two noted below.
NOT_UN_MEMBERS = set("""
AW AI AX AS AQ TF BQ BL BM BV CC CK CW CX KY EH FK FO GG GI GP GF GU HK HM IM IO JE MO MF
MP MS MQ YT NC NF NU PN PR PF PS RE GS SH SJ PM SX TC TK TW UM VA VG VI WF GL
""".split())
# "Congolese" and "Dominican" belong to DR Congo and the Dominican Republic.
UN_MEMBERS_WITHOUT_DEMONYM = {"CG", "DM"}


def code_of(country):
    return country.code if country else None


@pytest.mark.parametrize("text, code", [
    ("United States", "US"),
    ("the United States", "US"),
    ("The United States", "US"),
    ("United States of America", "US"),
    ("America", "US"),
    ("America's", "US"),
    ("United Kingdom", "GB"),
    ("the United Kingdom's", "GB"),
    ("Britain", "GB"),
    ("Great Britain", "GB"),
    ("the Netherlands", "NL"),
    ("Holland", "NL"),
    ("Russia", "RU"),
    ("Russian Federation", "RU"),
    ("South Korea", "KR"),
    ("Republic of Korea", "KR"),
    ("North Korea", "KP"),
    ("Democratic People's Republic of Korea", "KP"),
    ("Czech Republic", "CZ"),
    ("Czechia", "CZ"),
    ("Ivory Coast", "CI"),
    ("Côte d'Ivoire", "CI"),
    ("Côte d’Ivoire", "CI"),
    ("Cote d'Ivoire", "CI"),
    ("DR Congo", "CD"),
    ("Democratic Republic of the Congo", "CD"),
    ("Republic of the Congo", "CG"),
    ("United Arab Emirates", "AE"),
    ("Vatican", "VA"),
    ("the Holy See", "VA"),
    ("Iran", "IR"),
    ("Islamic Republic of Iran", "IR"),
    ("Viet Nam", "VN"),
    ("Vietnam", "VN"),
    ("Syrian Arab Republic", "SY"),
    ("Türkiye", "TR"),
    ("Turkiye", "TR"),
    ("Burma", "MM"),
    ("Palestine", "PS"),
    ("Kosovo", "XK"),
    ("Taiwan", "TW"),
    ("Guinea Bissau", "GW"),
    ("St. Lucia", "LC"),
    ("Trinidad & Tobago", "TT"),
    ("Federal Republic of Germany", "DE"),
    ("New Zealand's", "NZ"),
    ("Netherlands'", "NL"),
    ("“Iran,”", "IR"),
    ("(Ukraine)", "UA"),
    ("  Saudi\nArabia ", "SA"),
    ("CHINA", "CN"),
])
def test_names_official_names_and_common_forms(text, code):
    assert code_of(country_by_name(text)) == code


@pytest.mark.parametrize("text, code", [
    ("US", "US"), ("U.S.", "US"), ("U.S", "US"), ("the U.S.", "US"), ("the US", "US"),
    ("USA", "US"), ("U.S.A.", "US"), ("U.S.'s", "US"),
    ("UK", "GB"), ("U.K.", "GB"), ("the UK's", "GB"), ("GB", "GB"),
    ("UAE", "AE"), ("DRC", "CD"), ("DPRK", "KP"), ("PRC", "CN"),
])
def test_abbreviations_with_and_without_dots(text, code):
    assert code_of(country_by_name(text)) == code


@pytest.mark.parametrize("text", [
    "us", "Us", "u.s.", "uk", "Uk", "usa", "uae",
    "turkey", "china", "chad", "jordan", "japan",
    "England", "Scotland", "Wales", "Northern Ireland", "Europe", "Soviet Union",
    "Man", "the", "", "  ", "'s", "CAN", "PER", "FR",
])
def test_lower_case_words_abbreviations_and_non_countries_are_not_countries(text):
    """Guards the case rules: "us" is a pronoun, "turkey" a bird; England is not sovereign."""
    assert country_by_name(text) is None


@pytest.mark.parametrize("text", ["Chad", "Jordan", "Georgia", "Guinea", "Niger", "Turkey",
                                  "Israel", "Jersey", "Cuba", "Holland", "GB"])
def test_names_that_are_also_words_or_people_are_countries_but_flagged(text):
    assert country_by_name(text) is not None
    assert text in AMBIGUOUS
    assert is_ambiguous(text)
    assert is_ambiguous(f"{text}'s") and is_ambiguous(text.upper())


@pytest.mark.parametrize("text", ["China", "Japan", "United States", "US", "Russia",
                                  "France", "Guinea-Bissau", "Papua New Guinea"])
def test_plain_country_names_are_not_flagged(text):
    assert not is_ambiguous(text)


def test_every_ambiguous_entry_names_a_country():
    for text in AMBIGUOUS:
        assert country_by_name(text) or country_by_demonym(text), text


@pytest.mark.parametrize("code, name, slug", [
    ("US", "United States", "united-states"),
    ("GB", "United Kingdom", "united-kingdom"),
    ("RU", "Russia", "russia"),
    ("KR", "South Korea", "south-korea"),
    ("KP", "North Korea", "north-korea"),
    ("IR", "Iran", "iran"),
    ("VN", "Vietnam", "vietnam"),
    ("SY", "Syria", "syria"),
    ("BO", "Bolivia", "bolivia"),
    ("VE", "Venezuela", "venezuela"),
    ("TZ", "Tanzania", "tanzania"),
    ("MD", "Moldova", "moldova"),
    ("LA", "Laos", "laos"),
    ("TW", "Taiwan", "taiwan"),
    ("CZ", "Czech Republic", "czech-republic"),
    ("CI", "Ivory Coast", "ivory-coast"),
    ("TR", "Turkey", "turkey"),
    ("CD", "DR Congo", "dr-congo"),
    ("PS", "Palestine", "palestine"),
    ("VA", "Vatican City", "vatican-city"),
    ("BN", "Brunei", "brunei"),
    ("AX", "Åland Islands", "aland-islands"),
    ("XK", "Kosovo", "kosovo"),
])
def test_display_names_are_what_news_writes(code, name, slug):
    assert countries._get_tables().by_code[code] == Country(code, name, slug)


def test_slugs_are_unique_and_id_safe():
    slugs = [country.slug for country in set(countries._get_tables().by_code.values())]
    # every ISO country less those no reader calls one, and Kosovo
    expected = len(pycountry.countries) - len(countries.NOT_COUNTRIES) + len(countries.EXTRA_COUNTRIES)
    assert len(slugs) == len(set(slugs)) == expected
    assert all(slug and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for slug in slugs)


@pytest.mark.parametrize("word, code", [
    ("Chinese", "CN"), ("Russian", "RU"), ("American", "US"), ("British", "GB"),
    ("Ukrainian", "UA"), ("Brazilian", "BR"), ("Swedish", "SE"), ("Afghan", "AF"),
    ("Syrian", "SY"), ("Iranian", "IR"), ("Israeli", "IL"), ("Palestinian", "PS"),
    ("Saudi", "SA"), ("Saudi Arabian", "SA"), ("Emirati", "AE"), ("South Korean", "KR"),
    ("North Korean", "KP"), ("Filipino", "PH"), ("Philippine", "PH"), ("Dutch", "NL"),
    ("Swiss", "CH"), ("Greek", "GR"), ("Turkish", "TR"), ("Thai", "TH"),
    ("Vietnamese", "VN"), ("Congolese", "CD"), ("Ivorian", "CI"), ("Taiwanese", "TW"),
    ("Kosovar", "XK"), ("Vatican", "VA"), ("Gabonese", "GA"), ("Estonian", "EE"),
    ("Monégasque", "MC"), ("Monegasque", "MC"), ("Bissau-Guinean", "GW"),
    ("SYRIAN", "SY"), ("SOUTH KOREAN", "KR"), ("Afghan's", "AF"), ("“Italian”", "IT"),
])
def test_adjective_demonyms(word, code):
    assert code_of(country_by_demonym(word)) == code


@pytest.mark.parametrize("word", ["Americans", "Afghans", "Britons", "Philippines"])
def test_plural_nouns_are_not_adjectives(word):
    """Guards the engine's reading of "Americans" (people, not an adjective of the country)."""
    assert country_by_demonym(word) is None


@pytest.mark.parametrize("word", [
    "European", "African", "Asian", "Latin", "Arab", "Western", "Muslim", "Jewish",
    "Christian", "Kurdish", "Basque", "Catalan", "Scottish", "Welsh", "English",
    "Northern Irish", "Hispanic", "Persian", "Soviet", "Kiwi", "Brits", "Aussie",
    "Korea", "China", "",
])
def test_words_that_are_not_a_countrys_demonym(word):
    assert country_by_demonym(word) is None


@pytest.mark.parametrize("word", ["chinese", "american", "british", "south korean", "sOUTH kOREAN"])
def test_demonyms_need_a_capital_letter(word):
    assert country_by_demonym(word) is None


def test_every_un_member_and_taiwan_palestine_kosovo_vatican_has_a_demonym():
    with_demonym = {country.code for country in countries._get_tables().by_adjective.values()}
    expected = ({record.alpha_2 for record in pycountry.countries} - NOT_UN_MEMBERS
                - UN_MEMBERS_WITHOUT_DEMONYM) | {"TW", "PS", "XK", "VA"}
    assert len(expected) == 193 - len(UN_MEMBERS_WITHOUT_DEMONYM) + 4
    assert expected - with_demonym == set()


def test_a_demonym_listed_for_two_countries_is_refused(monkeypatch):
    """Guards the table against a copy-paste slip silently moving a demonym."""
    monkeypatch.setattr(countries, "DEMONYMS", "FR French\nBE French")
    with pytest.raises(ValueError, match="French"):
        countries._build_tables()


def test_every_lookup_returns_the_same_object_for_a_country():
    united_states = country_by_name("US")
    assert country_by_name("U.S.") is united_states
    assert country_by_name("United States of America") is united_states
    assert country_by_demonym("American") is united_states
    assert country_by_name("USA") is united_states


def test_country_is_frozen():
    with pytest.raises(AttributeError):
        country_by_name("US").name = "America"


def test_lookups_after_the_first_use_never_go_back_to_pycountry(monkeypatch):
    """Guards speed: the engine calls these for every span, so they must be dict look-ups."""
    country_by_name("US")

    class Unavailable:
        def __getattr__(self, name):
            raise AssertionError(f"pycountry.countries.{name} used during a lookup")

        def __iter__(self):
            raise AssertionError("pycountry.countries iterated during a lookup")

    monkeypatch.setattr(pycountry, "countries", Unavailable())
    assert country_by_name("Russia's").code == "RU"
    assert country_by_name("U.K.").code == "GB"
    assert country_by_demonym("Chinese").code == "CN"
    assert is_ambiguous("Chad")
