"""Browser test of the library (issue 9): search, an entity page, the article with its
panel open, and deleting with a confirmation."""
import pytest

pytestmark = pytest.mark.browser

from marked_articles import marked_article  # noqa: E402

from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402


def test_search_entity_page_panel_and_delete(live_server, page):
    with live_server.app.app_context():
        for title, body in [
            ("Lighthouse keepers strike", "[[Marta Quinlan|person|marta-quinlan]] led the lighthouse keepers."),
            ("Lighthouse strike ends", "The strike ended when [[Marta Quinlan|person|quinlan]] and "
                                       "[[Quinlan|person|quinlan]] signed."),
        ]:
            save_analysis(get_db(), marked_article(body, headline=title), title)
        article_added()
    page.goto(live_server.url + "/")
    page.fill("#search-q", "lighthouse keepers")
    page.press("#search-q", "Enter")
    page.wait_for_url("**/search?q=lighthouse+keepers")
    hit = page.locator(".search-hit")
    assert hit.count() == 1 and hit.locator("mark").first.inner_text().lower() == "lighthouse"

    hit.locator("a.article-link").click()
    page.wait_for_url("**/articles/lighthouse-keepers-strike")
    page.locator('#article a[data-entity="marta-quinlan"]').first.click()
    also = page.locator("#panel [data-also-in]")
    also.wait_for()
    assert also.inner_text() == "Also in 1 other article"
    also.click()
    page.wait_for_selector(".library-entity")
    assert page.locator(".library-entity h1").inner_text() == "Marta Quinlan"
    assert page.locator(".appearance-list li").count() == 2

    page.locator('.appearance-list a[href*="lighthouse-strike-ends"]').click()
    page.wait_for_selector("#panel .entity-panel")
    assert page.locator("#panel h2").inner_text() == "Marta Quinlan"
    assert page.locator("#panel li[data-mention]").count() == 2

    page.goto(live_server.url + "/")
    page.locator('li[data-slug="lighthouse-strike-ends"] a[data-delete]').click()
    page.wait_for_selector(".confirm-delete")
    assert page.locator('li[data-slug="lighthouse-strike-ends"]').count() == 0
    page.click("button[data-confirm-delete]")
    page.wait_for_url(live_server.url + "/")
    assert page.locator('li[data-slug="lighthouse-strike-ends"]').count() == 0
    assert page.locator('li[data-slug="lighthouse-keepers-strike"]').count() == 1
    response = page.goto(live_server.url + "/articles/lighthouse-strike-ends")
    assert response.status == 404 and "This article was removed" in page.content()
