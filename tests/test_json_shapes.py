"""Every .json answer has the same keys whatever it holds (issue 18): an empty list or null,
never a missing key, so a script can rely on them. The README shows one example of each."""
import pytest

PAGES = {"page", "per_page", "total", "pages", "next", "previous"}
EXPORT = {"text", "blocks", "entities", "machine_entities", "corrections", "quotes", "slug",
          "title", "version", "version_number", "added_at", "versions"}
BLOCK = {"id", "kind", "start", "end", "credits"}
ENTITY = {"id", "name", "type", "mentions", "notes", "code"}
MENTION = {"id", "start", "end", "text", "block", "credit"}
CORRECTION = {"id", "kind", "text", "value", "editor", "made_at", "other", "undone_at",
              "undone_by", "applied"}
ANCHOR = {"exact", "prefix", "suffix", "start", "end", "version"}
VERSION = {"hash", "number", "added_at"}
LIBRARY = {"articles", "sort", "source"} | PAGES
LIBRARY_ARTICLE = {"slug", "title", "added_at", "updated_at", "source", "source_url",
                   "canonical_url", "site_name", "published", "author", "versions", "people",
                   "organizations", "countries", "places"}
SEARCH = {"query", "suggestion", "ranked_among", "results"} | PAGES
HIT = {"slug", "title", "snippet", "matches", "added_at", "site_name", "url"}
ENTITIES = {"entities", "type", "query"} | PAGES
LIBRARY_ENTITY = {"id", "name", "type", "code", "articles", "mentions"}
ENTITY_PAGE = {"entity", "articles", "possibly_the_same"} | PAGES
APPEARANCE = {"slug", "title", "entity", "mentions", "added_at", "snippet", "url"}
ERROR = {"error"}


def assert_export_shape(data):
    assert set(data) == EXPORT
    assert all(set(block) == BLOCK for block in data["blocks"])
    for entities in (data["entities"], data["machine_entities"]):
        assert entities and all(set(entity) == ENTITY for entity in entities)
        assert all(set(m) == MENTION for entity in entities for m in entity["mentions"])
    for row in data["corrections"]:
        assert set(row) == CORRECTION and set(row["text"]) == ANCHOR
        assert row["other"] is None or set(row["other"]) == ANCHOR
    assert all(set(version) == VERSION for version in data["versions"])


def test_the_export_has_every_key_with_or_without_corrections(client, sample_slug, sample_analysis):
    """Issue 18: `corrections` (and `machine_entities`) were missing until an editor made a
    correction, and an entity's `notes` and `code`, a mention's `credit`, only when set."""
    url = f"/articles/{sample_slug}.json"
    data = client.get(url).get_json()
    assert_export_shape(data)
    assert data["corrections"] == [] and data["machine_entities"] == data["entities"]
    assert any(entity["code"] is None and entity["notes"] == [] for entity in data["entities"])

    people = [e.id for e in sample_analysis.entities if e.type == "person"]
    for form in ({"kind": "rename", "entity": people[0], "value": "Someone Else"},
                 {"kind": "merge", "entity": people[1], "other": people[2]}):
        assert client.post(f"/articles/{sample_slug}/corrections", data=form).status_code == 303
    data = client.get(url).get_json()
    assert_export_shape(data)
    assert [row["kind"] for row in data["corrections"]] == ["rename", "merge"]
    assert data["corrections"][0]["other"] is None and data["corrections"][1]["other"]


def test_list_answers_have_every_key_empty_or_full(client, sample_slug):
    empty = {"/library.json?source=nowhere": LIBRARY, "/search.json?q=zebra": SEARCH,
             "/search.json": SEARCH, "/entities.json?q=zebra": ENTITIES}
    for url, keys in empty.items():
        assert set(client.get(url).get_json()) == keys, url

    library = client.get("/library.json").get_json()
    assert set(library) == LIBRARY and all(set(a) == LIBRARY_ARTICLE for a in library["articles"])
    search = client.get("/search.json?q=port").get_json()
    assert set(search) == SEARCH and search["results"]
    assert all(set(hit) == HIT for hit in search["results"])
    entities = client.get("/entities.json").get_json()
    assert set(entities) == ENTITIES
    assert all(set(row) == LIBRARY_ENTITY | {"url"} for row in entities["entities"])
    for row in entities["entities"][:3]:
        page = client.get(f"/entities/{row['id']}.json").get_json()
        assert set(page) == ENTITY_PAGE and set(page["entity"]) == LIBRARY_ENTITY
        assert page["articles"] and all(set(a) == APPEARANCE for a in page["articles"])


@pytest.mark.parametrize("url", ["/articles/nowhere.json", "/entities/999.json",
                                 "/entities/abc.json"])
def test_errors_on_json_routes_have_one_shape(client, url):
    response = client.get(url)
    assert response.status_code >= 400
    data = response.get_json()
    assert set(data) == ERROR and set(data["error"]) == {"status", "title", "message"}
