"""Analyses written by hand, without spaCy: "[[Xi Jinping|person|xi-jinping]] met ..." is
a mention of the person with id xi-jinping (a fourth field is a country's ISO code)."""
import re

from webapp.analysis.article import Analysis, Block, Entity, Mention

_MARK = re.compile(r"\[\[([^|\]]+)\|([a-z]+)\|([a-z0-9-]+)(?:\|([A-Z]{2}))?\]\]")


def marked_article(*paragraphs: str, headline: str | None = None) -> Analysis:
    text, blocks, entities = "", [], {}
    for n, paragraph in enumerate(([headline] if headline else []) + list(paragraphs)):
        if text:
            text += "\n\n"
        block_id = f"b{n + 1}"
        start = len(text)
        at = 0
        for match in _MARK.finditer(paragraph):
            text += paragraph[at:match.start()]
            name, type_, entity_id, code = match.groups()
            entity = entities.setdefault(entity_id, Entity(entity_id, name, type_, code=code))
            entity.mentions.append(Mention(f"m{sum(len(e.mentions) for e in entities.values()) + 1}",
                                           len(text), len(text) + len(name), name, block_id))
            text += name
            at = match.end()
        text += paragraph[at:]
        kind = "headline" if headline and n == 0 else "paragraph"
        blocks.append(Block(block_id, kind, start, len(text)))
    return Analysis(text, blocks, list(entities.values()))
