"""Who said what in the reader (issue 19): a speaker's quotations in their panel, each with a
passage link to it, and "Quoted: N people, M organisations" on the article page. The analyses
are written by hand, so these tests need no model."""
import re

import pytest
from marked_articles import marked_article

from webapp.analysis.quotes import Quote

HX = {"HX-Request": "true", "HX-Target": "panel"}


def quoted_article():
    analysis = marked_article(
        "[[Maria Costa|person|maria-costa]] spoke first. “We will not sign this agreement,” "
        "[[Costa|person|maria-costa]] told reporters.",
        "A spokesman for the [[Interior Ministry|organization|interior-ministry]] said: "
        "“Nothing is left to discuss.”",
        "“Nobody knows who said this,” one guest said. “It is over,” [[Costa|person|maria-costa]] said.",
        headline="Harbour talks collapse")
    text = analysis.text
    costa = next(e for e in analysis.entities if e.id == "maria-costa")
    ministry = next(e for e in analysis.entities if e.id == "interior-ministry")

    def quote(words, speaker=None, mention=None, cue="said"):
        start = text.index(words)
        block = next(b for b in analysis.blocks if b.start <= start < b.end)
        return Quote(start, start + len(words), block.id, speaker and speaker.id, None, cue,
                     mention.id if mention else None)

    analysis.quotes = [quote("We will not sign this agreement,", costa, costa.mentions[1], "told"),
                       quote("Nothing is left to discuss.", ministry, ministry.mentions[0]),
                       quote("Nobody knows who said this,"),
                       quote("It is over,", costa, costa.mentions[2])]
    return analysis


@pytest.fixture
def slug(store_article):
    return store_article(quoted_article(), "Harbour talks collapse")


def test_a_persons_panel_lists_their_quotations_with_passage_links(client, slug):
    html = client.get(f"/articles/{slug}?entity=maria-costa", headers=HX).get_data(as_text=True)
    quotes = re.findall(r"<li data-quote>\s*<blockquote>“(.*?)”</blockquote>\s*<a class=\"quote-link\" href=\"([^\"]+)\"", html)
    assert [words for words, _ in quotes] == ["We will not sign this agreement,", "It is over,"]
    link = quotes[0][1].replace("&amp;", "&")
    passage = client.get(link.split("#")[0]).get_data(as_text=True)
    assert '<mark class="passage"' in passage and "We will not sign this agreement," in passage
    assert "Quoted 2 times" in html


def test_an_entity_with_no_quotations_has_no_quote_list(client, store_article):
    slug = store_article(marked_article("[[Anna Berg|person|anna-berg]] spoke.", headline="Quiet day"), "Quiet day")
    html = client.get(f"/articles/{slug}?entity=anna-berg", headers=HX).get_data(as_text=True)
    assert "data-quotes" not in html


def test_the_article_page_counts_who_is_quoted(client, slug):
    html = client.get(f"/articles/{slug}").get_data(as_text=True)
    summary = re.search(r"<summary>(.*?)</summary>", html, re.S).group(1)
    assert " ".join(summary.split()) == ("Quoted: 1 person, 1 organisation; "
                                         "1 quotation with no speaker named")
    speakers = re.findall(r'<li data-speaker="([^"]+)"><a href="([^"]+)">[^<]+</a>\s*\((\d+) quotation', html)
    assert speakers == [("maria-costa", f"/articles/{slug}?entity=maria-costa", "2"),
                        ("interior-ministry", f"/articles/{slug}?entity=interior-ministry", "1")]


def test_a_quotation_follows_its_speakers_mention_through_a_split(client, slug):
    """An editor splits Costa's last mention off ("someone else"): that quotation goes with
    the new entity, the other stays Costa's."""
    html = client.get(f"/articles/{slug}?entity=maria-costa").get_data(as_text=True)
    mention = re.findall(r'<li data-mention="([^"]+)"', html)[-1]
    response = client.post(f"/articles/{slug}/corrections",
                           data={"kind": "split", "entity": "maria-costa", "mention": mention})
    assert response.status_code in (200, 303)
    html = client.get(f"/articles/{slug}?entity=maria-costa", headers=HX).get_data(as_text=True)
    assert re.findall(r"<blockquote>“(.*?)”</blockquote>", html) == ["We will not sign this agreement,"]


def test_quotations_are_in_the_json_export(client, slug):
    data = client.get(f"/articles/{slug}.json").get_json()
    assert [(data["text"][q["start"]:q["end"]], q["speaker"]) for q in data["quotes"]] == [
        ("We will not sign this agreement,", "maria-costa"), ("Nothing is left to discuss.", "interior-ministry"),
        ("Nobody knows who said this,", None), ("It is over,", "maria-costa")]
