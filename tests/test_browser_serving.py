"""What the slimmer page (issue 11) must keep doing in a real browser: names are links that
work without JavaScript and land at the name, htmx takes their href without moving the page,
and paragraph links are made on demand."""
import re

import pytest

pytestmark = pytest.mark.browser

from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402


@pytest.fixture(scope="module")
def article_url(live_server, sample_analysis):
    with live_server.app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


def visible(page, selector):
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
    }""")


def test_without_javascript_a_name_opens_the_panel_and_lands_at_the_name(chromium, article_url):
    """Guards issue 7's "without JavaScript a name click reloads at the top": the href ends
    in #mention-ID, so the reloaded page shows the name that was clicked."""
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 900, "height": 420})
    try:
        page = context.new_page()
        page.goto(article_url)
        last = page.locator("#article a.mention").last
        mention = last.get_attribute("data-mention")
        last.scroll_into_view_if_needed()
        last.click()
        page.wait_for_url(re.compile(r"\?entity=.*#mention-"))
        assert page.url.endswith(f"#mention-{mention}")
        assert page.locator("#panel.open li[data-mention]").count() >= 1
        assert visible(page, f"#mention-{mention}")
        assert page.evaluate("window.scrollY") > 0
    finally:
        context.close()


def test_with_javascript_a_name_opens_the_panel_without_moving_the_page(chromium, article_url):
    """Guards the htmx side of the same href: the panel swaps in, the address gets the
    panel's URL without the #mention fragment, and the text does not jump to the name."""
    context = chromium.new_context(viewport={"width": 1280, "height": 420})
    try:
        page = context.new_page()
        page.goto(article_url)
        page.wait_for_function("() => window.htmx !== undefined")
        mention = page.locator("#article a.mention").nth(14)
        mention.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -120)")  # the name well below the top
        before = page.evaluate("window.scrollY")
        entity = mention.get_attribute("data-entity")
        mention.click()
        page.locator(f'#panel section[data-entity="{entity}"]').wait_for()
        page.wait_for_timeout(200)  # htmx settles (and would scroll) after the swap
        assert "#" not in page.url and page.url.endswith(f"?entity={entity}")
        assert abs(page.evaluate("window.scrollY") - before) < 5
        assert page.locator(f'#article a.mention.selected[data-entity="{entity}"]').count() >= 1
    finally:
        context.close()


def test_a_page_opened_on_a_panel_marks_its_names(page, article_url, sample_analysis):
    """Guards the shared body: the server no longer writes "selected" into the text, so the
    page opened at ?entity= must still emphasise that entity's names."""
    entity = next(e for e in sample_analysis.entities if e.type == "person" and len(e.mentions) > 1)
    page.goto(f"{article_url}?entity={entity.id}")
    page.wait_for_function("() => document.querySelector('#article a.mention.selected') !== null")
    selected = page.locator("#article a.mention.selected")
    assert set(selected.evaluate_all("els => els.map(e => e.dataset.entity)")) == {entity.id}


def test_without_javascript_a_paragraph_link_opens_its_passage(chromium, article_url):
    """Guards the paragraph link made on demand: its href asks the server, which sends the
    browser on to the passage link, where the paragraph is marked."""
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(article_url)
        block = page.locator(".block-row").nth(2)
        text = block.locator("p.block").inner_text()
        block.locator(".block-link").click(force=True)  # shown on hover only
        page.wait_for_url(re.compile(r"\?p=\d+-\d+"))
        assert page.locator("#article .passage").count() >= 1
        # The marks follow one another through the paragraph (a name is marked on its own).
        assert "".join(page.locator("#article .passage").all_inner_texts()).split() == text.split()
    finally:
        context.close()
