"""Raw article text -> blocks: kinds, offsets, credits."""
import pytest

from webapp.analysis.parse import parse_article


def kinds(text):
    return [(b.kind, text[b.start:b.end]) for b in parse_article(text)]


def test_headline_paragraphs_and_exact_offsets():
    text = "Storm closes ports\n\nThe storm reached the coast on Monday.\n\nShips stayed in harbour.\n"
    blocks = parse_article(text)
    assert [b.kind for b in blocks] == ["headline", "paragraph", "paragraph"]
    assert [b.id for b in blocks] == ["b1", "b2", "b3"]
    assert text[blocks[1].start:blocks[1].end] == "The storm reached the coast on Monday."
    assert blocks[2].end == len(text) - 1  # the trailing newline is not part of the block


def test_a_single_block_is_not_a_headline():
    assert kinds("Storm closes ports") == [("paragraph", "Storm closes ports")]


@pytest.mark.parametrize("credit, names", [
    ("(Photo: AP/Getty)", ["AP", "Getty"]),
    ("(Picture: Reuters)", ["Reuters"]),
    ("Photograph: Jane Doe/AFP", ["Jane Doe", "AFP"]),
    ("(Photo: Alexandra Baier)", ["Alexandra Baier"]),
    ("Image: United States Navy.", ["United States Navy"]),
    ("(Photo: Jane Doe/AFP via Getty Images)", ["Jane Doe", "AFP", "Getty Images"]),
    ("(AP Photo/Evan Vucci)", ["AP", "Evan Vucci"]),
    ("(Photo by Chip Somodevilla/Getty Images)", ["Chip Somodevilla", "Getty Images"]),
    ("© Reuters", ["Reuters"]),
    ("Pic: PA", ["PA"]),
    ("Image credit: NASA", ["NASA"]),
])
def test_caption_credits_are_listed_by_name(credit, names):
    text = f"Intro line here.\n\nThe minister arrives in Lagos on Monday {credit}\n\nMore text."
    caption = parse_article(text)[1]
    assert caption.kind == "caption"
    assert caption.credits == names


def test_caption_title_stands_before_a_caption():
    text = ("First paragraph of the story.\n\nspy balloon\n\n"
            "A balloon over the sea (Photo: Reuters)\n\nLast paragraph.")
    assert [k for k, _ in kinds(text)] == ["paragraph", "caption_title", "caption", "paragraph"]


def test_a_dateline_before_a_caption_is_not_its_title():
    """Regression: "Wednesday, September 7, 2016" above a caption was taken for its title."""
    text = "Story headline\n\nWednesday, September 7, 2016\n\nA crowd outside. Image: Nick Moreau.\n\nText."
    assert kinds(text)[1] == ("paragraph", "Wednesday, September 7, 2016")


def test_a_word_like_photo_ops_is_not_a_credit():
    """Regression: "photo-ops, with proceeds to ..." was read as a credit."""
    text = "Intro.\n\nThe legion returned with their setup of photo-ops, with proceeds to charity.\n\nEnd."
    assert parse_article(text)[1].kind == "paragraph"


@pytest.mark.parametrize("cruft", [
    "Please enable JavaScript to view this video and consider upgrading to a web browser that supports HTML5 videos",
    "Advertisement - Continue reading below",
    ".",
    "* * *",
    "Sign up to our daily newsletter",
])
def test_page_cruft_is_boilerplate(cruft):
    text = f"A paragraph of the story.\n\n{cruft}\n\nAnother paragraph."
    assert kinds(text)[1] == ("boilerplate", cruft)


def test_text_without_blank_lines_has_one_block_per_line():
    text = "Headline here\nFirst paragraph of it.\nSecond paragraph of it."
    assert [b for _, b in kinds(text)] == ["Headline here", "First paragraph of it.",
                                           "Second paragraph of it."]


def test_offsets_survive_unicode_and_crlf():
    text = "Café owners protest\r\n\r\nThe mayor of Zürich met them (Photo: Ann Lee)\r\n"
    for block in parse_article(text):
        assert text[block.start:block.end] == text[block.start:block.end].strip()
    caption = parse_article(text)[1]
    assert caption.kind == "caption" and caption.credits == ["Ann Lee"]


def test_the_scraped_article_gives_the_gold_blocks(eval_dir):
    import json

    gold = json.loads((eval_dir / "china-russia.gold.json").read_text("utf-8"))
    blocks = parse_article(gold["text"])
    assert [(b.start, b.end, b.kind, b.credits) for b in blocks] == \
        [(b["start"], b["end"], b["kind"], b["credits"]) for b in gold["blocks"]]


