"""The article page, the entity panel (page and htmx fragment), the JSON export, and the
plain-data helpers behind them (text cut into mention links, snippets, credits)."""
import re
from html.parser import HTMLParser

import pytest

from webapp.analysis.article import ENTITY_TYPES, Analysis, Block, Entity, Mention
from webapp.analysis.parse import credit_start
from webapp.anchors import sentence_bounds
from webapp.web.views import article_view, cut, snippet

HX = {"HX-Request": "true", "HX-Target": "panel"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside each element with an id."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag=None, **attrs):
        return [a for t, a in self.tags if (tag is None or t == tag)
                and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


def shown_mentions(analysis, entity):
    hidden = {b.id for b in analysis.blocks if b.kind == "boilerplate"}
    return [m for m in entity.mentions if m.block not in hidden]


def a_person_with_a_caption_mention(analysis):
    kinds = {b.id: b.kind for b in analysis.blocks}
    for entity in analysis.entities:
        if entity.type == "person" and any(kinds[m.block] == "caption" for m in entity.mentions) \
                and len(entity.mentions) > 1:
            return entity
    pytest.fail("the sample article must have a person named in a caption and elsewhere")


def test_article_page_shows_blocks_in_order_and_hides_boilerplate(client, sample_slug,
                                                                  sample_analysis):
    html = client.get(f"/articles/{sample_slug}").get_data(as_text=True)
    text = re.sub(r"<[^>]+>", "", html)
    shown = [sample_analysis.block_text(b) for b in sample_analysis.blocks if b.kind != "boilerplate"]
    positions = [text.find(block.replace('"', "&#34;").replace("'", "&#39;")) for block in shown]
    assert -1 not in positions and positions == sorted(positions)
    for block in sample_analysis.blocks:
        if block.kind == "boilerplate":
            assert sample_analysis.block_text(block) not in text
    assert '<h1 class="block headline"' in html


def test_captions_are_figures_with_the_credit_in_small_type(client, sample_slug, sample_analysis):
    html = client.get(f"/articles/{sample_slug}").get_data(as_text=True)
    captions = [b for b in sample_analysis.blocks if b.kind == "caption"]
    assert html.count("<figure") >= len(captions) > 0
    assert html.count("<figcaption") == len(captions)
    assert re.search(r'<small class="credit">\(Photo: .*Atlantic Wire.*\)</small></figcaption>', html)


def test_every_highlighted_mention_is_a_link_with_the_dom_hooks(client, sample_slug,
                                                                 sample_analysis):
    page = Elements(client.get(f"/articles/{sample_slug}").get_data(as_text=True))
    links = page.find("a", **{"class": "mention"})
    expected = {m.id: e for e in sample_analysis.entities  # places too (issue 16)
                for m in shown_mentions(sample_analysis, e)}
    assert {a["data-mention"] for a in links} == set(expected)
    for link in links:
        entity = expected[link["data-mention"]]
        assert link["data-entity"] == entity.id and link["data-type"] == entity.type
        # Without JavaScript the click lands at the name; htmx takes the same href.
        # (relative: the body is only shown at the article's own address)
        assert link["href"] == f"?entity={entity.id}#{link['id']}"
        assert link["id"] == f"mention-{link['data-mention']}" and "hx-get" not in link
    (article,) = page.find("article", id="article")
    assert article["hx-boost"] == "true" and article["hx-target"] == "#panel"
    places = [a for a in links if a["data-type"] == "place"]
    assert places and all(a["title"] == "Place" for a in places)  # its type, on hover


def test_legend_counts_entities_per_type(client, sample_slug, sample_analysis):
    """Places are counted like the other types, their toggle off at first (issue 16)."""
    html = client.get(f"/articles/{sample_slug}").get_data(as_text=True)
    for type_ in ENTITY_TYPES:
        count = sum(1 for e in sample_analysis.entities if e.type == type_)
        checked = "" if type_ == "place" else " checked"
        assert re.search(rf'data-toggle-type="{type_}"{checked}>.*?<span class="count"[^>]*>{count}<',
                         html, re.S)


def test_entity_link_renders_the_whole_page_with_the_panel_open(client, sample_slug,
                                                                sample_analysis):
    entity = a_person_with_a_caption_mention(sample_analysis)
    response = client.get(f"/articles/{sample_slug}?entity={entity.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and html.startswith("<!doctype html>")
    assert "HX-Request" in response.headers["Vary"]
    page = Elements(html)
    assert page.find("div", id="panel", **{"class": "panel open"})
    items = page.find("li")
    mentions = sorted(shown_mentions(sample_analysis, entity), key=lambda m: m.start)
    assert [li["data-mention"] for li in items if "data-kind" in li] == [m.id for m in mentions]
    assert f"{len(mentions)} mentions" in html
    # The text is the version's shared body: reader.js emphasises the selected mentions.
    assert not page.find("a", **{"class": "mention selected"})
    assert html.count('data-mention="') == len(client.get(f"/articles/{sample_slug}").get_data(
        as_text=True).split('<aside')[0].split('data-mention="')) - 1 + len(mentions)


def test_htmx_gets_the_panel_fragment(client, sample_slug, sample_analysis):
    entity = a_person_with_a_caption_mention(sample_analysis)
    response = client.get(f"/articles/{sample_slug}?entity={entity.id}", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "<body" not in html
    assert "HX-Request" in response.headers["Vary"]
    kinds = {b.id: b.kind for b in sample_analysis.blocks}
    page = Elements(html)
    for mention in shown_mentions(sample_analysis, entity):
        (item,) = page.find("li", data_mention=mention.id)
        assert item["data-kind"] == ("credit" if mention.credit else kinds[mention.block])
    assert page.find("li", data_kind="caption")
    (close,) = [a for a in page.find("a") if "data-close-panel" in a]
    assert close["href"] == f"/articles/{sample_slug}"
    assert page.find("h2", id="panel-title")


def test_panel_snippets_emphasise_the_mention_in_its_sentence(client, sample_slug):
    html = client.get(f"/articles/{sample_slug}?entity=helena-vasconcelos", headers=HX).get_data(as_text=True)
    assert "mention-list" in html, "the sample article's Helena Vasconcelos has no panel"
    assert ("<mark>Helena Vasconcelos</mark>, who leads the Maritime Union, said on Tuesday"
            " that members had not been consulted.</span>") in html
    assert "Nobody asked" in html  # the quoted sentence before the short-form mention


def test_history_restore_gets_the_whole_page(client, sample_slug, sample_analysis):
    """Guards the back button: htmx restores history with HX-Request set and swaps the
    answer into <body>, so that request must get the page, not the panel fragment."""
    entity = a_person_with_a_caption_mention(sample_analysis)
    response = client.get(f"/articles/{sample_slug}?entity={entity.id}",
                          headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


@pytest.mark.parametrize("url, message", [
    ("/articles/no-such-article", "no article at this address"),
    ("/articles/{slug}?entity=no-such-entity", "no such person"),
    ("/articles/{slug}?version=0000000000", "version of the article is not stored"),
    ("/no/such/page", "this page does not exist"),  # our words, not the framework's (issue 16)
])
def test_unknown_things_are_404_pages_or_fragments(client, sample_slug, url, message):
    url = url.format(slug=sample_slug)
    page = client.get(url)
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    assert message in page.get_data(as_text=True).lower()
    fragment = client.get(url, headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 404 and "<html" not in body and 'class="panel-error"' in body


def test_json_export_is_the_design_format_with_version_metadata(client, sample_slug,
                                                               sample_analysis):
    response = client.get(f"/articles/{sample_slug}.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert {k: data[k] for k in ("text", "blocks", "entities", "quotes")} == sample_analysis.to_json()
    for entity in data["entities"]:
        for mention in entity["mentions"]:
            assert data["text"][mention["start"]:mention["end"]] == mention["text"]
    assert data["slug"] == sample_slug and re.fullmatch(r"[0-9a-f]{10}", data["version"])
    assert data["title"].startswith("Port deal draws scrutiny")


def test_reading_never_runs_the_analysis(client, sample_slug, sample_analysis, monkeypatch):
    """Guards "analysis happens once": reading pages and panels must not touch spaCy."""
    import webapp.analysis
    import webapp.analysis.pipeline

    def forbidden(*args, **kwargs):
        raise AssertionError("spaCy was called while reading")

    monkeypatch.setattr(webapp.analysis.pipeline, "get_nlp", forbidden)
    monkeypatch.setattr(webapp.analysis, "analyse", forbidden)
    entity = sample_analysis.entities[0]
    for url in ("/", f"/articles/{sample_slug}", f"/articles/{sample_slug}?entity={entity.id}",
                f"/articles/{sample_slug}.json"):
        assert client.get(url).status_code == 200
    assert client.get(f"/articles/{sample_slug}?entity={entity.id}", headers=HX).status_code == 200


# --- the plain-data helpers, without a model ----------------------------------------

def made_up_caption():
    text = ("A Caption Title\n\nAnna Berg meets Tom Lee in Oslo (Photo: Tom Lee/Reuters)\n\n"
            "Dr. Berg said U.S. ports matter. Lee agreed! Then Berg left.")
    caption_end = text.index(")") + 1
    blocks = [Block("b1", "caption_title", 0, 15),
              Block("b2", "caption", 17, caption_end, ["Tom Lee", "Reuters"]),
              Block("b3", "paragraph", caption_end + 2, len(text))]
    def at(word, nth=0, block="b2", credit=False):
        start = -1
        for _ in range(nth + 1):
            start = text.index(word, start + 1)
        return Mention(f"m{start}", start, start + len(word), word, block, credit)
    entities = [
        Entity("anna-berg", "Anna Berg", "person",
               [at("Anna Berg"), at("Berg", 1, "b3"), at("Berg", 2, "b3")]),
        Entity("tom-lee", "Tom Lee", "person", [at("Tom Lee"), at("Tom Lee", 1, credit=True),
                                                at("Lee", 2, "b3")]),
        Entity("reuters", "Reuters", "organization", [at("Reuters", credit=True)]),
        Entity("oslo", "Oslo", "place", [at("Oslo")]),
    ]
    return Analysis(text, blocks, entities)


def test_a_caption_title_heads_its_caption_and_the_credit_is_kept_apart():
    view = article_view(made_up_caption())
    figure = view.items[0]
    assert figure.kind == "figure" and figure.title.block.id == "b1" and figure.caption.block.id == "b2"
    body = "".join(s.text for s in figure.caption.segments)
    credit = "".join(s.text for s in figure.caption.credit)
    assert body == "Anna Berg meets Tom Lee in Oslo " and credit == "(Photo: Tom Lee/Reuters)"
    assert [s.entity for s in figure.caption.credit if s.mention] == ["tom-lee", "reuters"]
    # Places are highlighted too, their toggle off at first (issue 16).
    assert [s.type for s in figure.caption.segments if s.entity == "oslo"] == ["place"]
    assert [(entry.type, entry.shown) for entry in view.legend][-1] == ("place", False)


@pytest.mark.parametrize("caption, credits, expected", [
    ("Crowds (Photo: AP/Getty)", ["AP", "Getty"], "(Photo: AP/Getty)"),
    ("Crowds in Kyiv. Photograph: Jane Roe", ["Jane Roe"], "Photograph: Jane Roe"),
    ("Crowds in Kyiv", [], ""),
    ("Crowds in Kyiv", ["Nobody"], ""),
])
def test_credit_start(caption, credits, expected):
    """The page splits a caption where the parser's credit starts (one credit finder)."""
    at = credit_start(caption, Block("b1", "caption", 0, len(caption), credits))
    assert caption[len(caption) if at is None else at:] == expected


def test_overlapping_or_stray_mentions_are_not_cut_twice():
    text = "New York Times reporters"
    e = Entity("nyt", "NYT", "organization")
    pairs = [(Mention("m1", 0, 14, "New York Times", "b1"), e),
             (Mention("m2", 0, 8, "New York", "b1"), e),
             (Mention("m3", 20, 99, "stray", "b1"), e)]
    segments = cut(text, 0, sorted(pairs, key=lambda p: (p[0].start, -p[0].end)))
    assert "".join(s.text for s in segments) == text
    assert [s.mention for s in segments] == ["m1", None]


@pytest.mark.parametrize("word, sentence", [
    ("Dr. Berg", "Dr. Berg said U.S. ports matter."),
    ("Lee agreed", "Lee agreed!"),
    ("Then", "Then Berg left."),
])
def test_sentence_bounds_by_punctuation(word, sentence):
    text = "Dr. Berg said U.S. ports matter. Lee agreed! Then Berg left."
    start = text.index(word)
    first, last = sentence_bounds(text, start, start + len(word), 0, len(text))
    assert text[first:last] == sentence


def test_a_long_sentence_is_shortened_around_the_mention():
    text = "word " * 80 + "Anna Berg " + "word " * 80 + "end."
    block = Block("b1", "paragraph", 0, len(text))
    start = text.index("Anna")
    cut_snippet = snippet(text, block, Mention("m1", start, start + 9, "Anna Berg", "b1"))
    assert cut_snippet.mention == "Anna Berg"
    assert cut_snippet.before.startswith("…") and cut_snippet.after.endswith("…")
    assert len(cut_snippet.before) + len(cut_snippet.after) < 230


def test_a_new_version_from_another_process_shows_on_the_next_check(
        app, client, sample_slug, sample_analysis):
    """Guards the cache's generation: `dramatis add` runs in another process, so the reader
    must notice its commit by itself (the store's change count), not serve a replayed page."""
    from webapp.store import connect
    from webapp.store import save_analysis

    app.extensions["dramatis.generation"].interval = 0  # check on every request
    url = f"/articles/{sample_slug}"
    assert "Ministers in Lisbon" not in client.get(url).get_data(as_text=True)
    assert "Ministers in Lisbon" not in client.get(url).get_data(as_text=True)  # replayed
    other = connect(app.config["DATABASE"])  # as another process would
    edited = Analysis(sample_analysis.text.replace("Portuguese ministers", "Ministers in Lisbon"),
                      sample_analysis.blocks, [])
    save_analysis(other, edited, sample_analysis.headline)
    other.close()
    assert "Ministers in Lisbon" in client.get(url).get_data(as_text=True)


def test_a_replayed_page_is_the_page_with_its_headers(app, client, sample_slug):
    """Guards the response cache in front of Flask: a repeat GET gives the same bytes, status
    and headers (security headers, Vary) as the first, and fragments are kept apart."""
    url = f"/articles/{sample_slug}"
    first, again = client.get(url), client.get(url)
    assert again.status_code == 200 and again.data == first.data
    assert dict(again.headers) == dict(first.headers)
    assert "Content-Security-Policy" in again.headers
    assert again.headers["Vary"] == "HX-Request, HX-History-Restore-Request, Accept-Encoding"
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert b"<html" not in fragment.data and b"<html" in again.data


def test_adding_an_article_clears_replayed_pages(client, sample_slug, sample_text):
    """Guards the page cache: after an add through the form the library and the article
    show the new state at once, not a replayed copy."""
    url = f"/articles/{sample_slug}"
    client.get(url)
    edited = sample_text.replace("Portuguese ministers", "Ministers in Lusaka")
    title = sample_text.split("\n", 1)[0]  # the headline, which the sample was stored under
    client.post("/articles", data={"title": title, "text": edited})
    assert "Ministers in Lusaka" in re.sub("<[^>]+>", "", client.get(url).get_data(as_text=True))
