"""Marking a shared passage in cached HTML (web/marks.py) against rendering the marked
blocks with the templates, which define the markup (issues 4 and 11)."""
import pytest

from webapp.anchors import split_by_blocks
from webapp.web import reader
from webapp.web.views import mark_passage

AWKWARD = ('Anna Berg & "Tom O\'Neil" met.\n\nBerg <b>said</b> Norway\'s Tom O\'Neil & co. agreed.'
           '\n\nPhoto caption: Anna Berg in Oslo. Photo: Tom O\'Neil/Reuters')


@pytest.mark.parametrize("which", ["sample", "awkward"])
def test_splicing_marks_gives_the_markup_a_render_of_the_marked_blocks_gives(
        app, store_article, sample_analysis, nlp, which):
    """Guards the spliced marks: for passages starting and ending at every offset of a
    few blocks (in and around names, escaped characters, photo credits), the item's HTML
    is byte for byte what the templates make from the marked blocks."""
    from webapp.analysis import analyse

    analysis = sample_analysis if which == "sample" else analyse(AWKWARD, nlp)
    slug = store_article(analysis, which)
    with app.test_request_context(f"/articles/{slug}"):
        version = reader.get_version(slug)
        view = reader.get_view(version)
        body = reader.get_body(version, view)
        text = view.analysis.text
        assert any(e.mentions for e in view.analysis.entities)
        checked = 0
        for start in range(0, len(text), 3 if which == "sample" else 1):
            for length in (1, 2, 5, 17, 60, 400):
                pieces = split_by_blocks(start, min(len(text), start + length), view.analysis.blocks)
                if not pieces:
                    continue
                spliced = reader.marked_items(view, body, pieces)
                touched = sorted(spliced)
                rendered = reader.render_items(version, view, mark_passage(
                    [view.items[i] for i in touched], pieces))
                assert [spliced[i] for i in touched] == rendered, (start, length)
                checked += 1
        assert checked > 100


def test_a_runs_length_is_the_count_of_its_characters():
    """Guards marks._length, which counts the characters of the runs outside a passage
    without locating each: the same count as _chars gives, for entities, stray ampersands
    and semicolons in any order."""
    import random

    from webapp.web.marks import _chars, _length

    runs = ["", "plain", "Tom O&#39;Neil &amp; co.", "&", "a & b", "&a&b;", "&&;", "a;&b", "&amp"]
    rng = random.Random(17)
    runs += ["".join(rng.choice("ab&;#3 ü") for _ in range(rng.randint(0, 12))) for _ in range(3000)]
    assert [_length(run) for run in runs] == [len(_chars(run)) - 1 for run in runs]
