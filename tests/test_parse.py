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
