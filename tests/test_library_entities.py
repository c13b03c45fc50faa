"""Entities across articles (issue 9): one library entity per person, organisation or
country, whatever article names it, and the pages that list them."""
import pytest
from marked_articles import marked_article

from webapp.store.entities import identifying_names, normalise

pytestmark = pytest.mark.both_backends  # every test on SQLite and on PostgreSQL (issue 17)


def test_names_are_compared_without_case_accents_or_possessives():
    assert normalise("Xi  Jinping's") == "xi jinping"
    assert normalise("Lula da Silva") == normalise("LULA DA SÍLVA")
    assert normalise("The World Bank") == "world bank"


def test_a_persons_surname_alone_never_identifies_them():
    keys = identifying_names("person", "Antony Blinken", ["Antony Blinken", "Blinken"], None)
    assert keys == ["person|antony blinken"]


def test_a_country_is_identified_by_its_code_alone():
    assert identifying_names("country", "Britain", ["UK", "Britain"], "gb") == ["country|code:GB"]


@pytest.fixture
def three_articles(store_article):
    store_article(marked_article(
        "[[Antony Blinken|person|antony-blinken]] met [[Wang Yi|person|wang-yi]] in "
        "[[China|country|china|CN]].",
        "[[Blinken|person|antony-blinken]] said little.", headline="Blinken in Beijing"))
    store_article(marked_article(
        "[[Donald Blinken|person|donald-blinken]], a former ambassador, wrote to the "
        "[[United Nations|organization|united-nations]].",
        "[[Blinken|person|donald-blinken]] was 92.", headline="An ambassador remembered"))
    store_article(marked_article(
        "[[Tony Blinken|person|blinken]] (also [[Antony Blinken|person|blinken]]) flew to the "
        "[[People's Republic of China|country|prc|CN]] again.", headline="Blinken returns"))


def entity_named(client, name, type_="person"):
    rows = client.get("/entities.json", query_string={"q": name, "type": type_}).get_json()["entities"]
    return [row for row in rows if row["name"] == name]


def test_two_people_with_one_surname_stay_two(client, three_articles):
    """Guards identity: "Blinken" alone is in two articles about two different men."""
    antony = entity_named(client, "Antony Blinken")
    donald = entity_named(client, "Donald Blinken")
    assert len(antony) == 1 and len(donald) == 1 and antony[0]["id"] != donald[0]["id"]
    assert donald[0]["articles"] == 1


def test_a_full_name_an_article_grouped_is_an_alias(client, three_articles):
    """The third article's entity is named "Tony Blinken" but grouped "Antony Blinken"
    with it: it is the same library entity as the first article's."""
    antony = entity_named(client, "Antony Blinken")[0]
    assert antony["articles"] == 2 and antony["mentions"] == 4
    assert not entity_named(client, "Tony Blinken")
    page = client.get(f"/entities/{antony['id']}.json").get_json()
    assert [a["title"] for a in page["articles"]] == ["Blinken returns", "Blinken in Beijing"]
    first = page["articles"][0]
    assert first["snippet"]["mention"] == "Tony Blinken" and first["mentions"] == 2
    assert first["url"] == "/articles/blinken-returns?entity=blinken"


def test_a_country_under_two_names_is_one_by_its_code(client, three_articles):
    rows = client.get("/entities.json", query_string={"type": "country"}).get_json()["entities"]
    assert len(rows) == 1 and rows[0]["code"] == "CN" and rows[0]["articles"] == 2


def test_entity_page_links_each_article_with_its_panel_open(client, three_articles):
    antony = entity_named(client, "Antony Blinken")[0]
    html = client.get(f"/entities/{antony['id']}").get_data(as_text=True)
    assert 'href="/articles/blinken-in-beijing?entity=antony-blinken"' in html
    assert "<mark>Antony Blinken</mark> met Wang Yi" in html
    panel = client.get("/articles/blinken-in-beijing?entity=antony-blinken").get_data(as_text=True)
    assert f'href="/entities/{antony["id"]}"' in panel and "Also in 1 other article<" in panel


