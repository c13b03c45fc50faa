"""/articles/<slug>/annotations.jsonld (issue 9): the mentions as a W3C Web Annotation
collection that annotation tools can read."""
from marked_articles import marked_article

# The Web Annotation Data Model's required properties (https://www.w3.org/TR/annotation-model/).
REQUIRED = {
    "AnnotationCollection": {"@context", "id", "type"},
    "AnnotationPage": {"id", "type", "items"},
    "Annotation": {"id", "type", "target"},
    "TextQuoteSelector": {"type", "exact"},
    "TextPositionSelector": {"type", "start", "end"},
}


def check_required(node):
    if isinstance(node, dict):
        if node.get("type") in REQUIRED:
            missing = REQUIRED[node["type"]] - node.keys()
            assert not missing, f"{node['type']} without {missing}"
        for value in node.values():
            check_required(value)
    elif isinstance(node, list):
        for value in node:
            check_required(value)


def test_every_mention_is_an_annotation_on_the_version_text(client, store_article):
    analysis = marked_article("[[Wang Yi|person|wang-yi]] met the [[UN|organization|un]] in "
                              "[[China|country|china|CN]]; [[Wang|person|wang-yi]] left.", headline="Talks")
    slug = store_article(analysis)
    version = client.get(f"/articles/{slug}.json").get_json()["version"]
    response = client.get(f"/articles/{slug}/annotations.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    data = response.get_json(force=True)
    check_required(data)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection" and data["total"] == 4
    items = data["first"]["items"]
    assert len(items) == 4 and len({item["id"] for item in items}) == 4
    for item in items:
        assert item["type"] == "Annotation" and item["motivation"] == "identifying"
        assert item["target"]["source"] == f"http://localhost/articles/{slug}?version={version}"
        quote, position = item["target"]["selector"]
        exact = analysis.text[position["start"]:position["end"]]
        assert quote["exact"] == exact
        assert analysis.text[:position["start"]].endswith(quote["prefix"])
        assert analysis.text[position["end"]:].startswith(quote["suffix"])
    wang = [item for item in items if item["body"]["schema:name"] == "Wang Yi"]
    assert [w["target"]["selector"][0]["exact"] for w in wang] == ["Wang Yi", "Wang"]
    assert wang[0]["body"]["type"] == "schema:Person"
    assert wang[0]["body"]["id"].endswith(f"/articles/{slug}?version={version}&entity=wang-yi")
    china = next(item["body"] for item in items if item["body"]["type"] == "schema:Country")
    assert china["schema:identifier"] == "CN"


def test_a_passage_link_adds_its_passage(client, store_article):
    analysis = marked_article("[[Wang Yi|person|wang-yi]] spoke of a harbour deal today.", headline="Deal")
    slug = store_article(analysis)
    start = analysis.text.index("spoke")
    link = client.get(f"/articles/{slug}/passage-link?start={start}&end={start + 23}",
                      headers={"Accept": "application/json"}).get_json()["url"]
    query = link.partition("?")[2].partition("#")[0]
    data = client.get(f"/articles/{slug}/annotations.jsonld?{query}").get_json(force=True)
    check_required(data)
    passage = data["first"]["items"][-1]
    assert passage["motivation"] == "highlighting"
    assert passage["target"]["selector"][0]["exact"] == "spoke of a harbour deal"
    assert passage["target"]["selector"][1] == {"type": "TextPositionSelector", "start": start, "end": start + 23}


def test_unknown_article_is_a_json_404(client):
    response = client.get("/articles/nothing/annotations.jsonld")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
