"""Reading and correcting without friction (issue 16), in a real browser on a desktop and a
phone screen: Same as..., corrections and Undo that leave the reader where they were, a
name marked from a selection, the sticky panel header, Close, the phone's bottom sheet,
places toggled, and axe-core with the new controls open."""
from contextlib import contextmanager
from itertools import count

import pytest

pytestmark = pytest.mark.browser

from marked_articles import marked_article  # noqa: E402
from test_browser_a11y import SCREENS, assert_no_violations, axe_ready_page  # noqa: E402

from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402

DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = SCREENS["phone"]
FILLER = ("The inspectors walked the northern face of the dam again that week, and the "
          "engineers measured every seep and crack they had found before. ")
numbers = count(1)


def long_article(title: str):
    """An invented article, long enough to scroll: the same people throughout, a split
    name (Thibodeaux for Jean-Luc Thibodeau) and a place."""
    paragraphs = []
    for n in range(14):
        paragraphs.append(
            f"{FILLER * 2}[[Daniel Kilabuk|person|daniel-kilabuk]] said part {n + 1} was done "
            f"for [[Quantica Research|organization|quantica]] near [[Dawson City|place|dawson-city]].")
    paragraphs[3] += " [[Jean-Luc Thibodeau|person|jean-luc-thibodeau]] asked for a public review."
    paragraphs[9] += ' "Nobody wants that," [[Thibodeaux|organization|thibodeaux]] said.'
    return marked_article(*paragraphs, headline=title)


def stored(live_server, analysis=None) -> str:
    """A fresh invented article in the live server's library (its own title each time:
    the server is shared by the session); its URL."""
    title = f"Tailings dam under review, part {next(numbers)}"
    with live_server.app.app_context():
        slug = save_analysis(get_db(), analysis or long_article(title), title).slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


@contextmanager
def browser_page(chromium, live_server, screen):
    page = axe_ready_page(chromium, live_server, screen)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        yield page
    finally:
        page.context.close()


@pytest.fixture(params=["desktop", "phone"])
def screen(request):
    return DESKTOP if request.param == "desktop" else PHONE


def open_panel_at(page, entity: str, nth: int):
    """Scroll to a mention of the entity as a reader would, and open its panel from it."""
    mention = page.locator(f'#article a[data-entity="{entity}"]').nth(nth)
    mention.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 0)")
    mention.click()
    page.wait_for_selector(f'#panel.open .entity-panel[data-entity="{entity}"]')
    return mention


def announced(page) -> str:
    page.wait_for_function("() => document.querySelector('.announcement-text').textContent !== ''")
    return page.locator(".announcement-text").inner_text()


def test_merge_from_same_as_keeps_the_reader_where_they_were(chromium, live_server, screen):
    with browser_page(chromium, live_server, screen) as page:
        page.goto(stored(live_server))
        open_panel_at(page, "thibodeaux", 0)
        where = page.evaluate("scrollY")
        page.click("#panel [data-correct-toggle]")
        assert page.get_attribute("#panel [data-correct-toggle]", "aria-expanded") == "true"
        page.fill("#same-as-filter", "thib")
        assert page.locator("#same-as-list li:visible").count() == 1
        page.evaluate("window.notReloaded = true")
        page.click('#panel [data-same-as="jean-luc-thibodeau"]')
        assert announced(page) == "“Thibodeaux” is the same as “Jean-Luc Thibodeau”."
        page.wait_for_selector('#panel .entity-panel[data-entity="jean-luc-thibodeau"]')
        assert page.evaluate("window.notReloaded") is True
        assert page.locator('#article a[data-entity="thibodeaux"]').count() == 0
        assert page.locator('#article a[data-entity="jean-luc-thibodeau"]').count() == 2
        assert page.evaluate("scrollY") == where
        # The button used is gone with the merged name: focus is on the Undo beside the news.
        assert page.evaluate("document.activeElement.textContent") == "Undo"
        assert page.locator("#panel-corrections").is_visible()  # still correcting


