"""What changed between versions (issue 19): the word diff and the names a change added or
dropped, on invented texts."""
from hypothesis import given, settings, strategies as st

from webapp.analysis.article import Block, Entity
from webapp.revisions import Change, name_changes, paragraphs, reading_text, whole_words, word_diff

OLD = ("Halvorsen left the talks on Monday. The port will close in May.\n\n"
       "Costa said the vote was fair. Nobody expected the result.")


def changed(changes, kind):
    return [c.text.strip() for c in changes if c.kind == kind]


def test_a_changed_name_is_one_word_removed_and_one_added():
    changes = word_diff(OLD, OLD.replace("Halvorsen", "Halvorson"))
    assert changed(changes, "removed") == ["Halvorsen"]
    assert changed(changes, "added") == ["Halvorson"]
    assert not any(c.moved for c in changes)


def test_a_changed_date_inside_a_sentence_marks_only_that_word():
    changes = word_diff(OLD, OLD.replace("in May", "in June"))
    assert changed(changes, "removed") == ["May"] and changed(changes, "added") == ["June"]


def test_a_moved_sentence_is_marked_moved_not_rewritten():
    new = ("Halvorsen left the talks on Monday. Nobody expected the result. "
           "The port will close in May.\n\nCosta said the vote was fair.")
    changes = word_diff(OLD, new)
    moved = [c for c in changes if c.moved]
    assert sorted((c.kind, c.text.strip()) for c in moved) == [
        ("added", "Nobody expected the result."), ("removed", "Nobody expected the result.")]
    assert all(c.kind == "same" for c in changes if not c.moved)


def test_an_added_caption_is_its_own_added_paragraph():
    new = OLD.replace("\n\n", "\n\nPhoto: the harbour at dawn. (AP)\n\n")
    by_paragraph = paragraphs(word_diff(OLD, new))
    assert [[(c.kind, c.text) for c in p] for p in by_paragraph] == [
        [("same", "Halvorsen left the talks on Monday. The port will close in May.")],
        [("added", "Photo: the harbour at dawn. (AP)")],
        [("same", "Costa said the vote was fair. Nobody expected the result.")]]


def test_the_same_text_is_all_the_same():
    assert word_diff(OLD, OLD) == [Change("same", OLD)]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="ab .\n", max_size=60), st.text(alphabet="ab .\n", max_size=60))
def test_both_versions_can_be_read_back_from_the_diff(old, new):
    """Whatever the texts, the newer is the runs kept and added, the older the runs kept
    and removed, up to the space between sentences, which the diff takes from the newer."""
    changes = word_diff(old, new)
    assert "".join(c.text for c in changes if c.kind != "removed") == new
    kept_and_removed = "".join(c.text for c in changes if c.kind != "added")
    assert kept_and_removed.split() == old.split()


def test_names_added_and_gone_between_versions():
    old = [Entity("halvorsen", "Per Halvorsen", "person"), Entity("norway", "Norway", "country")]
    new = [Entity("halvorson", "Per Halvorson", "person"), Entity("norway", "Norway", "country"),
           Entity("ap", "AP", "organization")]
    result = name_changes(old, new)
    assert result.added == [("AP", "organization"), ("Per Halvorson", "person")]
    assert result.gone == [("Per Halvorsen", "person")]
    assert result.to_json()["gone"] == [{"name": "Per Halvorsen", "type": "person"}]


def test_reading_text_leaves_page_furniture_out():
    text = "Headline\n\nPlease enable JavaScript\n\nA paragraph."
    blocks = [Block("b1", "headline", 0, 8), Block("b2", "boilerplate", 10, 34),
              Block("b3", "paragraph", 36, 48)]
    assert reading_text(text, blocks) == "Headline\n\nA paragraph."


def test_whole_words_never_cuts_a_word():
    text = "would start in early summer."
    assert whole_words(text, 6, 18) == (6, 20)  # "start in ear" -> "start in early"
    assert whole_words(text, 8, 14) == (6, 14)  # "art in" -> "start in"
    assert whole_words(text, 0, len(text)) == (0, len(text))
