"""Property tests for passage anchors: any passage of any text links back to itself."""
from urllib.parse import urlencode

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from webapp.anchors import (
    MalformedLink,
    decode,
    encode,
    make_anchor,
    resolve,
    shorten,
    version_id,
)

# Article text: any Unicode a page can hold (emoji, RTL, combining marks, quotes), with the
# whitespace articles have; control characters other than tab and newline are not text.
CHARACTERS = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(" \n\n\t\"'-,&%+=#")
TEXTS = st.text(CHARACTERS, min_size=1, max_size=400)
WORDY_TEXTS = st.lists(st.sampled_from(
    ["the", "port", "deal", "said", "\U0001F6A2", "\u05D4\u05E0\u05DE\u05DC", "\u0645\u064A\u0646\u0627\u0621",
     "\u201cquote\u201d", "50-50", ".", ",", " ", "\n\n"]), min_size=1, max_size=200).map(" ".join)


@st.composite
def passages(draw, texts=TEXTS):
    text = draw(st.one_of(texts, WORDY_TEXTS))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    assume(text[start:end].strip())
    return text, start, end


@settings(max_examples=200, deadline=None)
@given(passages())
def test_a_passage_resolves_to_itself_on_the_same_version(passage):
    text, start, end = passage
    anchor = make_anchor(text, start, end, version_id(text))
    assert anchor.exact == text[start:end].strip()
    for link in (anchor, decode(urlencode(encode(anchor)))):
        result = resolve(link, text, version_id(text))
        assert (result.start, result.end) == (anchor.start, anchor.end)
        assert result.method == "exact-version"


@settings(max_examples=200, deadline=None)
@given(passages())
def test_encode_decode_round_trips(passage):
    text, start, end = passage
    anchor = make_anchor(text, start, end, version_id(text))
    assert decode(encode(anchor)) == shorten(anchor)
    assert decode(urlencode(encode(anchor))) == shorten(anchor)


def occurrences(quote, text):
    """How many times quote occurs in text, overlaps included ("000" twice in "0000")."""
    return sum(text.startswith(quote, i) for i in range(len(text)))


@settings(max_examples=200, deadline=None)
@given(passages(), st.text(CHARACTERS, min_size=1, max_size=200))
def test_a_passage_is_found_after_text_is_inserted_before_it(passage, inserted):
    text, start, end = passage
    anchor = make_anchor(text, start, end, version_id(text))
    edited = text[:anchor.start] + inserted + text[anchor.start:]
    assume(edited != text)
    result = resolve(decode(urlencode(encode(anchor))), edited, version_id(edited), old_text=text)
    assert result.found, result
    found = edited[result.start:result.end]
    if anchor.shortened:
        assert found.startswith(shorten(anchor).exact) and found.endswith(shorten(anchor).tail)
    else:
        assert found == anchor.exact
    if occurrences(anchor.exact, edited) == 1:
        assert result.start == anchor.start + len(inserted)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["p", "q", "qe", "v", "pre", "suf", "x"]),
                       st.text(max_size=50) | st.integers() | st.none()))
def test_decode_raises_only_malformed_link_for_any_parameters(params):
    try:
        decode(params)
    except MalformedLink:
        pass


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_decode_raises_only_malformed_link_for_any_query_string(query):
    try:
        decode(query)
    except MalformedLink:
        pass
