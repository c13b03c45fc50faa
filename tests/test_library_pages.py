"""The library page (issue 9): pages of 50, sorting, the source filter, the .json twin,
deleting with a confirmation and renaming."""
import pytest
from marked_articles import marked_article

from webapp.web.db import get_db
from webapp.store import save_analysis
from webapp.web.articles import article_added

pytestmark = pytest.mark.both_backends  # every test on SQLite and on PostgreSQL (issue 17)


def store_with_metadata(app, analysis, title, **metadata):
    with app.app_context():
        slug = save_analysis(get_db(), analysis, title, metadata=metadata).slug
        article_added()
        return slug


@pytest.fixture
def sources(app):
    store_with_metadata(app, marked_article("One."), "Bravo", site_name="The Harbour Times",
                        published="2026-03-01", author="Ana Lima",
                        canonical_url="https://harbourtimes.example/bravo")
    store_with_metadata(app, marked_article("Two."), "alpha", source_url="https://www.river.example/a",
                        published="2026-05-02")
    store_with_metadata(app, marked_article("Three."), "Charlie")


def slugs(client, **params):
    return [a["slug"] for a in client.get("/library.json", query_string=params).get_json()["articles"]]


def test_sorted_by_date_added_publication_date_and_title(client, sources):
    assert slugs(client) == ["charlie", "alpha", "bravo"]
    assert slugs(client, sort="published") == ["alpha", "bravo", "charlie"]  # undated last
    assert slugs(client, sort="title") == ["alpha", "bravo", "charlie"]  # regardless of case
    assert slugs(client, sort="nonsense") == ["charlie", "alpha", "bravo"]


def test_filtered_by_source_site_name_or_host(client, sources):
    assert slugs(client, source="The Harbour Times") == ["bravo"]
    assert slugs(client, source="river.example") == ["alpha"]
    html = client.get("/").get_data(as_text=True)
    assert '<option value="river.example">river.example (1)</option>' in html
    filtered = client.get("/?source=river.example").get_data(as_text=True)
    assert 'data-slug="alpha"' in filtered and 'data-slug="bravo"' not in filtered


def test_the_article_page_says_where_it_came_from(client, sources):
    html = client.get("/articles/bravo").get_data(as_text=True)
    assert ('<a href="https://harbourtimes.example/bravo" rel="noopener noreferrer nofollow">'
            "The Harbour Times</a>") in html
    assert "by Ana Lima" in html and 'datetime="2026-03-01"' in html
    assert "data-source" not in client.get("/articles/charlie").get_data(as_text=True)


def test_fifty_articles_a_page(client, store_article):
    for n in range(120):
        store_article(marked_article(f"Text {n}."), f"Article {n:03}")
    first = client.get("/library.json").get_json()
    assert first["total"] == 120 and first["pages"] == 3 and len(first["articles"]) == 50
    assert first["articles"][0]["slug"] == "article-119"
    third = client.get("/library.json?page=3").get_json()
    assert len(third["articles"]) == 20 and third["articles"][-1]["slug"] == "article-000"
    html = client.get("/?sort=title&page=2").get_data(as_text=True)
    assert html.count('class="article-item"') == 50 and "Page 2 of 3" in html
    assert 'href="/?sort=title&amp;page=3"' in html and 'href="/?sort=title"' in html  # next, previous
    assert "No articles here" in client.get("/?page=9").get_data(as_text=True)


def test_delete_asks_first_then_removes_the_article_and_its_links(client, store_article):
    analysis = marked_article("[[Wang Yi|person|wang-yi]] spoke of a harbour deal today.",
                              headline="Harbour deal")
    slug = store_article(analysis)
    start = analysis.text.index("spoke")
    link = client.get(f"/articles/{slug}/passage-link?start={start}&end={start + 23}",
                      headers={"Accept": "application/json"}).get_json()["url"]
    confirm = client.get(f"/articles/{slug}/delete")
    assert confirm.status_code == 200
    html = confirm.get_data(as_text=True)
    assert f'action="/articles/{slug}/delete"' in html and 'method="post"' in html
    assert client.get(f"/articles/{slug}").status_code == 200  # asking deleted nothing
    response = client.post(f"/articles/{slug}/delete")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 404 and "This article was removed" in page.get_data(as_text=True)
    shared = client.get(link)
    body = shared.get_data(as_text=True)
    assert shared.status_code == 404 and "This article was removed" in body
    assert "spoke of a harbour deal" in body  # the link's quote
    assert client.get(f"/articles/{slug}.json").get_json()["error"]["message"] == "This article was removed."
    assert 'data-slug="harbour-deal"' not in client.get("/").get_data(as_text=True)
    assert client.get("/entities.json").get_json()["total"] == 0
    assert client.post(f"/articles/{slug}/delete").status_code == 404


