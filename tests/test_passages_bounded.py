"""The work resolving a passage link may take is bounded, whatever the article's length
(issue 7: a 4,000-character quote that is not there, or a link made on an old version,
cost up to 0.7 s on a long article). Work is counted, never timed."""
import random

import pytest

from webapp import anchors
from webapp.anchors import MATCH_WINDOW, Anchor, make_anchor, resolve, version_id

WORDS = ("the minister said harbour union talks would resume on Tuesday after weeks of "
         "pressure from shipping firms in Lisbon and abroad").split()


def article(chars: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    paragraphs, size = [], 0
    while size < chars:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90))) + "."
        paragraphs.append(paragraph.capitalize())
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:chars]


@pytest.fixture
def matched(monkeypatch):
    """The characters handed to diff-match-patch's pure-Python matcher, per call."""
    seen = []
    real = anchors.diff_match_patch.match_main

    def counting(self, text, pattern, loc):
        seen.append(len(text))
        return real(self, text, pattern, loc)

    monkeypatch.setattr(anchors.diff_match_patch, "match_main", counting)
    return seen


@pytest.mark.parametrize("length", [50_000, 200_000])
def test_a_long_quote_that_is_not_there_scans_a_bounded_window(matched, length):
    """Guards the bound on the approximate search: the pure-Python matcher sees a window
    around the expected place, not the article, so a long article costs no more."""
    text = article(length)
    quote = " ".join(random.Random(2).choice(["zebra", "quartz", "fjord", "glyph"]) for _ in range(800))
    anchor = Anchor(exact=quote[:4000], prefix="", suffix="", start=length // 2,
                    end=length // 2 + 4000, version="abcdef1234")
    assert resolve(anchor, text, version_id(text)).method == "orphan"
    assert matched and max(matched) <= 2 * MATCH_WINDOW + 32
    assert len(matched) <= 2


def test_an_edited_passage_far_into_a_long_article_is_still_found(matched):
    """Guards that the bound does not cost finds: an edited quote is found near its old
    place by the windowed matcher, and anywhere by rapidfuzz."""
    text = article(200_000)
    start = text.index(" ", 150_000) + 1
    anchor = make_anchor(text, start, start + 120, version_id(text))
    edited = text[:start + 40] + "XX" + text[start + 42:]
    found = resolve(anchor, edited, version_id(edited))
    assert found.method == "fuzzy" and abs(found.start - start) <= 2
    assert max(matched) <= 2 * MATCH_WINDOW + 32
    moved = edited[start + 200:] + "\n\n" + edited[:start + 200]  # far from its old place
    assert resolve(anchor, moved, version_id(moved)).method == "fuzzy"


def test_versions_are_diffed_by_lines_not_characters(monkeypatch):
    """Guards the old-version diff: its symbols are lines, so a 200,000-character article of
    a few hundred paragraphs is a diff of a few hundred symbols (per request this was a
    character diff of the two texts)."""
    seen = []
    real = anchors.SequenceMatcher

    def counting(junk, a, b):
        seen.append((len(a), len(b)))
        return real(junk, a, b)

    monkeypatch.setattr(anchors, "SequenceMatcher", counting)
    old = article(200_000)
    start = old.index(" ", 120_000) + 1
    anchor = make_anchor(old, start, start + 80, version_id(old))
    new = "A new opening paragraph.\n\n" + old.replace("harbour", "port")
    found = resolve(anchor, new, version_id(new), old)
    assert found.found and new[found.start:found.end] == old[start:start + 80].replace("harbour", "port")
    assert seen == [(old.count("\n") + 1, new.count("\n") + 1)]
    assert seen[0][0] < 2_000