def test_renaming_to_an_existing_name_offers_the_merge(chromium, live_server):
    with browser_page(chromium, live_server, DESKTOP) as page:
        page.goto(stored(live_server))
        open_panel_at(page, "thibodeaux", 0)
        page.click("#panel [data-correct-toggle]")
        page.fill("#rename-thibodeaux", "Jean-Luc Thibodeau")
        page.click('#panel [data-focus-key="rename"]')
        assert "is already another name in this article" in announced(page)
        page.click(".announcement button:has-text('Merge them')")
        page.wait_for_selector('#panel .entity-panel[data-entity="jean-luc-thibodeau"]')
        assert page.locator('#article a[data-entity="thibodeaux"]').count() == 0


def test_correct_and_undo_without_leaving_the_panel(chromium, live_server, screen):
    """Guards issue 16: "Not a name here" used to close the panel and jump to the top; now
    the page, the panel's list and focus stay, and the change is said with an Undo."""
    with browser_page(chromium, live_server, screen) as page:
        page.goto(stored(live_server))
        open_panel_at(page, "daniel-kilabuk", 6)
        page.click("#panel [data-correct-toggle]")
        target = page.locator('#panel li[data-mention] >> nth=8')
        mention_id = target.get_attribute("data-mention")
        target.scroll_into_view_if_needed()
        where, panel_top = page.evaluate("scrollY"), page.evaluate("document.getElementById('panel').scrollTop")
        assert panel_top > 0
        page.click(f'#panel [data-focus-key="remove-{mention_id}"]')
        assert announced(page) == "“Daniel Kilabuk” here is not a name."
        page.wait_for_function("n => document.querySelectorAll('#panel li[data-mention]').length === n", arg=13)
        assert page.locator('#panel .entity-panel[data-entity="daniel-kilabuk"]').count() == 1
        assert page.evaluate("scrollY") == where
        assert page.evaluate("document.getElementById('panel').scrollTop") == panel_top
        assert page.evaluate("document.activeElement.textContent") == "Undo"
        page.keyboard.press("Enter")  # the Undo, from the keyboard
        page.wait_for_function("() => document.querySelector('.announcement-text').textContent.startsWith('Undone')")
        page.wait_for_function("n => document.querySelectorAll('#panel li[data-mention]').length === n", arg=14)
        assert page.locator(f'#article a[data-mention="{mention_id}"]').count() == 1
        assert page.evaluate("scrollY") == where


def test_mark_a_name_from_a_selection_with_its_type(chromium, live_server, screen):
    # Other words on each screen: the live server's library learns what the first marked.
    ridge = "Tagish Ridge" if screen is DESKTOP else "Atlin Ridge"
    analysis = marked_article(f"The {ridge} site stood above the river, and "
                              "[[Daniel Kilabuk|person|daniel-kilabuk]] inspected it.",
                              headline="Ridge inspection")
    with browser_page(chromium, live_server, screen) as page:
        page.goto(stored(live_server, analysis))
        page.evaluate("""() => {
            const block = [...document.querySelectorAll('#article .block')].find(b => b.textContent.startsWith('The ' + ridge));
            const node = block.firstChild, at = node.textContent.indexOf(ridge);
            const range = document.createRange();
            range.setStart(node, at); range.setEnd(node, at + ridge.length);
            getSelection().removeAllRanges(); getSelection().addRange(range);
        }""".replace("() =>", "ridge =>"), ridge)
        page.click(".passage-tool .passage-tool-mark")
        page.click('.passage-tool [data-mark-type="place"]')
        marked = page.locator('#article a.mention[data-type="place"]')
        marked.wait_for()
        assert marked.inner_text() == ridge
        assert announced(page) == f"“{ridge}” is marked as a place."


