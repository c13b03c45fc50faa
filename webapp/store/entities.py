"""Entities across articles: the same person, organisation or country in several articles is
one library entity, found by its normalised name and type (a country by its ISO code)."""
from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from ..analysis.names import fold_accents
from ..similar import MAX_LETTERS_APART, compared_name
from .engine import greatest, insert_rows, timestamp

PER_PAGE = 50
SNIPPET_CHARS = 80  # of context on each side of an entity's first mention


def normalise(name: str) -> str:
    """"Ana  Câmara's" -> "ana camara": case, accents, punctuation and a possessive dropped."""
    name = fold_accents(name).casefold()
    name = re.sub(r"['’]s\b", "", name)
    name = re.sub(r"^the\s+", "", name.strip())
    return " ".join(re.findall(r"\w+", name))


def identifying_names(type_: str, name: str, spellings: list[str], code: str | None) -> list[str]:
    """The keys that say which library entity an article's entity is, the best first.

    Every spelling the article grouped under the entity identifies it too ("aliases an
    article grouped count for the library"), except a person's single word: two people who
    share a surname must stay two, so only full names identify a person.
    """
    if type_ == "country" and code:
        return [f"country|code:{code.upper()}"]
    keys = []
    for candidate in [name, *spellings]:
        norm = normalise(candidate)
        if not norm or (type_ == "person" and " " not in norm):
            continue
        key = f"{type_}|{norm}"
        if key not in keys:
            keys.append(key)
    if not keys:  # a person known by one word only: that word, for this type
        keys.append(f"{type_}|{normalise(name) or name.casefold()}")
    return keys


def _library_names(db: sqlite3.Connection, keys: list[str]) -> dict[str, int]:
    """The library entity each of these identifying names stands for, of those stored."""
    known = {}
    unique = list(dict.fromkeys(keys))
    for at in range(0, len(unique), 500):  # well under either database's limit on parameters
        chunk = unique[at:at + 500]
        known.update((r[0], r[1]) for r in db.execute(
            f"SELECT key, entity FROM library_names WHERE key IN ({', '.join('?' * len(chunk))})",
            chunk))
    return known


def forget_article(db: sqlite3.Connection, article_id: int) -> None:
    """Take an article's entities out of the library's counts (before a new version, or
    when it is deleted)."""
    # Two of an article's entities may be one library entity (a name split by a correction):
    # the article counts once.
    rows = db.execute("SELECT library_entity, sum(mentions) FROM article_entities"
                      " WHERE article_id = ? GROUP BY library_entity", (article_id,)).fetchall()
    db.executemany("UPDATE library_entities SET articles = articles - 1, mentions = mentions - ?"
                   " WHERE id = ?", [(r[1], r[0]) for r in rows])
    db.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))


