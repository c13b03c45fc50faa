"""Passage links in a real browser (issue 4): select, copy, open; after edits; the
keyboard; without JavaScript. Debian's Chromium under Playwright, against waitress."""
from contextlib import contextmanager

import pytest

pytestmark = pytest.mark.browser

from webapp.analysis import analyse  # noqa: E402
from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402

CLIPBOARD = ["clipboard-read", "clipboard-write"]
# Edits for the sample article: an earlier paragraph rewritten, and a passage to share
# that comes after it.
EARLIER = "said on Tuesday that members had not been consulted"
EARLIER_EDITED = "told reporters on Tuesday that not one of the members had been consulted"
LATER = "Meridian had \"no plans to automate the terminal\""


@contextmanager
def open_page(chromium, live_server=None, **options):
    """A page in a fresh browser context, allowed the clipboard when given the server."""
    context = chromium.new_context(**options)
    if live_server is not None:
        context.grant_permissions(CLIPBOARD, origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield context, page
    finally:
        context.close()


def store(live_server, analysis, title):
    with live_server.app.app_context():
        slug = save_analysis(get_db(), analysis, title).slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


# The text node and offset of the n-th character (code unit) of a block's text.
CHARACTER_AT = """(block, n) => {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (n < node.length) return [node, n];
        n -= node.length;
    }
}"""


def select_text(page, block, start, end, *, mouse, end_block=None):
    """Select characters [start, end) of the block's text (end counted in end_block when
    given), with a mouse drag or, where pointer precision does not matter, a DOM Range."""
    page.eval_on_selector(f'#article [data-block="{block}"]', "el => el.scrollIntoView({block: 'center'})")
    points = page.evaluate("""([first, last, start, end, useMouse]) => {
        const at = """ + CHARACTER_AT + """;
        const [startNode, startOffset] = at(document.querySelector(`#article [data-block="${first}"]`), start);
        const [endNode, endOffset] = at(document.querySelector(`#article [data-block="${last}"]`), end - 1);
        if (!useMouse) {
            const range = document.createRange();
            range.setStart(startNode, startOffset);
            range.setEnd(endNode, endOffset + 1);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
            return null;
        }
        const box = (node, offset) => {
            const range = document.createRange();
            range.setStart(node, offset);
            range.setEnd(node, offset + 1);
            return range.getBoundingClientRect();
        };
        const a = box(startNode, startOffset), b = box(endNode, endOffset);
        return [a.left + 1, a.top + a.height / 2, b.right - 1, b.top + b.height / 2];
    }""", [block, end_block or block, start, end, mouse])
    if mouse:
        x0, y0, x1, y1 = points
        page.mouse.move(x0, y0)
        page.mouse.down()
        page.mouse.move(x1, y1, steps=8)
        page.mouse.up()


def passage_text(page):
    return "".join(page.locator(".passage").all_text_contents())


def in_viewport(page, selector):
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
    }""")


def copied_link(page):
    """Press "Copy link to passage" and return what it copied."""
    page.click(".passage-tool button")
    page.wait_for_selector(".passage-tool .copy-feedback:has-text('Link copied')")
    return page.evaluate("navigator.clipboard.readText()")


@pytest.fixture(scope="module")
def sample_passage_url(live_server, sample_analysis):
    return store(live_server, sample_analysis, "Passage links in the browser")


def test_select_with_the_mouse_copy_and_open(chromium, live_server, sample_passage_url,
                                             sample_analysis):
    """Guards the main way to share: a mouse selection over a name becomes a link in the
    clipboard that opens a page with exactly that text marked and scrolled into view; a
    selection across blocks too; and where the clipboard refuses, a field with the link."""
    text = sample_analysis.text
    block = next(b for b in sample_analysis.blocks if LATER in sample_analysis.block_text(b))
    # It starts on plain text: a drag that starts on a link drags the link instead.
    quote = "the firm would keep every current contract. Lindqvist's spokesman added that " + LATER
    start = text.index(quote) - block.start
    with open_page(chromium, live_server, viewport={"width": 1280, "height": 500}) as (context, page):
        page.goto(sample_passage_url)
        select_text(page, block.id, start, start + len(quote), mouse=True)
        assert page.evaluate("getSelection().toString()") == quote
        link = copied_link(page)
        assert link.startswith(sample_passage_url + "?p=") and "#:~:text=" in link

        shared = context.new_page()
        shared.goto(link)
        assert passage_text(shared) == quote
        shared.wait_for_function("""() => {
            const r = document.querySelector('.passage').getBoundingClientRect();
            return r.top >= 40 && r.bottom <= innerHeight;  // in view, with room above
        }""")
        assert shared.locator(".passage-bar").is_visible()
        assert shared.locator(".passage > a.mention").count() >= 1  # "Lindqvist", still a link

        # Across two blocks, and a clipboard that refuses: the link is shown, selected.
        first = next(b for b in sample_analysis.blocks if b.kind == "paragraph")
        second = next(b for b in sample_analysis.blocks if b.kind == "paragraph" and b.start > first.end)
        page.evaluate("() => { navigator.clipboard.writeText = () => Promise.reject(new Error('denied')); }")
        select_text(page, first.id, 10, 5, end_block=second.id, mouse=False)
        page.wait_for_selector(f'.passage-tool:not([hidden])[data-start="{first.start + 10}"]'
                               f'[data-end="{second.start + 5}"]')
        page.click(".passage-tool button")
        field = page.locator(".passage-tool .copy-fallback input")
        field.wait_for()
        assert page.evaluate("document.activeElement.matches('.copy-fallback input')")
        assert page.evaluate("document.activeElement.selectionEnd") == len(field.input_value())
        shared.goto(field.input_value())
        assert passage_text(shared) == (text[first.start + 10:first.end].strip()
                                        + text[second.start:second.start + 5])


def test_a_link_survives_an_edit_then_fails_honestly(chromium, live_server, sample_analysis, nlp):
    """Guards links across versions in the browser: after an earlier paragraph is edited
    the passage is still marked and in view; once it is deleted, the page opens at the
    top with the notice and the quote."""
    title = "Passage links across versions"
    url = store(live_server, sample_analysis, title)
    text = sample_analysis.text
    with open_page(chromium, live_server, viewport={"width": 1280, "height": 500}) as (context, page):
        page.goto(url)
        block = next(b for b in sample_analysis.blocks if LATER in sample_analysis.block_text(b))
        start = text.index(LATER) - block.start
        select_text(page, block.id, start, start + len(LATER), mouse=False)
        page.wait_for_selector(".passage-tool:not([hidden])")
        link = copied_link(page)

        store(live_server, analyse(text.replace(EARLIER, EARLIER_EDITED), nlp), title)
        # Without its Text Fragment (as some apps pass links on), so that it is the page's
        # own script that brings the passage into view, with room above it.
        page.goto(link.split("#")[0])
        assert page.get_attribute(".passage-bar", "data-method") == "quote"
        assert passage_text(page) == LATER
        page.wait_for_function("""() => {
            const r = document.querySelector('.passage').getBoundingClientRect();
            return r.top >= 40 && r.bottom <= innerHeight;
        }""")

        without = text.replace(EARLIER, EARLIER_EDITED).replace(
            " Lindqvist's spokesman added that Meridian had \"no plans to automate the terminal\".", "")
        assert LATER not in without
        store(live_server, analyse(without, nlp), title)
        page.goto("about:blank")  # else going to the same URL again only moves to its fragment
        page.goto(link)
        assert page.locator(".passage").count() == 0
        notice = page.locator(".passage-orphan")
        assert "This passage is no longer in this article" in notice.inner_text()
        assert notice.locator(".shared-quote").inner_text() == LATER
        assert page.evaluate("scrollY") == 0 and in_viewport(page, ".passage-orphan")


def test_keyboard_only_paragraph_link(chromium, live_server, sample_passage_url, sample_analysis):
    """Guards the keyboard way to share: Tab reaches a paragraph's link, Enter copies it and
    stays where the reader is, saying so (issue 16); the link copied opens the paragraph,
    marked."""
    with open_page(chromium, live_server, viewport={"width": 1280, "height": 500}) as (context, page):
        page.goto(sample_passage_url)
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.matches('.block-row > .block-link')"):
                break
        else:
            pytest.fail("Tab never reached a paragraph's link")
        assert page.evaluate("getComputedStyle(document.activeElement).opacity") == "1"
        block_id = page.evaluate(
            "document.activeElement.parentElement.querySelector('.block').dataset.block")
        where, url = page.evaluate("scrollY"), page.url
        page.keyboard.press("Enter")
        page.wait_for_selector(".block-row > .copy-feedback:has-text('Link copied')")
        assert page.url == url and page.evaluate("scrollY") == where
        assert page.evaluate("document.activeElement.matches('.block-row > .block-link')")
        link = page.evaluate("navigator.clipboard.readText()")
        assert "?p=" in link
        page.goto(link)
        block = next(b for b in sample_analysis.blocks if b.id == block_id)
        assert passage_text(page) == sample_analysis.block_text(block).strip()
        assert in_viewport(page, ".passage")


def test_a_passage_link_works_without_javascript(chromium, sample_passage_url, sample_analysis):
    """Guards the no-JavaScript reader: the server marks the passage, and a paragraph's
    link is a plain link to it."""
    with open_page(chromium, java_script_enabled=False) as (context, page):
        page.goto(sample_passage_url)
        page.locator(".block-row > .block-link").nth(2).click()
        page.wait_for_url(lambda url: "?p=" in url)
        assert page.locator(".passage").count() >= 1
        paragraphs = [b for b in sample_analysis.blocks if b.kind == "paragraph"]
        assert passage_text(page) == sample_analysis.block_text(paragraphs[2]).strip()
        assert page.locator(".passage-bar").is_visible()


def test_a_selection_after_emoji_and_right_to_left_text(chromium, live_server):
    """Guards the UTF-16 to code-point conversion in passages.js: after emoji (two UTF-16
    units, one Python character) and Hebrew, the link still marks the selected words."""
    from webapp.analysis.article import Analysis, Block

    text = "🎉 Party 🇳🇴\n\nThe team 😀😀 won, said Ola, שלום to all, and went home."
    blocks = [Block("b1", "headline", 0, text.index("\n")), Block("b2", "paragraph", text.index("The"), len(text))]
    url = store(live_server, Analysis(text, blocks, []), "Emoji passage")
    quote = "שלום to all, and went"
    start = text.index(quote)
    with open_page(chromium, live_server) as (context, page):
        page.goto(url)
        units = len(text[blocks[1].start:start].encode("utf-16-le")) // 2
        select_text(page, "b2", units, units + len(quote), mouse=False)
        page.wait_for_selector(f'.passage-tool:not([hidden])[data-start="{start}"]'
                               f'[data-end="{start + len(quote)}"]')
        page.goto(copied_link(page))
        assert passage_text(page) == quote