# --- Bounded work for any input (issue 7) ---------------------------------------------

import re  # noqa: E402

from webapp.analysis.parse import (  # noqa: E402
    MAX_PIECE_CHARS,
    MAX_SYMBOL_RUN,
    MAX_WORD_CHARS,
    reading_pieces,
)

SYMBOL_RUN = re.compile(rf"(?:_|[^\w\s])(?:\s*(?:_|[^\w\s])){{{MAX_SYMBOL_RUN},}}")
PROSE = " ".join(f"Anna Berg met official number {i} in Oslo on Monday." for i in range(4000))
HOSTILE = {
    "bangs in a sentence": "Fans cheer\n\nThe crowd shouted " + "!" * 15_000 + " as Anna Berg scored.",
    "emoji wall": "Party\n\nWe had fun " + "🎉😀" * 20_000 + " with Anna Berg.",
    "spaced symbols": "Table\n\nTotals " + "= " * 20_000 + "by Anna Berg.",
    "rule of -=.": "Table\n\nTotals " + "-=." * 20_000 + " by Anna Berg.",
    "one long paragraph": "Long read\n\n" + PROSE,
    "one long word": "Code\n\nThe key is " + "ab" * 30_000 + " said Anna Berg.",
}


def pieces_of(text):
    return [(block, piece) for block in parse_article(text) if block.kind != "boilerplate"
            for piece in reading_pieces(text, block)]


def test_an_ordinary_block_is_read_whole(sample_text):
    for block in parse_article(sample_text):
        assert reading_pieces(sample_text, block) == [(block.start, block.end)]


def test_every_evaluation_block_is_read_whole(eval_dir):
    """The bounds never touch ordinary articles: the evaluation scores cannot move."""
    from webapp.evaluation import eval_sets

    for golds in eval_sets(eval_dir).values():
        for gold in golds:
            for block in parse_article(gold["text"]):
                assert reading_pieces(gold["text"], block) == [(block.start, block.end)]


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_hands_spacy_only_bounded_pieces(text):
    """Guards issue 7: spaCy's tokenizer is quadratic in a run without whitespace and a long
    doc takes gigabytes; every piece it is handed is short, without long runs."""
    pieces = pieces_of(text)
    assert pieces
    for block, (start, end) in pieces:
        piece = text[start:end]
        assert block.start <= start < end <= block.end and piece == piece.strip()
        assert end - start <= MAX_PIECE_CHARS
        assert max(len(run) for run in piece.split()) <= MAX_WORD_CHARS
        assert not SYMBOL_RUN.search(piece)
    # The prose around the hostile run is still read.
    assert "Anna Berg" in text[pieces[-1][1][0]:pieces[-1][1][1]]


def test_a_long_paragraph_is_read_in_pieces_cut_at_sentence_ends():
    text = "Long read\n\n" + PROSE
    pieces = [text[s:e] for block, (s, e) in pieces_of(text) if block.kind == "paragraph"]
    assert len(pieces) > len(PROSE) // MAX_PIECE_CHARS
    assert all(p.endswith("Monday.") for p in pieces)
    # Nothing is lost between the pieces but the spaces they were cut at.
    assert "".join(p.replace(" ", "") for p in pieces) == PROSE.replace(" ", "")


def test_a_long_paragraph_that_names_a_cookie_policy_is_prose():
    """Regression: cruft phrases anywhere in a paragraph made the whole of it boilerplate."""
    paragraph = "Regulators said the cookie policy of the site misled users. " * 10
    assert parse_article(f"Intro line.\n\n{paragraph}\n\nEnd.")[1].kind == "paragraph"


@pytest.mark.parametrize("caption, names", [
    ("Workers at the site in northern Chile. (Courtesy Andes Litio)", ["Andes Litio"]),
    ("The mine at dawn (courtesy of the family)", ["the family"]),
    ("A view of the dam. Photo courtesy of NASA", ["NASA"]),
])
def test_a_courtesy_credit_ends_a_caption(caption, names):
    block, = parse_article(caption)
    assert block.kind == "caption" and block.credits == names


def test_a_sentence_that_ends_with_courtesy_is_no_caption():
    """Guards the courtesy credit: only in brackets or after "Photo" is it a credit."""
    block, = parse_article("The drinks on the night were courtesy of the house.")
    assert block.kind == "paragraph"
