"""The library page and adding articles: through the form, as files, as new versions."""
import io
import re

import pytest

from webapp.analysis.article import MAX_ARTICLE_CHARS
from webapp.store import connect

pytestmark = pytest.mark.both_backends  # every test on SQLite and on PostgreSQL (issue 17)


def count_rows(app, table="articles"):
    db = connect(app.config["DATABASE"])
    try:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        db.close()


def test_empty_library_says_how_to_add_the_first_article(client):
    html = client.get("/").get_data(as_text=True)
    assert "No articles yet" in html
    assert 'action="/articles"' in html and 'name="text"' in html and 'name="file"' in html
    assert 'name="url"' in html and 'accept=".txt,.html,.htm,text/plain,text/html"' in html


def test_pasting_an_article_analyses_stores_and_lands_on_it(app, client, sample_text):
    response = client.post("/articles", data={"text": sample_text.replace("\n", "\r\n")})
    assert response.status_code == 303
    slug_path = response.headers["Location"]
    assert slug_path == "/articles/port-deal-draws-scrutiny-as-lisbon-and-brasilia-weigh-their"
    page = client.get(slug_path).get_data(as_text=True)
    assert "Port deal draws scrutiny" in page and 'data-type="person"' in page
    # CRLF from the browser's textarea is stored as the LF text the analysis saw.
    exported = client.get(slug_path + ".json").get_json()
    assert "\r" not in exported["text"] and exported["text"] == sample_text

    library = client.get("/").get_data(as_text=True)
    assert "Port deal draws scrutiny" in library and "No articles yet" not in library
    people = sum(1 for e in exported["entities"] if e["type"] == "person")
    assert f'data-count="person">{people} ' in library
    places = sum(1 for e in exported["entities"] if e["type"] == "place")  # counted alike (issue 16)
    assert places and f'data-count="place">{places} place' in library


