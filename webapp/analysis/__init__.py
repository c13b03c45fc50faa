"""The engine: article text in, blocks and grouped entities out (parse -> recognise -> group).

It never imports Flask, so it can run in a worker process. The steps are imported when
`analyse` is first called: a process that only reads articles never loads them.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice


def analyse(text: str, nlp=None):
    """Analyse one article. `text` must already be checked (see article.clean_article_text)."""
    return next(analyse_many([text], nlp))


def analyse_many(texts: Iterable[str], nlp=None, n_process: int = 1) -> Iterator:
    """Analyse several articles through one spaCy pipe, yielding each Analysis in order.

    One pipe over every article's pieces lets spaCy batch across articles and, with
    `n_process` > 1, spread them over processes; each result equals `analyse(text)`'s.
    """
    from .article import READING_KINDS, Analysis, Block
    from .grouping import group
    from .parse import parse_article, reading_pieces
    from .pipeline import get_nlp, pipe
    from .recognise import find_candidates

    nlp = nlp or get_nlp()
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
        article_docs = list(islice(docs, len(pieces)))
        yield Analysis(text, blocks, group(find_candidates(text, pieces, article_docs)))