def test_a_new_article_can_take_a_removed_articles_address(client, store_article):
    slug = store_article(marked_article("First."), "Harbour deal")
    client.post(f"/articles/{slug}/delete")
    assert store_article(marked_article("Second."), "Harbour deal") == slug
    assert client.get(f"/articles/{slug}").status_code == 200


def test_rename_keeps_the_address(client, store_article):
    slug = store_article(marked_article("Some [[Wang Yi|person|wang-yi]] text."), "Old title")
    form = client.get(f"/articles/{slug}/rename").get_data(as_text=True)
    assert 'value="Old title"' in form
    response = client.post(f"/articles/{slug}/rename", data={"title": "  A <b>new</b>   title "})
    assert response.status_code == 303 and response.headers["Location"] == f"/articles/{slug}"
    page = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "A &lt;b&gt;new&lt;/b&gt; title" in page
    assert client.get("/search.json?q=new").get_json()["results"][0]["slug"] == slug
    assert client.get(f"/articles/{slug}.json").get_json()["title"] == "A <b>new</b> title"


def test_rename_refuses_an_empty_or_taken_title(client, store_article):
    slug = store_article(marked_article("One."), "First")
    store_article(marked_article("Two."), "Second")
    empty = client.post(f"/articles/{slug}/rename", data={"title": "   "})
    assert empty.status_code == 400 and "cannot be empty" in empty.get_data(as_text=True)
    taken = client.post(f"/articles/{slug}/rename", data={"title": "Second"})
    assert taken.status_code == 409 and 'href="/articles/second"' in taken.get_data(as_text=True)
    assert client.get(f"/articles/{slug}.json").get_json()["title"] == "First"


def test_delete_and_rename_refuse_other_sites(client, store_article):
    """Guards CSRF: a page on another site cannot delete an article."""
    slug = store_article(marked_article("One."), "First")
    response = client.post(f"/articles/{slug}/delete", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert client.get(f"/articles/{slug}").status_code == 200


def test_an_article_added_after_a_delete_shows_its_own_text(client, store_article):
    """Guards the caches: they hold a version by its id, so a deleted article's version id
    must never be given to a new one (SQLite reuses the highest rowid once it is deleted)."""
    slug = store_article(marked_article("The deleted text.", headline="Gone"))
    assert "The deleted text." in client.get(f"/articles/{slug}").get_data(as_text=True)
    client.post(f"/articles/{slug}/delete")
    other = store_article(marked_article("The new text.", headline="Here"))
    html = client.get(f"/articles/{other}").get_data(as_text=True)
    assert "The new text." in html and "The deleted text." not in html


def test_counts_by_source_follow_adds_new_versions_and_deletes(app, client, sources):
    """Guards the counts kept by triggers (issue 17: the library page counted every article
    on each request): the total, each source's count and the source list stay what counting
    the articles gives, through a new version from another site and a delete."""
    from webapp.store import delete_article, list_articles, list_sources

    def counted():
        with app.app_context():
            db = get_db()
            by_source = {r["source"]: r["articles"] for r in db.execute(
                "SELECT source, count(*) AS articles FROM articles WHERE source IS NOT NULL"
                " GROUP BY source")}
            total = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            assert {r["source"]: r["articles"] for r in list_sources(db)} == by_source
            assert list_articles(db)[1] == total
            for source, count in by_source.items():
                assert list_articles(db, source=source)[1] == count
            return total, by_source

    assert counted() == (3, {"The Harbour Times": 1, "river.example": 1})
    store_with_metadata(app, marked_article("Three, again."), "Charlie", site_name="River Post")
    store_with_metadata(app, marked_article("Two, again."), "alpha", site_name="River Post")
    assert counted() == (3, {"The Harbour Times": 1, "River Post": 2})
    with app.app_context():
        delete_article(get_db(), "bravo")
    assert counted() == (2, {"River Post": 2})
    assert '<option value="The Harbour Times">' not in client.get("/").get_data(as_text=True)
