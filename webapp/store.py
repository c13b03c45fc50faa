"""Saving analysed articles as versions and loading them back as plain data."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone

from .analysis.article import Analysis, Block, Entity, Mention, slugify

# A version's hash is the id that passage links carry (v=): one definition, in passages.
from .anchors import version_id

MAX_TITLE_CHARS = 200
MAX_SLUG_CHARS = 60


class ArticleExists(Exception):
    """An article with this title is stored and the caller did not ask for a new version."""

    def __init__(self, slug: str):
        super().__init__(slug)
        self.slug = slug


@dataclass(frozen=True)
class Version:
    """One stored text of an article; `hash` is the id passage links refer to."""

    id: int
    hash: str
    number: int
    added_at: str
    article_id: int
    slug: str
    title: str
    latest_number: int

    @property
    def is_latest(self) -> bool:
        return self.number == self.latest_number


@dataclass(frozen=True)
class Added:
    """What storing an article did: the slug to read it at, and whether anything was new."""

    slug: str
    version: str
    new_article: bool
    new_version: bool


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) > MAX_TITLE_CHARS:
        title = title[:MAX_TITLE_CHARS - 1].rstrip() + "…"
    return title


def article_title(analysis: Analysis, title: str | None = None) -> str:
    """The title given, else the headline, else the first line of the text."""
    for candidate in (title, analysis.headline, analysis.text.strip().split("\n", 1)[0]):
        if candidate and candidate.strip():
            return clean_title(candidate)
    return "Untitled article"


def article_slug(title: str) -> str:
    return slugify(title)[:MAX_SLUG_CHARS].rstrip("-") or "article"


def _unique_slug(db: sqlite3.Connection, title: str) -> str:
    base = article_slug(title)
    slug, n = base, 1
    while db.execute("SELECT 1 FROM articles WHERE slug = ?", (slug,)).fetchone():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def save_analysis(db: sqlite3.Connection, analysis: Analysis, title: str | None = None,
                  new_version: bool = True, metadata=None) -> Added:
    """Store an analysed article in one transaction.

    An article whose title is already stored gets a new version under the same slug
    (unless `new_version` is false: then ArticleExists); the very same text again
    stores nothing new.
    """
    title = article_title(analysis, title)
    digest = version_id(analysis.text)
    now = _now()
    # BEGIN IMMEDIATE takes the write lock before reading, so two adds of the same title
    # cannot both decide they are the first; `with db` commits, or rolls back on error.
    with db:
        db.execute("BEGIN IMMEDIATE")
        article = db.execute("SELECT id, slug FROM articles WHERE title = ?", (title,)).fetchone()
        if article:
            same = db.execute("SELECT 1 FROM versions WHERE article_id = ? AND hash = ?",
                              (article["id"], digest)).fetchone()
            if same:
                return Added(article["slug"], digest, new_article=False, new_version=False)
            if not new_version:
                raise ArticleExists(article["slug"])
            article_id, slug = article["id"], article["slug"]
            number = db.execute("SELECT max(number) FROM versions WHERE article_id = ?",
                                (article_id,)).fetchone()[0] + 1
        else:
            slug = _unique_slug(db, title)
            article_id = db.execute("INSERT INTO articles (slug, title, added_at) VALUES (?, ?, ?)",
                                    (slug, title, now)).lastrowid
            number = 1
        version_row = db.execute(
            "INSERT INTO versions (article_id, hash, number, text, added_at) VALUES (?, ?, ?, ?, ?)",
            (article_id, digest, number, analysis.text, now)).lastrowid
        db.executemany(
            'INSERT INTO blocks (version_id, id, position, kind, start, "end", credits)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(version_row, b.id, i, b.kind, b.start, b.end, json.dumps(b.credits))
             for i, b in enumerate(analysis.blocks)])
        db.executemany(
            "INSERT INTO entities (version_id, id, position, name, type, notes, code)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(version_row, e.id, i, e.name, e.type, json.dumps(e.notes), e.code)
             for i, e in enumerate(analysis.entities)])
        db.executemany(
            'INSERT INTO mentions (version_id, id, entity_id, position, start, "end", text,'
            " block_id, credit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(version_row, m.id, e.id, i, m.start, m.end, m.text, m.block, int(m.credit))
             for e in analysis.entities for i, m in enumerate(e.mentions)])
    return Added(slug, digest, new_article=number == 1, new_version=True)


_VERSION_COLUMNS = """
    v.id, v.hash, v.number, v.added_at, v.article_id, a.slug, a.title,
    (SELECT max(number) FROM versions WHERE article_id = a.id) AS latest_number
