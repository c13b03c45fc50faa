"""Hostile input costs bounded work, counted on what the analysis hands spaCy (issue 7)."""
import pytest

from webapp.analysis import analyse
from webapp.analysis.parse import MAX_PIECE_CHARS, MAX_WORD_CHARS
from webapp.analysis.pipeline import BATCH_CHARS


class CountingPipeline:
    """The real pipeline, recording every text and batch it is handed."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.texts: list[str] = []
        self.batches: list[int] = []

    def pipe(self, texts, **options):
        texts = list(texts)
        self.texts += texts
        self.batches.append(sum(len(t) for t in texts))
        return self.nlp.pipe(texts, **options)


def tokenizer_work(texts):
    """An upper bound on spaCy's tokenizer work: it rescans each run without whitespace once
    per prefix or suffix it strips, so the sum of squared run lengths."""
    return sum(len(run) ** 2 for text in texts for run in text.split())


@pytest.mark.parametrize("run", ["!" * 15_000, "😀" * 15_000, "=" * 15_000, "-=." * 5_000,
                                 "! " * 7_500])
def test_a_long_run_of_symbols_costs_no_more_than_prose(nlp, run):
    """Guards issue 7: 15 KB of "!" in a post held a server thread for ~20 s."""
    spy = CountingPipeline(nlp)
    text = f"Fans cheer\n\nThe crowd shouted {run} as Anna Berg scored in Oslo."
    analysis = analyse(text, spy)
    assert tokenizer_work(spy.texts) <= MAX_WORD_CHARS * len(text)
    assert sum(len(nlp.tokenizer(t)) for t in spy.texts) < 50  # the words, not the run
    assert "Anna Berg" in {e.name for e in analysis.entities}
    for entity in analysis.entities:
        for mention in entity.mentions:
            assert text[mention.start:mention.end] == mention.text


def test_a_long_paragraph_is_read_in_bounded_docs_and_batches(nlp):
    """Guards issue 7: one 200,000-character paragraph peaked at 0.8-3.4 GB in spaCy."""
    sentence = "Anna Berg met the mayor of Oslo on Monday, and they spoke of ports. "
    text = "Long read\n\n" + sentence * (50_000 // len(sentence))
    spy = CountingPipeline(nlp)
    analysis = analyse(text, spy)
    assert max(len(t) for t in spy.texts) <= MAX_PIECE_CHARS
    assert max(spy.batches) <= BATCH_CHARS
    berg = next(e for e in analysis.entities if e.name == "Anna Berg")
    assert len(berg.mentions) == text.count("Anna Berg")  # every piece was read


@pytest.mark.parametrize("filler", ["a😀 ", "J. K. ", "1 2 3 ", "x, "])
def test_text_denser_in_tokens_than_prose_is_not_read(nlp, filler):
    """Guards issue 7: letters between emoji ("a😀 a😀 ...") cost spaCy one token per 1.5
    characters, several times an ordinary article of the same length; such stretches are set
    aside like runs of symbols, and the prose around them is still read."""
    spy = CountingPipeline(nlp)
    prose = "Anna Berg met the mayor of Oslo on Monday, and they spoke of the port. "
    text = "Dense input\n\n" + prose + "\n\n" + filler * (20_000 // len(filler)) + "\n\n" + prose
    analysis = analyse(text, spy)
    tokens = sum(len(nlp.tokenizer(t)) for t in spy.texts)
    assert tokens * 4 < len(text) / 3  # far fewer than the stretch would have cost
    berg = next(e for e in analysis.entities if e.name == "Anna Berg")
    assert len(berg.mentions) == 2
