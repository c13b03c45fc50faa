"""Editors' corrections (issue 10): applied over the stored analysis, undone, carried to a
new version of the article, and made through plain forms."""
from __future__ import annotations

import copy
import re

import pytest

from webapp.anchors import make_anchor, version_id
from webapp.corrections import Correction, apply_corrections

pytestmark = pytest.mark.both_backends  # every test on SQLite and on PostgreSQL (issue 17)

WHEN = "2026-11-28T22:00:00+00:00"


def entity(analysis, entity_id):
    return next((e for e in analysis.entities if e.id == entity_id), None)


def mention(analysis, mention_id):
    return next(m for e in analysis.entities for m in e.mentions if m.id == mention_id)


def about(analysis, mention_id, kind, value=None, n=1, other=None, undone=False):
    """A correction made on this analysis's text, about the words of one mention."""
    text, version = analysis.text, version_id(analysis.text)
    m = mention(analysis, mention_id)
    other_anchor = None
    if other:
        o = mention(analysis, other)
        other_anchor = make_anchor(text, o.start, o.end, version)
    return Correction(n, kind, make_anchor(text, m.start, m.end, version), value, "ana", WHEN,
                      other_anchor, WHEN if undone else None, "ana" if undone else None)


def words(analysis, text, kind, value, n=1):
    start = analysis.text.index(text)
    return Correction(n, kind, make_anchor(analysis.text, start, start + len(text),
                                           version_id(analysis.text)), value, "ana", WHEN)


def corrected(analysis, *corrections):
    return apply_corrections(analysis, corrections, version_id(analysis.text))


def test_retype_changes_the_type_and_leaves_the_stored_analysis_alone(sample_analysis):
    before = copy.deepcopy(sample_analysis)
    result = corrected(sample_analysis, about(sample_analysis, "m15", "retype", "person"))
    assert entity(result.analysis, "lisbon-courier").type == "person"
    assert sample_analysis == before
    assert [o.applied for o in result.outcomes] == [True]


def test_not_a_name_removes_the_entity_and_a_place_is_not_a_country(sample_analysis):
    result = corrected(sample_analysis, about(sample_analysis, "m15", "retype", "none"),
                       about(sample_analysis, "m11", "retype", "place", n=2))
    assert entity(result.analysis, "lisbon-courier") is None
    singapore = entity(result.analysis, "singapore")
    assert singapore.type == "place" and singapore.code is None


def test_rename_labels_the_entity(sample_analysis):
    result = corrected(sample_analysis, about(sample_analysis, "m10", "rename", "Meridian Shipping Ltd"))
    assert entity(result.analysis, "meridian-shipping").name == "Meridian Shipping Ltd"


def test_an_undone_correction_changes_nothing(sample_analysis):
    result = corrected(sample_analysis, about(sample_analysis, "m15", "retype", "none", undone=True))
    assert entity(result.analysis, "lisbon-courier") is not None
    assert result.not_applied == []  # undone is not "lost"


def test_merge_joins_the_mentions_and_split_takes_one_off(sample_analysis):
    merged = corrected(sample_analysis, about(sample_analysis, "m20", "merge", other="m25"))
    rafael = entity(merged.analysis, "rafael-almeida")
    assert {"m20", "m22", "m25", "m27"} == {m.id for m in rafael.mentions}
    assert entity(merged.analysis, "oskar-lindqvist") is None

    split = corrected(sample_analysis, about(sample_analysis, "m17", "split", n=1))
    meridian = entity(split.analysis, "meridian-shipping")
    assert "m17" not in {m.id for m in meridian.mentions}
    alone = [e for e in split.analysis.entities if [m.id for m in e.mentions] == ["m17"]]
    assert len(alone) == 1 and alone[0].type == "organization" and alone[0].name == "Meridian Shipping"


def test_remove_takes_one_highlight_only(sample_analysis):
    result = corrected(sample_analysis, about(sample_analysis, "m34", "remove"))
    assert [m.id for m in entity(result.analysis, "portugal").mentions] == ["m8"]