"""


def find_version(db: sqlite3.Connection, slug: str, version: str | None = None) -> Version | None:
    """The newest version of the article at `slug`, or the one whose hash is `version`."""
    if version is None:
        row = db.execute(f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN articles a"
                         " ON a.id = v.article_id WHERE a.slug = ? ORDER BY v.number DESC LIMIT 1",
                         (slug,)).fetchone()
    else:
        row = db.execute(f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN articles a"
                         " ON a.id = v.article_id WHERE a.slug = ? AND v.hash = ?",
                         (slug, version)).fetchone()
    return Version(**dict(row)) if row else None


def find_text(db: sqlite3.Connection, text: str) -> str | None:
    """The slug of an article that has this very text as one of its versions."""
    row = db.execute("SELECT a.slug, v.text FROM versions v JOIN articles a ON a.id = v.article_id"
                     " WHERE v.hash = ? ORDER BY v.id DESC", (version_id(text),)).fetchall()
    return next((r["slug"] for r in row if r["text"] == text), None)


def list_versions(db: sqlite3.Connection, article_id: int) -> list[dict]:
    return [dict(row) for row in db.execute(
        "SELECT hash, number, added_at FROM versions WHERE article_id = ? ORDER BY number DESC",
        (article_id,))]


def load_analysis(db: sqlite3.Connection, version_id: int) -> Analysis:
    """The stored analysis of one version, exactly as it was saved; no spaCy involved."""
    text = db.execute("SELECT text FROM versions WHERE id = ?", (version_id,)).fetchone()["text"]
    blocks = [Block(r["id"], r["kind"], r["start"], r["end"], json.loads(r["credits"]))
              for r in db.execute('SELECT id, kind, start, "end", credits FROM blocks'
                                  " WHERE version_id = ? ORDER BY position", (version_id,))]
    entities = {r["id"]: Entity(r["id"], r["name"], r["type"], [], json.loads(r["notes"]), r["code"])
                for r in db.execute("SELECT id, name, type, notes, code FROM entities"
                                    " WHERE version_id = ? ORDER BY position", (version_id,))}
    for r in db.execute('SELECT id, entity_id, start, "end", text, block_id, credit FROM mentions'
                        " WHERE version_id = ? ORDER BY entity_id, position", (version_id,)):
        entities[r["entity_id"]].mentions.append(
            Mention(r["id"], r["start"], r["end"], r["text"], r["block_id"], bool(r["credit"])))
    return Analysis(text, blocks, list(entities.values()))


def list_articles(db: sqlite3.Connection) -> list[dict]:
    """Every article with its newest version's counts per type, most recently added first."""
    return [dict(row) for row in db.execute("""
        SELECT a.slug, a.title, a.added_at, v.added_at AS updated_at, v.number AS versions,
               count(CASE WHEN e.type = 'person' THEN 1 END) AS people,
               count(CASE WHEN e.type = 'organization' THEN 1 END) AS organizations,
               count(CASE WHEN e.type = 'country' THEN 1 END) AS countries
        FROM articles a
        JOIN versions v ON v.article_id = a.id
             AND v.number = (SELECT max(number) FROM versions WHERE article_id = a.id)
        LEFT JOIN entities e ON e.version_id = v.id
        GROUP BY a.id
        ORDER BY v.id DESC
    """)]

