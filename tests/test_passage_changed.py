"""The changed-passage notice (issue 19): a passage link whose words changed after it was made
says so, with the link's quote and today's words side by side, the differences marked; its
link preview says so too. A passage that only moved, or is unchanged, has no such notice."""
import re

from test_passage_routes import SMALL, link_for, open_link, small_analysis, small_slug, spans_of  # noqa: F401 (a fixture)

QUOTE = "The board said the work would start in spring"


def test_a_changed_passage_shows_the_quote_and_todays_words_side_by_side(client, small_slug, store_article):
    old_url = link_for(small_slug, SMALL, *spans_of(SMALL, QUOTE))
    edited = SMALL.replace("would start in spring", "would start in autumn")
    store_article(small_analysis(edited), "Rivers rise")
    response, page = open_link(client, old_url)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This passage changed after the link was made." in html
    notice = html[html.index("data-passage-changed"):]
    linked = re.search(r'class="shared-quote">(.*?)</blockquote>', notice, re.S).group(1)
    today = re.search(r'class="today-quote">(.*?)</blockquote>', notice, re.S).group(1)
    assert linked == "The board said the work would start in <del>spring</del>"
    assert today == "The board said the work would start in <ins>autumn</ins>"
    assert page.meta("og:description").startswith("This passage changed after the link was made.")
    assert "start in autumn" in page.meta("og:description")


def test_an_unchanged_passage_in_a_new_version_has_no_changed_notice(client, small_slug, store_article):
    old_url = link_for(small_slug, SMALL, *spans_of(SMALL, QUOTE))
    store_article(small_analysis(SMALL.replace("on Monday", "on a wet Monday")), "Rivers rise")
    response, page = open_link(client, old_url)
    assert page.passage == QUOTE
    assert "data-passage-changed" not in response.get_data(as_text=True)
    assert not page.meta("og:description").startswith("This passage changed")


def test_the_notice_escapes_the_link_quote(client, small_slug, store_article):
    """The link's q= is untrusted: markup in it is shown as text in the side-by-side notice."""
    old_url = link_for(small_slug, SMALL, *spans_of(SMALL, QUOTE))
    edited = SMALL.replace("would start in spring", "would start in <b>June</b>")
    store_article(small_analysis(edited), "Rivers rise")
    html = open_link(client, old_url)[0].get_data(as_text=True)
    assert "<b>" not in html and "&lt;b" in html[html.index("data-passage-changed"):]
