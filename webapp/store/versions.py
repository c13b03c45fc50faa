"""Saving analysed articles as versions and loading them back as plain data."""
from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..analysis.article import Analysis, Block, Entity, Mention, slugify
from ..analysis.quotes import Quote

# A version's hash is the id that passage links carry (v=): one definition, in passages.
from ..anchors import version_id
from ..corrections import apply_learned, learned_names
from . import entities as library_entities
from . import search
from .corrections import load_all_corrections
from .engine import greatest, insert_rows, timestamp

# Where an article came from, as the ingest step finds it (webapp.ingest.Extracted has
# these fields); each may be missing.
METADATA_FIELDS = ("source_url", "canonical_url", "site_name", "author", "published")
SORTS = {
    "added": "a.id DESC",
    # SQLite sorts NULL lowest: undated articles come last, and the index serves it.
    "published": "a.published DESC, a.id DESC",
    "title": "a.title COLLATE NOCASE, a.id",
}
# The same orders in PostgreSQL's words (its indexes in migrations/postgresql.py serve them).
POSTGRES_SORTS = {
    "added": "a.id DESC",
    "published": "a.published DESC NULLS LAST, a.id DESC",
    "title": "lower(a.title), a.id",
}
PER_PAGE = 50

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

    @property
    def pinned(self) -> str | None:
        """What its URLs say in ?version=: nothing for the newest version, else its hash."""
        return None if self.is_latest else self.hash


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


def article_metadata(metadata) -> dict[str, str | None]:
    """The metadata fields of a mapping or an object (such as ingest's Extracted), each a
    non-empty string or None, and the source the library filters on."""
    if metadata is None:
        metadata = {}
    get = metadata.get if isinstance(metadata, Mapping) else (lambda k: getattr(metadata, k, None))
    fields = {}
    for name in METADATA_FIELDS:
        value = get(name)
        fields[name] = " ".join(str(value).split())[:2000] or None if value else None
    address = fields["canonical_url"] or fields["source_url"]
    host = urlsplit(address).hostname if address else None
    fields["source"] = fields["site_name"] or (host.removeprefix("www.") if host else None)
    return fields


def save_analysis(db: sqlite3.Connection, analysis: Analysis, title: str | None = None,
                  new_version: bool = True, metadata=None, learn_names: bool = True) -> Added:
    """Store an analysed article in one transaction, with its search index and library
    entities.

    An article whose title is already stored gets a new version under the same slug
    (unless `new_version` is false: then ArticleExists); the very same text again
    stores nothing new. `metadata` (a mapping or an object with METADATA_FIELDS) says
    where it came from; a new version keeps the old values it does not replace.
    `learn_names` applies the names editors corrected in any article (DRAMATIS_LEARN_NAMES).
    """
    return save_analyses(db, [(analysis, title, metadata)], new_version, learn_names)[0]


def save_analyses(db: sqlite3.Connection, articles, new_version: bool = True,
                  learn_names: bool = True) -> list[Added]:
    """Store many analysed articles, each (analysis, title, metadata), in one transaction:
    each as save_analysis stores it (the very same rows), under one write lock; an error in
    any stores none of them. For filling a library in bulk (benchmarks/bench_scale.py): on
    PostgreSQL most of an add's time is its round trips, and a commit is one of them."""
    # What editors said names are, in any article (issue 10), read once, when a first version
    # is stored: no correction is made while the write lock is held.
    learned = functools.cache(lambda: learned_names(load_all_corrections(db))) if learn_names else None
    # BEGIN IMMEDIATE takes the write lock before reading, so two adds of the same title
    # cannot both decide they are the first; `with db` commits, or rolls back on error.
    with db:
        db.execute("BEGIN IMMEDIATE")
        added = [_save(db, analysis, title, new_version, metadata, learned)
                 for analysis, title, metadata in articles]
    search.count_words(db)  # outside the write lock, once committed
    return added


