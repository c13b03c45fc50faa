"""Browser test of corrections (issue 10): retype a name from its panel and undo it from the
history, by keyboard, with JavaScript and without."""
from contextlib import contextmanager

import pytest

pytestmark = pytest.mark.browser

from marked_articles import marked_article  # noqa: E402

from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402


def stored(live_server, analysis, title: str) -> str:
    """Store an invented article in the live server's library; its slug."""
    with live_server.app.app_context():
        slug = save_analysis(get_db(), analysis, title).slug
        article_added()
    return slug


@contextmanager
def opened(chromium, javascript: bool):
    """A page in a fresh browser context, with or without JavaScript."""
    context = chromium.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_retype_then_undo_by_keyboard(live_server, chromium, javascript):
    title = f"Harbour pilots {'with' if javascript else 'without'} scripts"
    slug = stored(live_server, marked_article(
        "[[Orla Bank|person|orla-bank]] lent money to [[Nadia Holm|person|nadia-holm]].",
        headline=title), title)
    with opened(chromium, javascript) as page:
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
            page.wait_for_function("() => document.activeElement.id === 'panel-title'")
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


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_mark_a_missed_name_by_selecting_it_or_typing_it(live_server, chromium, javascript):
    """With JavaScript the selection fills the form with its offsets (the second "Kestrel",
    not the first, is marked); without it the typed words mark their first occurrence."""
    # Other words in each run: the live server's library learns what the first one marked.
    bird = "Kestrel" if javascript else "Osprey"
    title = f"Bids {'with' if javascript else 'without'} scripts"
    slug = stored(live_server, marked_article(
        f"{bird} rose. Then {bird} Holdings bid for [[Nadia Holm|person|nadia-holm]]'s firm.",
        headline=title), title)
    with opened(chromium, javascript) as page:
        page.goto(f"{live_server.url}/articles/{slug}")
        page.locator(".mark-name summary").click()
        if javascript:
            page.evaluate("""() => {
                const block = [...document.querySelectorAll('#article .block')].find(b => b.textContent.startsWith('Kestrel rose'));
                const node = block.firstChild, at = node.textContent.indexOf('Kestrel Holdings');
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + 'Kestrel'.length);
                getSelection().removeAllRanges(); getSelection().addRange(range);
            }""")
            page.wait_for_function("() => document.querySelector('#mark-words').value === 'Kestrel'")
            assert page.input_value("form[data-mark] input[name=start]") != ""
        else:
            page.fill("#mark-words", "Osprey Holdings")
        page.select_option("#mark-type", "organization")
        page.locator("form[data-mark] button").click()
        marked = page.locator('#article a.mention[data-type="organization"]')
        marked.first.wait_for()
        assert marked.count() == 1
        if javascript:  # the selected "Kestrel", not the first one
            assert marked.inner_text() == "Kestrel"
            assert marked.evaluate("a => a.nextSibling.textContent").startswith(" Holdings")
        else:
            assert marked.inner_text() == "Osprey Holdings"


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_merge_from_the_note_in_one_click(live_server, chromium, javascript):
    """Guards the one-click merge that the "possibly the same person as ..." note offers
    (issue 10): after it both spellings are one entity, with and without JavaScript."""
    title = f"Two senators {'with' if javascript else 'without'} scripts"
    analysis = marked_article(
        "[[Senator Hal Voss|person|hal-voss]] spoke first.",
        "Later [[Senator Harold Voss|person|harold-voss]] answered questions.", headline=title)
    for entity, other in zip(analysis.entities, reversed(analysis.entities)):
        entity.notes = [f"Possibly the same person as “{other.name}”."]
    slug = stored(live_server, analysis, title)
    with opened(chromium, javascript) as page:
        page.goto(f"{live_server.url}/articles/{slug}?entity=hal-voss")
        button = page.locator('#panel form.merge-offer button[data-merge="harold-voss"]')
        button.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => !document.querySelector('#article a[data-entity=\"harold-voss\"]')")
        assert page.locator('#article a[data-entity="hal-voss"]').count() == 2
        assert page.locator("#panel .mention-list li").count() == 2
