"""The reader in a real browser: Debian's Chromium under Playwright, against waitress."""
import re

import pytest

pytestmark = pytest.mark.browser

from test_security import HOSTILE_TITLE, hostile_analysis  # noqa: E402

from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402


@pytest.fixture(scope="module")
def sample_url(live_server, sample_analysis):
    with live_server.app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


def person_in_a_caption(analysis):
    kinds = {b.id: b.kind for b in analysis.blocks}
    for entity in analysis.entities:
        if entity.type == "person" and len(entity.mentions) > 1 \
                and any(kinds[m.block] == "caption" for m in entity.mentions):
            return entity
    pytest.fail("the sample article must have a person named in a caption and elsewhere")


def in_viewport(page, selector):
    return page.eval_on_selector(selector, """el => {
        const r = el.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
    }""")


def test_add_an_article_through_the_form(page, live_server, sample_text):
    page.goto(live_server.url + "/")
    page.fill("#title", "Harbour deal, from the form")
    page.fill("#text", sample_text)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/articles/harbour-deal-from-the-form$"))
    assert page.locator("a.mention[data-type=person]").count() > 0
    page.goto(live_server.url + "/")
    assert page.locator(".article-link", has_text="Harbour deal, from the form").count() == 1


def test_click_a_person_lists_every_mention_with_captions(page, sample_url, sample_analysis):
    entity = person_in_a_caption(sample_analysis)
    page.goto(sample_url)
    page.click(f'#article a[data-entity="{entity.id}"] >> nth=-1')
    items = page.locator("#panel li[data-mention]")
    items.first.wait_for()
    assert items.count() == len(entity.mentions)
    assert page.locator('#panel li[data-kind="caption"]').count() >= 1
    assert page.locator("#panel .mention-count").inner_text() == f"{len(entity.mentions)} mentions"
    assert page.url == f"{sample_url}?entity={entity.id}"  # hx-push-url
    selected = page.locator("#article a.mention.selected")
    assert selected.count() == len(entity.mentions)
    assert set(selected.evaluate_all("els => els.map(e => e.dataset.entity)")) == {entity.id}


def test_a_mention_in_the_panel_scrolls_the_text_to_it(page, sample_url, sample_analysis):
    entity = person_in_a_caption(sample_analysis)
    page.set_viewport_size({"width": 1280, "height": 400})
    page.goto(f"{sample_url}?entity={entity.id}")
    last = max(entity.mentions, key=lambda m: m.start)
    page.evaluate("window.scrollTo(0, 0)")
    page.click(f'#panel li[data-mention="{last.id}"] a')
    page.wait_for_function(f"""() => {{
        const r = document.getElementById("mention-{last.id}").getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
    }}""")
    assert "flash" in page.get_attribute(f"#mention-{last.id}", "class")


def test_toggle_a_type_off_and_on(page, sample_url):
    page.goto(sample_url)
    person = page.locator("#article a.mention[data-type=person]").first
    coloured = person.evaluate("el => getComputedStyle(el).backgroundColor")
    assert coloured != "rgba(0, 0, 0, 0)"
    page.uncheck("[data-toggle-type=person]")
    assert person.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    organisation = page.locator("#article a.mention[data-type=organization]").first
    assert organisation.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.check("[data-toggle-type=person]")
    assert person.evaluate("el => getComputedStyle(el).backgroundColor") == coloured


def test_toggles_work_without_javascript(chromium, sample_url):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(sample_url)
        page.uncheck("[data-toggle-type=country]")
        country = page.locator("#article a.mention[data-type=country]").first
        assert country.evaluate("el => getComputedStyle(el).backgroundColor") == "rgba(0, 0, 0, 0)"
    finally:
        context.close()


def test_keyboard_only_open_and_close(page, sample_url):
    page.goto(sample_url)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#article a.mention')"):
            break
    else:
        pytest.fail("Tab never reached a highlighted mention")
    opener = page.evaluate("document.activeElement.dataset.mention")
    entity = page.evaluate("document.activeElement.dataset.entity")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'panel-title'")
    assert page.get_attribute("#panel .entity-panel", "data-entity") == entity
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('#panel .entity-panel')")
    assert page.evaluate("document.activeElement.dataset.mention") == opener
    assert page.url == sample_url  # the URL is the article's again
    assert page.locator("#article a.mention.selected").count() == 0


def test_the_close_button_closes_the_panel(page, sample_url, sample_analysis):
    entity = person_in_a_caption(sample_analysis)
    page.goto(f"{sample_url}?entity={entity.id}")
    page.click("#panel [data-close-panel]")
    page.wait_for_function("() => !document.querySelector('#panel .entity-panel')")
    assert page.url == sample_url