def index_entities(db: sqlite3.Connection, article_id: int, version_id: int,
                   entities=None, counted: bool = True, compared: bool = True) -> list[str]:
    """Count the entities of an article's newest version in the library (its stored ones,
    or `entities`: the version as editors corrected it), in place of its older version's
    if they were `counted`; the names and spellings it found (for the search index).
    Not `compared`: the schema has no compared names yet (SQLite's migration 3 runs this;
    migration 11 fills them)."""
    if counted:
        forget_article(db, article_id)
    if entities is None:
        rows = db.execute('SELECT entity_id, text, start, "end" FROM mentions WHERE version_id = ?'
                          " ORDER BY start", (version_id,)).fetchall()
        listed = db.execute("SELECT id, name, type, code FROM entities WHERE version_id = ?"
                            " ORDER BY position", (version_id,)).fetchall()
    else:
        rows = sorted(((e.id, m.text, m.start, m.end) for e in entities for m in e.mentions),
                      key=lambda row: row[2])
        listed = [(e.id, e.name, e.type, e.code) for e in entities]
    spellings: dict[str, list[str]] = {}
    first: dict[str, tuple[int, int, int]] = {}
    for r in rows:
        spellings.setdefault(r[0], [])
        if r[1] not in spellings[r[0]]:
            spellings[r[0]].append(r[1])
        start, end, count = first.get(r[0], (r[2], r[3], 0))
        first[r[0]] = (start, end, count + 1)
    # Every name that identifies one of them, looked up at once (one query, not one per
    # entity: an add's time on PostgreSQL is mostly its round trips).
    keys = {r[0]: identifying_names(r[2], r[1], spellings[r[0]], r[3])
            for r in listed if r[0] in first}
    known = _library_names(db, [key for found in keys.values() for key in found])
    names, counts, rows, new_names = [], {}, [], []
    for r in listed:
        entity_id, name, type_, code = r[0], r[1], r[2], r[3]
        if entity_id not in first:
            continue  # an entity with no mention is nowhere to be linked to
        start, end, count = first[entity_id]
        found = next((known[key] for key in keys[entity_id] if key in known), None)
        if found is None:
            columns, values = "name, type, code", (name, type_, code)
            if compared:
                columns, values = columns + ", compared", (*values, compared_name(name, type_))
            found = db.execute(f"INSERT INTO library_entities ({columns}) VALUES"
                               f" ({', '.join('?' * len(values))}) RETURNING id", values).fetchone()[0]
        # A spelling that already names another entity stays with that one.
        for key in keys[entity_id]:
            if key not in known:
                known[key] = found
                new_names.append((key, found))
        rows.append((article_id, version_id, entity_id, found, count, start, end))
        counts[found] = counts.get(found, 0) + count
        names.append(name)
        names.extend(s for s in spellings[entity_id] if s != name)
    insert_rows(db, "INSERT INTO library_names (key, entity)", new_names, "ON CONFLICT DO NOTHING")
    insert_rows(db, "INSERT INTO article_entities (article_id, version_id, entity_id,"
                " library_entity, mentions, first_start, first_end)", rows)
    # The article counts once for each library entity, however many of its entities it is.
    db.executemany("UPDATE library_entities SET articles = articles + 1, mentions = mentions + ?"
                   " WHERE id = ?", [(count, found) for found, count in counts.items()])
    return names


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Appearance:
    """One article that mentions a library entity, with its first mention in context."""

    slug: str
    title: str
    entity_id: str   # the entity's id within that article (for ?entity=)
    mentions: int
    added_at: str
    before: str
    mention: str
    after: str
    source: str | None = None  # the site it came from (its Atom feed entry says so)

    def to_json(self) -> dict:
        return {"slug": self.slug, "title": self.title, "entity": self.entity_id,
                "mentions": self.mentions, "added_at": self.added_at,
                "snippet": {"before": self.before, "mention": self.mention, "after": self.after}}


def find_entity(db: sqlite3.Connection, entity: int) -> dict | None:
    row = db.execute("SELECT id, name, type, code, articles, mentions FROM library_entities"
                     " WHERE id = ? AND articles > 0", (entity,)).fetchone()
    return dict(row) if row else None


