"""Accessibility checked by axe-core in a real browser (issue 7): the library, an article,
an article with its panel open, a passage page, on a desktop and a phone screen."""
import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

from webapp.web.db import get_db  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.articles import article_added  # noqa: E402

# Vendored, with its licence and checksum (tests/vendor/axe-core/VERSION); only the tests
# load it, the app never serves it.
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# The CSP allows same-origin script files only, and Playwright injects add_script_tag(path=)
# as an inline script, which it refuses. So the browser fetches axe from a same-origin URL
# that Playwright answers itself: the page under test keeps its real CSP.
AXE_PATH = "/static/__tests__/axe.min.js"

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(scope="module")
def sample_url(live_server, sample_analysis):
    with live_server.app.app_context():
        slug = save_analysis(get_db(), sample_analysis, "Accessibility of the reader").slug
        article_added()
    return f"{live_server.url}/articles/{slug}"


@pytest.fixture(params=list(SCREENS))
def screen_page(request, chromium, live_server):
    context = chromium.new_context(**SCREENS[request.param])
    context.route(live_server.url + AXE_PATH,
                  lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


def axe_violations(page, base_url):
    """Run every axe-core rule that is on by default on the page; its violations, readable."""
    page.add_script_tag(url=base_url + AXE_PATH)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert not [e for e in page.console_errors if "Content Security Policy" in e], page.console_errors
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]],
             "why": v["nodes"][0]["failureSummary"]} for v in result["violations"]]


def assert_no_violations(page, base_url):
    violations = axe_violations(page, base_url)
    assert violations == [], json.dumps(violations, indent=1)


def most_mentioned(analysis):
    return max(analysis.entities, key=lambda e: len(e.mentions))


def test_the_library_has_no_axe_violations(screen_page, live_server, sample_url):
    screen_page.goto(live_server.url + "/")
    assert screen_page.locator(".article-item").count() >= 1
    assert_no_violations(screen_page, live_server.url)


def test_a_refused_add_form_has_no_axe_violations(screen_page, live_server, sample_url):
    screen_page.goto(live_server.url + "/")
    screen_page.fill("#text", " ")
    screen_page.click("button[type=submit]")
    screen_page.wait_for_selector("#add-error")
    assert_no_violations(screen_page, live_server.url)


def test_an_article_has_no_axe_violations(screen_page, live_server, sample_url):
    """Guards issue 7: every highlight was a link told from the text only by a pale
    background (link-in-text-block, serious), and caption titles skipped a heading level."""
    screen_page.goto(sample_url)
    assert screen_page.locator("#article a.mention").count() > 10
    assert screen_page.locator("#article figure").count() >= 1  # captions are checked too
    assert_no_violations(screen_page, live_server.url)


def test_an_article_with_a_type_turned_off_has_no_axe_violations(screen_page, live_server, sample_url):
    """Names of a type turned off in the legend lose their colour but are still links."""
    screen_page.goto(sample_url)
    screen_page.uncheck("[data-toggle-type=person]")
    assert_no_violations(screen_page, live_server.url)


def test_an_article_with_the_panel_open_has_no_axe_violations(screen_page, live_server, sample_url,
                                                             sample_analysis):
    entity = most_mentioned(sample_analysis)
    screen_page.goto(sample_url)
    screen_page.click(f'#article a[data-entity="{entity.id}"] >> nth=0')  # htmx swaps the panel in
    screen_page.wait_for_selector("#panel .entity-panel")
    assert_no_violations(screen_page, live_server.url)
    screen_page.goto(f"{sample_url}?entity={entity.id}")  # the same panel, rendered by the server
    assert_no_violations(screen_page, live_server.url)


def test_a_passage_page_has_no_axe_violations(screen_page, live_server, sample_url):
    screen_page.goto(sample_url)
    passage = screen_page.get_attribute("#article .block-link >> nth=1", "href")
    screen_page.goto(live_server.url + passage)
    assert screen_page.locator("#article .passage").count() >= 1
    assert screen_page.locator(".passage-bar").count() == 1
    assert_no_violations(screen_page, live_server.url)


def test_an_error_page_has_no_axe_violations(screen_page, live_server):
    screen_page.goto(live_server.url + "/articles/no-such-article")
    assert screen_page.locator("[data-status='404']").count() == 1
    assert_no_violations(screen_page, live_server.url)
