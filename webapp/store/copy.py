"""`dramatis db copy`: a desk's SQLite library moved into a newsroom's PostgreSQL store.

Every row is copied in one PostgreSQL transaction, ids kept (passage links and caches name
versions by id), and each table's count compared before it commits: a copy is whole or
not at all.
"""
from __future__ import annotations

from . import engine, migrations, search

# In an order that keeps every foreign key satisfied, with the columns copied. The search
# index's tsvector is PostgreSQL's own (a generated column), made from the copied text.
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("id", "slug", "title", "added_at", "source_url", "canonical_url", "site_name",
                 "author", "published", "source"),
    "versions": ("id", "article_id", "hash", "number", "text", "added_at"),
    "blocks": ("version_id", "id", "position", "kind", "start", '"end"', "credits"),
    "entities": ("version_id", "id", "position", "name", "type", "notes", "code"),
    "mentions": ("version_id", "id", "entity_id", "position", "start", '"end"', "text", "block_id",
                 "credit"),
    "quotes": ("version_id", "position", "start", '"end"', "block_id", "speaker",
               "speaker_mention", "speaker_text", "cue"),
    "removed_articles": ("slug", "title", "removed_at", "last_version"),
    "library_entities": ("id", "name", "type", "code", "articles", "mentions", "compared"),
    "library_names": ("key", "entity"),
    "article_entities": ("article_id", "version_id", "entity_id", "library_entity", "mentions",
                         "first_start", "first_end"),
    "users": ("id", "name", "password_hash", "created_at"),
    "sessions": ("id", "editor", "created_at", "last_seen_at", "ended_at"),
    "corrections": ("id", "article_id", "kind", "anchor", "other", "value", "editor", "made_at",
                    "undone_at", "undone_by"),
    "article_search": ("article_id", "title", "body", "names"),
    "library_merges": ("id", "kept", "merged", "moved", "editor", "made_at", "undone_at",
                       "undone_by"),
}
# SQLite's names for the columns read (FTS5 keeps the article's id as its rowid).
SOURCE_COLUMNS = {("article_search", "article_id"): "rowid"}
# Tables not copied: the change counter is the new store's own, and so are the articles'
# counts (its triggers count the copied ones); failed logins are minutes old; the signing
# key is copied on its own (sessions stay valid); the words of the library's names and of
# the search index are SQLite's indexes of them (PostgreSQL's are trigram indexes and the
# table its triggers keep).
NOT_COPIED = {"store_changes", "login_failures", "settings", "article_counts", "library_name_words",
              "search_vocabulary"}
# Ids PostgreSQL hands out itself from now on, after the copied ones.
IDENTITIES = ("articles", "library_entities", "users", "corrections", "library_merges")
BATCH = 2000


class CopyError(Exception):
    """The copy cannot be made, or did not add up; nothing was stored. The message says why."""


def _source_tables(db) -> set[str]:
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    # FTS5's own tables behind article_search.
    return {name for name in names
            if not name.startswith(("article_search_", "sqlite_"))} - NOT_COPIED


def copy_store(source: str, target: str, timeout: float = 10.0) -> dict[str, int]:
    """Copy the SQLite file `source` into the empty PostgreSQL database `target` (both
    brought to the newest schema first); each table's row count."""
    if engine.is_postgres(source) or not engine.is_postgres(target):
        raise CopyError("give a SQLite file to copy from and a postgresql:// URL to copy to")
    migrations.upgrade(source, timeout)
    migrations.upgrade(target, timeout)
    src, dst = engine.connect(source, timeout), engine.connect(target, timeout)
    try:
        unknown = _source_tables(src) - set(TABLES)
        if unknown:
            raise CopyError(f"tables this Dramatis cannot copy: {', '.join(sorted(unknown))}")
        src.execute("BEGIN")  # one snapshot of the source: what is counted is what is read
        with dst:
            dst.execute("BEGIN IMMEDIATE")
            if dst.execute("SELECT EXISTS (SELECT 1 FROM articles)"
                           " OR EXISTS (SELECT 1 FROM users)").fetchone()[0]:
                raise CopyError(f"{engine.shown(target)} is not empty: copy into a new database")
            counts = {table: _copy_table(src, dst, table, columns) for table, columns in TABLES.items()}
            key = src.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()
            if key:
                dst.execute("UPDATE settings SET value = ? WHERE name = 'secret_key'", (key[0],))
            for table in IDENTITIES:
                dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                            f" coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")
            for table, copied in counts.items():
                stored = dst.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                if stored != copied:
                    raise CopyError(f"{table}: {copied} rows read but {stored} stored; nothing kept")
        search.count_words(dst)  # the copied texts' words, into the vocabulary
        return counts
    finally:
        src.close()
        dst.close()


def _copy_table(src, dst, table: str, columns: tuple[str, ...]) -> int:
    """Every row of one table, in batches; how many there were in the source."""
    read = ", ".join(SOURCE_COLUMNS.get((table, column), column) for column in columns)
    expected = src.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    cursor = src.execute(f"SELECT {read} FROM {table}")
    while rows := cursor.fetchmany(BATCH):
        dst.copy_rows(table, columns, rows)
    return expected