def test_the_panel_says_nothing_of_other_articles_when_there_are_none(client, three_articles):
    html = client.get("/articles/blinken-in-beijing?entity=wang-yi").get_data(as_text=True)
    assert "data-also-in" not in html


def test_only_the_newest_version_counts(client, store_article, three_articles):
    store_article(marked_article("[[Antony Blinken|person|antony-blinken]] stayed home.",
                                 headline="Blinken in Beijing"), "Blinken in Beijing")
    assert not entity_named(client, "Wang Yi")
    antony = entity_named(client, "Antony Blinken")[0]
    assert antony["articles"] == 2 and antony["mentions"] == 3


def test_an_article_counts_once_when_two_of_its_entities_are_one_in_the_library(
        client, store_article, three_articles):
    """Regression: two of an article's entities with one name (a name split off by a
    correction) counted the article twice, so its panel said "also in 1 other article" of
    itself; the counts also go back to what they were when it is replaced."""
    store_article(marked_article(
        "[[Apple|organization|apple]] and [[Apple|organization|apple-2]] both said so.",
        headline="Two Apples"))
    [apple] = entity_named(client, "Apple", "organization")
    assert apple["articles"] == 1 and apple["mentions"] == 2
    html = client.get("/articles/two-apples?entity=apple").get_data(as_text=True)
    assert "data-also-in" not in html
    store_article(marked_article("[[Apple|organization|apple]] said so.", headline="Two Apples"),
                  "Two Apples")
    [apple] = entity_named(client, "Apple", "organization")
    assert apple["articles"] == 1 and apple["mentions"] == 1


def test_entities_list_by_type_most_mentioned_first_searchable_and_paginated(client, store_article):
    for n in range(3):
        store_article(marked_article(" ".join(f"[[Ana{k} Smith|person|p{k}]]"
                                               for k in range(60) for _ in range(1 + (k == 7))),
                                     headline=f"Crowd {n}"))
    first = client.get("/entities.json", query_string={"type": "person"}).get_json()
    assert first["total"] > 50 and len(first["entities"]) == 50 and first["next"]
    assert first["entities"][0]["name"] == "Ana7 Smith"
    second = client.get(first["next"]).get_json()
    assert second["page"] == 2 and not {e["id"] for e in second["entities"]} & {e["id"] for e in first["entities"]}
    found = client.get("/entities.json", query_string={"q": "ana1  smith"}).get_json()
    assert [e["name"] for e in found["entities"]] == ["Ana1 Smith"]
    # % and _ are letters in a name query, not LIKE wildcards.
    assert client.get("/entities.json", query_string={"q": "%"}).get_json()["total"] == 0
    assert "Ana7 Smith" in client.get("/entities?type=person").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/entities/999.json", "/entities/abc.json", "/entities.json?type=planet"])
def test_errors_on_json_routes_are_json(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404) and response.is_json
    assert response.get_json()["error"]["status"] == response.status_code


def test_unknown_entity_page_is_a_404_page(client):
    response = client.get("/entities/999")
    assert response.status_code == 404 and "no such person" in response.get_data(as_text=True)


