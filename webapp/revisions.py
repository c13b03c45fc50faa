"""What changed between two versions of an article: the text word by word, and the names it
added or dropped. Plain data in and out (no Flask, no SQL), for the changes page, its JSON twin
and the changed-passage notice."""
from __future__ import annotations

import re
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from .analysis.article import READING_KINDS

# Words, runs of space, and each other character: the units a reader sees change.
TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
# Sentences with the space after them (a paragraph's end too), for finding moves.
SENTENCE = re.compile(r".+?(?:[.?!…]+[\"”’)\]]*(?=\s|$)|(?=\n)|$)\s*", re.S)
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A passage removed in one place and added in another is a move when it is this long.
MOVE_MIN_WORDS = 4
# diff-match-patch gives up refining a diff after this long and returns a coarser one.
DIFF_TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Change:
    """A run of text that is the same in both versions, added in the newer or removed from the
    older; `moved` when the same words are removed in one place and added in another."""

    kind: str  # "same", "added" or "removed"
    text: str
    moved: bool = False

    def to_json(self) -> dict:
        row = {"kind": self.kind, "text": self.text}
        if self.moved:
            row["moved"] = True
        return row


@dataclass(frozen=True)
class NameChanges:
    """The names the newer version has that the older has not, and those it lost."""

    added: list[tuple[str, str]]  # (name, type)
    gone: list[tuple[str, str]]

    def to_json(self) -> dict:
        return {"added": [{"name": n, "type": t} for n, t in self.added],
                "gone": [{"name": n, "type": t} for n, t in self.gone]}


def reading_text(text: str, blocks) -> str:
    """An article's reading text (headline, paragraphs, captions; no page furniture), one
    blank line between blocks, as the diff compares it."""
    return "\n\n".join(text[b.start:b.end].strip() for b in blocks if b.kind in READING_KINDS)


def _diff(old_units: list[str], new_units: list[str], semantic: bool = False,
          key=lambda unit: unit) -> list[tuple[str, str, str]]:
    """(kind, text, space) runs of two sequences of units (words, sentences) compared unit by
    unit, units being equal when their keys are. Text that is the same is the newer's, and
    `space` is what the older had after it (it may differ: "fair. " and "fair.")."""
    codes: dict[str, str] = {}

    def encode(units):  # each distinct key as one character, for diff-match-patch
        return "".join(codes.setdefault(key(unit), chr(len(codes) + 0x100)) for unit in units)

    differ = diff_match_patch()
    differ.Diff_Timeout = DIFF_TIMEOUT_SECONDS
    diffs = differ.diff_main(encode(old_units), encode(new_units), checklines=False)
    if semantic:  # fold a word kept between two changes into them: "the May" -> "a June"
        differ.diff_cleanupSemantic(diffs)
    runs, old_at, new_at = [], 0, 0
    for op, run in diffs:
        if op == -1:
            text, space = "".join(old_units[old_at:old_at + len(run)]), ""
            old_at += len(run)
        else:
            text = "".join(new_units[new_at:new_at + len(run)])
            new_at += len(run)
            space = ""
            if op == 0:
                old_at += len(run)
                last = old_units[old_at - 1]
                space = last[len(last.rstrip()):]
        runs.append(({0: "same", 1: "added", -1: "removed"}[op], text, space))
    return runs


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


def word_diff(old: str, new: str) -> list[Change]:
    """The older text against the newer, word by word, in the newer's reading order (a run
    removed comes before the run added in its place). A sentence that only changed place is
    one removed and one added run, both marked moved, rather than words changed on the way."""
    runs = _diff(SENTENCE.findall(old), SENTENCE.findall(new), key=str.strip)
    moves = _moved_sentences(runs)
    changes: list[Change] = []
    pending = {"removed": "", "added": ""}  # sentences changed in place, compared word by word
    moved_away: list[Change] = []  # shown after the changes in place beside them

    space = ""  # the older text's space after the last run kept, which the newer may have lost

    def flush():
        if pending["removed"] or pending["added"]:
            changes.extend(Change(kind, text) for kind, text, _ in _diff(
                TOKEN.findall(pending["removed"]), TOKEN.findall(pending["added"]), semantic=True))
            pending.update(removed="", added="")
        changes.extend(moved_away)
        moved_away.clear()

    for kind, text, after in runs:
        if kind == "same":
            flush()
            changes.append(Change(kind, text))
            space = after if not text[len(text.rstrip()):] else ""
            continue
        if kind == "removed" and space:  # "fair. Nobody ..." -> "fair.": keep them apart
            text, space = space + text, ""
        for sentence in SENTENCE.findall(text):
            if _words(sentence) not in moves[kind]:
                pending[kind] += sentence
                continue
            moves[kind].remove(_words(sentence))
            if kind == "removed":
                moved_away.append(Change(kind, sentence, moved=True))
            else:
                flush()
                changes.append(Change(kind, sentence, moved=True))
    flush()
    return _joined(changes)


def _joined(changes: list[Change]) -> list[Change]:
    """Neighbouring runs of one kind as one run."""
    joined: list[Change] = []
    for change in changes:
        if joined and (joined[-1].kind, joined[-1].moved) == (change.kind, change.moved):
            joined[-1] = Change(change.kind, joined[-1].text + change.text, change.moved)
        elif change.text:
            joined.append(change)
    return joined


def _moved_sentences(runs: list[tuple[str, str, str]]) -> dict[str, list[tuple[str, ...]]]:
    """The sentences (of at least MOVE_MIN_WORDS words) removed in one place and added in
    another, by kind, as many times as they moved."""
    removed = [_words(s) for kind, text, _ in runs if kind == "removed" for s in SENTENCE.findall(text)]
    added = [_words(s) for kind, text, _ in runs if kind == "added" for s in SENTENCE.findall(text)]
    moved = []
    for words in added:
        if len(words) >= MOVE_MIN_WORDS and words in removed:
            removed.remove(words)
            moved.append(words)
    return {"removed": list(moved), "added": list(moved)}


def paragraphs(changes: list[Change]) -> list[list[Change]]:
    """The changes cut into the newer version's paragraphs (at blank lines in text that is
    the same or added; a removed paragraph break stays inside its removed run)."""
    result: list[list[Change]] = [[]]
    for change in changes:
        if change.kind == "removed":
            result[-1].append(change)
            continue
        pieces = PARAGRAPH_BREAK.split(change.text)
        for n, piece in enumerate(pieces):
            if n:
                result.append([])
            if piece:
                result[-1].append(Change(change.kind, piece, change.moved))
    return [p for p in result if p]


def whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) widened so that it cuts no word in two ("would start in ear" -> "early")."""
    while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def is_unchanged(changes: list[Change]) -> bool:
    return all(c.kind == "same" for c in changes)


def name_changes(old_entities, new_entities) -> NameChanges:
    """Names added and gone between two versions' entities (anything with .name and .type),
    a name being the same when its spelling (case aside) and type are."""
    def names(entities):
        return {(e.name.casefold(), e.type): (e.name, e.type) for e in entities}

    old, new = names(old_entities), names(new_entities)
    return NameChanges(added=sorted(new[k] for k in new.keys() - old.keys()),
                       gone=sorted(old[k] for k in old.keys() - new.keys()))