def test_uploading_a_txt_file_with_a_title(client, sample_text):
    response = client.post("/articles", data={
        "title": "Harbour deal", "file": (io.BytesIO(sample_text.encode()), "deal.txt")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    assert response.headers["Location"] == "/articles/harbour-deal"
    assert "Harbour deal" in client.get("/").get_data(as_text=True)


def test_same_title_again_stores_a_new_version_and_keeps_the_old(client, store_article,
                                                                  sample_analysis):
    """Guards issue 4's contract: re-adding keeps old versions retrievable by their hash."""
    slug = store_article(sample_analysis, "Harbour deal")
    first = client.get(f"/articles/{slug}.json").get_json()
    edited = sample_analysis.text.replace("Portuguese ministers", "Ministers in Lisbon")
    response = client.post("/articles", data={"title": "Harbour deal", "text": edited})
    assert response.headers["Location"] == f"/articles/{slug}"
    newest = client.get(f"/articles/{slug}.json").get_json()
    assert newest["text"] == edited and newest["version_number"] == 2
    assert [v["hash"] for v in newest["versions"]] == [newest["version"], first["version"]]
    old = client.get(f"/articles/{slug}.json?version={first['version']}").get_json()
    assert old["text"] == sample_analysis.text and old["entities"] == first["entities"]
    old_page = client.get(f"/articles/{slug}?version={first['version']}").get_data(as_text=True)
    assert "You are reading version 1" in old_page and "Ministers in Lisbon" not in old_page
    # Lisbon, a place, is a link now (issue 16): the words are read without the tags.
    assert "Ministers in Lisbon" in re.sub("<[^>]+>", "", client.get(f"/articles/{slug}").get_data(as_text=True))


def test_the_same_text_again_stores_nothing_new(app, client, sample_text):
    for _ in range(2):
        assert client.post("/articles", data={"text": sample_text}).status_code == 303
    assert count_rows(app) == 1 and count_rows(app, "versions") == 1


def test_library_lists_the_newest_first(client, store_article, sample_analysis):
    store_article(sample_analysis, "Older article")
    store_article(sample_analysis, "Newer article")
    html = client.get("/").get_data(as_text=True)
    assert html.index("Newer article") < html.index("Older article")


BAD_INPUTS = [
    ({"text": ""}, 400, "the article is empty"),
    ({"text": " \n\t "}, 400, "the article is empty"),
    ({"text": "x" * (MAX_ARTICLE_CHARS + 1)}, 413, "the limit is 200,000"),
    ({"file": (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.txt")}, 400, "looks binary"),
    ({"file": ("Café news".encode("latin-1"), "latin1.txt")}, 400, "not UTF-8"),
    ({"file": (b"", "empty.txt")}, 400, "the article is empty"),
    ({"text": "Some text", "file": (b"Other text", "a.txt")}, 400, "one at a time"),
]


@pytest.mark.parametrize("form, status, message", BAD_INPUTS,
                         ids=["empty", "blank", "too-long", "binary", "latin-1", "empty-file", "both"])
def test_bad_input_rerenders_the_form_with_a_message_and_stores_nothing(
        app, client, form, status, message):
    # A file as bytes here, a new stream per run (a stream is closed once posted).
    form = {"title": "My <title>", **{k: (io.BytesIO(v[0]), v[1]) if isinstance(v, tuple) else v
                                       for k, v in form.items()}}
    response = client.post("/articles", data=form, content_type="multipart/form-data")
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert 'class="form-error"' in html and message in html
    assert 'value="My &lt;title&gt;"' in html  # the form keeps what was typed, escaped
    assert count_rows(app) == 0 and count_rows(app, "versions") == 0


def test_a_body_over_the_request_limit_is_refused_in_the_form(app, client):
    """Guards the request limits: a huge upload gets the form with a message, not a crash;
    a pasted text over the limit too."""
    huge = io.BytesIO(b"a" * (app.config["MAX_UPLOAD_LENGTH"] + 1))
    response = client.post("/articles", data={"file": (huge, "huge.html")},
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    pasted = client.post("/articles", data={"text": "a" * (app.config["MAX_CONTENT_LENGTH"] + 1)})
    assert pasted.status_code == 413 and "the limit is 200,000" in pasted.get_data(as_text=True)
    assert count_rows(app) == 0


def test_a_saved_web_page_larger_than_a_pasted_text_may_be_uploaded(app, client):
    """Guards uploads of pages saved from a browser, often 1-3 MB of scripts and styles
    around the article: up to the size a page fetched by its address may have."""
    padding = "<script>var tracking = '" + "x" * 2_000_000 + "';</script>"
    page = (f"<html><head><title>Harbour deal signed - The Courier</title>{padding}</head><body>"
            "<article><h1>Harbour deal signed</h1><p>Helena Vasconcelos signed the harbour deal "
            "in Lisbon on Monday, the port authority said.</p><p>The deal runs for ten years and "
            "covers both container terminals, officials said.</p></article></body></html>")
    assert len(page) > app.config["MAX_CONTENT_LENGTH"]
    response = client.post("/articles", data={"file": (io.BytesIO(page.encode()), "saved.html")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    article = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Helena Vasconcelos" in article and "tracking" not in article


def test_a_text_file_over_the_article_limit_is_refused(app, client):
    text = "Word " * (MAX_ARTICLE_CHARS // 5 + 10)
    response = client.post("/articles", data={"file": (io.BytesIO(text.encode()), "long.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and "the limit is" in response.get_data(as_text=True)
    assert count_rows(app) == 0


def test_a_failed_analysis_stores_nothing(app, client, monkeypatch):
    """Guards one transaction per article: an error while storing leaves no partial rows."""
    from webapp.store import versions as store

    def broken_dumps(value):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store.json, "dumps", broken_dumps)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.post("/articles", data={"title": "Visit", "text": "Angela Merkel visited Paris."})
    assert response.status_code == 500
    for table in ("articles", "versions", "blocks", "entities", "mentions"):
        assert count_rows(app, table) == 0


def test_the_add_route_only_takes_posts(client):
    response = client.get("/articles")
    assert response.status_code in (404, 405)


def test_a_missing_model_is_a_clear_message_in_the_form(app, client):
    """Guards DRAMATIS_MODEL naming a pipeline that is not installed: the form says what to
    install (503), instead of an error page, and nothing is stored."""
    app.config["MODEL"] = "no_such_spacy_model"  # as DRAMATIS_MODEL at the app's start
    response = client.post("/articles", data={"title": "Visit", "text": "Angela Merkel visited Paris."})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert 'class="form-error"' in html and "no_such_spacy_model" in html
    assert count_rows(app) == 0


def test_a_saved_page_waits_its_turn_while_another_page_is_read(app, client):
    """Guards memory and threads: reading a page of megabytes holds a request thread, so an
    uploaded page shares the fetches' FETCH_CONCURRENCY slots; another gets a 503."""
    page = ("<html><head><title>Port deal</title></head><body><article><h1>Port deal</h1>"
            "<p>Helena Vasconcelos met officials of the European Union in Lisbon on Monday, "
            "the port authority said in a statement.</p></article></body></html>").encode()
    slots = app.extensions["dramatis.fetches"]
    assert slots.acquire(blocking=False)  # a page already being fetched
    try:
        busy = client.post("/articles", data={"file": (io.BytesIO(page), "saved.html")},
                           content_type="multipart/form-data")
    finally:
        slots.release()
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    assert "being read" in busy.get_data(as_text=True) and count_rows(app) == 0
    assert client.post("/articles", data={"file": (io.BytesIO(page), "saved.html")},
                       content_type="multipart/form-data").status_code == 303
