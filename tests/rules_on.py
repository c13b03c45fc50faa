"""The fixture for tests of a rule that backward elimination drops (rules.DROPPED): they run
with every rule on, to show what the rule does when switched on, as `dramatis eval --ablate`
weighs it."""
import pytest

from webapp.analysis.rules import configured


@pytest.fixture
def every_rule():
    with configured():
        yield