def test_marking_a_missed_name_once_or_everywhere(sample_analysis):
    text = sample_analysis.text
    assert "Lisbon" in text
    once = corrected(sample_analysis, words(sample_analysis, "Lisbon", "mark", "organization"))
    marked = [e for e in once.analysis.entities if e.type == "organization" and e.name == "Lisbon"]
    assert len(marked) == 1 and len(marked[0].mentions) == 1
    assert mention(sample_analysis, "m1").id not in {m.id for m in entity(once.analysis, "lisbon").mentions}

    everywhere = corrected(sample_analysis, words(sample_analysis, "Lisbon", "mark-all", "organization"))
    marked = [e for e in everywhere.analysis.entities if e.type == "organization" and e.name == "Lisbon"]
    standalone = [m.start() for m in re.finditer(r"(?<!\w)Lisbon(?!\w)", text)]
    assert sorted(m.start for m in marked[0].mentions) == standalone
    assert entity(everywhere.analysis, "lisbon-courier") is None  # "Lisbon" inside it gave way


def test_a_new_version_keeps_what_still_applies_and_lists_what_does_not(sample_analysis, nlp):
    from webapp.analysis import analyse

    keep = about(sample_analysis, "m15", "retype", "person", n=1)
    gone = about(sample_analysis, "m11", "retype", "place", n=2)
    new_text = ("A new opening paragraph was added by the desk.\n\n"
                + sample_analysis.text.replace("Singapore", "Rotterdam"))
    new = analyse(new_text, nlp)
    result = apply_corrections(new, [keep, gone], version_id(new_text))
    courier = next(e for e in result.analysis.entities if e.name == "Lisbon Courier")
    assert courier.type == "person"
    assert [o.correction.id for o in result.not_applied] == [2]
    assert result.not_applied[0].why


# --- through the web app ---------------------------------------------------------------

def post(client, slug, **form):
    return client.post(f"/articles/{slug}/corrections", data=form)


def test_retype_by_form_redirects_to_the_panel_and_the_page_shows_it(client, sample_slug):
    page = f"/articles/{sample_slug}"
    assert 'data-entity="lisbon-courier"' in client.get(page).get_data(as_text=True)
    response = post(client, sample_slug, kind="retype", entity="lisbon-courier", value="none")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page)  # no longer a name: no panel
    assert 'data-entity="lisbon-courier"' not in client.get(page).get_data(as_text=True)

    response = post(client, sample_slug, kind="retype", entity="singapore", value="person")
    assert response.status_code == 303 and "entity=singapore" in response.headers["Location"]
    assert 'data-entity="singapore" data-type="person"' in client.get(
        page + "?entity=singapore").get_data(as_text=True)


def test_a_change_by_plain_form_is_announced_once_with_its_undo(client, sample_slug):
    """Guards the announcement without JavaScript: the page a plain form goes back to says
    what the change did, once, with an Undo button that undoes it (and says so); a reader
    who made no change gets the page without it, the session left unread."""
    import html

    reader = client.application.test_client()  # another browser, with no session
    response = post(client, sample_slug, kind="retype", entity="singapore", value="person")
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "“Singapore” is a person." in page
    undo = re.search(r'<form method="post" action="(/articles/[^"]+/undo)">(.*?)</form>', page, re.S)
    assert undo and 'name="entity" value="singapore"' in undo.group(2) and ">Undo</button>" in undo.group(2)
    again = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "“Singapore” is a person." not in again  # said once
    other = reader.get(response.headers["Location"])
    assert "is a person." not in other.get_data(as_text=True) and "Cookie" not in other.headers.get("Vary", "")
    undone = client.post(undo.group(1), data={"entity": "singapore"})
    assert undone.status_code == 303
    page = html.unescape(client.get(undone.headers["Location"]).get_data(as_text=True))
    assert "Undone: “Singapore” is a person." in page
    assert 'data-entity="singapore" data-type="country"' in page


