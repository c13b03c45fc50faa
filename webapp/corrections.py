"""Editors' corrections to an article's analysis: kept as data beside it, applied when it is shown.

A correction names the text it is about by an anchor (the words with their context, as a
passage link does), not by an entity id or an offset, so a new version of the article finds
the words again (anchors.resolve) and keeps the correction; one whose words are gone is
reported as no longer applying, never dropped silently. Nothing here touches Flask or the
database; webapp/store/corrections.py keeps the rows.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from .analysis.article import (
    ENTITY_TYPES,
    HIGHLIGHTED_TYPES,
    Analysis,
    Entity,
    Mention,
    slugify,
    unused_id,
)
from .anchors import Anchor, make_anchor, resolve

# "none": not a name at all, the entity goes.
RETYPES = (*ENTITY_TYPES, "none")
MARK_TYPES = HIGHLIGHTED_TYPES
KINDS = ("retype", "rename", "merge", "split", "remove", "mark", "mark-all")
# The kinds that say what a name is, which the library learns for later articles.
LEARNED_KINDS = ("retype", "mark", "mark-all")
MAX_NAME_CHARS = 200


class CorrectionError(ValueError):
    """A correction that cannot be made; the message is for the editor."""


@dataclass(frozen=True)
class Correction:
    """One change an editor made. `anchor` is a mention of the entity changed (for "mark",
    the words marked; for "mark-all", the words, wherever they stand); `other` is a
    mention of the entity merged in."""

    id: int
    kind: str
    anchor: Anchor
    value: str | None
    editor: str
    made_at: str
    other: Anchor | None = None
    undone_at: str | None = None
    undone_by: str | None = None

    @property
    def active(self) -> bool:
        return self.undone_at is None

    def describe(self) -> str:
        words = f"“{self.anchor.exact}”"
        return {
            "retype": f"{words} is {_what(self.value)}",
            "rename": f"{words}'s entity renamed “{self.value}”",
            "merge": f"“{self.other.exact if self.other else ''}” is the same as {words}",
            "split": f"{words} here is someone else",
            "remove": f"{words} here is not a name",
            "mark": f"{words} marked as {_what(self.value)}",
            "mark-all": f"every {words} marked as {_what(self.value)}",
        }.get(self.kind, self.kind)

    def to_json(self) -> dict:
        row = {"id": self.id, "kind": self.kind, "text": anchor_json(self.anchor),
               "value": self.value, "editor": self.editor, "made_at": self.made_at}
        if self.other:
            row["other"] = anchor_json(self.other)
        if self.undone_at:
            row.update(undone_at=self.undone_at, undone_by=self.undone_by)
        return row


def anchor_json(anchor: Anchor) -> dict:
    return {"exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix,
            "start": anchor.start, "end": anchor.end, "version": anchor.version}


def anchor_from_json(row: dict) -> Anchor:
    return Anchor(exact=row["exact"], prefix=row["prefix"], suffix=row["suffix"],
                  start=row["start"], end=row["end"], version=row.get("version"))


@dataclass(frozen=True)
class Outcome:
    correction: Correction
    applied: bool
    why: str = ""


@dataclass
class Corrected:
    """An analysis with the active corrections applied, and what became of each."""

    analysis: Analysis
    outcomes: list[Outcome]

    @property
    def not_applied(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.applied and o.correction.active]


def check(kind: str, value: str | None) -> str | None:
    """The value cleaned, or CorrectionError saying what is wrong."""
    if kind not in KINDS:
        raise CorrectionError(f"there is no correction called “{kind}”")
    if kind == "retype" and value not in RETYPES:
        raise CorrectionError("choose person, organisation, country, place or not a name")
    if kind in ("mark", "mark-all") and value not in MARK_TYPES:
        raise CorrectionError("a name is marked as a person, an organisation or a country")
    if kind == "rename":
        value = " ".join((value or "").split())
        if not value:
            raise CorrectionError("a name cannot be empty")
        if len(value) > MAX_NAME_CHARS:
            raise CorrectionError(f"a name is at most {MAX_NAME_CHARS} characters")
    return value


def mention_anchor(text: str, mention: Mention, version: str) -> Anchor:
    return make_anchor(text, mention.start, mention.end, version)


# --- applying ---------------------------------------------------------------------------

def apply_corrections(analysis: Analysis, corrections, version: str) -> Corrected:
    """The analysis as the reader shows it: each active correction applied in the order made
    (the stored analysis is not changed). `version` is the hash of the analysis's text."""
    analysis = copy.deepcopy(analysis)
    outcomes = []
    for correction in corrections:
        if not correction.active:
            outcomes.append(Outcome(correction, False, "undone"))
            continue
        why = _apply(analysis, correction, version)
        outcomes.append(Outcome(correction, why is None, why or ""))
    return Corrected(analysis, outcomes)


def _find(analysis: Analysis, anchor: Anchor, version: str) -> tuple[int, int] | None:
    found = resolve(anchor, analysis.text, version)
    return (found.start, found.end) if found.found else None


def _mention_at(analysis: Analysis, span) -> tuple[Entity, Mention] | None:
    for entity in analysis.entities:
        for mention in entity.mentions:
            if (mention.start, mention.end) == span:
                return entity, mention
    return None