def _around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The words around a mention, cut at spaces, on one line."""
    before = text[:start].split("\n")[-1]
    after = text[end:].split("\n")[0]
    if len(before) > SNIPPET_CHARS:
        before = "…" + before[-SNIPPET_CHARS:].split(" ", 1)[-1]
    if len(after) > SNIPPET_CHARS:
        after = after[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
    return before, text[start:end], after


def appearances(db: sqlite3.Connection, entity: int, page: int = 1,
                per_page: int = PER_PAGE) -> list[Appearance]:
    """The articles that mention a library entity, newest first (by their newest version)."""
    # Only the text around the first mention is read, not the article's whole text.
    window = SNIPPET_CHARS + 40
    larger = greatest(db)
    rows = db.execute(f"""
        SELECT a.slug, a.title, a.source, ae.entity_id, ae.mentions, v.added_at, ae.first_start,
               ae.first_end, {larger}(ae.first_start - {window}, 0) AS cut,
               substr(v.text, {larger}(ae.first_start - {window}, 0) + 1,
                      ae.first_end - {larger}(ae.first_start - {window}, 0) + {window}) AS around
        FROM article_entities ae
        JOIN articles a ON a.id = ae.article_id
        JOIN versions v ON v.id = ae.version_id
        WHERE ae.library_entity = ?
        ORDER BY ae.version_id DESC
        LIMIT ? OFFSET ?""", (entity, per_page, (page - 1) * per_page)).fetchall()
    return [Appearance(r["slug"], r["title"], r["entity_id"], r["mentions"], r["added_at"],
                       *_around(r["around"], r["first_start"] - r["cut"], r["first_end"] - r["cut"]),
                       source=r["source"])
            for r in rows]


def _like(query: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", query) + "%"


def list_entities(db: sqlite3.Connection, type_: str | None = None, query: str = "",
                  page: int = 1, per_page: int = PER_PAGE) -> tuple[list[dict], int]:
    """The library's entities, most mentioned first, of one type and/or whose name
    contains `query`; and how many there are in all."""
    where, params = ["articles > 0"], []
    if type_:
        where.append("type = ?")
        params.append(type_)
    if query.strip():
        # SQLite's LIKE ignores case (of ASCII letters); PostgreSQL's ILIKE, with a
        # trigram index (migrations/postgresql.py), does so for every letter.
        like = "ILIKE" if db.dialect == "postgresql" else "LIKE"
        where.append(f"name {like} ? ESCAPE '\\'")
        params.append(_like(" ".join(query.split())))
    condition = " AND ".join(where)
    total = db.execute(f"SELECT count(*) FROM library_entities WHERE {condition}", params).fetchone()[0]
    rows = db.execute(f"SELECT id, name, type, code, articles, mentions FROM library_entities"
                      f" WHERE {condition} ORDER BY mentions DESC, id LIMIT ? OFFSET ?",
                      [*params, per_page, (page - 1) * per_page]).fetchall()
    return [dict(r) for r in rows], total


def also_in(db: sqlite3.Connection, article_id: int, entity_id: str) -> tuple[int, int] | None:
    """(library entity id, how many other articles mention it) for an article's entity."""
    row = db.execute("SELECT le.id, le.articles FROM article_entities ae JOIN library_entities le"
                     " ON le.id = ae.library_entity WHERE ae.article_id = ? AND ae.entity_id = ?",
                     (article_id, entity_id)).fetchone()
    return (row[0], row[1] - 1) if row else None


# --- the same entity under two names, by an editor's word (issue 16) --------------------------

def names_of_type(db: sqlite3.Connection, type_: str, other_than: int,
                  name: str) -> list[tuple[int, str]]:
    """(id, name) of the library's other entities of a type that some article mentions and
    whose name may be a letter or two from `name`: what "possibly the same as ..." compares
    it with (similar.possibly_same decides). Found by the index of compared names, not by
    reading every name of the type (100,000 people in a newsroom's library, issue 17): a
    person's with the same given name, any other's of a length at most that many apart."""
    compared = compared_name(name, type_)
    if type_ == "person":
        given = compared.split(" ", 1)[0]
        # Names of two words or more whose first is `given`: from "given " up to "given!".
        condition, params = "compared >= ? AND compared < ?", [given + " ", given + "!"]
    else:
        condition = "length(compared) BETWEEN ? AND ?"
        params = [len(compared) - MAX_LETTERS_APART, len(compared) + MAX_LETTERS_APART]
    rows = db.execute(f"SELECT id, name, compared FROM library_entities WHERE type = ? AND {condition}"
                      " AND articles > 0 AND id != ?", (type_, *params, other_than)).fetchall()
    # Letters apart measured here first (a C call), so that only the near are compared in full.
    return [(r[0], r[1]) for r in rows
            if Levenshtein.distance(compared, r[2], score_cutoff=MAX_LETTERS_APART) <= MAX_LETTERS_APART]


