"""Rules that can be switched off, and the test a rule must pass to stay (issue 15)."""
import pytest

from webapp.analysis import analyse, analyse_docs, parse_many
from webapp.analysis.rules import DROPPED, RULES, configured, on, switched_off
from webapp.evaluation import cross_validated, effect, eliminate, justified, unjudged


def test_a_switched_off_rule_is_off_only_inside_the_block():
    assert on("credits")
    with switched_off("credits"):
        assert not on("credits") and on("lone-names")
    assert on("credits")


def test_the_rules_the_elimination_drops_are_off_unless_switched_on():
    assert DROPPED < set(RULES) and not any(on(rule) for rule in DROPPED)
    with configured():
        assert all(on(rule) for rule in RULES)
        with switched_off("credits"):
            assert not on("credits") and on("settle-types")
    with configured(["lone-names"]):
        assert on("settle-types") and not on("lone-names")
    assert not on("settle-types")


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


SETS = ["s1", "s2", "s3", "s4"]


def fake_figures(f1_of):
    """figures(off, names) from `f1_of(on, set)`: the mention F1 a set gets with the rules `on`
    (B3 constant), over the rules A-H; each call is counted."""
    calls = []

    def figures(off, names):
        calls.append(frozenset(off))
        on = frozenset("ABCDEFGH") - frozenset(off)
        return {n: (f1_of(on, n), 0.9) for n in names}
    figures.calls = calls
    return figures


def test_two_rules_that_cover_for_each_other_are_not_both_dropped():
    """Guards the reason for backward elimination: A and B find the same mentions on s1 and s2,
    so each alone changes nothing while the other is on; dropping both (as the test of each
    rule alone would) loses 0.1 on two sets. One of them stays."""
    def f1(on, name):
        return 0.7 + (0.1 if name in ("s1", "s2") and on & {"A", "B"} else 0) \
            + (0.05 if name in ("s1", "s2") and "C" in on else 0)
    kept, rounds, full, without, back = eliminate(fake_figures(f1), ["A", "B", "C"], SETS)
    assert rounds == [["A"]] and kept == ["B", "C"]
    assert all(justified(full, without[r], SETS) for r in kept)
    assert back == []  # beside B, A changes nothing, but it was judged: alone it gains


def test_a_rule_that_fails_only_beside_a_harmful_one_stays_once_that_one_goes():
    """H loses on s3 and, beside G, on s4; G gains on s1 and s2 but loses on s4 while H is on.
    The least costly failing rule (H, whose absence gains) goes first; then G passes."""
    def f1(on, name):
        value = 0.8
        if "G" in on and name in ("s1", "s2"):
            value += 0.03
        if "H" in on and name == "s3":
            value -= 0.02
        if {"G", "H"} <= on and name == "s4":
            value -= 0.01
        return value
    kept, rounds, _, _, _ = eliminate(fake_figures(f1), ["G", "H"], SETS)
    assert kept == ["G"] and rounds == [["H"]]


def test_rules_that_change_nothing_even_together_go_in_one_round_and_come_back_unjudged():
    """Guards the unjudged rules (a national team's rule where no set has a match report):
    they fail the test (no gain on two sets), but no set can refute them either, so they
    are kept, and said to be unjudged."""
    def f1(on, name):
        return 0.8 + (0.02 if "A" in on and name in ("s1", "s2") else 0)
    figures = fake_figures(f1)
    kept, rounds, _, _, back = eliminate(figures, ["A", "D", "E", "F"], SETS)
    assert rounds == [["D", "E", "F"]]
    assert kept == ["A", "D", "E", "F"] and back == ["D", "E", "F"]


def test_of_rules_that_change_something_only_together_one_comes_back():
    """D and E each change nothing beside A, but together they lose on s3 (as two rules that
    both move a person's span front): the first comes back, the second stays dropped."""
    def f1(on, name):
        return 0.8 + (0.02 if "A" in on and name in ("s1", "s2") else 0) \
            - (0.01 if {"D", "E"} <= on and name == "s3" else 0)
    figures = fake_figures(f1)
    full = figures({"D", "E"}, SETS)
    assert unjudged(figures, SETS, ["D", "E"], frozenset({"D", "E"}), full, "ADE") == ["D"]
    kept, _, _, _, back = eliminate(figures, ["A", "D", "E"], SETS)
    assert back == ["D"] and kept == ["A", "D"]


def test_a_rule_that_changes_a_set_beside_the_kept_ones_is_not_unjudged():
    def f1(on, name):
        return 0.8 + (0.02 if "A" in on and name in ("s1", "s2") else 0) \
            + (0.05 if "B" in on and name == "s3" else 0)
    figures = fake_figures(f1)
    full = figures({"B"}, SETS)
    assert unjudged(figures, SETS, ["B"], frozenset({"B"}), full, "AB") == []


def test_a_rule_that_gains_on_one_set_only_is_dropped_and_one_that_gains_on_two_kept():
    def f1(on, name):
        return 0.8 + (0.02 if "A" in on and name in ("s1", "s2") else 0) \
            + (0.05 if "B" in on and name == "s3" else 0)
    kept, rounds, _, _, back = eliminate(fake_figures(f1), ["A", "B"], SETS)
    assert kept == ["A"] and rounds == [["B"]] and back == []


def test_cross_validation_chooses_the_rules_without_the_set_it_scores():
    """B gains on s1 and s2 only: chosen without s1 it has one gain left and goes, so s1 is
    scored without it; chosen without s3 it keeps both gains and stays."""
    def f1(on, name):
        return 0.8 + (0.02 if "B" in on and name in ("s1", "s2") else 0)
    result = cross_validated(fake_figures(f1), SETS, rules=["B"])
    assert result["s1"] == ((0.8, 0.9), ["B"])
    assert result["s3"] == ((0.8, 0.9), [])


def test_a_rule_the_analysis_never_asked_about_changes_nothing_when_off(nlp):
    """Guards the ablation's reuse of analyses (evaluation.Figures): the engine asks about a
    rule only where it would act, so one it never asked about gives the same analysis off."""
    from webapp.analysis.rules import asked

    text = "Oskar Lindqvist spoke on Monday. Lindqvist said the port would open."
    with configured():
        with asked() as names:
            with_all = analyse(text, nlp).to_json()
        assert "lone-names" in names and "national-teams" not in names
        for rule in set(RULES) - names:
            with switched_off(rule):
                assert analyse(text, nlp).to_json() == with_all, rule


def test_leaving_a_set_out_scores_an_unjudged_rule_where_that_set_has_what_it_acts_on():
    """D acts on s1 alone (as national-teams would on a set with match reports): chosen
    without s1 it is unjudged and kept, so s1 is scored with it; chosen with s1 it gains on
    one set only and goes."""
    def f1(on, name):
        return 0.8 + (0.03 if "D" in on and name == "s1" else 0)
    result = cross_validated(fake_figures(f1), SETS, rules=["D"])
    (f1_s1, _), dropped = result["s1"]
    assert f1_s1 == pytest.approx(0.83) and dropped == []
    assert result["s2"] == ((0.8, 0.9), ["D"])