def _apply(analysis: Analysis, c: Correction, version: str) -> str | None:
    """Apply one correction in place; None, or why it does not apply."""
    if c.kind == "mark-all":
        size = len(c.anchor.exact)
        spans = [(start, start + size) for start in occurrences(analysis.text, c.anchor.exact)]
        marked = [span for span in spans if _mark(analysis, span, c)]
        return None if marked else "the words are not in this version"
    span = _find(analysis, c.anchor, version)
    if span is None:
        return "the words are not in this version"
    if c.kind == "mark":
        return None if _mark(analysis, span, c) else "the words are not in a paragraph"
    found = _mention_at(analysis, span)
    if found is None:
        return "no name is highlighted there any more"
    entity, mention = found
    if c.kind == "retype":
        if c.value == "none":
            analysis.entities.remove(entity)
        else:
            entity.type = c.value
            if c.value != "country":
                entity.code = None
    elif c.kind == "rename":
        entity.name = c.value
    elif c.kind == "remove":
        _take(analysis, entity, mention)
    elif c.kind == "split":
        if len(entity.mentions) == 1:
            return "that name is already on its own"
        _take(analysis, entity, mention)
        analysis.entities.append(Entity(_new_id(analysis, mention.text), mention.text,
                                        entity.type, [mention]))
    elif c.kind == "merge":
        other_span = _find(analysis, c.other, version) if c.other else None
        other = _mention_at(analysis, other_span) if other_span else None
        if other is None:
            return "the other name is not highlighted in this version"
        if other[0] is entity:
            return "they are already one"
        merged = other[0]
        entity.mentions = sorted(entity.mentions + merged.mentions, key=lambda m: m.start)
        entity.notes = [n for n in entity.notes if f"“{merged.name}”" not in n]
        analysis.entities.remove(merged)
        for rest in analysis.entities:  # "possibly the same as ..." about the merged one
            rest.notes = [n for n in rest.notes if f"“{merged.name}”" not in n or rest is entity]
    return None


def _take(analysis: Analysis, entity: Entity, mention: Mention) -> None:
    entity.mentions.remove(mention)
    if not entity.mentions:
        analysis.entities.remove(entity)


def _new_id(analysis: Analysis, name: str) -> str:
    return unused_id(slugify(name) or "name", {e.id for e in analysis.entities})


def _mark(analysis: Analysis, span: tuple[int, int], c: Correction) -> bool:
    """Make text[span] a mention of a c.value entity named by the words (joining one of
    that name and type if there is one); highlights it overlaps give way. False if the
    words are not inside a block."""
    start, end = span
    block = next((b for b in analysis.blocks if b.start <= start and end <= b.end), None)
    if block is None:
        return False
    for entity in list(analysis.entities):
        for mention in list(entity.mentions):
            if mention.start < end and start < mention.end:
                _take(analysis, entity, mention)
    words = analysis.text[start:end]
    name = " ".join(words.split())
    entity = next((e for e in analysis.entities
                   if e.type == c.value and e.name.casefold() == name.casefold()), None)
    taken = {m.id for e in analysis.entities for m in e.mentions}
    prefix = f"c{c.id}" if c.id > 0 else f"learned{-c.id}"  # learned marks: see apply_learned
    mention = Mention(unused_id(prefix, taken), start, end, words, block.id)
    if entity is None:
        analysis.entities.append(Entity(_new_id(analysis, name), name, c.value, [mention]))
    else:
        entity.mentions = sorted(entity.mentions + [mention], key=lambda m: m.start)
    return True


def occurrences(text: str, words: str) -> list[int]:
    """Where the words stand in the text as whole words."""
    return [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text)]


# --- the library learns (issue 10) -------------------------------------------------------

LEARNED_NOTE = "An editor said “{words}” is {what} in another article; applied here too."


def _norm(words: str) -> str:
    return " ".join(words.split()).casefold()


def learned_names(corrections) -> dict[str, tuple[str, str]]:
    """What editors said names are, from active retype and mark corrections (the latest
    word wins): normalised words -> (the words, a type or "none")."""
    learned = {}
    for c in corrections:
        if c.active and c.kind in LEARNED_KINDS:
            learned[_norm(c.anchor.exact)] = (" ".join(c.anchor.exact.split()), c.value)
    return learned


def _what(value: str | None) -> str:
    return "not a name" if value == "none" else {"organization": "an organisation"}.get(value, f"a {value}")


def apply_learned(analysis: Analysis, learned: dict[str, tuple[str, str]]) -> Analysis:
    """A newly analysed article with the library's learned names applied, each change
    noted on its entity: an entity named with learned words takes their type; highlights
    written with words learned as "not a name" go; learned words of a highlighted type
    that no name covers are marked.
    Names the machine found overlapping the words are left as they are."""
    if not learned:
        return analysis
    analysis = copy.deepcopy(analysis)
    for entity in list(analysis.entities):
        # "Not a name" takes only the highlights written so ("American" said of a person
        # must not take the United States with it); a type is the entity's when its name is
        # the words.
        for mention in [m for m in entity.mentions if learned.get(_norm(m.text), ("", ""))[1] == "none"]:
            _take(analysis, entity, mention)
        hit = learned.get(_norm(entity.name))
        if not entity.mentions or hit is None or hit[1] in (entity.type, "none"):
            continue
        entity.type = hit[1]
        if hit[1] != "country":
            entity.code = None
        entity.notes.append(LEARNED_NOTE.format(words=hit[0], what=_what(hit[1])))
    n = 0
    for words, value in learned.values():
        if value not in MARK_TYPES:
            continue
        for start in occurrences(analysis.text, words):
            end = start + len(words)
            if any(m.start < end and start < m.end for e in analysis.entities for m in e.mentions):
                continue
            n += 1
            if _mark(analysis, (start, end), Correction(-n, "mark", None, value, "", "")):
                entity = next(e for e in analysis.entities
                              if any(m.start == start for m in e.mentions))
                note = LEARNED_NOTE.format(words=words, what=_what(value))
                if note not in entity.notes:
                    entity.notes.append(note)
    return analysis
