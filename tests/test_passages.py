"""Unit tests for passage anchors: making, linking, resolving after edits, showing."""
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from webapp.anchors import (
    CONTEXT_CHARS,
    MAX_PASSAGE_CHARS,
    Anchor,
    MalformedLink,
    PassagePiece,
    decode,
    encode,
    make_anchor,
    preview,
    resolve,
    sentence_bounds,
    shorten,
    split_by_blocks,
    text_fragment,
    version_id,
)

ARTICLE = (
    "Port deal draws scrutiny as Lisbon weighs its options\n\n"
    "Portugal's government is reviewing a proposed sale of the Setúbal container terminal "
    "to Meridian Shipping, after dockworkers warned that the deal could cost hundreds of jobs.\n\n"
    "Helena Vasconcelos, who leads the Maritime Union, said on Tuesday that members had not "
    "been consulted. \"Nobody asked the people who load the ships,\" Vasconcelos told the "
    "Lisbon Courier.\n\n"
    "Advertisement - Continue reading below\n\n"
    "Meridian chief executive Oskar Lindqvist said the firm would keep every current contract. "
    "Lindqvist's spokesman added that Meridian had \"no plans to automate the terminal\".\n\n"
    "Portuguese ministers are expected to decide before the end of the month.\n"
)
QUOTE = "said on Tuesday that members had not been consulted."


