"""Rules that can be switched off, and the test a rule must pass to stay (issue 15)."""
import pytest

from webapp.analysis import analyse, analyse_docs, parse_many
from webapp.analysis.rules import RULES, on, switched_off
from webapp.evaluation import effect, justified


def test_a_switched_off_rule_is_off_only_inside_the_block():
    assert on("propagate")
    with switched_off("propagate"):
        assert not on("propagate") and on("lone-names")
    assert on("propagate")


def test_an_unknown_rule_name_is_an_error():
    with pytest.raises(KeyError, match="no such rule"):
        with switched_off("no-such-rule"):
            pass


def test_switching_a_rule_off_changes_what_it_decides(nlp):
    """Guards the ablation itself: without "lone-names" a surname alone is its own entity."""
    text = "Oskar Lindqvist spoke on Monday. Lindqvist said the port would open."
    with_rule = {e.name: len(e.mentions) for e in analyse(text, nlp).entities}
    with switched_off("lone-names"):
        without = {e.name: len(e.mentions) for e in analyse(text, nlp).entities}
    assert with_rule.get("Oskar Lindqvist") == 2 and without.get("Oskar Lindqvist") == 1


def test_rules_rerun_on_one_parse_give_what_analyse_gives(nlp):
    text = "Ana Lima met the Maritime Union in Portugal. Lima said so."
    (parsed,) = parse_many([text], nlp)
    assert analyse_docs(*parsed).to_json() == analyse(text, nlp).to_json()


def test_every_rule_has_a_description():
    assert RULES and all(isinstance(d, str) and d for d in RULES.values())


@pytest.mark.parametrize("with_rule, without, expected", [
    ((0.80, 0.90), (0.79, 0.90), "gain"),
    ((0.80, 0.90), (0.80, 0.90), "none"),
    ((0.80, 0.90), (0.7996, 0.90), "none"),  # below the shown precision
    ((0.81, 0.89), (0.80, 0.90), "loss"),  # a loss on either figure is a loss
])
def test_a_rules_effect_on_one_set(with_rule, without, expected):
    assert effect(with_rule, without) == expected


def test_a_rule_stays_only_if_it_gains_on_two_sets_and_loses_on_none():
    full = {"a": (0.8, 0.9), "b": (0.8, 0.9), "c": (0.8, 0.9)}
    assert justified(full, {"a": (0.7, 0.9), "b": (0.7, 0.9), "c": (0.8, 0.9)}, list(full))
    assert not justified(full, {"a": (0.7, 0.9), "b": (0.8, 0.9), "c": (0.8, 0.9)}, list(full))
    assert not justified(full, {"a": (0.7, 0.9), "b": (0.7, 0.9), "c": (0.9, 0.9)}, list(full))