def test_the_export_carries_the_machine_guess_and_the_corrections(client, sample_slug):
    post(client, sample_slug, kind="rename", entity="tomas-reiner", value="Tomás Reiner Jr.")
    data = client.get(f"/articles/{sample_slug}.json").get_json()
    assert next(e for e in data["entities"] if e["id"] == "tomas-reiner")["name"] == "Tomás Reiner Jr."
    assert next(e for e in data["machine_entities"] if e["id"] == "tomas-reiner")["name"] == "Tomás Reiner"
    [row] = data["corrections"]
    assert row["kind"] == "rename" and row["editor"] == "local" and row["applied"]


def test_undo_from_the_history_restores_the_page(client, sample_slug):
    page = f"/articles/{sample_slug}"
    post(client, sample_slug, kind="retype", entity="lisbon-courier", value="none")
    history = client.get(page + "/corrections").get_data(as_text=True)
    assert "“Lisbon Courier” is not a name. <span class=\"made\">Someone at the desk made this on" in history
    number = re.search(r'data-correction="(\d+)"', history).group(1)
    response = client.post(f"{page}/corrections/{number}/undo", data={"next": "history"})
    assert response.status_code == 303
    assert 'data-entity="lisbon-courier"' in client.get(page).get_data(as_text=True)
    assert "Someone at the desk undid it on" in client.get(page + "/corrections").get_data(as_text=True)
    assert client.post(f"{page}/corrections/{number}/undo").status_code == 404


def test_mark_a_missed_name_by_its_words_without_javascript(client, sample_slug):
    response = post(client, sample_slug, kind="mark", words="Lisbon", value="organization", every="1")
    assert response.status_code == 303
    data = client.get(f"/articles/{sample_slug}.json").get_json()
    marked = [e for e in data["entities"] if e["name"] == "Lisbon" and e["type"] == "organization"]
    assert len(marked) == 1 and len(marked[0]["mentions"]) >= 2


def test_merge_and_split_by_form(client, sample_slug):
    post(client, sample_slug, kind="merge", entity="rafael-almeida", other="oskar-lindqvist")
    post(client, sample_slug, kind="split", entity="meridian-shipping", mention="m28")
    data = client.get(f"/articles/{sample_slug}.json").get_json()
    ids = {e["id"]: e for e in data["entities"]}
    assert "oskar-lindqvist" not in ids and len(ids["rafael-almeida"]["mentions"]) == 4
    assert "m28" not in {m["id"] for m in ids["meridian-shipping"]["mentions"]}


@pytest.mark.parametrize("form, status", [
    ({"kind": "retype", "entity": "singapore", "value": "planet"}, 400),
    ({"kind": "explode", "entity": "singapore"}, 400),
    ({"kind": "rename", "entity": "singapore", "value": "   "}, 400),
    ({"kind": "retype", "entity": "no-such", "value": "person"}, 404),
    ({"kind": "mark", "words": "not in the article at all", "value": "person"}, 400),
    ({"kind": "merge", "entity": "singapore", "other": "singapore"}, 400),
])
def test_bad_corrections_are_refused_and_nothing_is_stored(client, sample_slug, form, status):
    assert post(client, sample_slug, **form).status_code == status
    assert client.get(f"/articles/{sample_slug}.json").get_json()["corrections"] == []


def test_a_new_version_lists_the_corrections_that_no_longer_apply(client, store_article,
                                                                  sample_analysis, nlp):
    from webapp.analysis import analyse

    post(client, sample_slug_of(client, store_article, sample_analysis), kind="retype",
         entity="singapore", value="place")
    new = analyse(sample_analysis.text.replace("Singapore", "Rotterdam"), nlp)
    slug = store_article(new, title=TITLE)
    page = client.get(f"/articles/{slug}").get_data(as_text=True)
    assert "no longer apply" in page and "“Singapore” is a place" in page


TITLE = "Harbour deal"


def sample_slug_of(client, store_article, analysis):
    return store_article(analysis, title=TITLE)


