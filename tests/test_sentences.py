"""One sentence rule and one abbreviation list: the parser, names and passage links agree."""
import pytest

from webapp.analysis import sentences
from webapp.analysis.names import clean
from webapp.analysis.parse import MAX_PIECE_CHARS, parse_article, reading_pieces
from webapp.anchors import sentence_bounds

# Invented text with every kind of full stop the rule tells apart.
TRICKY = ('Gen. Almeida of Acme Inc. met Mr. Lindqvist in the U.S. on Monday. '
          'J. Roe said "it is over." Prices rose 3.5 points at example.com today! '
          'Was it No. 5? Dr. Keller wrote the rest, etc. and left\u2026 '
          'Then she spoke\u3002Finally a last one.')
SENTENCES = [
    'Gen. Almeida of Acme Inc. met Mr. Lindqvist in the U.S. on Monday.',
    'J. Roe said "it is over."',
    'Prices rose 3.5 points at example.com today!',
    'Was it No. 5?',
    'Dr. Keller wrote the rest, etc. and left\u2026',
    'Then she spoke\u3002Finally a last one.',
]


def test_sentence_ends_cut_the_text_into_its_sentences():
    stops = list(sentences.sentence_ends(TRICKY, 0, len(TRICKY)))
    starts = [0] + stops[:-1]
    assert [TRICKY[s:e].strip() for s, e in zip(starts, stops)] == SENTENCES


@pytest.mark.parametrize("sentence", SENTENCES)
def test_passage_sentence_links_and_the_parser_find_the_same_sentences(sentence):
    """The sentence a passage link opens around a word is one the parser would end there."""
    start = TRICKY.index(sentence)
    word = start + len(sentence) // 2
    s, e = sentence_bounds(TRICKY, word, word + 1, 0, len(TRICKY))
    assert TRICKY[s:e] == sentence
    assert e in set(sentences.sentence_ends(TRICKY, 0, len(TRICKY)))


@pytest.mark.parametrize("line, sentence", [
    ("Acme buys Keller Inc.", False),
    ("Storm heads for the U.S.", False),
    ("Senate passes the budget bill.", True),
    ('Keller: "We won."', True),
    ("Why now?", True),
    ("Lisbon Harbour Hawks win the cup", False),
])
def test_a_line_ending_in_an_abbreviation_can_be_a_headline(line, sentence):
    """The parser's headline test uses the same rule: "Inc." or "U.S." end no sentence."""
    assert sentences.ends_a_sentence(line) is sentence
    blocks = parse_article(f"{line}\n\nThe story begins here. It goes on.")
    assert blocks[0].kind == ("paragraph" if sentence else "headline")


@pytest.mark.parametrize("span, name", [
    ("Acme Inc.", "Acme Inc."),
    ("the U.S.", "U.S."),
    ("Martin Luther King Jr.", "Martin Luther King Jr."),
    ("Ana Lima.", "Ana Lima"),
    ("Oslo.", "Oslo"),
])
def test_a_names_final_dot_stays_only_after_an_abbreviation(span, name):
    assert clean(span) == name


def test_a_single_digit_is_no_initial():
    """An initial is a letter: "finished in 5." ends its sentence (it did not, before)."""
    text = "She finished in 5. Then she rested."
    assert list(sentences.sentence_ends(text, 0, len(text))) == [len("She finished in 5."), len(text)]


def test_a_long_paragraph_is_not_cut_after_an_abbreviation():
    """Long paragraphs are read in pieces cut at sentence ends, never after "Mr." or "U.S."."""
    sentence = "Mr. Lindqvist of the U.S. firm met Gen. Almeida. "
    text = "Long read\n\n" + sentence * (3 * MAX_PIECE_CHARS // len(sentence))
    block = parse_article(text)[1]
    pieces = [text[s:e] for s, e in reading_pieces(text, block)]
    assert len(pieces) > 2
    assert all(p.endswith("Almeida.") and p.startswith("Mr. Lindqvist") for p in pieces)


@pytest.mark.parametrize("span, name", [
    ("these United States", "United States"),
    ("united Germany", "Germany"),
    ("a united Germany", "Germany"),
    ("van Gogh", "van Gogh"),
    ("ter Stegen", "ter Stegen"),
    ("eHow", "eHow"),
    ("bin Salman", "bin Salman"),
    ("Harbour of Gold as Nina", "Harbour of Gold"),
])
def test_lower_case_words_around_a_name_are_cut_unless_they_begin_a_surname(span, name):
    """Class 5/7: "these United States" and "House of Wax as Wade" (a film, then the role
    played in it) were entity labels; "van Gogh" must keep "van"."""
    assert clean(span) == name