def test_the_panel_header_stays_and_close_returns_to_the_reading(chromium, live_server):
    with browser_page(chromium, live_server, DESKTOP) as page:
        page.goto(stored(live_server))
        open_panel_at(page, "daniel-kilabuk", 8)
        where = page.evaluate("scrollY")
        assert where > 500
        page.evaluate("document.getElementById('panel').scrollTop = 600")
        header = page.locator("#panel .panel-header").bounding_box()
        panel = page.locator("#panel").bounding_box()
        assert abs(header["y"] - panel["y"]) <= 2  # sticky at the top of the scrolled panel
        page.click("#panel [data-close-panel]")
        page.wait_for_selector("#panel:not(.open)")
        assert page.evaluate("scrollY") == where
        assert page.evaluate("document.activeElement.dataset.entity") == "daniel-kilabuk"


def closed(page):
    page.wait_for_function("() => !document.getElementById('panel').classList.contains('open')")


def settled_box(page, selector: str) -> dict:
    """The element's box once htmx's swap has put it in place (a tap on a name while the
    panel is open swaps the panel's content: the old header is gone for a moment)."""
    locator = page.locator(selector)
    for _ in range(50):
        locator.wait_for(state="visible")
        box = locator.bounding_box()
        if box is not None:
            return box
        page.wait_for_timeout(20)
    raise AssertionError(f"{selector} never settled")


def test_the_phone_sheet_opens_low_drags_taller_and_closes_by_tap_or_swipe(chromium, live_server):
    with browser_page(chromium, live_server, PHONE) as page:
        url = stored(live_server)
        page.goto(url + "?entity=daniel-kilabuk")
        # Opened with the panel open, the first name is not under the sheet.
        sheet = page.locator("#panel").bounding_box()
        first = page.locator('#article a[data-entity="daniel-kilabuk"]').first.bounding_box()
        assert 0.3 * 844 < sheet["height"] < 0.5 * 844
        assert first["y"] + first["height"] <= sheet["y"]
        page.locator('#article a[data-entity="daniel-kilabuk"]').nth(3).tap()
        page.wait_for_selector("#panel.open")
        where = page.evaluate("scrollY")
        header = settled_box(page, "#panel .panel-header")
        x, y = header["x"] + 150, header["y"] + 8
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y - 250, steps=5)
        page.mouse.up()
        assert page.locator("#panel").bounding_box()["height"] > sheet["height"] + 200
        page.touchscreen.tap(6, 200)  # on the page beside the text, outside the sheet
        closed(page)
        assert page.evaluate("scrollY") == where
        page.locator('#article a[data-entity="daniel-kilabuk"]').nth(3).tap()
        page.wait_for_selector("#panel.open")
        header = settled_box(page, "#panel .panel-header")
        x, y = header["x"] + 150, header["y"] + 8
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x, y + 200, steps=5)
        page.mouse.up()
        closed(page)


def test_places_are_off_until_toggled_on(chromium, live_server, screen):
    with browser_page(chromium, live_server, screen) as page:
        page.goto(stored(live_server))
        place = page.locator('#article a[data-type="place"]').first
        colour = "el => getComputedStyle(el).backgroundColor"
        assert place.evaluate(colour) == "rgba(0, 0, 0, 0)"
        assert place.get_attribute("title") == "Place"
        assert page.locator('.legend-item[data-type="place"] .count').inner_text() == "1"
        page.check("[data-toggle-type=place]")
        assert place.evaluate(colour) != "rgba(0, 0, 0, 0)"
        page.uncheck("[data-toggle-type=place]")
        assert place.evaluate(colour) == "rgba(0, 0, 0, 0)"


def test_the_legend_is_at_hand_deep_in_the_article(chromium, live_server):
    with browser_page(chromium, live_server, DESKTOP) as page:
        page.goto(stored(live_server))
        page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
        box = page.locator("#legend").bounding_box()
        assert 0 <= box["y"] < 5


