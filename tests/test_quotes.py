"""Who said what (issue 19): direct quotations found by their marks and given to their speakers,
or left unattributed when the text does not say who spoke. The sentences are invented."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.article import Block
from webapp.analysis.quotes import is_quotation, quotation_spans
from webapp.quote_evaluation import load_gold, score_quotes, strip_markup

HEADLINE = "Port talks collapse in Lisbon\n\n"


def quotes_of(nlp, body: str):
    """(quoted words, speaker's name or None, cue) of each quotation in an article."""
    analysis = analyse(HEADLINE + body, nlp)
    names = {e.id: e.name for e in analysis.entities}
    return [(analysis.text[q.start:q.end], names.get(q.speaker), q.cue) for q in analysis.quotes]


def paragraphs(text: str) -> list[Block]:
    blocks, at = [], 0
    for i, piece in enumerate(text.split("\n\n")):
        blocks.append(Block(f"b{i}", "paragraph", at, at + len(piece)))
        at += len(piece) + 2
    return blocks


# --- Finding the quotations by their marks ----------------------------------------------------

def test_quoted_words_are_the_span_inside_the_marks():
    text = 'He said: “We will not sign.” Then he left.'
    (start, end, _), = quotation_spans(text, paragraphs(text))
    assert text[start:end] == "We will not sign."


def test_a_quotation_runs_over_paragraphs_when_the_next_one_opens_with_a_mark():
    text = '"The first part runs to the end.\n\n"And the second ends here," she said.'
    (start, end, block), = quotation_spans(text, paragraphs(text))
    assert text[start:end] == 'The first part runs to the end.\n\n"And the second ends here,'
    assert block.id == "b0"


def test_an_unclosed_quotation_the_next_paragraph_does_not_take_up_is_dropped():
    """Where it ends cannot be told, so no span is made up for it."""
    text = '"This one never closes.\n\nThe next paragraph is narration. "This one does," she said.'
    spans = [text[s:e] for s, e, _ in quotation_spans(text, paragraphs(text))]
    assert spans == ["This one does,"]


@pytest.mark.parametrize("words, speech", [
    ("No,", True), ("We will not sign this agreement,", True), ("had failed completely", True),
    ("peace plan", False), ("The Long Goodbye", False), ("Save Our Shelves", False),
    ("Better Idea of Afghan Girls,", False), ("Robogee.", False), ("", False),
])
def test_speech_is_told_from_titles_and_terms_in_quote_marks(words, speech):
    assert is_quotation(words) is speech


# --- Speakers ----------------------------------------------------------------------------------

def test_a_name_after_the_quotation_with_a_reporting_verb_is_the_speaker(nlp):
    quotes = quotes_of(nlp, 'Maria Costa arrived late.\n\n'
                            '"We will not sign this agreement," Costa told reporters on Tuesday.')
    assert quotes == [("We will not sign this agreement,", "Maria Costa", "told")]


def test_a_speaker_before_a_colon_is_the_speaker(nlp):
    quotes = quotes_of(nlp, 'Maria Costa said: "The door stays open. We have waited four years."')
    assert quotes == [("The door stays open. We have waited four years.", "Maria Costa", "said")]


def test_she_said_is_the_one_woman_named_nearby(nlp):
    quotes = quotes_of(nlp, 'Maria Costa and Pedro Alves left the hall together.\n\n'
                            '"It is over," she said. "We lost the vote, and we lost it fairly."')
    assert quotes == [("It is over,", "Maria Costa", "said"),
                      ("We lost the vote, and we lost it fairly.", "Maria Costa", "said")]


def test_he_said_with_two_men_named_stays_unattributed(nlp):
    """Two men are named just before "he said": the quotation is given to neither."""
    quotes = quotes_of(nlp, 'Pedro Alves and Tomas Lindqvist argued for an hour.\n\n'
                            '"You have the numbers wrong," he said.')
    assert quotes == [("You have the numbers wrong,", None, "said")]


def test_a_spokesman_speaks_for_the_organisation(nlp):
    quotes = quotes_of(nlp, 'A spokesman for the Interior Ministry said the talks "had failed '
                            'completely" and added: "Nothing is left to discuss."')
    assert [(words, speaker) for words, speaker, _ in quotes] == [
        ("had failed completely", "Interior Ministry"), ("Nothing is left to discuss.", "Interior Ministry")]


def test_a_quotation_over_paragraphs_takes_the_speaker_at_its_end(nlp):
    quotes = quotes_of(nlp, 'Maria Costa spoke last.\n\n"The first part runs to the end of this '
                            'paragraph without closing.\n\n"And it ends here," Costa said.')
    assert [(speaker, cue) for _, speaker, cue in quotes] == [("Maria Costa", "said")]


def test_a_quotation_with_no_speaker_in_the_text_is_unattributed(nlp):
    quotes = quotes_of(nlp, 'Maria Costa left the hall.\n\nThe room was quiet. "Nobody knows who said this one."')
    assert quotes == [("Nobody knows who said this one.", None, None)]


def test_a_speaker_that_is_no_named_entity_is_unattributed_but_kept_as_words(nlp):
    analysis = analyse(HEADLINE + '"It saves us forty pounds a month," a mother of two said.', nlp)
    (quote,) = analysis.quotes
    assert quote.speaker is None and quote.speaker_text == "a mother of two"


def test_a_verb_after_the_quotation_that_does_not_report_it_is_no_cue(nlp):
    """"...would not add money" after a partial quotation must not make the government its speaker."""
    quotes = quotes_of(nlp, 'Minister Rui Barros called the delay "disappointing but not '
                            'surprising" and said the government would not add money.')
    assert quotes == [("disappointing but not surprising", "Rui Barros", "called")]


def test_quotes_are_in_the_json_without_changing_the_other_keys(nlp):
    body = 'Maria Costa arrived late.\n\n"We will not sign this agreement," Costa told reporters.'
    data = analyse(HEADLINE + body, nlp).to_json()
    assert set(data) == {"text", "blocks", "entities", "quotes"}
    (quote,) = data["quotes"]
    assert data["text"][quote["start"]:quote["end"]] == "We will not sign this agreement,"
    assert quote["speaker"] in {e["id"] for e in data["entities"]}
    assert quote["cue"] == "told" and quote["block"] in {b["id"] for b in data["blocks"]}


# --- The measure -------------------------------------------------------------------------------

def test_markup_is_removed_and_spans_point_at_the_quoted_words():
    text, (quote,) = strip_markup('She said: "<q who="Ana Ruiz">We stay.</q>" Then silence.')
    assert text == 'She said: "We stay." Then silence.'
    assert text[quote.start:quote.end] == "We stay." and quote.speaker == "Ana Ruiz"


def test_scores_count_a_guess_on_an_unattributed_quotation_against_the_speakers():
    (gold,) = [g for g in load_gold() if g.id == "council-budget"]
    unattributed = next(q for q in gold.quotes if q.speaker is None)
    person = {"id": "p", "name": "Declan Byrne", "type": "person",
              "mentions": [{"text": "Byrne"}]}
    guessed = {"entities": [person], "quotes": [
        {"start": unattributed.start, "end": unattributed.end, "speaker": "p"}]}
    scores = score_quotes([gold], [guessed])
    assert scores["guesses"] == 1 and scores["speaker_precision"] == 0
    assert scores["span_precision"] == 1 and scores["span_recall"] == 1 / len(gold.quotes)


def test_she_said_is_never_someone_named_inside_the_quotation(nlp):
    """"Thank you, Maria Costa," she said: Costa is spoken to, so the speaker is not settled."""
    quotes = quotes_of(nlp, 'The hall was full.\n\n"Thank you, Maria Costa, thank you," she said.')
    assert [(words, speaker) for words, speaker, _ in quotes] == [("Thank you, Maria Costa, thank you,", None)]
