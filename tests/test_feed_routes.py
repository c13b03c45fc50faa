"""The Atom feeds of the library, an entity and a search (issue 19), read with feedparser as
a feed reader would: ids, dates and links; every page that has a feed names it; feeds are
revalidated with ETags like pages; a search with no match is a valid, empty feed."""
import re

import feedparser
import pytest
from marked_articles import marked_article

from webapp.store import save_analysis
from webapp.web.articles import article_added
from webapp.web.db import get_db

BASE = "http://localhost"


@pytest.fixture
def library(app):
    """Two articles that mention Anna Berg (one from a site), one that does not."""
    with app.app_context():
        for title, body, metadata in (
                ("Rain in Oslo", "[[Anna Berg|person|anna-berg]] measured the rain in Oslo.",
                 {"site_name": "The Weather Desk", "published": "2026-03-01", "author": "Kari Dahl"}),
                ("Dams for the north", "The board heard [[Anna Berg|person|anna-berg]] on dams.", {}),
                ("Ferry strike", "The ferry crews stopped work on Monday.", {})):
            save_analysis(get_db(), marked_article(body, headline=title), title, metadata=metadata)
        article_added()


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return response, feed


def entity_url(client):
    rows = client.get("/entities.json", query_string={"q": "Anna Berg"}).get_json()["entities"]
    return rows[0]["url"]


def test_an_entity_feed_lists_the_articles_that_mention_it_with_the_panel_open(client, library):
    page = entity_url(client)
    _, feed = parse(client, page + ".atom")
    assert feed.feed.id == BASE + page and feed.feed.title == "Anna Berg · Dramatis"
    assert {l.rel: l.href for l in feed.feed.links} == {"alternate": BASE + page, "self": BASE + page + ".atom"}
    assert [e.title for e in feed.entries] == ["Dams for the north", "Rain in Oslo"]
    rain = feed.entries[1]
    assert rain.id == BASE + "/articles/rain-in-oslo"
    assert rain.link == BASE + "/articles/rain-in-oslo?entity=anna-berg"
    assert rain.updated_parsed and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rain.updated)
    assert rain.summary == "The Weather Desk — Anna Berg measured the rain in Oslo."
    assert feed.feed.updated == max(e.updated for e in feed.entries)


def test_the_library_feed_has_every_article_with_its_source_author_and_dates(client, library):
    _, feed = parse(client, "/library.atom")
    assert feed.feed.id == BASE + "/" and len(feed.entries) == 3
    rain = next(e for e in feed.entries if e.title == "Rain in Oslo")
    assert rain.link == BASE + "/articles/rain-in-oslo" and rain.author == "Kari Dahl"
    assert rain.published == "2026-03-01T00:00:00Z" and rain.updated_parsed
    assert len({e.id for e in feed.entries}) == 3


def test_a_search_feed_links_each_article_at_the_match(client, library):
    _, feed = parse(client, "/search.atom?q=dams")
    (entry,) = feed.entries
    assert entry.title == "Dams for the north" and entry.id == BASE + "/articles/dams-for-the-north"
    assert entry.link.startswith(BASE + "/articles/dams-for-the-north#:~:text=")
    assert feed.feed.id == BASE + "/search.atom?q=dams"


@pytest.mark.parametrize("query", ["no-such-words-anywhere", ""])
def test_a_search_feed_with_no_match_is_valid_and_empty(client, library, query):
    _, feed = parse(client, f"/search.atom?q={query}")
    assert feed.entries == [] and feed.feed.updated


def test_an_unknown_entity_feed_is_a_404(client, library):
    assert client.get("/entities/999999.atom").status_code == 404
    assert client.get("/entities/nobody.atom").status_code == 404


def test_feeds_carry_an_etag_and_answer_304_until_the_store_changes(client, app, library):
    first = client.get("/library.atom")
    etag = first.headers["ETag"]
    assert client.get("/library.atom", headers={"If-None-Match": etag}).status_code == 304
    with app.app_context():
        save_analysis(get_db(), marked_article("Later news.", headline="Later"), "Later")
        article_added()
    changed = client.get("/library.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and b"Later" in changed.data


def test_pages_that_have_a_feed_name_it(client, library):
    page = entity_url(client)
    for url, feed in (("/", "/library.atom"), (page, page + ".atom"),
                      ("/search?q=dams", "/search.atom?q=dams")):
        html = client.get(url).get_data(as_text=True)
        assert f'<link rel="alternate" type="application/atom+xml"' in html
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="'
                         + re.escape(feed) + '"', html), url
    assert "application/atom+xml" not in client.get("/search").get_data(as_text=True)


def test_a_hostile_title_stays_text_in_the_feed(client, app):
    title = '<script>alert(1)</script> & "quotes" hx-get=/x'
    with app.app_context():
        save_analysis(get_db(), marked_article("Plain words.", headline=title), title)
        article_added()
    response, feed = parse(client, "/library.atom")
    assert b"<script>" not in response.data and feed.entries[0].title == title