def _recount(db: sqlite3.Connection, *entities: int) -> None:
    """Counts as the article entities say (an article once per library entity)."""
    # Plain `?`s, one per use: PostgreSQL's placeholders have no numbered form (?1).
    db.executemany("""UPDATE library_entities SET
        articles = (SELECT count(DISTINCT article_id) FROM article_entities WHERE library_entity = ?),
        mentions = (SELECT coalesce(sum(mentions), 0) FROM article_entities WHERE library_entity = ?)
        WHERE id = ?""", [(entity,) * 3 for entity in entities])


def merge_library_entities(db: sqlite3.Connection, kept: int, merged: int, editor: str) -> int | None:
    """Make `merged` part of `kept` across the library, in one transaction: its names and
    its articles' entities move over, and what moved is kept with the merge so that an undo
    moves exactly that back. The merge's id; None when either is not an entity of the same
    type that some article mentions."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        rows = db.execute("SELECT id, type FROM library_entities WHERE id IN (?, ?) AND articles > 0",
                          (kept, merged)).fetchall()
        if kept == merged or len(rows) != 2 or rows[0][1] != rows[1][1]:
            return None
        keys = [r[0] for r in db.execute("SELECT key FROM library_names WHERE entity = ?", (merged,))]
        pairs = [list(r) for r in db.execute(
            "SELECT article_id, entity_id FROM article_entities WHERE library_entity = ?", (merged,))]
        db.execute("UPDATE library_names SET entity = ? WHERE entity = ?", (kept, merged))
        db.execute("UPDATE article_entities SET library_entity = ? WHERE library_entity = ?", (kept, merged))
        _recount(db, kept, merged)
        return db.execute(
            "INSERT INTO library_merges (kept, merged, moved, editor, made_at) VALUES (?, ?, ?, ?, ?)"
            " RETURNING id",
            (kept, merged, json.dumps({"keys": keys, "entities": pairs}), editor, timestamp())).fetchone()[0]


def undo_library_merge(db: sqlite3.Connection, merge: int, editor: str) -> dict | None:
    """Undo a library merge: what moved goes back (an article entity indexed again since
    then keeps its place). The merge as a dict, or None if there is no such active one."""
    with db:
        db.execute("BEGIN IMMEDIATE")
        row = db.execute("SELECT * FROM library_merges WHERE id = ? AND undone_at IS NULL",
                         (merge,)).fetchone()
        if row is None:
            return None
        moved = json.loads(row["moved"])
        db.executemany("UPDATE library_names SET entity = ? WHERE key = ? AND entity = ?",
                       [(row["merged"], key, row["kept"]) for key in moved["keys"]])
        db.executemany("UPDATE article_entities SET library_entity = ? WHERE article_id = ?"
                       " AND entity_id = ? AND library_entity = ?",
                       [(row["merged"], article, entity, row["kept"]) for article, entity in moved["entities"]])
        _recount(db, row["kept"], row["merged"])
        db.execute("UPDATE library_merges SET undone_at = ?, undone_by = ? WHERE id = ?",
                   (timestamp(), editor, merge))
        return dict(row)


def merges_into(db: sqlite3.Connection, entity: int) -> list[dict]:
    """The active merges that made other entities part of this one, newest first, with the
    merged entity's name."""
    return [dict(r) for r in db.execute(
        "SELECT m.id, m.merged, le.name AS merged_name, m.editor, m.made_at FROM library_merges m"
        " JOIN library_entities le ON le.id = m.merged"
        " WHERE m.kept = ? AND m.undone_at IS NULL ORDER BY m.id DESC", (entity,))]


def merged_into(db: sqlite3.Connection, entity: int) -> int | None:
    """The entity an editor merged this one into (its page sends readers there), if any."""
    row = db.execute("SELECT kept FROM library_merges WHERE merged = ? AND undone_at IS NULL"
                     " ORDER BY id DESC LIMIT 1", (entity,)).fetchone()
    return row[0] if row else None