def two_senators():
    from webapp.analysis.article import Analysis, Block, Entity, Mention

    text = "Senator Ted Kennedy spoke. Later Senator Robert Kennedy replied."
    ted, robert = text.index("Ted Kennedy"), text.index("Robert Kennedy")
    note = "Possibly the same person as “{}”: the article gives both the same title and surname."
    return Analysis(text, [Block("b1", "paragraph", 0, len(text))], [
        Entity("ted-kennedy", "Ted Kennedy", "person",
               [Mention("m1", ted, ted + 11, "Ted Kennedy", "b1")], [note.format("Robert Kennedy")]),
        Entity("robert-kennedy", "Robert Kennedy", "person",
               [Mention("m2", robert, robert + 14, "Robert Kennedy", "b1")], [note.format("Ted Kennedy")]),
    ])


def test_the_possibly_the_same_note_offers_a_one_click_merge(client, store_article):
    slug = store_article(two_senators(), title="Senators")
    panel = client.get(f"/articles/{slug}?entity=ted-kennedy").get_data(as_text=True)
    form = re.search(r'<form method="post" action="([^"]+)" hx-post="[^"]+" class="correction merge-offer">(.*?)</form>',
                     panel, re.S)
    assert form and 'name="other" value="robert-kennedy"' in form.group(2)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    response = client.post(form.group(1).replace("&amp;", "&"), data=fields)
    assert response.status_code == 303 and "entity=ted-kennedy" in response.headers["Location"]
    page = client.get(f"/articles/{slug}?entity=ted-kennedy").get_data(as_text=True)
    assert "2 mentions" in page and "Possibly the same" not in page
    assert 'data-entity="robert-kennedy"' not in page


def plain(text, *entities):
    from webapp.analysis.article import Analysis, Block

    return Analysis(text, [Block("b1", "paragraph", 0, len(text))], list(entities))


def test_the_library_learns_a_marked_name_and_a_retype_for_later_articles(client, store_article):
    from webapp.analysis.article import Entity, Mention

    first = store_article(plain("Officials in Kyiv said the talks went on."), title="First")
    post(client, first, kind="mark", words="Kyiv", value="country")
    text = "Tesla Motors spoke. Talks in Kyiv ended."
    tesla = Entity("tesla-motors", "Tesla Motors", "person", [Mention("m1", 0, 12, "Tesla Motors", "b1")])
    second = store_article(plain("Tesla Motors opened.", Entity(
        "tesla-motors", "Tesla Motors", "person", [Mention("m1", 0, 12, "Tesla Motors", "b1")])),
        title="Second")
    post(client, second, kind="retype", entity="tesla-motors", value="organization")

    third = store_article(plain(text, tesla), title="Third")
    data = client.get(f"/articles/{third}.json").get_json()
    by_name = {e["name"]: e for e in data["entities"]}
    assert by_name["Kyiv"]["type"] == "country" and by_name["Kyiv"]["mentions"][0]["text"] == "Kyiv"
    assert by_name["Tesla Motors"]["type"] == "organization"
    assert any("another article" in note for note in by_name["Tesla Motors"]["notes"])


def test_learning_names_can_be_turned_off(client, store_article, monkeypatch):
    first = store_article(plain("Officials in Kyiv said the talks went on."), title="First")
    post(client, first, kind="mark", words="Kyiv", value="country")
    monkeypatch.setitem(client.application.config, "LEARN_NAMES", False)  # DRAMATIS_LEARN_NAMES=off
    later = store_article(plain("Talks in Kyiv ended."), title="Later")
    assert client.get(f"/articles/{later}.json").get_json()["entities"] == []


