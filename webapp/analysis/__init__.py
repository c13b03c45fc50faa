"""The engine: article text in, blocks and grouped entities out (parse -> recognise -> group).

It never imports Flask, so it can run in a worker process. The steps are imported when
`analyse` is first called: a process that only reads articles never loads them.
"""
from __future__ import annotations


def analyse(text: str, nlp=None):
    """Analyse one article. `text` must already be checked (see article.clean_article_text)."""
    from .article import READING_KINDS, Analysis
    from .grouping import group
    from .parse import parse_article
    from .pipeline import get_nlp
    from .recognise import find_candidates

    nlp = nlp or get_nlp()
    blocks = parse_article(text)
    reading = [b for b in blocks if b.kind in READING_KINDS]
    # One doc per block, so no entity can run from one block into the next.
    docs = nlp.pipe(text[b.start:b.end] for b in reading)
    candidates = find_candidates(text, reading, docs)
    return Analysis(text, blocks, group(candidates))
