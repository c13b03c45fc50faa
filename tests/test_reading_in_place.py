"""Reading and correcting without friction (issue 16), through the Flask test client: Same
as... on every entity, a mention moved to another entity, a rename to an existing name,
the announcement a correction sends, places as a type, and the small things a reader
notices (error wording, the entity list past its end, returning after login, a saved
page's section label)."""
from __future__ import annotations

import json
import re

from marked_articles import marked_article

from webapp.ingest.html import extract_html, is_section_label

TITLE = "Tailings dam questions"


def article(store_article):
    return store_article(marked_article(
        "[[Jean-Luc Thibodeau|person|jean-luc-thibodeau]] spoke for [[Quantica Research|organization|quantica]].",
        "\"Nobody wants that,\" [[Thibodeaux|organization|thibodeaux]] said in [[Dawson City|place|dawson-city]].",
        "[[Sousa Tavira|person|sousa-tavira]] wrote twice; [[Miguel Sousa Tavira|person|miguel-sousa-tavira]] signed.",
        headline=TITLE), TITLE)


def post(client, slug, htmx=False, **form):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(f"/articles/{slug}/corrections", data=form, headers=headers)


def entities(client, slug) -> dict:
    return {e["id"]: e for e in client.get(f"/articles/{slug}.json").get_json()["entities"]}


def test_every_entity_offers_the_others_as_same_as_its_own_type_and_likest_first(client, store_article):
    slug = article(store_article)
    html = client.get(f"/articles/{slug}?entity=thibodeaux").get_data(as_text=True)
    offered = re.findall(r'data-same-as="([^"]+)"', html)
    assert set(offered) == {"jean-luc-thibodeau", "quantica", "dawson-city", "sousa-tavira", "miguel-sousa-tavira"}
    assert offered[0] == "quantica"  # the same type first: an organisation
    html = client.get(f"/articles/{slug}?entity=sousa-tavira").get_data(as_text=True)
    assert re.findall(r'data-same-as="([^"]+)"', html)[0] == "miguel-sousa-tavira"


def test_same_as_merges_in_one_click_keeping_the_fuller_name(client, store_article):
    slug = article(store_article)
    response = post(client, slug, kind="same-as", entity="thibodeaux", other="jean-luc-thibodeau")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("?entity=jean-luc-thibodeau")
    found = entities(client, slug)
    assert "thibodeaux" not in found
    assert [m["text"] for m in found["jean-luc-thibodeau"]["mentions"]] == ["Jean-Luc Thibodeau", "Thibodeaux"]


def test_a_correction_by_htmx_keeps_the_panel_and_announces_what_changed_with_undo(client, store_article):
    slug = article(store_article)
    response = post(client, slug, htmx=True, kind="same-as", entity="sousa-tavira", other="miguel-sousa-tavira")
    assert response.status_code == 204
    location = json.loads(response.headers["HX-Location"])
    assert location["path"].endswith("?entity=miguel-sousa-tavira") and location["target"] == "#main"
    said = json.loads(response.headers["HX-Trigger"])["dramatis:announce"]
    assert said["message"] == "“Sousa Tavira” is the same as “Miguel Sousa Tavira”."
    (undo,) = said["actions"]
    assert undo["label"] == "Undo" and re.fullmatch(rf"/articles/{slug}/corrections/\d+/undo", undo["url"])
    undone = client.post(undo["url"], data={"entity": "miguel-sousa-tavira"}, headers={"HX-Request": "true"})
    assert json.loads(undone.headers["HX-Trigger"])["dramatis:announce"]["message"].startswith("Undone: ")
    assert "sousa-tavira" in entities(client, slug)


def test_not_a_name_keeps_the_panel_while_mentions_remain(client, store_article):
    slug = store_article(marked_article("[[Kilabuk|person|kilabuk]] said it. [[Kilabuk|person|kilabuk]] again.",
                                        headline="Two mentions"), "Two mentions")
    response = post(client, slug, kind="remove", entity="kilabuk", mention="m1")
    assert response.headers["Location"].endswith("?entity=kilabuk")
    response = post(client, slug, kind="remove", entity="kilabuk", mention="m2")
    assert "entity=" not in response.headers["Location"]  # none left: the panel closes


def test_a_split_mention_can_go_to_another_entity(client, store_article):
    slug = article(store_article)
    response = post(client, slug, kind="split", entity="thibodeaux", mention="m3", to="jean-luc-thibodeau")
    assert response.status_code == 303
    found = entities(client, slug)
    assert "thibodeaux" not in found and len(found["jean-luc-thibodeau"]["mentions"]) == 2
    history = client.get(f"/articles/{slug}/corrections").get_data(as_text=True)
    assert "“Thibodeaux” here is “Jean-Luc Thibodeau”." in history


def test_renaming_to_an_existing_name_offers_the_merge(client, store_article):
    slug = article(store_article)
    response = post(client, slug, kind="rename", entity="thibodeaux", value="jean-luc  thibodeau")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "is already a name in this article" in html
    assert "thibodeaux" in entities(client, slug)  # nothing changed yet
    offer = post(client, slug, htmx=True, kind="rename", entity="thibodeaux", value="Jean-Luc Thibodeau")
    actions = json.loads(offer.headers["HX-Trigger"])["dramatis:announce"]["actions"]
    assert [a["label"] for a in actions] == ["Merge them", "Rename anyway"]
    post(client, slug, **actions[0]["fields"])
    assert "thibodeaux" not in entities(client, slug)


def test_places_are_a_type_like_the_others(client, store_article):
    slug = article(store_article)
    html = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert re.search(r'<a class="mention" data-type="place" data-entity="dawson-city"[^>]*title="Place"', html)
    assert re.search(r'data-toggle-type="place">.*?<span class="count"[^>]*>1<', html, re.S)
    assert client.get("/entities.json?type=place").get_json()["entities"][0]["name"] == "Dawson City"
    assert post(client, slug, kind="mark", words="Nobody", value="place").status_code == 303


def test_error_pages_speak_our_words(client, store_article):
    slug = article(store_article)
    html = client.get("/no/such/page").get_data(as_text=True)
    assert "This page does not exist" in html and "Not Found" not in html
    html = client.get(f"/articles/{slug}?p=a-b&q=Anna").get_data(as_text=True)
    assert "should be two numbers" in html and "START-END" not in html


def test_the_entity_list_past_its_last_page_says_so(client, store_article):
    article(store_article)
    html = client.get("/entities?page=40").get_data(as_text=True)
    assert "found" in html and "No one and nothing found" not in html
    assert "This list has 1 page, not 40" in html


def test_logging_in_from_an_article_returns_to_it(client, store_article):
    slug = article(store_article)
    html = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert f'href="/login?next=/articles/{slug}"' in html


def test_a_saved_pages_section_label_is_dropped():
    page = """<html><head><title>Port deal draws scrutiny</title></head><body><article>
    <p>Business · Economy</p><h1>Port deal draws scrutiny</h1>
    <p>The harbour authority said on Monday that the deal with Meridian Shipping would be
    reviewed by the port's board before the summer, after questions from lawmakers.</p>
    <p>Officials in Lisbon said the review would take six weeks and that the terminal would
    stay open while it ran, with no change to the workers' contracts.</p></article></body></html>"""
    assert "Business · Economy" not in extract_html(page).text
    assert is_section_label("World › Europe") and not is_section_label("He said: yes · no, he did.")
