"""Adding an article by its web address through the form, in a browser (issue 9)."""
import re

import pytest

pytestmark = pytest.mark.browser


def test_add_by_address_lands_on_the_article_with_names_highlighted(page, own_server,
                                                                     pages_server):
    # The fixture pages' port only: the reader's own port stays refused (issue 18).
    allowed = pages_server.url.removeprefix("http://")
    live_server = own_server(env={"DRAMATIS_FETCH_ALLOW": allowed})
    page.goto(live_server.url + "/")
    page.fill("#url", pages_server.url + "/river-inquiry.html")
    page.click("button[type=submit]", timeout=60_000)  # the server's worker loads spaCy first
    page.wait_for_url(re.compile(r"/articles/inquiry-opens-into-severn-flood-defences$"),
                      timeout=60_000)  # the first add starts the analysis worker
    assert page.locator("h1").first.inner_text() == "Inquiry opens into Severn flood defences"
    assert page.locator("#article a.mention[data-type=person]").count() > 0
    assert "<p" not in page.locator("#article").inner_text()
