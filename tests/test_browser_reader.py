"""The reader in a real browser: Debian's Chromium under Playwright, against waitress."""
import re

import pytest

pytestmark = pytest.mark.browser

from test_security import HOSTILE_TITLE, hostile_analysis  # noqa: E402

from webapp.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.reader import article_added  # noqa: E402


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
