"""Article text in, blocks and grouped entities out: parse -> recognise -> group."""
from __future__ import annotations

from .article import READING_KINDS, Analysis
from .grouping import group
from .parse import parse_article
from .pipeline import get_nlp
from .recognise import find_candidates


def analyse(text: str, nlp=None) -> Analysis:
    """Analyse one article. `text` must already be checked (see article.clean_article_text)."""
    nlp = nlp or get_nlp()
    blocks = parse_article(text)
    reading = [b for b in blocks if b.kind in READING_KINDS]
    # One doc per block, so no entity can run from one block into the next.
    docs = nlp.pipe(text[b.start:b.end] for b in reading)
    candidates = find_candidates(text, reading, docs)
    return Analysis(text, blocks, group(candidates))