def test_back_button_returns_to_the_previous_panel_state(page, sample_url, sample_analysis):
    people = [e for e in sample_analysis.entities if e.type == "person"][:2]
    page.goto(sample_url)
    page.click(f'#article a[data-entity="{people[0].id}"] >> nth=0')
    page.wait_for_url(f"{sample_url}?entity={people[0].id}")
    page.wait_for_selector(f'#panel .entity-panel[data-entity="{people[0].id}"]')
    if len(people) > 1:
        page.click(f'#article a[data-entity="{people[1].id}"] >> nth=0')
        page.wait_for_selector(f'#panel .entity-panel[data-entity="{people[1].id}"]')
        page.go_back()
        page.wait_for_url(f"{sample_url}?entity={people[0].id}")
        page.wait_for_selector(f'#panel .entity-panel[data-entity="{people[0].id}"]')
    page.go_back()
    page.wait_for_url(sample_url)
    page.wait_for_selector("#panel .panel-empty")


def test_phone_layout_shows_the_panel_as_a_bottom_sheet(chromium, sample_url, sample_analysis):
    entity = person_in_a_caption(sample_analysis)
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(sample_url)
        assert not page.is_visible("#panel")
        page.click(f'#article a[data-entity="{entity.id}"] >> nth=0')
        page.wait_for_selector("#panel .entity-panel")
        box = page.locator("#panel").bounding_box()
        assert box["y"] + box["height"] == pytest.approx(740, abs=2) and box["width"] == pytest.approx(375, abs=2)
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


def test_a_malicious_article_stays_inert(page, live_server):
    with live_server.app.app_context():
        slug = save_analysis(get_db(), hostile_analysis(), HOSTILE_TITLE).slug
        article_added()
    dialogs, requests, errors = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    url = f"{live_server.url}/articles/{slug}"
    page.goto(url)
    for mention in page.locator("#article a.mention").all():
        mention.hover()
        mention.click()
        page.wait_for_selector("#panel .entity-panel")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.locator("#article img, #article b, #panel img").count() == 0
    assert all(r.startswith(live_server.url + "/") for r in requests), requests
    assert not any("/evil" in r for r in requests)
    assert not [e for e in errors if "Content Security Policy" in e], errors


# --- A page everyone can use (issue 7) ------------------------------------------------

# Whether an element is inside the part of the window a reader sees: above the bottom
# sheet when the panel is one (a fixed box) and `above_sheet` is asked, else the window.
IN_VISIBLE_AREA = """([id, aboveSheet]) => {
    const panel = document.getElementById("panel");
    const sheet = aboveSheet && getComputedStyle(panel).position === "fixed";
    const bottom = sheet ? panel.getBoundingClientRect().top : window.innerHeight;
    const r = document.getElementById(id).getBoundingClientRect();
    return r.top >= 0 && r.bottom <= bottom && r.left >= 0 && r.right <= window.innerWidth;
}"""


def most_mentioned(analysis):
    return max(analysis.entities, key=lambda e: len(e.mentions))


# A phone, and a laptop at 200% zoom (1280x800 seen as 640x400 CSS pixels).
SMALL_SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "zoom-200": {"viewport": {"width": 640, "height": 400}, "device_scale_factor": 2},
}


@pytest.mark.parametrize("screen", SMALL_SCREENS)
def test_go_to_mention_on_a_small_screen_lands_above_the_sheet(chromium, sample_url, sample_analysis,
                                                                screen):
    """Guards issue 7: on a phone and at 200% zoom "go to mention" in the bottom sheet
    scrolled every mention under the sheet; each must land above it, inside the window."""
    entity = most_mentioned(sample_analysis)
    context = chromium.new_context(reduced_motion="reduce", **SMALL_SCREENS[screen])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{sample_url}?entity={entity.id}")
        assert page.evaluate("getComputedStyle(document.getElementById('panel')).position") == "fixed"
        for mention in sorted(entity.mentions, key=lambda m: m.start, reverse=True):
            page.click(f'#panel li[data-mention="{mention.id}"] a[data-goto-mention]')
            page.wait_for_function(IN_VISIBLE_AREA, arg=[f"mention-{mention.id}", True])
        sheet_top = page.locator("#panel").bounding_box()["y"]
        assert sheet_top < page.viewport_size["height"] * 0.7  # the sheet is up, covering a lot
    finally:
        context.close()


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_mention_link_without_javascript_shows_the_mention_and_the_panel(chromium, sample_url,
                                                                          sample_analysis, screen):
    """Guards issue 7: without JavaScript a name's link (`?entity=...#mention-ID`) must open
    the page at that mention, clear of the top edge and of the bottom sheet, with the
    panel in view, not at the top of the article."""
    entity = most_mentioned(sample_analysis)
    last = max(entity.mentions, key=lambda m: m.start)
    options = SMALL_SCREENS["phone"] if screen == "phone" else {"viewport": {"width": 1280, "height": 600}}
    context = chromium.new_context(java_script_enabled=False, **options)
    page = context.new_page()
    try:
        page.goto(f"{sample_url}?entity={entity.id}#mention-{last.id}")
        assert page.evaluate("scrollY") > 0
        assert page.evaluate(IN_VISIBLE_AREA, [f"mention-{last.id}", True])
        assert page.locator(f"#mention-{last.id}").bounding_box()["y"] >= 40  # room above it
        assert page.evaluate(IN_VISIBLE_AREA, ["panel-title", False])
    finally:
        context.close()


