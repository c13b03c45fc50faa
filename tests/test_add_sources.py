"""The add form with web addresses, HTML pages and plain text (issue 9): what is stored, and
each refusal in the form with nothing stored. Pages come from a local server (conftest.py)."""
import io
import sqlite3
from pathlib import Path

import pytest

from webapp.ingest import AllowList

PAGES = Path(__file__).parent / "fixtures" / "pages"

HARBOUR_TITLE = "Port council backs harbour expansion after long night"
HARBOUR_PATH = "/articles/port-council-backs-harbour-expansion-after-long-night"


def count_rows(app, table="articles"):
    with sqlite3.connect(app.config["DATABASE"]) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def exported(client, response):
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"] + ".json").get_json()


@pytest.fixture
def allow_local(app):
    """The app allows fetching loopback (as DRAMATIS_FETCH_ALLOW=127.0.0.1 at its start)."""
    app.config["FETCH_ALLOW"] = AllowList.parse("127.0.0.1")


@pytest.fixture
def saved(monkeypatch):
    """What the add route hands the store as the article's metadata, one entry per add."""
    from webapp.web import library

    calls, save = [], library.save_analysis

    def spy(db, analysis, title=None, new_version=True, metadata=None, **settings):
        calls.append(metadata)
        return save(db, analysis, title, new_version=new_version, metadata=metadata, **settings)

    monkeypatch.setattr(library, "save_analysis", spy)
    return calls


def test_an_address_is_fetched_read_and_stored_with_its_source(client, pages_server, allow_local,
                                                               saved):
    url = pages_server.url + "/harbour-vote.html"
    response = client.post("/articles", data={"url": url})
    assert response.headers["Location"] == HARBOUR_PATH
    article = exported(client, response)
    assert article["title"] == HARBOUR_TITLE
    assert "<" not in article["text"] and "Mayor Elena Varga" in article["text"]
    assert "Elena Varga" in {e["name"] for e in article["entities"]}
    [metadata] = saved
    assert metadata.source_url == url and metadata.site_name == "The Coastal Ledger"
    assert metadata.author == "Marta Ilves" and metadata.published == "2026-03-14"


def test_a_loopback_address_is_refused_without_the_allow_list(app, client, pages_server):
    """Guards the fetcher's refusals reaching the reader: a private address is a 400 with
    the reason and the setting that would allow it, the address kept in the form."""
    url = pages_server.url + "/harbour-vote.html"
    response = client.post("/articles", data={"title": "Mine", "url": url})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="form-error"' in html and "loopback" in html and "cannot be fetched" in html
    assert "DRAMATIS_FETCH_ALLOW" in html and f'value="{url}"' in html
    assert count_rows(app) == 0 and count_rows(app, "versions") == 0


@pytest.mark.parametrize("url, status, message", [
    ("file:///etc/passwd", 400, "only http and https"),
    ("/missing.html", 400, "answered 404"),
], ids=["not-http", "missing-page"])
def test_each_address_refusal_is_a_message_in_the_form(app, client, pages_server, allow_local,
                                                       url, status, message):
    url = pages_server.url + url if url.startswith("/") else url
    response = client.post("/articles", data={"url": url})
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert 'class="form-error"' in html and message in html
    assert count_rows(app) == 0


def test_an_uploaded_html_page_is_stored_as_its_article_not_its_markup(client, saved):
    page = (PAGES / "harbour-vote.html").read_bytes()
    response = client.post("/articles", data={"file": (io.BytesIO(page), "saved page.HTML")},
                           content_type="multipart/form-data")
    article = exported(client, response)
    assert article["title"] == HARBOUR_TITLE
    assert article["text"].startswith(HARBOUR_TITLE + "\n\n")
    assert "<" not in article["text"] and "doctype" not in article["text"].lower()
    assert saved[0].site_name == "The Coastal Ledger"


def test_pasted_html_source_is_extracted_too(client):
    page = (PAGES / "summit-talks.html").read_text(encoding="utf-8")
    article = exported(client, client.post("/articles", data={"text": page}))
    assert article["title"] == "Ministers agree on a grain corridor at the Oslo summit"
    assert "<p" not in article["text"] and "<html" not in article["text"]
    assert "premiums <b>by half</b>" in article["text"]  # the page's own text, as it shows it


