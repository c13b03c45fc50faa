"""Which country a name, abbreviation, code or demonym in an article refers to."""
from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass

import pycountry

from .article import slugify
from .names import clean, fold_accents


@dataclass(frozen=True)
class Country:
    """A country as the reader sees it: ISO code, the name English news uses, an id slug."""

    code: str  # ISO 3166-1 alpha-2, "US"; "XK" for Kosovo
    name: str  # "United States", "Russia", "Ivory Coast"
    slug: str  # "united-states"


# Display names where pycountry's name (or common_name) is not what English news writes:
# AP, Reuters and the BBC still say "Turkey", "Czech Republic", "Ivory Coast", "East Timor".
DISPLAY_NAMES = {
    "BN": "Brunei",
    "CD": "DR Congo",
    "CG": "Republic of the Congo",
    "CI": "Ivory Coast",
    "CV": "Cape Verde",
    "CZ": "Czech Republic",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "MF": "Saint Martin",
    "MO": "Macau",
    "PS": "Palestine",
    "RU": "Russia",
    "SX": "Sint Maarten",
    "TL": "East Timor",
    "TR": "Turkey",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "US Virgin Islands",
}

# In ISO 3166 but no country a reader would call one: Antarctica is a continent, governed by
# treaty, and stays a place ("balloon measurements over Antarctica").
NOT_COUNTRIES = frozenset({"AQ"})

# Kosovo is not in ISO 3166; XK is the code the EU, IMF and Unicode CLDR use for it.
EXTRA_COUNTRIES = (("XK", "XKX", "Kosovo", ("Republic of Kosovo",)),)

# Names news uses that pycountry lacks; they win over pycountry's own names, which is
# how "Congo" (pycountry: the Republic) means DR Congo, the one news usually means.
OTHER_NAMES = {
    "BA": ("Bosnia",),
    "CD": ("DR Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo",
           "Congo-Kinshasa", "Congo"),
    "CG": ("Republic of Congo", "Congo-Brazzaville"),
    "CI": ("Cote d'Ivoire",),
    "CV": ("Cabo Verde",),
    "CZ": ("Czech Republic", "Czechia"),
    "FK": ("Falklands",),
    "FM": ("Micronesia",),
    "GB": ("Britain", "Great Britain"),
    "IE": ("Republic of Ireland", "Eire"),
    "KR": ("Korea", "Republic of Korea"),  # bare "Korea" in news is nearly always the South
    "MK": ("Macedonia",),
    "MM": ("Burma",),
    "MO": ("Macau",),
    "NL": ("Holland",),
    "PS": ("Palestine", "State of Palestine", "Palestinian territories"),
    "SZ": ("Swaziland",),
    "TL": ("Timor-Leste",),
    "TR": ("Turkiye",),
    "TW": ("Republic of China",),
    "US": ("America", "United States of America"),
    "VA": ("Vatican", "Vatican City", "Holy See", "Vatican City State"),
}

# Short forms that count only as written in capitals: "US" is the country, "us" is not.
# Dots are dropped before lookup, so "U.S.", "U.S" and "US" are one key. Left out on
# purpose: ISO alpha-2/alpha-3 codes in general (CAN, PER, BEN are words), "CAR", "PNG".
ABBREVIATIONS = {
    "US": "US", "USA": "US", "UK": "GB", "GB": "GB", "UAE": "AE", "DRC": "CD",
    "PRC": "CN", "ROK": "KR", "DPRK": "KP", "NZ": "NZ", "BiH": "BA",
}

# Countries whose name (or demonym) is also a common word, a given name or surname, or
# another place, in the forms readers see them; the engine should trust these only when
# spaCy also tagged the span (GPE for names, NORP for demonyms). "China" and "Japan" are
# not here: their lower-case words never match, because names need a capital letter.
AMBIGUOUS = frozenset({
    "Chad", "Jordan", "Israel", "Cuba",             # given names
    "Holland",                                       # surname
    "Georgia", "Georgian",                           # the US state
    "Jersey", "Guernsey",                            # New Jersey; cattle, sweaters
    "Guinea", "Niger",                               # New Guinea; the Niger river and delta
    "Turkey", "Panama", "Reunion",                   # bird, hat, a gathering
    "GB",                                            # gigabytes
    "Dominican",                                     # the religious order
    "Central African", "Micronesian", "Macedonian",  # regions, not only the country
})

