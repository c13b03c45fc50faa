"""The title of a plain-text article: the first headline-like line, never a caption or a credit."""
import pytest

from webapp.ingest import plain_text_title
from webapp.ingest.title import is_credit, is_timestamp


def test_a_headline_on_the_first_line_is_the_title():
    text = "Port council backs harbour expansion\n\nThe council voted on Saturday to expand it."
    assert plain_text_title(text) == "Port council backs harbour expansion"


def test_a_caption_with_its_credit_is_never_the_title():
    """Guards issue 9: a scraped text got its first photo caption, credit included, as title."""
    text = ("Mayor Elena Varga at the docks before the vote (AP Photo/Jane Roe)\n\n"
            "Harbour vote splits the council\n\n"
            "The council voted on Saturday to expand the harbour.")
    assert plain_text_title(text) == "Harbour vote splits the council"


@pytest.mark.parametrize("caption", [
    "Ministers at the summit in Oslo (Photo: Reuters)",
    "Ministers at the summit in Oslo. Photograph: Lars Berg/AFP",
    "Ingrid Dahl (left) and Viktor Sorensen at the summit",
    "The ferry, pictured in 2019 © Nordline",
])
def test_captions_in_their_usual_forms_are_passed_over(caption):
    text = f"{caption}\n\nMinisters agree on a grain corridor\n\nThe ministers met on Friday."
    assert plain_text_title(text) == "Ministers agree on a grain corridor"


@pytest.mark.parametrize("line", [
    "Getty Images", "Photo: Reuters", "AP Photo/Jane Roe", "(AP Photo/Evan Vucci)",
    "Jane Roe/AFP via Getty Images", "© Reuters", "Reuters", "PHOTO: EPA-EFE",
])
def test_credit_lines_alone_are_credits(line):
    assert is_credit(line)
    assert plain_text_title(f"{line}\n\nA headline after the credit\n\nText.") == \
        "A headline after the credit"


@pytest.mark.parametrize("line", [
    "Tesla's 24/7 factory opens in Berlin", "Party struggles with its image",
    "Photos show the damage in Kyiv", "Getty family sells its oil stake",
])
def test_headlines_that_mention_photos_or_images_are_not_credits(line):
    assert not is_credit(line)
    assert plain_text_title(f"{line}\n\nThe text begins here.") == line


def test_bylines_datelines_timestamps_and_page_cruft_are_passed_over():
    text = ("Please enable JavaScript to view this page\n"
            "Home > News > Politics\n"
            "By Jane Roe and John Doe\n"
            "Wednesday, September 7, 2016\n"
            "Updated 14 March 2026, 10:32 GMT\n"
            "3 hours ago\n"
            "Mayor wins harbour vote after all-night session\n"
            "The council voted on Saturday to expand the harbour.")
    assert plain_text_title(text) == "Mayor wins harbour vote after all-night session"


@pytest.mark.parametrize("line", ["Updated 14 March 2026, 10:32 GMT", "3 hours ago",
                                  "2026-03-14 07:30", "Published: 14/03/2026", "Mon 2 Oct 2026"])
def test_timestamps(line):
    assert is_timestamp(line)


def test_question_headlines_are_headlines():
    assert plain_text_title("Is this the end of the euro?\n\nText.") == "Is this the end of the euro?"


def test_no_title_when_the_text_starts_with_running_text():
    """The form then asks for a title and the CLI takes --title."""
    assert plain_text_title("The council voted on Saturday to expand the harbour.\n\nMore.") is None
    assert plain_text_title("WASHINGTON (Reuters) - The president said on Monday.") is None


def test_no_title_in_a_text_of_captions_and_cruft_only():
    assert plain_text_title("Getty Images\n\nPlease enable JavaScript\n\n3 hours ago") is None
    assert plain_text_title("") is None


def test_a_hard_wrapped_first_paragraph_is_not_a_headline():
    text = ("The council of Kalamaja voted early on Saturday to expand\n"
            "the harbour, ending a debate that ran for nine hours.\n\nMore.")
    assert plain_text_title(text) is None


def test_a_headline_wrapped_over_two_lines_is_joined():
    text = "Port council backs harbour expansion after\nlong night of debate\n\nThe council voted."
    assert plain_text_title(text) == "Port council backs harbour expansion after long night of debate"


def test_a_headline_followed_by_its_byline_in_one_chunk():
    text = "Port council backs harbour expansion\nBy Marta Ilves\nThe council voted on Saturday."
    assert plain_text_title(text) == "Port council backs harbour expansion"


def test_a_caption_title_before_a_caption_is_not_the_article_title():
    text = ("Wang & Blink\n\nWang Yi and Antony Blinken met in Munich (Photo: AP)\n\n"
            "The ministers met on Friday.")
    assert plain_text_title(text) is None


def test_a_headline_above_a_lead_photo_is_still_the_title():
    text = ("Ministers agree on a grain corridor\n\n"
            "Ministers at the summit in Oslo (Photo: Reuters)\n\nThe ministers met on Friday.")
    assert plain_text_title(text) == "Ministers agree on a grain corridor"


def test_the_scraped_evaluation_article_gets_no_caption_as_title(eval_dir):
    """Its first line is a photo caption with a credit, then running text: no headline."""
    text = (eval_dir / "china-russia.txt").read_text(encoding="utf-8")
    first_line = text.split("\n", 1)[0]
    assert first_line.endswith("(Photo: AP/Getty)")
    assert plain_text_title(text) is None


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

lines = st.one_of(st.text(max_size=60), st.sampled_from([
    "Getty Images", "By Jane Roe", "3 hours ago", "Harbour vote splits the council",
    "The council voted on Saturday.", "Mayor at the docks (Photo: AP)", "", "  "]))


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, max_size=12), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_the_title_is_none_or_a_headline_like_line_of_the_text(parts, separator):
    text = separator.join(parts)
    title = plain_text_title(text)
    if title is not None:
        assert " ".join(title.split()) == title and title in " ".join(text.split())
        assert not is_credit(title) and len(title) <= 160