def _save(db: sqlite3.Connection, analysis: Analysis, title: str | None, new_version: bool,
          metadata, learned) -> Added:
    """save_analysis's work, in the caller's transaction; `learned()` gives editors' names
    (None: not applied)."""
    title = article_title(analysis, title)
    fields = article_metadata(metadata)
    digest = version_id(analysis.text)
    now = timestamp()
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
        given = {k: v for k, v in fields.items() if v is not None}
        if given:
            db.execute(f"UPDATE articles SET {', '.join(f'{k} = ?' for k in given)} WHERE id = ?",
                       (*given.values(), article_id))
    else:
        slug = _unique_slug(db, title)
        article_id = db.execute(
            f"INSERT INTO articles (slug, title, added_at, {', '.join(fields)})"
            f" VALUES (?, ?, ?, {', '.join('?' * len(fields))}) RETURNING id",
            (slug, title, now, *fields.values())).fetchone()[0]
        number = 1
    # Editors' names are read only when a version is stored (the text is unchanged by
    # them, so the title and hash above stand).
    if learned is not None:
        analysis = apply_learned(analysis, learned())
    # Never the id of a deleted version: the caches hold versions by id (a stored
    # version never changes), so a reused id would show the deleted article.
    version_row = db.execute(
        "INSERT INTO versions (id, article_id, hash, number, text, added_at) VALUES ("
        f" {greatest(db)}(coalesce((SELECT max(id) FROM versions), 0),"
        "     coalesce((SELECT max(last_version) FROM removed_articles), 0)) + 1,"
        " ?, ?, ?, ?, ?) RETURNING id",
        (article_id, digest, number, analysis.text, now)).fetchone()[0]
    insert_rows(db, 'INSERT INTO blocks (version_id, id, position, kind, start, "end", credits)',
                [(version_row, b.id, i, b.kind, b.start, b.end, json.dumps(b.credits))
                 for i, b in enumerate(analysis.blocks)])
    insert_rows(db, "INSERT INTO entities (version_id, id, position, name, type, notes, code)",
                [(version_row, e.id, i, e.name, e.type, json.dumps(e.notes), e.code)
                 for i, e in enumerate(analysis.entities)])
    insert_rows(db, 'INSERT INTO mentions (version_id, id, entity_id, position, start, "end", text,'
                " block_id, credit)",
                [(version_row, m.id, e.id, i, m.start, m.end, m.text, m.block, int(m.credit))
                 for e in analysis.entities for i, m in enumerate(e.mentions)])
    insert_rows(db, 'INSERT INTO quotes (version_id, position, start, "end", block_id, speaker,'
                " speaker_mention, speaker_text, cue)",
                [(version_row, i, q.start, q.end, q.block, q.speaker, q.speaker_mention,
                  q.speaker_text, q.cue)
                 for i, q in enumerate(analysis.quotes)])
    index_article(db, article_id, version_row, analysis.entities, (title, analysis.text),
                  new_article=number == 1)
    return Added(slug, digest, new_article=number == 1, new_version=True)


def index_article(db: sqlite3.Connection, article_id: int, version_id: int,
                  entities=None, title_and_text: tuple[str, str] | None = None,
                  new_article: bool = False, compared: bool = True, listed: bool = True) -> None:
    """Search and library entities follow an article's newest version (in the caller's
    transaction); `entities` are that version's as editors corrected them, if any, and
    `title_and_text` the article's title and that version's text when the caller has them
    (a `new_article` has nothing counted yet; not `compared`: see index_entities; not
    `listed`: see search.index_article)."""
    names = library_entities.index_entities(db, article_id, version_id, entities,
                                            counted=not new_article, compared=compared)
    if title_and_text is None:
        title_and_text = tuple(db.execute("SELECT a.title, v.text FROM articles a JOIN versions v"
                                          " ON v.id = ? WHERE a.id = ?",
                                          (version_id, article_id)).fetchone())
    search.index_article(db, article_id, *title_and_text, names, listed=listed)