def test_a_sentence_link_copies_and_stays(chromium, live_server):
    with browser_page(chromium, live_server, DESKTOP) as page:
        url = stored(live_server)
        page.goto(url)
        open_panel_at(page, "daniel-kilabuk", 2)
        where, address = page.evaluate("scrollY"), page.url
        page.locator("#panel .sentence-link").nth(2).click()
        page.wait_for_selector("#panel .copy-feedback:has-text('Link copied')")
        assert page.url == address and page.evaluate("scrollY") == where
        assert "?p=" in page.evaluate("navigator.clipboard.readText()")


def test_the_new_controls_have_no_axe_violations(chromium, live_server, screen):
    with browser_page(chromium, live_server, screen) as page:
        page.goto(stored(live_server))
        open_panel_at(page, "thibodeaux", 0)
        page.click("#panel [data-correct-toggle]")
        page.check("[data-toggle-type=place]")
        assert_no_violations(page, live_server.url)
        page.click('#panel [data-focus-key="retype"]')
        announced(page)
        assert_no_violations(page, live_server.url)
        page.evaluate("""() => {
            const block = document.querySelector('#article p.block');
            const range = document.createRange();
            range.setStart(block.firstChild, 4); range.setEnd(block.firstChild, 15);
            getSelection().removeAllRanges(); getSelection().addRange(range);
        }""")
        page.click(".passage-tool .passage-tool-mark")
        assert_no_violations(page, live_server.url)


def test_a_typo_suggests_a_name_and_a_result_opens_at_its_match(chromium, live_server, screen):
    url = stored(live_server)
    with browser_page(chromium, live_server, screen) as page:
        page.goto(live_server.url + "/search?q=Kilabuck")
        page.click(".suggestion a")
        page.wait_for_selector(".search-hit")
        assert page.input_value("input[type=search]") == "Kilabuk"
        hit = page.locator(f'.search-hit[data-slug="{url.rsplit("/", 1)[1]}"] a.article-link')
        hit.click()
        page.wait_for_selector("#article .passage")
        assert page.locator("#article .passage").first.inner_text() == "Kilabuk"
        box = page.locator("#article .passage").first.bounding_box()
        assert 0 <= box["y"] < 844


def test_a_library_merge_is_followed_by_the_entity_page_and_both_panels(chromium, live_server):
    first = stored(live_server, marked_article(
        "[[Margaret Halvorson|person|margaret-halvorson]] chairs the board.", headline="Board chair named"))
    second = stored(live_server, marked_article(
        "[[Margaret Halvorsen|person|margaret-halvorsen]] spoke to reporters.", headline="Chair speaks"))
    with browser_page(chromium, live_server, DESKTOP) as page:
        page.goto(first + "?entity=margaret-halvorson")
        assert page.locator("#panel [data-also-in]").count() == 0
        page.goto(live_server.url + "/entities?q=Halvorson")
        page.click(".entity-list a:has-text('Margaret Halvorson')")
        offered = page.locator("[data-possibly-same] [data-library-merge]")
        assert offered.count() == 1 and "Margaret Halvorsen" in offered.inner_text()
        assert_no_violations(page, live_server.url)
        offered.click()
        page.wait_for_selector("[data-library-merges]")
        assert page.locator(".appearance-list li").count() == 2
        for url, entity in ((first, "margaret-halvorson"), (second, "margaret-halvorsen")):
            page.goto(f"{url}?entity={entity}")
            assert page.locator("#panel [data-also-in]").inner_text() == "Also in 1 other article"
        page.goto(live_server.url + "/entities?q=Halvorson")
        page.click(".entity-list a:has-text('Margaret Halvorson')")
        page.click("[data-library-merges] button:has-text('Undo')")
        page.wait_for_selector("[data-possibly-same]")
        page.goto(f"{first}?entity=margaret-halvorson")
        assert page.locator("#panel [data-also-in]").count() == 0
