"""Browser test of corrections (issue 10): retype a name from its panel and undo it from the
history, by keyboard, with JavaScript and without."""
import pytest

pytestmark = pytest.mark.browser

from marked_articles import marked_article  # noqa: E402

from webapp.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.reader import article_added  # noqa: E402


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_retype_then_undo_by_keyboard(live_server, chromium, javascript):
    title = f"Harbour pilots {'with' if javascript else 'without'} scripts"
    with live_server.app.app_context():
        slug = save_analysis(get_db(), marked_article(
            "[[Orla Bank|person|orla-bank]] lent money to [[Nadia Holm|person|nadia-holm]].",
            headline=title), title).slug
        article_added()
    context = chromium.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/articles/{slug}")
        highlight = page.locator('#article a[data-entity="orla-bank"]')
        assert highlight.get_attribute("data-type") == "person"
        highlight.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector('#panel .entity-panel[data-entity="orla-bank"]')

        page.locator("#panel details[data-corrections] summary").focus()
        page.keyboard.press("Enter")
        page.select_option("#retype-orla-bank", "organization")
        if javascript:
            page.evaluate("window.notReloaded = true")
        page.locator("#panel form[data-retype] button").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector('#panel .entity-panel[data-entity="orla-bank"][data-type="organization"]')
        if javascript:  # htmx swapped the page in place
            assert page.evaluate("window.notReloaded") is True
            assert page.url.endswith(f"/articles/{slug}?entity=orla-bank")
        assert page.locator('#article a[data-entity="orla-bank"]').get_attribute("data-type") == "organization"

        page.locator("#panel [data-corrections-history]").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".corrections-history")
        assert "“Orla Bank” is an organisation" in page.locator(".history li").first.inner_text()
        page.locator(".history li form.undo button").focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".history .undone")
        page.goto(f"{live_server.url}/articles/{slug}")
        assert page.locator('#article a[data-entity="orla-bank"]').get_attribute("data-type") == "person"
    finally:
        context.close()
