"""Many articles through one spaCy pipe: the same analyses as one at a time (issues 8, 11)."""
from webapp.analysis import analyse, analyse_many

TEXTS = [
    "Rain in Oslo\n\nAnna Berg of the Norwegian weather service measured it.\n",
    "Port deal\n\nHelena Vasconcelos met officials of the European Union in Lisbon.\n",
    "Marathon news\n\nKofi Mensah of Kenya won the race in Nairobi on Sunday.\n\n"
    "Mensah thanked the Kenyan federation.",
    "Long read\n\n" + "Anna Berg met the mayor of Oslo on Monday. " * 400,
]


def test_analyse_many_gives_what_analyse_gives_one_at_a_time(nlp):
    one_by_one = [analyse(text, nlp).to_json() for text in TEXTS]
    assert [a.to_json() for a in analyse_many(TEXTS, nlp)] == one_by_one


def test_analyse_many_across_two_processes_gives_the_same(nlp):
    """Guards `dramatis add`'s n_process path: spaCy's processes return the docs in order."""
    one_by_one = [analyse(text, nlp).to_json() for text in TEXTS]
    assert [a.to_json() for a in analyse_many(TEXTS, nlp, n_process=2)] == one_by_one


def test_analyse_many_yields_as_it_goes(nlp):
    """Each analysis is yielded before the next article is grouped, so `dramatis add` stores
    articles as they come."""
    analyses = analyse_many(iter(TEXTS), nlp)
    assert next(analyses).headline == "Rain in Oslo"
