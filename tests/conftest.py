"""Shared fixtures: the spaCy pipeline, the sample article, the evaluation data."""
from pathlib import Path

import pytest

from webapp.pipeline import get_nlp

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "webapp" / "samples" / "harbour-deal.txt"
EVAL_DIR = ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def nlp():
    return get_nlp()


@pytest.fixture(scope="session")
def sample_text():
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def eval_dir():
    if not (EVAL_DIR / "score.py").exists():
        pytest.skip(f"evaluation data not found at {EVAL_DIR} (it sits beside the repo, in ../shared/eval)")
    return EVAL_DIR
