"""The changes page (issue 19): /articles/<slug>/changes and its .json twin, each version
against the one before, word by word, with the names added and gone; plain HTML."""
import re

import pytest

from webapp.analysis import analyse

TITLE = "Harbour talks end without a deal"
FIRST = (f"{TITLE}\n\nPer Halvorsen left the talks in Lisbon on Monday. The port will close in May.\n\n"
         "Maria Costa said the vote was fair. Nobody expected the result.")
SECOND = (f"{TITLE}\n\nPer Halvorson left the talks in Lisbon on Monday. The port will close in June.\n\n"
          "Maria Costa said the vote was fair. Nobody expected the result.\n\n"
          "Ana Ruiz, a lawyer for the union, said it would appeal.")


@pytest.fixture
def two_versions(nlp, store_article):
    slug = store_article(analyse(FIRST, nlp), TITLE)
    assert store_article(analyse(SECOND, nlp), TITLE) == slug
    return slug


def test_changes_page_marks_words_added_and_removed_and_names(client, two_versions):
    page = client.get(f"/articles/{two_versions}/changes")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in html.split("</head>")[1]
    assert "<del>Halvorsen</del><ins>Halvorson</ins>" in html
    assert "<del>May</del><ins>June</ins>" in html
    assert "<ins>Ana Ruiz, a lawyer for the union, said it would appeal.</ins>" in html
    added = re.search(r'data-names="added">(.*?)</dd>', html, re.S).group(1)
    gone = re.search(r'data-names="gone">(.*?)</dd>', html, re.S).group(1)
    assert "Halvorson" in added and "Halvorsen" not in added and "Halvorsen" in gone
    assert "Version 2, added" in html and "against version 1" in html


def test_changes_json_twin_has_versions_dates_and_the_same_changes(client, two_versions):
    data = client.get(f"/articles/{two_versions}/changes.json").get_json()
    assert [v["number"] for v in data["versions"]] == [1, 2]
    (revision,) = data["revisions"]
    assert revision["number"] == 2 and revision["before_number"] == 1 and revision["added_at"]
    assert {"kind": "removed", "text": "Halvorsen"} in revision["changes"]
    assert [n["name"] for n in revision["names"]["gone"]] == ["Halvorsen"]
    new_text = "".join(c["text"] for c in revision["changes"] if c["kind"] != "removed")
    assert new_text.startswith(TITLE) and new_text.endswith("it would appeal.")


def test_article_with_two_versions_links_to_its_changes(client, two_versions):
    html = client.get(f"/articles/{two_versions}").get_data(as_text=True)
    assert f'href="/articles/{two_versions}/changes">Changes</a>' in html


def test_article_with_one_version_has_no_changes_link_and_the_page_says_why(client, nlp, store_article):
    slug = store_article(analyse(FIRST, nlp), TITLE)
    assert "/changes" not in client.get(f"/articles/{slug}").get_data(as_text=True)
    page = client.get(f"/articles/{slug}/changes")
    assert page.status_code == 200 and "nothing has changed since" in page.get_data(as_text=True)


def test_changes_of_no_article_is_404_in_html_and_json(client):
    assert client.get("/articles/no-such/changes").status_code == 404
    response = client.get("/articles/no-such/changes.json")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_changes_page_has_an_etag_and_answers_304(client, two_versions):
    first = client.get(f"/articles/{two_versions}/changes")
    again = client.get(f"/articles/{two_versions}/changes", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_article_text_on_the_changes_page_is_escaped(client, nlp, store_article):
    """Markup in a changed sentence is shown as text, never run."""
    title = "Escaping test article headline"
    slug = store_article(analyse(f"{title}\n\nA plain first paragraph of text.", nlp), title)
    store_article(analyse(f'{title}\n\nA plain first paragraph of text. <script>alert(1)</script> & "hx-get=/x"', nlp), title)
    html = client.get(f"/articles/{slug}/changes").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_library_marks_an_article_updated_since_it_was_added(client, store_article):
    from marked_articles import marked_article

    store_article(marked_article("[[Anna Berg|person|anna-berg]] spoke."), "Updated one")
    store_article(marked_article("[[Anna Berg|person|anna-berg]] spoke twice."), "Updated one")
    store_article(marked_article("Nothing new here."), "Never updated")
    html = client.get("/").get_data(as_text=True)
    items = dict(re.findall(r'<li class="article-item" data-slug="([^"]+)">(.*?)</li>', html, re.S))
    assert "data-updated>updated" in items["updated-one"] and "version 2" in items["updated-one"]
    assert "data-updated" not in items["never-updated"]