# Adjective demonyms for every UN member plus Taiwan, Palestine, Kosovo and the Vatican.
# Left out: informal forms (Brits, Aussie, Kiwi); "Congolese" is DR Congo's alone and
# "Dominican" the Dominican Republic's, which leaves the Republic of the Congo and
# Dominica without one. Scottish, Welsh, English and Northern Irish are not here: they
# name constituent nations of the UK (and "English" is mostly the language).
DEMONYMS = """
AF Afghan
AL Albanian
DZ Algerian
AD Andorran
AO Angolan
AG Antiguan, Barbudan
AR Argentine, Argentinian
AM Armenian
AU Australian
AT Austrian
AZ Azerbaijani, Azeri
BS Bahamian
BH Bahraini
BD Bangladeshi
BB Barbadian
BY Belarusian
BE Belgian
BZ Belizean
BJ Beninese
BT Bhutanese
BO Bolivian
BA Bosnian
BW Botswanan
BR Brazilian
BN Bruneian
BG Bulgarian
BF Burkinabe
BI Burundian
CV Cape Verdean
KH Cambodian
CM Cameroonian
CA Canadian
CF Central African
TD Chadian
CL Chilean
CN Chinese
CO Colombian
KM Comoran, Comorian
CD Congolese
CR Costa Rican
CI Ivorian
HR Croatian
CU Cuban
CY Cypriot
CZ Czech
DK Danish
DJ Djiboutian
DO Dominican
EC Ecuadorian, Ecuadoran
EG Egyptian
SV Salvadoran, Salvadorean
GQ Equatorial Guinean, Equatoguinean
ER Eritrean
EE Estonian
SZ Swazi
ET Ethiopian
FJ Fijian
FI Finnish
FR French
GA Gabonese
GM Gambian
GE Georgian
DE German
GH Ghanaian
GR Greek
GD Grenadian
GT Guatemalan
GN Guinean
GW Bissau-Guinean
GY Guyanese
HT Haitian
HN Honduran
HU Hungarian
IS Icelandic
IN Indian
ID Indonesian
IR Iranian
IQ Iraqi
IE Irish
IL Israeli
IT Italian
JM Jamaican
JP Japanese
JO Jordanian
KZ Kazakh, Kazakhstani
KE Kenyan
KI I-Kiribati
KW Kuwaiti
KG Kyrgyz
LA Lao, Laotian
LV Latvian
LB Lebanese
LS Basotho
LR Liberian
LY Libyan
LI Liechtensteiner
LT Lithuanian
LU Luxembourgish
MG Malagasy
MW Malawian
MY Malaysian
MV Maldivian
ML Malian
MT Maltese
MH Marshallese
MR Mauritanian
MU Mauritian
MX Mexican
FM Micronesian
MD Moldovan
MC Monegasque, Monacan
MN Mongolian
ME Montenegrin
MA Moroccan
MZ Mozambican
MM Burmese
NA Namibian
NR Nauruan
NP Nepali, Nepalese
NL Dutch
NZ New Zealand
NI Nicaraguan
NE Nigerien
NG Nigerian
KP North Korean
MK North Macedonian, Macedonian
NO Norwegian
OM Omani
PK Pakistani
PW Palauan
PA Panamanian
PG Papua New Guinean
PY Paraguayan
PE Peruvian
PH Filipino, Filipina, Philippine
PL Polish
PT Portuguese
QA Qatari
RO Romanian
RU Russian
RW Rwandan
KN Kittitian, Nevisian
LC Saint Lucian
VC Vincentian
WS Samoan
SM Sammarinese
ST Sao Tomean
SA Saudi, Saudi Arabian
SN Senegalese
RS Serbian
SC Seychellois
SL Sierra Leonean
SG Singaporean
SK Slovak
SI Slovenian, Slovene
SB Solomon Islander
SO Somali, Somalian
ZA South African
KR South Korean, Korean
SS South Sudanese
ES Spanish
LK Sri Lankan
SD Sudanese
SR Surinamese
SE Swedish
CH Swiss
SY Syrian
TJ Tajik, Tajikistani
TZ Tanzanian
TH Thai
TL Timorese, East Timorese
TG Togolese
TO Tongan
TT Trinidadian, Tobagonian
TN Tunisian
TR Turkish
TM Turkmen
TV Tuvaluan
UG Ugandan
UA Ukrainian
AE Emirati
GB British
US American
UY Uruguayan
UZ Uzbek, Uzbekistani
VU Ni-Vanuatu
VE Venezuelan
VN Vietnamese
YE Yemeni
ZM Zambian
ZW Zimbabwean
TW Taiwanese
PS Palestinian
XK Kosovar, Kosovan
VA Vatican
"""

_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SAINT = re.compile(r"^st\s+")


@dataclass(frozen=True)
class _Tables:
    by_code: dict[str, Country]  # alpha-2 and alpha-3, upper case
    by_name: dict[str, Country]  # folded name keys, see _name_key()
    by_abbreviation: dict[str, Country]  # exact, dots removed
    by_adjective: dict[str, Country]  # exact, accents folded
    ambiguous: frozenset[str]  # folded name keys and exact demonyms
    first_words: frozenset[str]  # the first word of every name, abbreviation and demonym


