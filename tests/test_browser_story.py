"""Following a story in a real browser (issue 19): the changes page, with and without
JavaScript, and a person's quotations in the panel, each checked by axe-core."""
import pytest
from marked_articles import marked_article
from test_browser_a11y import assert_no_violations, screen_page  # noqa: F401 (a fixture)
from test_quote_pages import quoted_article

from webapp.store import save_analysis
from webapp.web.articles import article_added
from webapp.web.db import get_db

pytestmark = pytest.mark.browser

TITLE = "Council closes two branch libraries"


@pytest.fixture(scope="module")
def changed_url(live_server):
    with live_server.app.app_context():
        for body in ("[[Fiona Gallagher|person|fiona-gallagher]] voted for the cuts on Thursday.",
                     "[[Fiona Gallagher|person|fiona-gallagher]] voted for the cuts on Friday. "
                     "[[Brendan Walsh|person|brendan-walsh]] voted against."):
            slug = save_analysis(get_db(), marked_article(body, headline=TITLE), TITLE).slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


@pytest.fixture(scope="module")
def quoted_url(live_server):
    with live_server.app.app_context():
        slug = save_analysis(get_db(), quoted_article(), "Harbour talks collapse in the browser").slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


def test_the_changes_page_works_without_javascript(chromium, changed_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(changed_url)
        page.click("text=Changes")
        assert page.locator(".revision-text del").all_inner_texts() == ["Thursday"]
        assert page.locator(".revision-text ins").all_inner_texts() == ["Friday. Brendan Walsh voted against"]
        assert page.locator("[data-names=added]").inner_text() == "Brendan Walsh"
    finally:
        context.close()


def test_the_changes_page_has_no_axe_violations(screen_page, live_server, changed_url):  # noqa: F811
    screen_page.goto(changed_url + "/changes")
    assert screen_page.locator(".revision").count() == 1
    assert_no_violations(screen_page, live_server.url)


def test_a_persons_quotations_in_the_panel_link_to_each_passage(screen_page, live_server, quoted_url):  # noqa: F811
    screen_page.goto(quoted_url)
    assert "Quoted: 1 person, 1 organisation" in screen_page.locator("[data-quoted] summary").inner_text()
    screen_page.click('#article a[data-entity="maria-costa"] >> nth=0')  # htmx swaps the panel in
    screen_page.wait_for_selector("#panel [data-quotes]")
    assert screen_page.locator("#panel [data-quote] blockquote").all_inner_texts() == [
        "“We will not sign this agreement,”", "“It is over,”"]
    assert_no_violations(screen_page, live_server.url)
    href = screen_page.get_attribute("#panel .quote-link >> nth=0", "href")
    screen_page.goto(live_server.url + href)
    assert screen_page.locator("#article .passage").first.inner_text().startswith("We will not sign")
    assert_no_violations(screen_page, live_server.url)


def test_a_changed_passage_notice_has_no_axe_violations(screen_page, live_server, changed_url):  # noqa: F811
    from test_passage_routes import link_for, spans_of

    first = marked_article("[[Fiona Gallagher|person|fiona-gallagher]] voted for the cuts on Thursday.",
                           headline=TITLE).text
    slug = changed_url.rsplit("/", 1)[1]
    link = link_for(slug, first, *spans_of(first, "voted for the cuts on Thursday"))
    screen_page.goto(live_server.url + link)
    assert screen_page.locator("[data-passage-changed] del").all_inner_texts() == ["Thursday"]
    assert screen_page.locator("[data-passage-changed] ins").all_inner_texts() == ["Friday"]
    assert_no_violations(screen_page, live_server.url)