def test_htmx_gets_the_page_to_swap_in_place_instead_of_a_redirect(client, sample_slug):
    """With htmx the correction swaps the new page's <main> in (no reload): the location
    asks for the whole page, which the response cache keeps apart from the panel."""
    import json

    response = client.post(f"/articles/{sample_slug}/corrections", headers={"HX-Request": "true"},
                           data={"kind": "retype", "entity": "singapore", "value": "person"})
    assert response.status_code == 204
    location = json.loads(response.headers["HX-Location"])
    assert location["path"].endswith("?entity=singapore") and location["select"] == "#main"
    page = client.get(location["path"], headers={"HX-Request": "true", **location["headers"]})
    html = page.get_data(as_text=True)
    assert '<main id="main"' in html and 'data-entity="singapore" data-type="person"' in html
    panel = client.get(location["path"], headers={"HX-Request": "true"}).get_data(as_text=True)
    assert '<main id="main"' not in panel


def test_marking_a_name_offers_its_other_occurrences(client, store_article):
    slug = store_article(plain("Kyiv said no. Talks in Kyiv ended; Kyivan papers agreed."), title="Kyiv")
    response = post(client, slug, kind="mark", words="Kyiv", value="country")
    panel = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Mark the 1 other “Kyiv” too" in panel  # not "Kyivan": whole words only
    post(client, slug, kind="mark-all", words="Kyiv", value="country")
    data = client.get(f"/articles/{slug}.json").get_json()
    [kyiv] = [e for e in data["entities"] if e["name"] == "Kyiv"]
    assert len(kyiv["mentions"]) == 2
    assert "other “Kyiv” too" not in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_learned_not_a_name_takes_only_those_highlights(sample_analysis):
    """Regression: "Brazilian" learned as not a name removed Brazil with all its mentions;
    only the highlights written so go."""
    from webapp.corrections import apply_learned

    result = apply_learned(sample_analysis, {"brazilian": ("Brazilian", "none")})
    brazil = entity(result, "brazil")
    assert [m.text for m in brazil.mentions] == ["Brazil"]
    assert entity(sample_analysis, "brazil").mentions[0].text == "Brazilian"  # not changed


def test_the_library_follows_a_correction_and_its_undo(app, client, sample_slug):
    """Guards library entities against stale machine guesses (issues 9, 10): a name retyped
    as not a name leaves /entities and search, and comes back when the change is undone."""
    def listed():
        return {e["name"] for e in client.get("/entities.json").get_json()["entities"]}

    assert "Lisbon Courier" in listed()
    post(client, sample_slug, kind="retype", entity="lisbon-courier", value="none")
    assert "Lisbon Courier" not in listed()
    with app.app_context():
        from webapp.web.db import get_db

        [row] = get_db().execute("SELECT id FROM corrections").fetchall()
    client.post(f"/articles/{sample_slug}/corrections/{row[0]}/undo")
    assert "Lisbon Courier" in listed()


def test_a_correction_and_its_re_indexing_are_one_transaction(app, client, sample_slug, monkeypatch):
    """Guards search and the library's entities against lagging behind a correction: when
    re-indexing fails (a busy or full disk), the correction is not stored either, and an
    undo that cannot be re-indexed is not made."""
    import webapp.web.corrections as routes
    from webapp.web.db import get_db

    def stored():
        with app.app_context():
            return [tuple(r) for r in get_db().execute("SELECT id, undone_at FROM corrections")]

    real_index = routes.index_article

    def failing(*args, **kwargs):
        real_index(*args, **kwargs)  # the index is written, then the disk fills
        raise OSError("No space left on device")

    monkeypatch.setattr(routes, "index_article", failing)
    with pytest.raises(OSError):
        post(client, sample_slug, kind="retype", entity="lisbon-courier", value="none")
    assert stored() == []
    assert "Lisbon Courier" in {e["name"] for e in client.get("/entities.json").get_json()["entities"]}

    monkeypatch.setattr(routes, "index_article", real_index)
    post(client, sample_slug, kind="retype", entity="lisbon-courier", value="none")
    [(correction, _)] = stored()
    monkeypatch.setattr(routes, "index_article", failing)
    with pytest.raises(OSError):
        client.post(f"/articles/{sample_slug}/corrections/{correction}/undo")
    assert stored() == [(correction, None)]
