"""Many articles through one spaCy pipe: the same analyses as one at a time (issues 8, 11)."""
import os
from concurrent.futures.process import BrokenProcessPool

import pytest

import webapp.analysis
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


def test_runs_keep_the_order_and_about_one_batch_each():
    from webapp.analysis.pipeline import BATCH_CHARS, batches

    texts = [f"{n} " + "x" * 6_000 for n in range(7)] + ["big " + "y" * 50_000, "last"]
    runs = list(batches(texts))
    assert runs == [texts[0:3], texts[3:6], texts[6:7], texts[7:8], texts[8:9]]
    assert all(len(run) == 1 or sum(map(len, run)) <= BATCH_CHARS for run in runs)


def test_many_runs_over_two_processes_come_back_in_order(nlp):
    """Guards `dramatis add`'s forked processes: runs are dealt out to two processes and the
    analyses still come back in the order of the texts, each as `analyse` gives it."""
    texts = TEXTS * 3  # the long read makes a run of its own: several runs, both processes
    one_by_one = [analyse(text, nlp).to_json() for text in TEXTS] * 3
    assert [a.to_json() for a in analyse_many(texts, nlp, n_process=2)] == one_by_one


def _die(texts):
    os._exit(3)  # as the kernel's out-of-memory killer would end it


def test_a_process_that_dies_is_an_error_not_a_wait(nlp, monkeypatch):
    """Guards against a hang: a multiprocessing Pool waits for ever for a dead worker's
    result; the executor raises."""
    monkeypatch.setattr(webapp.analysis, "_analyse_run", _die)
    with pytest.raises(BrokenProcessPool):
        list(analyse_many(TEXTS * 3, nlp, n_process=2))
