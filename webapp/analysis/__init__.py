"""The engine: article text in, blocks and grouped entities out (parse -> recognise -> group).

It never imports Flask, so it can run in a worker process. The steps are imported when
`analyse` is first called: a process that only reads articles never loads them.
"""
from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice


def analyse(text: str, nlp=None):
    """Analyse one article. `text` must already be checked (see article.clean_article_text)."""
    return next(analyse_many([text], nlp))


def analyse_many(texts: Iterable[str], nlp=None, n_process: int = 1) -> Iterator:
    """Analyse several articles, yielding each Analysis in order, each equal to what
    `analyse(text)` gives.

    In one process, one spaCy pipe over every article's pieces lets spaCy batch across
    articles. With `n_process` > 1, on Linux, runs of articles are dealt out to that many
    forked processes, which inherit the loaded pipeline and analyse whole articles (parsing
    and grouping too, not only spaCy) and send back only the analyses: on 50 articles and
    two cores that is faster than spaCy's own `n_process`, which loads the model again in
    each process and sends every doc back to be grouped here.
    """
    from .pipeline import get_nlp

    nlp = nlp or get_nlp()
    # Forking a process that has loaded system frameworks is unsafe on macOS (Python starts
    # processes afresh there); elsewhere than Linux, spaCy's own processes do the work.
    if n_process > 1 and sys.platform.startswith("linux"):
        return _in_processes(list(texts), nlp, n_process)
    return _in_one_pipe(texts, nlp, n_process)


def _in_one_pipe(texts: Iterable[str], nlp, n_process: int = 1) -> Iterator:
    for parsed in _parsed(texts, nlp, n_process):
        yield analyse_docs(*parsed)


def parse_many(texts: Iterable[str], nlp) -> list[tuple]:
    """Each article's text, blocks, pieces and spaCy docs: what `analyse_docs` needs, so that
    the rules can run many times on one parse (`dramatis eval --ablate`)."""
    return list(_parsed(texts, nlp))


def _parsed(texts: Iterable[str], nlp, n_process: int = 1) -> Iterator[tuple]:
    from .article import READING_KINDS, Block
    from .parse import parse_article, reading_pieces
    from .pipeline import pipe

    articles = []
    for text in texts:
        blocks = parse_article(text)
        # One doc per piece of a reading block (an ordinary block is one piece), so no entity
        # can run from one block into the next, and no doc is longer than the parser allows.
        pieces = [Block(b.id, b.kind, start, end, b.credits)
                  for b in blocks if b.kind in READING_KINDS
                  for start, end in reading_pieces(text, b)]
        articles.append((text, blocks, pieces))
    docs = pipe(nlp, (text[p.start:p.end] for text, _, pieces in articles for p in pieces),
                n_process)
    for text, blocks, pieces in articles:
        yield text, blocks, pieces, list(islice(docs, len(pieces)))


def analyse_docs(text: str, blocks, pieces, docs, quotes: bool = True):
    """The rules after spaCy: an article's parsed pieces -> its Analysis (without its
    quotations when `quotes` is false: the entity scores do not read them)."""
    from .article import Analysis
    from .grouping import group
    from .quotes import add_quotes
    from .recognise import find_candidates

    analysis = Analysis(text, blocks, group(find_candidates(text, pieces, docs)))
    return add_quotes(analysis, pieces, docs) if quotes else analysis


# The pipeline forked processes use: the parent's, inherited when they are forked.
_forked_nlp = None


def _analyse_run(texts: list[str]) -> list:
    return list(_in_one_pipe(texts, _forked_nlp))


def _in_processes(texts: list[str], nlp, n_process: int) -> Iterator:
    from .pipeline import batches

    global _forked_nlp
    _forked_nlp = nlp
    # Runs of about one spaCy batch: small enough that the processes share the work evenly,
    # large enough for spaCy to batch.
    runs = list(batches(texts))
    # An executor rather than a Pool: a process that dies (out of memory) is an error here
    # (BrokenProcessPool), where a Pool waits for its result for ever.
    executor = ProcessPoolExecutor(max(1, min(n_process, len(runs))),
                                   mp_context=multiprocessing.get_context("fork"))
    try:
        for analyses in executor.map(_analyse_run, runs):  # in order, each run once done
            yield from analyses
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
