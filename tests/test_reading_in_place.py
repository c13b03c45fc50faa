"""Reading and correcting without friction (issue 16), through the Flask test client: Same
as... on every entity, a mention moved to another entity, a rename to an existing name,
the announcement a correction sends, places as a type, and the small things a reader
notices (error wording, the entity list past its end, returning after login, a saved
page's section label)."""
from __future__ import annotations

import json
import re

import pytest
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


# --- the same person across articles, spelled differently (issue 16) -----------------------

def three_articles(store_article) -> dict:
    slugs = {}
    for title, name, entity in [("Dam report one", "Margaret Halvorson", "margaret-halvorson"),
                                ("Dam report two", "Margaret Halvorsen", "margaret-halvorsen"),
                                ("Dam report three", "Margaret Halvorsen", "margaret-halvorsen")]:
        slugs[title] = store_article(marked_article(
            f"[[{name}|person|{entity}]] spoke; [[Dana Kovac|person|dana-kovac]] and "
            "[[Lena Kovac|person|lena-kovac]] listened.", headline=title), title)
    return slugs


def library_id(client, name) -> int:
    rows = client.get("/entities.json?q=" + name).get_json()["entities"]
    return next(r["id"] for r in rows if r["name"] == name)


def test_the_entity_page_offers_names_a_letter_apart_never_namesakes(client, store_article):
    three_articles(store_article)
    halvorson = library_id(client, "Margaret Halvorson")
    html = client.get(f"/entities/{halvorson}").get_data(as_text=True)
    assert "Possibly the same as" in html and "Margaret Halvorsen" in html
    dana = client.get(f"/entities/{library_id(client, 'Dana Kovac')}.json").get_json()
    assert dana["possibly_the_same"] == []  # Lena Kovac is one letter away, and someone else


@pytest.mark.both_backends
def test_a_library_merge_is_followed_by_panels_and_entity_pages_and_undone(client, store_article):
    slugs = three_articles(store_article)
    halvorson, halvorsen = library_id(client, "Margaret Halvorson"), library_id(client, "Margaret Halvorsen")
    panel = client.get(f"/articles/{slugs['Dam report one']}?entity=margaret-halvorson").get_data(as_text=True)
    assert "Also in" not in panel
    assert client.get("/search.json?q=Halvorsen").get_json()["total"] == 2
    response = client.post(f"/entities/{halvorson}/merge", data={"other": halvorsen})
    assert response.status_code == 303
    found = client.get(f"/entities/{halvorson}.json").get_json()
    assert found["entity"]["articles"] == 3 and len(found["articles"]) == 3
    panel = client.get(f"/articles/{slugs['Dam report one']}?entity=margaret-halvorson").get_data(as_text=True)
    assert "Also in 2 other articles" in panel
    panel = client.get(f"/articles/{slugs['Dam report two']}?entity=margaret-halvorsen").get_data(as_text=True)
    assert "Also in 2 other articles" in panel
    assert client.get(f"/entities/{halvorsen}").headers["Location"].endswith(f"/entities/{halvorson}")
    # Search follows the spellings the library now knows are one person.
    assert client.get("/search.json?q=Halvorsen").get_json()["total"] == 3
    html = client.get(f"/entities/{halvorson}").get_data(as_text=True)
    merge_id = re.search(r'data-undo-merge="(\d+)"', html)[1]
    assert client.post(f"/entities/merges/{merge_id}/undo").status_code == 303
    assert client.get(f"/entities/{halvorson}.json").get_json()["entity"]["articles"] == 1
    assert client.get(f"/entities/{halvorsen}.json").get_json()["entity"]["articles"] == 2
    assert client.post(f"/entities/merges/{merge_id}/undo").status_code == 404


def test_a_library_merge_of_two_types_is_refused(client, store_article):
    three_articles(store_article)
    slug = article(store_article)
    place = library_id(client, "Dawson City")
    response = client.post(f"/entities/{library_id(client, 'Dana Kovac')}/merge", data={"other": place})
    assert response.status_code == 400
    assert client.get(f"/entities/{place}.json").status_code == 200 and slug


# --- search that forgives and lands on the match (issue 16) --------------------------------

@pytest.mark.both_backends
def test_a_typo_suggests_the_name_the_library_holds(client, store_article):
    article(store_article)
    store_article(marked_article("The inspector [[Daniel Kilabuk|person|daniel-kilabuk]] found cracks.",
                                 headline="Cracks in the dam"), "Cracks in the dam")
    found = client.get("/search.json?q=Kilabuck").get_json()
    assert found["total"] == 0 and found["suggestion"] == "Kilabuk"
    assert client.get("/search.json?q=Quantika research").get_json()["suggestion"] == "Quantica research"
    html = client.get("/search?q=Kilabuck").get_data(as_text=True)
    assert 'Did you mean <a href="/search?q=Kilabuk">Kilabuk</a>?' in html
    assert client.get("/search.json?q=Kilabuk").get_json()["suggestion"] is None


@pytest.mark.both_backends
def test_the_last_word_typed_is_also_the_start_of_a_word(client, store_article):
    article(store_article)
    assert client.get("/search.json?q=Thibod").get_json()["total"] == 1
    assert client.get('/search.json?q="Thibod"').get_json()["total"] == 0  # a quoted word is whole


@pytest.mark.both_backends
def test_a_result_opens_the_article_at_its_match(client, store_article):
    slug = article(store_article)
    (hit,) = client.get("/search.json?q=nobody").get_json()["results"]
    assert hit["url"].startswith(f"/articles/{slug}?p=") and "q=Nobody" in hit["url"]
    page = client.get(hit["url"]).get_data(as_text=True)
    assert '<mark class="passage">Nobody</mark>' in page


def test_no_correction_controls_before_an_editor_exists_away_from_the_desk(tmp_path, sample_analysis):
    """Guards issue 16: a server beyond the desk with no editor accounts refuses changes, so
    its readers see no Correct control; at the desk (the client fixture) they do, with the
    one-time word on what corrections do."""
    from webapp import create_app
    from webapp.store import save_analysis
    from webapp.web.db import get_db

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "far.sqlite"),
                      "OPEN_WHEN_NO_USERS": False, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        slug = save_analysis(get_db(), sample_analysis).slug
    entity = sample_analysis.entities[0].id
    html = app.test_client().get(f"/articles/{slug}?entity={entity}").get_data(as_text=True)
    assert "data-correct-toggle" not in html and "mention-correction" not in html


def test_at_the_desk_the_panel_says_once_what_corrections_do(client, store_article):
    slug = article(store_article)
    html = client.get(f"/articles/{slug}?entity=thibodeaux").get_data(as_text=True)
    assert "data-correct-toggle" in html and html.count("data-desk-hint") == 1
