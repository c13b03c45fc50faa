"""The article as a reader sees it: text cut into plain runs and mention links, captions
grouped into figures, and a snippet of each mention's sentence for the panel.

Everything here works on the stored plain data (article.Analysis) and never on spaCy;
templates only see what these functions return, and Jinja escapes every piece of it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..analysis.article import ENTITY_TYPES, Analysis, Block, Entity, Mention
from ..analysis.parse import credit_start
from ..anchors import sentence_bounds

TYPE_LABELS = {"person": ("Person", "People"),
               "organization": ("Organisation", "Organisations"),
               "country": ("Country", "Countries"),
               "place": ("Place", "Places")}
# Every type is highlighted (issue 16: journalists follow places too); places start turned
# off in the legend, as cities and regions are many and rarely what a reader looks for.
SHOWN_TYPES = ENTITY_TYPES
OFF_BY_DEFAULT = frozenset({"place"})
# What an editor may say a name is, in the panel's words.
MARK_CHOICES = (("person", "a person"), ("organization", "an organisation"),
                ("country", "a country"), ("place", "a place"))
RETYPE_CHOICES = (*MARK_CHOICES, ("none", "not a name"))
KIND_LABELS = {"headline": "headline", "paragraph": "paragraph", "caption": "caption",
               "caption_title": "caption title", "credit": "photo credit"}
SNIPPET_CHARS = 240


def type_label(type_: str) -> str:
    """"Person", "Organisation", "Country", "Place", else the type as written."""
    return TYPE_LABELS.get(type_, (type_.title(),))[0]


SNIPPET_CONTEXT = 100


@dataclass(frozen=True)
class Segment:
    """A run of block text; a mention link when `mention` is set."""

    text: str
    mention: str | None = None
    entity: str | None = None
    type: str | None = None
    passage: bool = False  # the whole run lies in a shared passage (issue 4)
    # A mention only partly in the passage, as (text, in the passage) pieces: it stays one
    # link, with the passage marked inside it.
    pieces: tuple[tuple[str, bool], ...] = ()


@dataclass
class ReadingBlock:
    """One shown block; a caption keeps its photo credit apart, for small type."""

    block: Block
    segments: list[Segment]
    credit: list[Segment] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.block.kind


@dataclass
class Figure:
    """A photo caption: an optional caption title as its heading, then the caption."""

    title: ReadingBlock | None = None
    caption: ReadingBlock | None = None
    kind = "figure"


@dataclass(frozen=True)
class Snippet:
    before: str
    mention: str
    after: str


@dataclass(frozen=True)
class PanelMention:
    mention: Mention
    kind: str  # the block kind, or "credit" for a name in a photo credit
    snippet: Snippet
    sentence: tuple[int, int]  # where the mention's sentence is in the text

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(frozen=True)
class LegendEntry:
    type: str
    label: str
    entities: int
    mentions: int

    @property
    def shown(self) -> bool:
        """Whether the legend's toggle starts on."""
        return self.type not in OFF_BY_DEFAULT


@dataclass
class ArticleView:
    """What the article page renders, computed once per stored version."""

    analysis: Analysis
    items: list  # ReadingBlock | Figure, in reading order
    legend: list[LegendEntry]
    entities: dict[str, Entity]
    blocks: dict[str, Block]
    # Editors' corrections (issue 10): what became of each, and a key for caches of this view.
    outcomes: list = field(default_factory=list)
    revision: tuple = ()

    @property
    def has_headline(self) -> bool:
        return any(getattr(item, "kind", None) == "headline" for item in self.items)

    def panel_mentions(self, entity: Entity) -> list[PanelMention]:
        text = self.analysis.text
        rows = []
        for mention in sorted(entity.mentions, key=lambda m: m.start):
            block = self.blocks.get(mention.block)
            if block is None or block.kind == "boilerplate":
                continue
            sentence = sentence_bounds(text, mention.start, mention.end, block.start, block.end)
            rows.append(PanelMention(mention, "credit" if mention.credit else block.kind,
                                     snippet(text, block, mention, sentence), sentence))
        return rows

    def spellings(self, entity: Entity) -> list[str]:
        """The distinct ways the article writes this name, in order of first use."""
        seen: dict[str, None] = {}
        for mention in sorted(entity.mentions, key=lambda m: m.start):
            seen.setdefault(" ".join(mention.text.split()), None)
        return list(seen)


def article_view(analysis: Analysis) -> ArticleView:
    entities = {e.id: e for e in analysis.entities}
    highlighted = [e for e in analysis.entities if e.type in SHOWN_TYPES]
    by_block: dict[str, list[tuple[Mention, Entity]]] = {}
    for entity in highlighted:
        for mention in entity.mentions:
            by_block.setdefault(mention.block, []).append((mention, entity))

    items: list = []
    for block in analysis.blocks:
        if block.kind == "boilerplate":
            continue
        shown = reading_block(analysis, block, by_block.get(block.id, []))
        if block.kind == "caption_title":
            items.append(Figure(title=shown))
        elif block.kind == "caption":
            # A caption title heads the caption that follows it.
            if items and isinstance(items[-1], Figure) and items[-1].caption is None:
                items[-1].caption = shown
            else:
                items.append(Figure(caption=shown))
        else:
            items.append(shown)

    shown_blocks = {b.id for b in analysis.blocks if b.kind != "boilerplate"}
    legend = []
    for type_ in SHOWN_TYPES:
        of_type = [e for e in highlighted if e.type == type_]
        mentions = sum(1 for e in of_type for m in e.mentions if m.block in shown_blocks)
        legend.append(LegendEntry(type_, TYPE_LABELS[type_][1], len(of_type), mentions))
    return ArticleView(analysis, items, legend, entities, {b.id: b for b in analysis.blocks})