def test_migration_fills_entities_and_search_for_stored_articles(tmp_path):
    """Guards upgrades: a database at schema 2 gets its library tables filled."""
    from webapp import create_app
    from webapp.store import connect
    from webapp.store.migrations import MIGRATIONS, migrate

    path = str(tmp_path / "old.sqlite")
    db = connect(path)
    migrate(db, MIGRATIONS[:2])
    # Stored as schema 2 did: the tables of migration 1 only.
    analysis = marked_article("[[Wang Yi|person|wang-yi]] spoke.", headline="Talks go on")
    with db:
        db.execute("INSERT INTO articles (slug, title, added_at) VALUES ('talks', 'Talks go on', '2026-01-01')")
        db.execute("INSERT INTO versions (article_id, hash, number, text, added_at)"
                   " VALUES (1, 'abc', 1, ?, '2026-01-01')", (analysis.text,))
        db.execute("INSERT INTO entities (version_id, id, position, name, type, notes)"
                   " VALUES (1, 'wang-yi', 0, 'Wang Yi', 'person', '[]')")
        m = analysis.entities[0].mentions[0]
        db.execute('INSERT INTO mentions (version_id, id, entity_id, position, start, "end", text, block_id)'
                   " VALUES (1, 'm1', 'wang-yi', 0, ?, ?, 'Wang Yi', 'b2')", (m.start, m.end))
    db.close()
    client = create_app({"TESTING": True, "DATABASE": path}).test_client()
    assert entity_named(client, "Wang Yi")[0]["articles"] == 1
    assert client.get("/search.json?q=spoke").get_json()["results"][0]["slug"] == "talks"


def test_hostile_names_and_titles_are_escaped_on_entity_pages(client, store_article):
    """Guards escaping: a name or title with markup is shown as text on /entities pages."""
    store_article(marked_article('[[<script>alert(1)</script> Smith|person|evil]] said "<b>hi</b>".'),
                  '<img src=x onerror=alert(1)> & co')
    listing = client.get("/entities").get_data(as_text=True)
    assert "<script>alert" not in listing and "&lt;script&gt;alert(1)&lt;/script&gt; Smith" in listing
    entity = client.get("/entities.json").get_json()["entities"][0]["id"]
    page = client.get(f"/entities/{entity}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt; &amp; co" in page
    assert "<b>hi</b>" not in page


def test_an_entity_id_that_is_no_number_is_a_404(client):
    """Guards the review of issue 9: "²" counts as a digit to str.isdigit but not to int(),
    and /entities/² was a 500."""
    assert client.get("/entities/%C2%B2").status_code == 404
    assert client.get("/entities/%C2%B2.json").status_code == 404


def test_possibly_the_same_finds_by_index_what_comparing_every_name_finds(app, store_article):
    """Guards the entity page's index of compared names (issue 17: it read every name of a
    type, seconds with 100,000 people): for each entity, the names it offers are exactly
    those that comparing its name with every other of its type would offer, across titles,
    accents, one-word names and names of other lengths."""
    from webapp.similar import possibly_same
    from webapp.store import connect, names_of_type

    people = ["Margaret Halvorson", "Margaret Halvorsen", "Dr Margaret Halvorsen", "Zoë Ardent",
              "Zoe Ardant", "Dana Kovac", "Lena Kovac", "Daniel Kilabuk", "Daniel Kilabuck",
              "Halvorson", "Margaret Henderson", "Mark Hale", "Mary Hale", "Ana Câmara"]
    organisations = ["Northgate Minerals", "Northgate Mineral", "Nortgate Minerals", "Quantica",
                     "Quantika", "Harbour Council", "Harbour Councils Union"]
    for n, (kind, names) in enumerate([("person", people), ("organization", organisations)]):
        store_article(marked_article(*(f"[[{name}|{kind}|{kind}-{i}]] spoke." for i, name in enumerate(names)),
                                     headline=f"Names {n}"))
    db = connect(app.config["DATABASE"])
    try:
        rows = db.execute("SELECT id, name, type FROM library_entities").fetchall()
        for entity, name, kind in rows:
            everyone = {other for other, other_name, other_kind in rows
                        if other_kind == kind and other != entity
                        and possibly_same(name, other_name, kind, kind)}
            found = {other for other, other_name in names_of_type(db, kind, entity, name)
                     if possibly_same(name, other_name, kind, kind)}
            assert found == everyone, name
        assert sum(1 for _, name, _ in rows if name == "Margaret Halvorson") == 1
    finally:
        db.close()