def test_the_desktop_panel_heading_stays_visible_at_the_end_of_the_article(page, sample_url,
                                                                           sample_analysis):
    """Guards issue 7: at the end of a long article the sticky panel was pushed up by the
    page's bottom margin and its heading clipped above the window."""
    entity = most_mentioned(sample_analysis)
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto(sample_url)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.click(f'#article a[data-entity="{entity.id}"] >> nth=-1')
    page.wait_for_selector("#panel .entity-panel")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    # The panel is full (its own scroll), so this is the case where it was clipped.
    assert page.evaluate("document.getElementById('panel').scrollHeight > innerHeight")
    assert in_viewport(page, "#panel-title")
    assert page.locator("#panel").bounding_box()["y"] >= 0


LONG_TOKEN = "https://example.org/" + "averyveryverylongpath" * 14  # 314 characters


@pytest.fixture(scope="module")
def long_token_url(live_server, sample_text, nlp):
    from webapp.analysis import analyse

    first_break = sample_text.index("\n\n")
    text = sample_text[:first_break] + f"\n\nSee {LONG_TOKEN} for the filing." + sample_text[first_break:]
    with live_server.app.app_context():
        slug = save_analysis(get_db(), analyse(text, nlp), LONG_TOKEN).slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_300_character_token_wraps_inside_its_column(chromium, long_token_url, live_server, width):
    """Guards issue 7: a long unbroken token (a URL) widened the text column, pushing the
    names beside it under the panel, and the page scrolled sideways."""
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(long_token_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        column = page.locator(".reading-column").bounding_box()
        token = page.locator("#article p.block", has_text=LONG_TOKEN[:40]).bounding_box()
        assert token["x"] + token["width"] <= column["x"] + column["width"] + 1
        if width > 800:  # the panel beside the text: no name may reach under it
            panel_left = page.locator("#panel").bounding_box()["x"]
            rights = page.locator("#article a.mention").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().right)")
            assert rights and max(rights) <= panel_left
        page.goto(live_server.url + "/")  # its title in the library
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()


@pytest.fixture(scope="module")
def long_library(live_server, sample_analysis):
    with live_server.app.app_context():
        for number in range(32):
            save_analysis(get_db(), sample_analysis, f"Shelf filler {number}")
        article_added()
    return live_server.url + "/"


@pytest.mark.parametrize("javascript", [True, False])
def test_a_form_error_on_a_long_library_is_shown_and_focused(chromium, long_library, javascript):
    """Guards issue 7: with 30+ articles the add form's error was rendered 3,200 px below
    the fold; the reason must be in view and focused where the reader lands, with or
    without JavaScript, and the text they typed kept."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(long_library)
        assert page.locator(".article-item").count() >= 30
        page.fill("#title", "Nothing in it")
        page.fill("#text", "   \n  ")
        page.click("button[type=submit]")
        page.wait_for_selector("#add-error")
        assert "empty" in page.inner_text("#add-error")
        assert in_viewport(page, "#add-error")
        assert page.evaluate("document.activeElement.id") == "add-error"
        assert page.input_value("#title") == "Nothing in it"
        assert page.locator(".article-item").count() >= 30  # the library is still listed
    finally:
        context.close()


def test_the_page_has_a_favicon(page, sample_url, live_server):
    """Guards issue 7: every page names an icon of its own (an SVG under /static, which the
    CSP's img-src 'self' allows), so browsers do not ask for a missing /favicon.ico."""
    failed = []
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    for url in (live_server.url + "/", sample_url):
        page.goto(url)
        href = page.get_attribute("link[rel=icon]", "href")
        icon = page.request.get(live_server.url + href)
        assert icon.ok and icon.headers["content-type"].startswith("image/svg+xml")
        assert icon.text().lstrip().startswith("<svg")
    assert failed == []


def test_a_name_tapped_low_on_a_phone_stays_above_the_sheet_it_opens(chromium, sample_url,
                                                                     sample_analysis):
    """Guards issue 7: the bottom sheet opened over the lower 60% of the page, hiding the
    very name the reader had just tapped."""
    entity = most_mentioned(sample_analysis)
    context = chromium.new_context(reduced_motion="reduce", **SMALL_SCREENS["phone"])
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(sample_url)
        name = page.locator(f'#article a[data-entity="{entity.id}"]').last
        name.evaluate("el => el.scrollIntoView({block: 'end'})")
        assert name.bounding_box()["y"] > 844 * 0.6  # where the sheet will be
        name.click()
        page.wait_for_selector("#panel .entity-panel")
        mention = name.get_attribute("data-mention")
        page.wait_for_function(IN_VISIBLE_AREA, arg=[f"mention-{mention}", True])
    finally:
        context.close()