def reading_block(analysis: Analysis, block: Block,
                  mentions: list[tuple[Mention, Entity]]) -> ReadingBlock:
    text = analysis.text[block.start:block.end]
    mentions = sorted(mentions, key=lambda pair: (pair[0].start, -pair[0].end))
    split = len(text)
    credit_at = credit_start(analysis.text, block)
    if credit_at is not None:
        split = credit_at - block.start
        for mention, _ in mentions:  # never cut a name in two
            if mention.start - block.start < split < mention.end - block.start:
                split = mention.start - block.start
    segments = cut(text, block.start, mentions)
    body, credit = [], []
    offset = 0
    for segment in segments:
        end = offset + len(segment.text)
        if end <= split:
            body.append(segment)
        elif offset >= split:
            credit.append(segment)
        else:  # a plain run across the credit boundary
            body.append(Segment(segment.text[:split - offset]))
            credit.append(Segment(segment.text[split - offset:]))
        offset = end
    return ReadingBlock(block, body, credit)


def cut(text: str, base: int, mentions: list[tuple[Mention, Entity]]) -> list[Segment]:
    """Cut `text` (which starts at offset `base`) into plain runs and mention links."""
    segments, pos = [], 0
    for mention, entity in mentions:
        start, end = mention.start - base, mention.end - base
        if start < pos or end > len(text) or start >= end:
            continue  # overlaps the previous mention, or lies outside the block
        if start > pos:
            segments.append(Segment(text[pos:start]))
        segments.append(Segment(text[start:end], mention.id, entity.id, entity.type))
        pos = end
    if pos < len(text):
        segments.append(Segment(text[pos:]))
    return segments


def mark_passage(items: list, pieces) -> list:
    """The reading items with a shared passage marked, given its pieces per block
    (passages.split_by_blocks); the cached items of the version are left as they are."""
    spans = {piece.block: (piece.start, piece.end) for piece in pieces}

    def mark(shown: ReadingBlock | None) -> ReadingBlock | None:
        if shown is None or shown.block.id not in spans:
            return shown
        start, end = spans[shown.block.id]
        credit_at = shown.block.start + sum(len(s.text) for s in shown.segments)
        return replace(shown, segments=mark_segments(shown.segments, shown.block.start, start, end),
                       credit=mark_segments(shown.credit, credit_at, start, end))

    return [Figure(mark(item.title), mark(item.caption)) if isinstance(item, Figure) else mark(item)
            for item in items]


def mark_segments(segments: list[Segment], base: int, start: int, end: int) -> list[Segment]:
    """Cut the runs (the first starting at offset `base`) where text[start:end] begins and
    ends; a plain run splits in two or three, a mention link keeps its text whole."""
    marked, pos = [], base
    for segment in segments:
        seg_start, seg_end = pos, pos + len(segment.text)
        pos = seg_end
        inside_start, inside_end = max(seg_start, start), min(seg_end, end)
        if inside_start >= inside_end:
            marked.append(segment)
        elif (inside_start, inside_end) == (seg_start, seg_end):
            marked.append(replace(segment, passage=True))
        else:
            a, b = inside_start - seg_start, inside_end - seg_start
            parts = tuple((text, inside) for text, inside in (
                (segment.text[:a], False), (segment.text[a:b], True), (segment.text[b:], False))
                if text)
            if segment.mention:
                marked.append(replace(segment, pieces=parts))
            else:
                marked.extend(Segment(text, passage=inside) for text, inside in parts)
    return marked


def snippet(text: str, block: Block, mention: Mention,
            sentence: tuple[int, int] | None = None) -> Snippet:
    """The mention's sentence within its block (found, unless given), shortened around the
    mention if long."""
    block_text = text[block.start:block.end]
    start, end = mention.start - block.start, mention.end - block.start
    if sentence is None:
        sentence = sentence_bounds(text, mention.start, mention.end, block.start, block.end)
    first, last = (bound - block.start for bound in sentence)
    before, after = block_text[first:start], block_text[end:last]
    if last - first > SNIPPET_CHARS:
        if len(before) > SNIPPET_CONTEXT:
            before = "…" + before[-SNIPPET_CONTEXT:].split(" ", 1)[-1]
        if len(after) > SNIPPET_CONTEXT:
            after = after[:SNIPPET_CONTEXT].rsplit(" ", 1)[0] + "…"
    return Snippet(before.replace("\n", " "), block_text[start:end], after.replace("\n", " "))