def delete_article(db: sqlite3.Connection, slug: str) -> str | None:
    """Delete an article with every version; its links will say it was removed. The title
    it had, or None if there is no such article."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT id, title FROM articles WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            return None
        library_entities.forget_article(db, row[0])
        search.forget(db, row[0])
        last_version = db.execute("SELECT max(id) FROM versions WHERE article_id = ?",
                                  (row[0],)).fetchone()[0]
        db.execute("DELETE FROM articles WHERE id = ?", (row[0],))
        # Kept when a new article later takes the slug: found only when no article is.
        db.execute("INSERT INTO removed_articles (slug, title, removed_at, last_version)"
                   " VALUES (?, ?, ?, ?) ON CONFLICT (slug) DO UPDATE SET title = excluded.title,"
                   " removed_at = excluded.removed_at, last_version = excluded.last_version",
                   (slug, row[1], timestamp(), last_version))
    search.count_words(db)
    return row[1]


def find_article(db: sqlite3.Connection, slug: str) -> dict | None:
    """The id, slug and title of the article at `slug`, or None."""
    row = db.execute("SELECT id, slug, title FROM articles WHERE slug = ?", (slug,)).fetchone()
    return dict(row) if row else None


def removed_article(db: sqlite3.Connection, slug: str) -> dict | None:
    row = db.execute("SELECT slug, title, removed_at FROM removed_articles WHERE slug = ?",
                     (slug,)).fetchone()
    return dict(row) if row else None


def rename_article(db: sqlite3.Connection, slug: str, title: str) -> bool:
    """Give an article a new title (its slug, and so its links, stay). False if there is
    no such article; ArticleExists if another article has that title; ValueError if the
    title is empty."""
    title = clean_title(title)
    if not title:
        raise ValueError("a title cannot be empty")
    with db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT id FROM articles WHERE slug = ?", (slug,)).fetchone()
        if row is None:
            return False
        other = db.execute("SELECT slug FROM articles WHERE title = ? AND id != ?",
                           (title, row[0])).fetchone()
        if other:
            raise ArticleExists(other[0])
        db.execute("UPDATE articles SET title = ? WHERE id = ?", (title, row[0]))
        search.retitle(db, row[0], title)
    search.count_words(db)
    return True


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


def version_history(db: sqlite3.Connection, slug: str) -> list[Version]:
    """Every version of the article at `slug`, the first first (none: no such article)."""
    return [Version(**dict(row)) for row in db.execute(
        f"SELECT {_VERSION_COLUMNS} FROM versions v JOIN articles a ON a.id = v.article_id"
        " WHERE a.slug = ? ORDER BY v.number", (slug,))]


def refreshable(db: sqlite3.Connection, slugs: list[str] | None = None) -> list[dict]:
    """The articles added from a web address (slug, title, address: the one fetched), all
    of them or those of `slugs`, in the order given (a slug with no such article is left out)."""
    rows = {r["slug"]: dict(r) for r in db.execute(
        "SELECT slug, title, source_url AS address FROM articles WHERE source_url IS NOT NULL"
        " ORDER BY id")}
    return list(rows.values()) if slugs is None else [rows[s] for s in slugs if s in rows]


def refreshable_slugs(db: sqlite3.Connection, batch: int):
    """The slugs of every article added from a web address, oldest first, `batch` at a time
    (lists): a library of millions is never read into memory at once."""
    after = 0
    while True:
        rows = db.execute("SELECT id, slug FROM articles WHERE source_url IS NOT NULL AND id > ?"
                          " ORDER BY id LIMIT ?", (after, batch)).fetchall()
        if not rows:
            return
        yield [r["slug"] for r in rows]
        after = rows[-1]["id"]


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
    quotes = [Quote(r["start"], r["end"], r["block_id"], r["speaker"], r["speaker_text"], r["cue"],
                    r["speaker_mention"])
              for r in db.execute('SELECT start, "end", block_id, speaker, speaker_text, cue,'
                                  " speaker_mention FROM quotes WHERE version_id = ? ORDER BY position",
                                  (version_id,))]
    return Analysis(text, blocks, list(entities.values()), quotes)


def list_sources(db: sqlite3.Connection) -> list[dict]:
    """Every source with how many articles came from it, the largest first."""
    # Counted by triggers (migrations: article_counts), not by reading every article.
    return [dict(r) for r in db.execute(
        "SELECT source, articles FROM article_counts WHERE source != '' AND articles > 0"
        " ORDER BY articles DESC, source")]


def list_articles(db: sqlite3.Connection, sort: str = "added", source: str | None = None,
                  page: int = 1, per_page: int = PER_PAGE) -> tuple[list[dict], int]:
    """One page of articles (sorted by SORTS[sort], from one source or all), with their
    newest version's counts per type; and how many articles there are in all."""
    where, params = ("WHERE a.source = ?", [source]) if source else ("", [])
    order = (POSTGRES_SORTS if db.dialect == "postgresql" else SORTS)[sort]
    # SQLite: CROSS makes its planner take the page first, always; PostgreSQL has no CROSS
    # JOIN with a condition, and plans the page first on its own.
    join = "JOIN" if db.dialect == "postgresql" else "CROSS JOIN"
    # Counted by triggers (article_counts); int(): PostgreSQL's sum of bigints is numeric.
    total = int(db.execute("SELECT coalesce(sum(articles), 0) FROM article_counts"
                           + (" WHERE source = ?" if source else ""), params).fetchone()[0])
    # The page is chosen first, so only its 50 articles are joined with their entities.
    rows = db.execute(f"""
        WITH shown AS (
            SELECT a.id FROM articles a {where} ORDER BY {order} LIMIT ? OFFSET ?
        )
        SELECT a.slug, a.title, a.added_at, a.source, a.site_name, a.published, a.author,
               a.source_url, a.canonical_url,
               v.added_at AS updated_at, v.number AS versions,
               count(CASE WHEN e.type = 'person' THEN 1 END) AS people,
               count(CASE WHEN e.type = 'organization' THEN 1 END) AS organizations,
               count(CASE WHEN e.type = 'country' THEN 1 END) AS countries,
               count(CASE WHEN e.type = 'place' THEN 1 END) AS places  -- a type like the others (issue 16)
        FROM shown {join} articles a ON a.id = shown.id
        JOIN versions v ON v.article_id = a.id
             AND v.number = (SELECT max(number) FROM versions WHERE article_id = a.id)
        LEFT JOIN entities e ON e.version_id = v.id
        GROUP BY a.id, v.id
        ORDER BY {order}
    """, [*params, per_page, (page - 1) * per_page]).fetchall()
    return [dict(r) for r in rows], total


def article_source(db: sqlite3.Connection, article_id: int) -> dict:
    """Where an article came from (the METADATA_FIELDS, each possibly None)."""
    row = db.execute(f"SELECT {', '.join(METADATA_FIELDS)} FROM articles WHERE id = ?",
                     (article_id,)).fetchone()
    return dict(row) if row else {}