_tables: _Tables | None = None
_lock = threading.Lock()


def country_by_name(text: str) -> Country | None:
    """The country a name in the text means: "the United States", "U.S.", "Russia's".

    Abbreviations count only in capitals ("US", not "us"); full names match in any
    case but must start with a capital, so "turkey" and "china" are not countries.
    """
    tables = _get_tables()
    name = clean(text)
    if not name:
        return None
    country = tables.by_abbreviation.get(name.replace(".", ""))
    if country is not None or not name[0].isupper():
        return country
    return tables.by_name.get(_name_key(name))


def country_by_demonym(word: str) -> Country | None:
    """The country a demonym adjective belongs to: "Chinese", "South Korean" -> China, South Korea.

    Demonyms match as written (capitalised) or in all capitals.
    """
    tables = _get_tables()
    form = fold_accents(clean(word))
    if form.isupper():
        form = form.title()
    return tables.by_adjective.get(form)


@functools.lru_cache(maxsize=16384)
def may_begin_a_country(word: str) -> bool:
    """Whether a word can be the first of a country's name, abbreviation or demonym: a cheap
    test that lets the engine skip nearly every word of an article before any lookup."""
    if not word[:1].isupper():
        return False
    first_words = _get_tables().first_words
    folded = fold_accents(word)
    return (word in first_words or word.replace(".", "") in first_words
            or folded.title() in first_words or _name_key(word) in first_words)


def is_ambiguous(text: str) -> bool:
    """Whether a country name or demonym is also a common word, a person's name or another place."""
    tables = _get_tables()
    name = clean(text)
    if name in tables.ambiguous:
        return True
    return bool(name) and _name_key(name) in tables.ambiguous


def _name_key(name: str) -> str:
    """One key for the spellings of a name: case, accents, curly quotes, dots, hyphens, "St"."""
    key = fold_accents(name).casefold().replace("’", "'").replace("&", "and")
    key = key.replace(".", "").replace("-", " ")
    key = " ".join(key.split())
    key = _LEADING_THE.sub("", key)
    return _SAINT.sub("saint ", key)


def _get_tables() -> _Tables:
    # Built once, under a lock, so every caller shares one Country object per code.
    global _tables
    if _tables is None:
        with _lock:
            if _tables is None:
                _tables = _build_tables()
    return _tables


def _build_tables() -> _Tables:
    by_code: dict[str, Country] = {}
    by_name: dict[str, Country] = {}

    def add_names(country: Country, names) -> None:
        for name in names:
            if name:
                by_name.setdefault(_name_key(name), country)

    records = [record for record in pycountry.countries if record.alpha_2 not in NOT_COUNTRIES]
    for record in records:
        code = record.alpha_2
        common_name = getattr(record, "common_name", None)
        name = DISPLAY_NAMES.get(code) or common_name or record.name
        country = Country(code=code, name=name, slug=slugify(name))
        by_code[code] = by_code[record.alpha_3] = country
    for code, alpha_3, name, names in EXTRA_COUNTRIES:
        country = Country(code=code, name=name, slug=slugify(name))
        by_code[code] = by_code[alpha_3] = country
        add_names(country, (name, *names))

    # Our own names first, so they win where pycountry's names collide with them.
    for code, names in OTHER_NAMES.items():
        add_names(by_code[code], (by_code[code].name, *names))
    for record in records:
        country = by_code[record.alpha_2]
        add_names(country, (country.name, getattr(record, "common_name", None), record.name,
                            getattr(record, "official_name", None)))

    by_abbreviation = {short: by_code[code] for short, code in ABBREVIATIONS.items()}
    by_adjective = _parse_demonyms(by_code)
    ambiguous = frozenset({*AMBIGUOUS, *(_name_key(name) for name in AMBIGUOUS)})
    first_words = frozenset({"st", *(key.split()[0] for key in by_name),
                             *by_abbreviation, *(word.split()[0] for word in by_adjective)})
    return _Tables(by_code, by_name, by_abbreviation, by_adjective, ambiguous, first_words)


def _parse_demonyms(by_code: dict[str, Country]) -> dict[str, Country]:
    by_adjective: dict[str, Country] = {}
    for line in DEMONYMS.strip().splitlines():
        code, forms = line.split(" ", 1)
        for word in map(fold_accents, _split_forms(forms)):
            # A demonym claimed twice is a typo in the table, not a choice to make quietly.
            if by_adjective.setdefault(word, by_code[code]) is not by_code[code]:
                raise ValueError(f"demonym {word!r} is listed for two countries")
    return by_adjective


def _split_forms(forms: str) -> list[str]:
    return [form.strip() for form in forms.split(",") if form.strip()]
