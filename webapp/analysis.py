"""Article text in, blocks and grouped entities out (first cut; being replaced)."""
from __future__ import annotations

from .article import Analysis, Block, Entity, Mention
from .pipeline import get_nlp


def analyse(text: str, nlp=None) -> Analysis:
    nlp = nlp or get_nlp()
    blocks, pos = [], 0
    for i, chunk in enumerate(text.split("\n\n")):
        if chunk.strip():
            start = pos + len(chunk) - len(chunk.lstrip())
            blocks.append(Block(f"b{len(blocks) + 1}", "paragraph", start, start + len(chunk.strip())))
        pos += len(chunk) + 2
    entities: dict[str, Entity] = {}
    n = 0
    for block, doc in zip(blocks, nlp.pipe([text[b.start:b.end] for b in blocks])):
        for ent in doc.ents:
            kind = {"PERSON": "person", "ORG": "organization", "GPE": "country"}.get(ent.label_)
            if kind:
                n += 1
                key = ent.text.lower().replace(" ", "-")
                entity = entities.setdefault(key, Entity(key, ent.text, kind))
                s = block.start + ent.start_char
                entity.mentions.append(Mention(f"m{n}", s, s + len(ent.text), ent.text, block.id))
    return Analysis(text, blocks, list(entities.values()))
