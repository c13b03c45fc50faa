"""Editors' corrections (issue 10) as stored: data about an article, never a rewrite of its
stored analysis; webapp.corrections says how they apply."""
from __future__ import annotations

import json
import sqlite3

from ..corrections import LEARNED_KINDS, Correction, anchor_from_json, anchor_json
from .engine import timestamp


def add_correction(db: sqlite3.Connection, article_id: int, kind: str, anchor, value: str | None,
                   editor: str, other=None) -> int:
    """Store one correction (anchors are webapp.anchors.Anchor); its id. In the caller's
    transaction: the caller re-indexes the article in the same one, then commits."""
    return db.execute(
        "INSERT INTO corrections (article_id, kind, anchor, other, value, editor, made_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (article_id, kind, json.dumps(anchor_json(anchor)),
         json.dumps(anchor_json(other)) if other else None, value, editor, timestamp())).lastrowid


def undo_correction(db: sqlite3.Connection, article_id: int, correction_id: int, editor: str) -> bool:
    """Mark a correction of this article undone; False if there is no such active one. In
    the caller's transaction, as add_correction."""
    return db.execute("UPDATE corrections SET undone_at = ?, undone_by = ? WHERE id = ?"
                      " AND article_id = ? AND undone_at IS NULL",
                      (timestamp(), editor, correction_id, article_id)).rowcount == 1


def load_corrections(db: sqlite3.Connection, article_id: int) -> list:
    """Every correction of an article, undone ones too, in the order they were made."""
    return [_correction(r) for r in db.execute(
        "SELECT * FROM corrections WHERE article_id = ? ORDER BY id", (article_id,))]


def load_all_corrections(db: sqlite3.Connection) -> list:
    """The active corrections of every article, oldest first: what the library has learned."""
    return [_correction(r) for r in db.execute(
        "SELECT * FROM corrections WHERE undone_at IS NULL"
        f" AND kind IN ({', '.join('?' * len(LEARNED_KINDS))}) ORDER BY id", LEARNED_KINDS)]


def _correction(r) -> Correction:
    return Correction(r["id"], r["kind"], anchor_from_json(json.loads(r["anchor"])), r["value"],
                      r["editor"], r["made_at"],
                      anchor_from_json(json.loads(r["other"])) if r["other"] else None,
                      r["undone_at"], r["undone_by"])