def anchor_for(text, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_anchor(text, start, start + len(quote), version_id(text))


def resolve_in(anchor, text, old_text=None):
    return resolve(anchor, text, version_id(text), old_text=old_text)


def found_text(resolution, text):
    assert resolution.found, resolution
    return text[resolution.start:resolution.end]


def via_url(anchor):
    """The anchor after a trip through a real query string."""
    return decode(urlencode(encode(anchor)))


# --- making -----------------------------------------------------------------------------

def test_version_id_is_a_short_stable_content_hash():
    assert version_id(ARTICLE) == version_id(str(ARTICLE))
    assert len(version_id(ARTICLE)) == 10 and int(version_id(ARTICLE), 16) >= 0
    assert version_id(ARTICLE) != version_id(ARTICLE + " ")


def test_make_anchor_trims_the_selection_and_keeps_32_characters_of_context():
    start = ARTICLE.index(QUOTE)
    anchor = make_anchor(ARTICLE, start - 1, start + len(QUOTE) + 1, "abc123")
    assert anchor.exact == QUOTE
    assert (anchor.start, anchor.end) == (start, start + len(QUOTE))
    assert anchor.prefix == ARTICLE[start - CONTEXT_CHARS:start]
    assert anchor.suffix == ARTICLE[anchor.end:anchor.end + CONTEXT_CHARS]
    assert anchor.version == "abc123"


def test_make_anchor_at_the_edges_of_the_text_has_short_context():
    anchor = make_anchor("Hello world", 0, 5)
    assert (anchor.prefix, anchor.exact, anchor.suffix) == ("", "Hello", " world")


@pytest.mark.parametrize("start, end, message", [
    (-1, 5, "negative"), (5, -1, "negative"), (10, 5, "after its end"),
    (0, 10_000, "beyond the text"), (3, 3, "empty"), (53, 55, "empty"),
])
def test_make_anchor_refuses_bad_selections(start, end, message):
    with pytest.raises(ValueError, match=message):
        make_anchor(ARTICLE, start, end)


def test_make_anchor_refuses_non_integer_offsets():
    with pytest.raises(ValueError, match="integers"):
        make_anchor(ARTICLE, "1", 5)


def test_make_anchor_refuses_control_characters_a_link_cannot_carry():
    with pytest.raises(ValueError, match="control"):
        make_anchor("a\x00b", 0, 3)


def test_make_anchor_clamps_a_very_long_selection():
    text = "word " * 5000
    anchor = make_anchor(text, 0, len(text))
    assert len(anchor.exact) <= MAX_PASSAGE_CHARS
    assert text.startswith(anchor.exact) and anchor.exact == anchor.exact.strip()


# --- resolving --------------------------------------------------------------------------

def test_same_version_resolves_exactly():
    anchor = anchor_for(ARTICLE, QUOTE)
    result = resolve_in(anchor, ARTICLE)
    assert result.method == "exact-version" and result.score == 1.0
    assert found_text(result, ARTICLE) == QUOTE


def test_a_link_without_its_version_still_finds_the_quote():
    anchor = Anchor(exact=QUOTE, prefix="", suffix="", start=0, end=len(QUOTE))
    result = resolve_in(anchor, ARTICLE)
    assert result.method == "quote" and found_text(result, ARTICLE) == QUOTE


def test_inserted_paragraph_shifts_offsets_and_the_quote_is_found():
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = ARTICLE.replace("Portugal's government", "A new opening paragraph.\n\nPortugal's government")
    result = resolve_in(anchor, edited, old_text=ARTICLE)
    assert result.method == "quote"
    assert result.start == edited.index(QUOTE) and found_text(result, edited) == QUOTE


def test_edited_earlier_paragraph_shifts_offsets_and_the_quote_is_found():
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = ARTICLE.replace("could cost hundreds of jobs", "might cost as many as 400 jobs")
    result = resolve_in(anchor, edited)
    assert result.method == "quote" and result.start == edited.index(QUOTE)


def test_a_stale_position_in_the_same_version_falls_back_to_the_quote():
    """Guards against trusting a link's position when the quote is not there (a hand-edited
    link, or an offset bug): the quote itself decides."""
    good = anchor_for(ARTICLE, QUOTE)
    moved = Anchor(good.exact, good.prefix, good.suffix, 10, 10 + len(QUOTE), good.version)
    result = resolve_in(moved, ARTICLE)
    assert result.method == "quote" and result.start == good.start


REPEATED = (
    "The minister said the plan would go ahead.\n\n"
    "Unions in Lisbon said the plan would go ahead without them.\n\n"
    "Critics in Porto said the plan would go ahead anyway, regardless.\n"
)


def test_repeated_quote_picks_the_occurrence_whose_context_matches():
    anchor = anchor_for(REPEATED, "said the plan would go ahead", occurrence=1)
    # Shift everything so the old position points nowhere useful.
    edited = "Update: a correction was added at the top of this article.\n\n" + REPEATED
    result = resolve_in(anchor, edited)
    assert result.method == "quote"
    assert result.start == edited.index("said the plan", edited.index("Unions"))


def test_repeated_quote_with_identical_context_picks_the_nearest_occurrence():
    para = "The vote was close. The motion passed by one vote. Nobody expected it.\n\n"
    text = para * 4
    anchor = anchor_for(text, "The motion passed by one vote.", occurrence=2)
    edited = text.replace("The vote was close.", "The vote was very close.", 1)
    result = resolve_in(anchor, edited)
    third = edited.index("The motion", edited.index("The motion", edited.index("The motion") + 1) + 1)
    assert result.start == third


def test_repeated_quote_uses_the_old_text_to_map_the_position():
    """Guards the diff mapping: a large insertion before the passage moves it further than
    the distance to another identical occurrence; only the diff knows where it went."""
    para = "The vote was close. The motion passed by one vote. Nobody expected it.\n\n"
    text = para * 4
    anchor = anchor_for(text, "The motion passed by one vote.", occurrence=2)
    edited = "Long preamble. " * 10 + "\n\n" + text
    copies = [i for i in range(len(edited)) if edited.startswith("The motion", i)]
    # The second and third copies have the same 32 characters of context either side.
    assert resolve_in(anchor, edited, old_text=text).start == copies[2]
    assert resolve_in(anchor, edited).start == copies[1]  # nearest the raw old offset


def test_old_text_of_another_version_is_ignored():
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = "New top.\n\n" + ARTICLE
    result = resolve_in(anchor, edited, old_text="something else entirely")
    assert found_text(result, edited) == QUOTE


def test_small_typo_fix_in_the_quote_is_found_approximately():
    anchor = anchor_for(ARTICLE.replace("consulted", "consultd"), "said on Tuesday that members had not been consultd.")
    result = resolve_in(anchor, ARTICLE)
    assert result.method == "fuzzy" and result.score > 0.9
    assert found_text(result, ARTICLE) == QUOTE


def test_small_wording_fix_with_a_new_paragraph_above_is_found():
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = ("Correction appended.\n\n" + ARTICLE).replace("had not been", "had never been")
    result = resolve_in(anchor, edited, old_text=ARTICLE)
    assert result.method == "fuzzy"
    assert found_text(result, edited) == "said on Tuesday that members had never been consulted."


def test_typo_fix_at_the_start_of_a_long_quote_is_found():
    long_quote = ARTICLE[ARTICLE.index("Portugal's government"):ARTICLE.index("jobs.") + 5]
    assert len(long_quote) > 160  # travels shortened
    old = ARTICLE.replace("Portugal's government", "Portugal's govenment")
    anchor = via_url(anchor_for(old, long_quote.replace("government", "govenment")))
    assert anchor.shortened
    result = resolve_in(anchor, ARTICLE, old_text=old)
    assert found_text(result, ARTICLE) == long_quote


def test_deleted_passage_is_an_orphan():
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = ARTICLE.replace(QUOTE + " ", "")
    result = resolve_in(anchor, edited, old_text=ARTICLE)
    assert result.method == "orphan" and result.start is None and result.end is None


def test_deleted_paragraph_is_an_orphan():
    quote = "Meridian chief executive Oskar Lindqvist said the firm would keep every current contract."
    anchor = anchor_for(ARTICLE, quote)
    paragraph_end = ARTICLE.index("terminal\".") + len("terminal\".\n\n")
    edited = ARTICLE[:ARTICLE.index("Meridian chief")] + ARTICLE[paragraph_end:]
    assert resolve_in(anchor, edited, old_text=ARTICLE).method == "orphan"


def test_passage_replaced_by_other_text_of_similar_length_is_an_orphan():
    """Guards the quote threshold: prefix and suffix still agree perfectly, so only the quote
    similarity (QUOTE_MIN) stops a confident wrong answer."""
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = ARTICLE.replace(QUOTE, "insisted that the workforce had been kept informed.")
    result = resolve_in(anchor, edited, old_text=ARTICLE)
    assert result.method == "orphan"


def test_passage_rewritten_with_many_of_the_same_words_is_an_orphan():
    anchor = anchor_for(ARTICLE, QUOTE)
    edited = ARTICLE.replace(QUOTE, "said on Monday that the members had been consulted twice.")
    assert resolve_in(anchor, edited, old_text=ARTICLE).method == "orphan"


def test_quote_left_only_as_a_few_common_words_is_an_orphan():
    quote = "the deal could cost hundreds of jobs"
    anchor = anchor_for(ARTICLE, quote)
    edited = ARTICLE.replace("after dockworkers warned that the deal could cost hundreds of jobs",
                             "the union said")
    result = resolve_in(anchor, edited, old_text=ARTICLE)
    assert result.method == "orphan"


def test_short_quote_out_of_context_is_an_orphan():
    """Guards TELLING_QUOTE_CHARS: a deleted "said" must not land on another "said"."""
    text = "Helena said no. The minister replied that it was settled.\n\nOthers said little."
    anchor = anchor_for(text, "said")
    edited = text.replace("Helena said no. ", "")
    assert "said" in edited
    assert resolve_in(anchor, edited).method == "orphan"


def test_empty_context_only_agrees_at_the_edge_of_the_text():
    """Guards against an empty prefix (a passage that began the article) counting as
    agreement anywhere, which let a deleted opening "Yes" land on a later one."""
    text = "Yes. The board agreed.\n\nLater, asked again: Yes, they said."
    anchor = anchor_for(text, "Yes")
    assert anchor.prefix == ""
    edited = text.replace("Yes. ", "", 1)
    assert resolve_in(anchor, edited).method == "orphan"
    assert resolve_in(anchor, "Yes! " + edited).start == 0


def test_short_quote_with_its_context_is_found():
    text = "Helena said no. The minister replied.\n\nOthers said little."
    anchor = anchor_for(text, "said", occurrence=1)
    edited = "Breaking.\n\n" + text
    result = resolve_in(anchor, edited)
    assert result.method == "quote" and result.start == edited.index("said little")


FORMULA = ("Officials from both ports met again in Lisbon this week. The minister said on "
           "Tuesday that the talks would continue. Union leaders welcomed the news at once.\n")
FORMULA_QUOTE = "The minister said on Tuesday that the talks would continue."


def test_edited_quote_with_partly_rewritten_surroundings_is_found():
    """Guards CONTEXT_MIN from above: a one-word edit in place, with both neighbouring
    sentences reworded (best context side about 0.72), is still the passage."""
    anchor = anchor_for(FORMULA, FORMULA_QUOTE)
    edited = (FORMULA.replace("both ports met again in Lisbon this week", "the two harbours met again in Porto on Friday")
              .replace("Tuesday", "Monday")
              .replace("Union leaders welcomed the news at once.", "Union members greeted this news with relief."))
    result = resolve_in(anchor, edited, old_text=FORMULA)
    assert result.method == "fuzzy"
    assert found_text(result, edited) == "The minister said on Monday that the talks would continue."


def test_similar_sentence_elsewhere_is_not_taken_for_a_deleted_passage():
    """Guards the context requirement for approximate quotes: formulaic news sentences recur,
    and a near-copy in another paragraph must not stand in for the deleted one."""
    text = FORMULA + "\nIn Brasília, separately, the minister said on Monday that the talks would continue.\n"
    anchor = anchor_for(text, FORMULA_QUOTE)
    edited = text.replace(FORMULA_QUOTE + " ", "")
    assert resolve_in(anchor, edited, old_text=text).method == "orphan"


def test_short_quote_in_loosely_similar_surroundings_is_an_orphan():
    """Guards CONTEXT_MIN from below: "said" in a sentence that only resembles the old one
    (best context side about 0.56, like unrelated text) is not the passage."""
    text = "The harbour board met on Friday and said it would decide the matter next month.\n"
    anchor = anchor_for(text, "said")
    edited = "The port authority gathered Monday; it said nothing would change this year at all.\n"
    assert resolve_in(anchor, edited).method == "orphan"
    reworded = "The harbour board met on Friday and said that it would decide next month.\n"
    assert resolve_in(anchor, reworded).start == reworded.index("said")


def test_passage_across_blocks_resolves_and_splits_into_block_pieces():
    start = ARTICLE.index("Vasconcelos told")
    end = ARTICLE.index("every current contract.") + len("every current contract.")
    anchor = make_anchor(ARTICLE, start, end, version_id(ARTICLE))
    edited = "Top note.\n\n" + ARTICLE
    result = resolve_in(via_url(anchor), edited, old_text=ARTICLE)
    assert found_text(result, edited) == ARTICLE[start:end]

    blocks, offset = [], 0
    for number, chunk in enumerate(ARTICLE.split("\n\n")):
        kind = "boilerplate" if chunk.startswith("Advertisement") else "paragraph"
        blocks.append(SimpleNamespace(id=f"b{number}", kind=kind, start=offset, end=offset + len(chunk)))
        offset += len(chunk) + 2
    pieces = split_by_blocks(start, end, blocks)
    assert [p.block for p in pieces] == ["b2", "b4"]  # b3, the advertisement, is skipped
    assert ARTICLE[pieces[0].start:pieces[0].end] == 'Vasconcelos told the Lisbon Courier.'
    assert ARTICLE[pieces[1].start:pieces[1].end].endswith("every current contract.")
    assert pieces[0] == PassagePiece("b2", start, blocks[2].end)


def test_split_by_blocks_accepts_blocks_without_a_kind_and_out_of_order():
    blocks = [SimpleNamespace(id="b2", start=10, end=20), SimpleNamespace(id="b1", start=0, end=8)]
    assert split_by_blocks(5, 15, blocks) == [("b1", 5, 8), ("b2", 10, 15)]
    assert split_by_blocks(8, 10, blocks) == []


QUOTES_TEXT = ("The adviser wrote: \"It's a 'fair' deal,\" and later \u201cwe\u2019ll see\u201d "
               "about the 50-50 split & the rest, if any.")


@pytest.mark.parametrize("quote", [
    "\"It's a 'fair' deal,\"", "\u201cwe\u2019ll see\u201d", "50-50 split & the rest, if any.",
])
def test_quotes_containing_quotes_round_trip_and_resolve(quote):
    anchor = anchor_for(QUOTES_TEXT, quote)
    assert via_url(anchor) == anchor
    edited = "Earlier: nothing.\n\n" + QUOTES_TEXT
    assert found_text(resolve_in(via_url(anchor), edited), edited) == quote


EMOJI_TEXT = ("Fans cheered \U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 and "
              "\U0001F3F3\uFE0F\u200D\U0001F308 flags \U0001F1F5\U0001F1F9 at the port. "
              "\u0627\u0644\u0645\u064A\u0646\u0627\u0621 \u0645\u063A\u0644\u0642 \u0627\u0644\u064A\u0648\u0645. "
              "\u05D4\u05E0\u05DE\u05DC \u05E0\u05E1\u05D2\u05E8 \u05D4\u05D9\u05D5\u05DD. The end.")


@pytest.mark.parametrize("quote", [
    "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 and \U0001F3F3\uFE0F\u200D\U0001F308",
    "\u0627\u0644\u0645\u064A\u0646\u0627\u0621 \u0645\u063A\u0644\u0642",
    "\u05D4\u05E0\u05DE\u05DC \u05E0\u05E1\u05D2\u05E8 \u05D4\u05D9\u05D5\u05DD.",
    "\U0001F1F5\U0001F1F9 at the port. \u0627\u0644\u0645\u064A\u0646\u0627\u0621",
])
def test_emoji_and_right_to_left_quotes_round_trip_and_resolve(quote):
    anchor = anchor_for(EMOJI_TEXT, quote)
    assert via_url(anchor) == anchor
    assert found_text(resolve_in(anchor, EMOJI_TEXT), EMOJI_TEXT) == quote
    edited = "\u05E2\u05D3\u05DB\u05D5\u05DF \U0001F4F0\n\n" + EMOJI_TEXT
    assert found_text(resolve_in(via_url(anchor), edited, old_text=EMOJI_TEXT), edited) == quote


def test_made_and_decoded_anchors_resolve_the_same():
    """Guards shorten(): a long passage resolves identically before and after the URL trip."""
    start = ARTICLE.index("Helena Vasconcelos, who")
    end = ARTICLE.index("the month.") + len("the month.")
    anchor = make_anchor(ARTICLE, start, end, version_id(ARTICLE))
    edited = "Top.\n\n" + ARTICLE.replace("Oskar", "Oskar M.")
    assert resolve_in(anchor, edited) == resolve_in(via_url(anchor), edited)
    assert found_text(resolve_in(anchor, edited), edited).startswith("Helena Vasconcelos, who")


def test_empty_current_text_gives_an_orphan():
    assert resolve_in(anchor_for(ARTICLE, QUOTE), "").method == "orphan"


# --- the link ---------------------------------------------------------------------------

def test_encode_is_compact_and_readable():
    anchor = anchor_for(ARTICLE, QUOTE)
    params = encode(anchor)
    assert list(params) == ["p", "v", "q", "pre", "suf"]
    assert params["p"] == f"{anchor.start}-{anchor.end}" and params["q"] == QUOTE
    assert decode(params) == anchor


def test_long_quotes_travel_as_opening_and_closing_words():
    start = ARTICLE.index("Portugal's government")
    anchor = make_anchor(ARTICLE, start, len(ARTICLE), version_id(ARTICLE))
    params = encode(anchor)
    assert len(params["q"]) <= 60 and len(params["qe"]) <= 60
    assert anchor.exact.startswith(params["q"]) and anchor.exact.endswith(params["qe"])
    assert len(urlencode(params)) < 400
    decoded = via_url(anchor)
    assert decoded == shorten(anchor) and decoded.shortened
    assert decoded.quote == f"{params['q']} \u2026 {params['qe']}"
    assert resolve_in(decoded, ARTICLE).method == "exact-version"


def test_decode_accepts_parse_qs_style_lists_and_ignores_other_parameters():
    params = {key: [value] for key, value in encode(anchor_for(ARTICLE, QUOTE)).items()}
    params["entity"] = ["helena-vasconcelos"]
    assert decode(params).exact == QUOTE


GOOD = "p=10-20&v=abcdef0123&q=hello+world"
HUGE = "x" * 100_000


@pytest.mark.parametrize("link", [
    "", "q=hello", "p=10-20", "p=10-20&q=", "p=10-20&q=+++",
    "p=-1-20&q=x", "p=20-10&q=x", "p=10-10&q=x", "p=1-99999999999&q=x", "p=1-20000000&q=x",
    "p=0-10001&q=x", "p=a-b&q=x", "p=1.5-3&q=x", "p=1e3-2e3&q=x", "p=10&q=x", "p=%20-5&q=x",
    "p=\u0661-\u0665&q=x", "p=1-5&q=%ZZ", "p=1-5&q=%E2%82", "p=1-5&q=%ff%fe", "p=1-5&q=a%",
    "p=1-5&q=" + HUGE, "p=1-5&q=" + "x" * 4001, "p=1-5&q=x&pre=" + "y" * 300,
    "p=1-5&q=a%00b", "p=1-5&q=a%1Bb", "p=1-5&q=a%C2%85b", "p=1-5&q=x&v=NOT-HEX",
    "p=1-5&q=x&v=abc",
])
def test_malformed_links_raise_malformed_link(link):
    with pytest.raises(MalformedLink):
        decode(link)


@pytest.mark.parametrize("params", [
    {}, {"p": "1-5"}, {"p": 5, "q": "x"}, {"p": "1-5", "q": b"x"}, {"p": [], "q": "x"},
    {"p": "1-5", "q": "\ud800"}, {"p": "1-5", "q": "x" * 100_000}, {"p": "5-1", "q": "x"},
])
def test_malformed_parameter_mappings_raise_malformed_link(params):
    with pytest.raises(MalformedLink):
        decode(params)


def test_decode_refuses_things_that_are_not_parameters():
    with pytest.raises(MalformedLink):
        decode(None)


def test_a_well_formed_link_decodes():
    anchor = decode(GOOD)
    assert (anchor.start, anchor.end, anchor.version, anchor.exact) == (10, 20, "abcdef0123", "hello world")


def test_malformed_link_is_a_value_error_with_a_readable_message():
    with pytest.raises(ValueError, match="ends before it starts"):
        decode("p=20-10&q=x")


# --- text fragments ---------------------------------------------------------------------

def test_text_fragment_escapes_dash_comma_and_ampersand():
    text = "Before it. The 50-50 split, & more here. After that, nothing."
    anchor = anchor_for(text, "The 50-50 split, & more here.")
    fragment = text_fragment(anchor)
    directive = fragment.removeprefix("#:~:text=")
    assert "The%2050%2D50%20split%2C%20%26%20more%20here." in directive
    assert directive == "Before%20it.-,The%2050%2D50%20split%2C%20%26%20more%20here.,-After%20that%2C%20nothing."
    # Only the syntax's own separators remain unescaped.
    assert directive.count("-,") == 1 and directive.count(",-") == 1 and "&" not in directive


def test_text_fragment_uses_start_and_end_for_a_passage_across_blocks():
    start = ARTICLE.index("Vasconcelos told")
    end = ARTICLE.index("every current contract.") + len("every current contract.")
    fragment = text_fragment(make_anchor(ARTICLE, start, end))
    assert fragment.startswith("#:~:text=")
    assert ("-,Vasconcelos%20told%20the%20Lisbon%20Courier.,"
            "firm%20would%20keep%20every%20current%20contract.,-") in fragment
    assert "%0A" not in fragment


def test_text_fragment_leaves_out_context_from_another_block():
    text = "First paragraph.\n\nThe quote starts a paragraph.\n\nNext paragraph."
    fragment = text_fragment(anchor_for(text, "The quote starts a paragraph."))
    assert fragment == "#:~:text=The%20quote%20starts%20a%20paragraph."


# --- sentences and previews -------------------------------------------------------------

def sentence_of(text, word):
    start = text.index(word)
    s, e = sentence_bounds(text, start, start + len(word), 0, len(text))
    return text[s:e]


def test_sentence_bounds_finds_the_sentence_around_a_mention():
    text = "The port is busy. Helena Vasconcelos said no! Then what? Nothing."
    assert sentence_of(text, "Vasconcelos") == "Helena Vasconcelos said no!"
    assert sentence_of(text, "port") == "The port is busy."
    assert sentence_of(text, "Nothing") == "Nothing."


def test_sentence_bounds_keeps_closing_quotes_and_skips_abbreviations():
    text = ('He said "it is over." Mr. Lindqvist of the U.S. firm disagreed on 3.5 points. '
            '\u201cNo,\u201d said Ms. Almeida.\u201d Done.')
    assert sentence_of(text, "Lindqvist") == "Mr. Lindqvist of the U.S. firm disagreed on 3.5 points."
    assert sentence_of(text, "over") == 'He said "it is over."'
    assert sentence_of(text, "Almeida") == "\u201cNo,\u201d said Ms. Almeida.\u201d"


def test_sentence_bounds_stays_inside_the_block():
    text = "Caption without a full stop\n\nNext block. More."
    s, e = sentence_bounds(text, 8, 15, 0, 27)
    assert text[s:e] == "Caption without a full stop"
    with pytest.raises(ValueError):
        sentence_bounds(text, 8, 40, 0, 27)


def test_preview_cuts_at_a_word_with_an_ellipsis():
    quote = "word " * 100
    short = preview(quote, limit=50)
    assert len(short) <= 50 and short.endswith("word\u2026")
    assert preview("Short\n\nquote.") == "Short quote."
    assert len(preview("x" * 500)) == 200


def test_sentence_bounds_look_only_so_far_in_a_block_without_stops():
    """Guards the panel's cost (review of issue 11): a 90,000-character paragraph with no
    full stop made every mention's sentence scan the whole block, twice per panel row."""
    import webapp.anchors as anchors

    text = "Joe Biden met Angela Merkel and then " * 2500
    calls = []
    real = anchors._sentence_stop
    anchors._sentence_stop = lambda *args: calls.append(1) or real(*args)
    try:
        start = text.index("Angela", 45_000)
        s, e = sentence_bounds(text, start, start + 13, 0, len(text))
    finally:
        anchors._sentence_stop = real
    assert len(calls) <= 2 * anchors.SENTENCE_SCAN + 20
    assert s < start < start + 13 < e and e - s <= 2 * anchors.SENTENCE_SCAN + 13
    assert text[s - 1] == " " and text[e] == " "  # whole words


def test_the_percent_encoder_gives_what_urllib_gives():
    """Guards anchors.percent_encoder, which links and Text Fragments use in place of
    urllib's quote and quote_plus: the same text for every character class (ASCII
    punctuation, spaces and line breaks, accents, curly quotes, emoji)."""
    import random
    from urllib.parse import quote, quote_plus

    from webapp.anchors import percent_encoder

    rng = random.Random(11)
    alphabet = [chr(c) for c in range(32, 127)] + list("\t\n éü“”’—€😀中")
    values = ["", " ", "a+b c", "50%", "x-y,z&w"]
    values += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(2000)]
    for safe in ("", "/", "!$'()*,/:;?@"):
        plain, plus = percent_encoder(safe), percent_encoder(safe, plus=True)
        assert [plain(v) for v in values] == [quote(v, safe=safe) for v in values]
        assert [plus(v) for v in values] == [quote_plus(v, safe=safe) for v in values]
    dashless = percent_encoder("", also="-")
    assert [dashless(v) for v in values] == [quote(v, safe="").replace("-", "%2D") for v in values]