def test_the_forms_title_wins_over_the_pages(client):
    page = (PAGES / "harbour-vote.html").read_bytes()
    response = client.post("/articles", data={"title": "Harbour vote, my notes",
                                              "file": (io.BytesIO(page), "page.htm")},
                           content_type="multipart/form-data")
    assert exported(client, response)["title"] == "Harbour vote, my notes"


def test_a_plain_text_is_titled_by_its_headline_not_its_photo_credit(client):
    notes = (PAGES / "harbour-notes.txt").read_bytes()
    response = client.post("/articles", data={"file": (io.BytesIO(notes), "notes.txt")},
                           content_type="multipart/form-data")
    article = exported(client, response)
    assert article["title"] == "Harbour notes from the council meeting"
    assert article["text"] == notes.decode("utf-8")  # plain text is stored as it is


def test_a_plain_text_without_a_headline_asks_for_a_title_and_keeps_the_text(app, client):
    text = "Angela Merkel visited Paris on Monday, her office said."
    response = client.post("/articles", data={"text": text})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "please give it a title" in html and f">{text}</textarea>" in html
    assert count_rows(app) == 0
    article = exported(client, client.post("/articles", data={"title": "Merkel in Paris",
                                                              "text": text}))
    assert article["title"] == "Merkel in Paris" and article["text"] == text


def test_an_uploaded_text_without_a_headline_comes_back_in_the_text_box(app, client):
    """A file input cannot be refilled: its text goes to the text box, so that adding a
    title is all that is left to do."""
    text = "Angela Merkel visited Paris on Monday, her office said."
    response = client.post("/articles", data={"file": (io.BytesIO(text.encode()), "a.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert f">{text}</textarea>" in response.get_data(as_text=True)
    assert count_rows(app) == 0


@pytest.mark.parametrize("form", [
    {"text": "Some text", "url": "https://news.example/a"},
    {"url": "https://news.example/a", "file": (io.BytesIO(b"Other text"), "a.txt")},
], ids=["text-and-address", "address-and-file"])
def test_only_one_of_text_file_and_address(app, client, form):
    response = client.post("/articles", data=form, content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "one at a time" in html and 'value="https://news.example/a"' in html
    assert count_rows(app) == 0


def test_a_page_whose_article_is_over_the_limit_is_refused(app, client):
    from webapp.analysis.article import MAX_ARTICLE_CHARS

    paragraphs = "".join(f"<p>Paragraph {i} of a very long report. " + "Words " * 40 + "</p>"
                         for i in range(MAX_ARTICLE_CHARS // 250))
    page = f"<!doctype html><html><head><title>Long</title></head><body><article><h1>Long" \
           f"</h1>{paragraphs}</article></body></html>".encode()
    response = client.post("/articles", data={"file": (io.BytesIO(page), "long.html")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "the limit is" in response.get_data(as_text=True)
    assert count_rows(app) == 0


def test_a_page_without_an_article_is_refused(app, client):
    page = b"<!doctype html><html><body><nav><a href='/'>Home</a></nav></body></html>"
    response = client.post("/articles", data={"file": (io.BytesIO(page), "empty.html")},
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "no article text was found" in response.get_data(as_text=True)
    assert count_rows(app) == 0


def test_fetches_beyond_the_limit_wait_their_turn_with_a_503(app, client, pages_server,
                                                             allow_local):
    """Guards issue 7 (reading never waits on adding): a fetch may hold a request thread for its
    whole timeout, so only FETCH_CONCURRENCY run at once; another gets a 503 with Retry-After,
    nothing stored, and goes through once the slot is free."""
    slots = app.extensions["dramatis.fetches"]
    url = pages_server.url + "/harbour-vote.html"
    assert slots.acquire(blocking=False)  # a fetch already under way
    try:
        response = client.post("/articles", data={"url": url})
    finally:
        slots.release()
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert "being fetched" in response.get_data(as_text=True)
    assert count_rows(app) == 0
    assert client.post("/articles", data={"url": url}).status_code == 303
