"""The plain data an analysed article is made of: blocks, mentions, entities."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# The kinds that are part of the reading text (boilerplate is kept but never shown).
READING_KINDS = ("headline", "paragraph", "caption", "caption_title")
ENTITY_TYPES = ("person", "organization", "country", "place")
# What the reader highlights and the evaluation scores.
HIGHLIGHTED_TYPES = ("person", "organization", "country")


def slugify(text: str) -> str:
    """An id-safe form of a name or title: "Côte d'Ivoire" -> "cote-d-ivoire"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def unused_id(base: str, taken) -> str:
    """`base`, or the first of base-2, base-3, ... that is not in `taken`."""
    new, n = base, 1
    while new in taken:
        n += 1
        new = f"{base}-{n}"
    return new


@dataclass
class Block:
    """A run of the article text: a headline, a paragraph, a caption..."""

    id: str
    kind: str
    start: int
    end: int
    credits: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "start": self.start, "end": self.end,
                "credits": list(self.credits)}


@dataclass
class Mention:
    """One place in the text where an entity is named."""

    id: str
    start: int
    end: int
    text: str
    block: str
    credit: bool = False  # the name stands in a photo credit, "(Photo: AP/Getty)"

    def to_json(self) -> dict:
        # Every key always (issue 18: scripts rely on them), in the export and in annotate.
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text,
                "block": self.block, "credit": self.credit}


@dataclass
class Entity:
    """One real person, organisation, country or place, with all its mentions."""

    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    code: str | None = None  # ISO 3166 alpha-2 for a country

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type,
                "mentions": [m.to_json() for m in self.mentions], "notes": list(self.notes),
                "code": self.code or None}


@dataclass
class Analysis:
    """An analysed article: its text, its blocks, its entities and who said what."""

    text: str
    blocks: list[Block]
    entities: list[Entity]
    quotes: list = field(default_factory=list)  # quotes.Quote, in reading order

    def to_json(self) -> dict:
        return {"text": self.text,
                "blocks": [b.to_json() for b in self.blocks],
                "entities": [e.to_json() for e in self.entities],
                "quotes": [q.to_json() for q in self.quotes]}

    @property
    def headline(self) -> str | None:
        for block in self.blocks:
            if block.kind == "headline":
                return self.text[block.start:block.end]
        return None

    def block_text(self, block: Block) -> str:
        return self.text[block.start:block.end]


# Inputs larger than this are refused: a long feature is ~50,000 characters, and analysis
# time grows with length, so this bounds one request's cost.
MAX_ARTICLE_CHARS = 200_000
# A web page, fetched by its address or uploaded, is read up to this many bytes (here, not in
# ingest/, so that the app's request limits need not import the page-reading libraries).
MAX_PAGE_BYTES = 5 * 1024 * 1024


class ArticleError(ValueError):
    """Article input that cannot be analysed; the message is for the reader."""


def clean_article_text(text: str) -> str:
    """Check pasted or decoded article text; drop a leading BOM, keep everything else."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise ArticleError("the file looks binary (it contains NUL bytes), not plain text")
    if not text.strip():
        raise ArticleError("the article is empty")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(f"the article is {len(text):,} characters long; "
                           f"the limit is {MAX_ARTICLE_CHARS:,}")
    return text


def read_article(data: bytes) -> str:
    """Decode an uploaded or read file as UTF-8 article text, or raise ArticleError."""
    if b"\x00" in data:
        raise ArticleError("the file looks binary (it contains NUL bytes), not plain text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"the file is not UTF-8 text (bad byte at position {exc.start})") from None
    return clean_article_text(text)
