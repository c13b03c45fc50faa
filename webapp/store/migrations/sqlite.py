"""The SQLite schema's history: migration N takes a database from version N-1 to N."""
from __future__ import annotations

import secrets
import sqlite3

from ..versions import index_article


def _name_words(key: str, source: str | None = None) -> str:
    """A SELECT of (word, key) for each space-separated word of a library name `key` after
    its "type|" (migration 13), from `source` (a table) or of one key (a trigger's)."""
    return (f"WITH RECURSIVE split(key, word, rest) AS ("
            f" SELECT {key}, '', substr({key}, instr({key}, '|') + 1) || ' '"
            + (f" FROM {source}" if source else "")
            + " UNION ALL SELECT key, substr(rest, 1, instr(rest, ' ') - 1),"
            " substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest != '')"
            " SELECT word, key FROM split WHERE word != ''")


# The schema is the list of migrations that make it: migration N takes a database from
# version N-1 to N (PRAGMA user_version). Each runs once, in order, in its own transaction,
# when the app starts (migrations.init_db). Later changes append a migration; a released one is
# never edited. A step is an SQL statement, or a function of the connection for changes
# that SQL alone cannot make.
#
# An article is a stable slug and title with one or more text versions. A version is
# immutable: its text, blocks, entities and mentions never change once stored, so a
# passage link can name the version it was made on (issue 4) and still find it after
# the article is re-added with edits.

MIGRATIONS: list[tuple] = [
    # 1: the tables of release 0.1.0. IF NOT EXISTS: that release made them without
    # setting a version, so its databases are at version 0 with the tables in place.
    (
        """
        CREATE TABLE IF NOT EXISTS articles (
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL UNIQUE,
            added_at TEXT NOT NULL
        )""",
        """
        CREATE TABLE IF NOT EXISTS versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,            -- first 10 hex digits of the text's sha256
            number INTEGER NOT NULL,       -- 1, 2, ... within the article
            text TEXT NOT NULL,
            added_at TEXT NOT NULL,
            UNIQUE (article_id, hash),
            UNIQUE (article_id, number)
        )""",
        """
        CREATE TABLE IF NOT EXISTS blocks (
            version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            credits TEXT NOT NULL,         -- JSON list of credited names
            PRIMARY KEY (version_id, id)
        )""",
        """
        CREATE TABLE IF NOT EXISTS entities (
            version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            notes TEXT NOT NULL,           -- JSON list of notes
            code TEXT,
            PRIMARY KEY (version_id, id)
        )""",
        """
        CREATE TABLE IF NOT EXISTS mentions (
            version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            entity_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            block_id TEXT NOT NULL,
            credit INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (version_id, id),
            FOREIGN KEY (version_id, entity_id) REFERENCES entities(version_id, id)
        )""",
    ),
    # 2: find a version by its text's hash alone (is this very text stored already?).
    ("CREATE INDEX IF NOT EXISTS versions_by_hash ON versions (hash)",),
    # 3: the library (issue 9): where an article came from; removed articles, so that their
    # links can say so; full-text search; entities across articles. Filled for the
    # articles already stored.
    (
        "ALTER TABLE articles ADD COLUMN source_url TEXT",
        "ALTER TABLE articles ADD COLUMN canonical_url TEXT",
        "ALTER TABLE articles ADD COLUMN site_name TEXT",
        "ALTER TABLE articles ADD COLUMN author TEXT",
        "ALTER TABLE articles ADD COLUMN published TEXT",
        # The site name, else the host of its address: what the library filters on.
        "ALTER TABLE articles ADD COLUMN source TEXT",
        "CREATE INDEX articles_by_source ON articles (source, id)",
        "CREATE INDEX articles_by_published ON articles (published, id)",
        "CREATE INDEX articles_by_title ON articles (title COLLATE NOCASE, id)",
        """
        CREATE TABLE removed_articles (
            slug TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            removed_at TEXT NOT NULL,
            -- its highest version id: version ids are never used again (caches key on them)
            last_version INTEGER NOT NULL DEFAULT 0
        )""",
        # One row per article (rowid = articles.id): the title, the newest version's text
        # and its entities' names and spellings.
        """
        CREATE VIRTUAL TABLE article_search USING fts5(
            title, body, names, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        # A person, organisation or country across articles; `articles` and `mentions`
        # count the newest versions that mention it (kept as articles come and go).
        """
        CREATE TABLE library_entities (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            code TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            mentions INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX library_entities_by_count ON library_entities (mentions DESC, id)",
        "CREATE INDEX library_entities_by_type ON library_entities (type, mentions DESC, id)",
        # The names that identify a library entity: "type|normalised name" or "country|ISO code".
        """
        CREATE TABLE library_names (
            key TEXT PRIMARY KEY,
            entity INTEGER NOT NULL REFERENCES library_entities(id)
        ) WITHOUT ROWID""",
        # Which entity of an article's newest version is which library entity.
        """
        CREATE TABLE article_entities (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            library_entity INTEGER NOT NULL REFERENCES library_entities(id),
            mentions INTEGER NOT NULL,
            first_start INTEGER NOT NULL,
            first_end INTEGER NOT NULL,
            PRIMARY KEY (article_id, entity_id)
        )""",
        "CREATE INDEX article_entities_by_entity ON article_entities (library_entity, version_id DESC)",
        lambda db: _fill_library(db),
    ),
    # 4: editors (issue 10): accounts with hashed passwords, failed logins for the rate
    # limit (in the database, so that every serving process counts them), and settings
    # such as the session signing key, generated once so that sessions outlive a restart.
    (
        """
        CREATE TABLE users (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """
        CREATE TABLE login_failures (
            name TEXT NOT NULL COLLATE NOCASE,
            address TEXT NOT NULL,
            at REAL NOT NULL               -- seconds since the epoch
        )""",
        "CREATE INDEX login_failures_by_key ON login_failures (name, address, at)",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        lambda db: db.execute("INSERT INTO settings (name, value) VALUES ('secret_key', ?)",
                              (secrets.token_hex(32),)),
    ),
    # 5: editors' corrections (issue 10): data about an article, never a rewrite of its
    # stored analysis. `anchor` and `other` are JSON anchors (the words and their context)
    # so that a new version finds the words again; an undo only fills undone_at/undone_by.
    (
        """
        CREATE TABLE corrections (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            anchor TEXT NOT NULL,
            other TEXT,
            value TEXT,
            editor TEXT NOT NULL,
            made_at TEXT NOT NULL,
            undone_at TEXT,
            undone_by TEXT
        )""",
        "CREATE INDEX corrections_by_article ON corrections (article_id, id)",
    ),
    # 6: a count of changes to what pages show (issue 11), kept by triggers, whoever writes:
    # the response cache's generation follows it (PRAGMA data_version changed with every
    # commit, so a failed login, which anyone can cause, emptied the page cache). Writes to
    # login_failures and settings show on no page and leave it alone. Blocks, entities,
    # mentions, the search index and the library's entities are only written in the
    # transaction of a version, an article's deletion or a correction, which count already
    # (triggers on them fired hundreds of times an add for nothing).
    (
        "CREATE TABLE store_changes (id INTEGER PRIMARY KEY CHECK (id = 1), count INTEGER NOT NULL)",
        "INSERT INTO store_changes (id, count) VALUES (1, 0)",
        *(f"CREATE TRIGGER {table}_{event.lower()}_counted AFTER {event} ON {table} "
          "BEGIN UPDATE store_changes SET count = count + 1; END"
          for table in ("articles", "versions", "removed_articles", "corrections", "users")
          for event in ("INSERT", "UPDATE", "DELETE")),
    ),
    # 7: failed logins counted per address whatever the name (accounts.address_retry_after).
    ("CREATE INDEX login_failures_by_address ON login_failures (address, at)",),
    # 8: editors' sessions on the server (issue 18): the cookie carries the id, logging out
    # ends the row. Times as ISO 8601 UTC text to the second, compared as text. Ending a
    # session counts as a change, so that every web process forgets its cached check; a
    # request noted on it (last_seen_at) does not, nor does a login.
    (
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            editor INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        )""",
        "CREATE INDEX sessions_by_editor ON sessions (editor, created_at)",
        "CREATE TRIGGER sessions_ended_counted AFTER UPDATE OF ended_at ON sessions "
        "BEGIN UPDATE store_changes SET count = count + 1; END",
    ),
    # 9 (issue 16): an editor's library-level merges, kept as data and undoable: `merged`
    # became part of `kept`; `moved` is what moved (JSON: its names' keys and the article
    # entities), so that an undo puts back exactly that. Counted as changes, as corrections
    # are. And the search index's words, for "Did you mean ...".
    (
        """
        CREATE TABLE library_merges (
            id INTEGER PRIMARY KEY,
            kept INTEGER NOT NULL REFERENCES library_entities(id),
            merged INTEGER NOT NULL REFERENCES library_entities(id),
            moved TEXT NOT NULL,
            editor TEXT NOT NULL,
            made_at TEXT NOT NULL,
            undone_at TEXT,
            undone_by TEXT
        )""",
        "CREATE INDEX library_merges_by_entity ON library_merges (kept, merged)",
        *(f"CREATE TRIGGER library_merges_{event.lower()}_counted AFTER {event} ON library_merges "
          "BEGIN UPDATE store_changes SET count = count + 1; END" for event in ("INSERT", "UPDATE")),
        "CREATE VIRTUAL TABLE article_search_words USING fts5vocab(article_search, 'row')",
    ),
    # 10: who said what (issue 19): each version's direct quotations, the quoted words by
    # their offsets, the speaker an entity id of that version or NULL (unattributed).
    # Versions stored before have none until the article is added or refreshed again.
    (
        """
        CREATE TABLE quotes (
            version_id INTEGER NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            block_id TEXT NOT NULL,
            speaker TEXT,
            speaker_mention TEXT,          -- the mention naming the speaker: corrections move it
            speaker_text TEXT,
            cue TEXT,
            PRIMARY KEY (version_id, position)
        )""",
    ),
    # 11: each library entity's name as "possibly the same as ..." compares it
    # (similar.compared_name), indexed, so that an entity page finds the few names near its
    # own instead of reading every name of its type (issue 17: 100,000 people took seconds).
    (
        "ALTER TABLE library_entities ADD COLUMN compared TEXT",
        lambda db: fill_compared_names(db),
        "CREATE INDEX library_entities_by_compared ON library_entities (type, compared)",
        "CREATE INDEX library_entities_by_compared_length ON library_entities"
        " (type, length(compared))",
    ),
    # 12: how many articles there are from each source ('' for none), kept by triggers, so
    # that the library page counts without reading every article (issue 17: the count and
    # the list of sources grew with the library).
    (
        "CREATE TABLE article_counts (source TEXT PRIMARY KEY, articles INTEGER NOT NULL)",
        "INSERT INTO article_counts (source, articles)"
        " SELECT coalesce(source, ''), count(*) FROM articles GROUP BY coalesce(source, '')",
        "CREATE TRIGGER articles_insert_by_source AFTER INSERT ON articles BEGIN"
        " INSERT INTO article_counts (source, articles) VALUES (coalesce(NEW.source, ''), 1)"
        " ON CONFLICT (source) DO UPDATE SET articles = articles + 1; END",
        "CREATE TRIGGER articles_delete_by_source AFTER DELETE ON articles BEGIN"
        " UPDATE article_counts SET articles = articles - 1 WHERE source = coalesce(OLD.source, '');"
        " END",
        "CREATE TRIGGER articles_update_by_source AFTER UPDATE OF source ON articles"
        " WHEN coalesce(OLD.source, '') != coalesce(NEW.source, '') BEGIN"
        " UPDATE article_counts SET articles = articles - 1 WHERE source = coalesce(OLD.source, '');"
        " INSERT INTO article_counts (source, articles) VALUES (coalesce(NEW.source, ''), 1)"
        " ON CONFLICT (source) DO UPDATE SET articles = articles + 1; END",
    ),
    # 13: the words of the library's names, each with the names holding it, kept by
    # triggers, and the names of an entity by index: search.other_spellings looks a word up
    # in them instead of reading every name with LIKE '% word %' (issue 17: 100 to 400 ms
    # at 50,700 articles, 81,730 names).
    (
        """
        CREATE TABLE library_name_words (
            word TEXT NOT NULL,
            key TEXT NOT NULL,
            PRIMARY KEY (word, key)
        ) WITHOUT ROWID""",
        "CREATE INDEX library_names_by_entity ON library_names (entity)",
        f"INSERT OR IGNORE INTO library_name_words (word, key) {_name_words('n.key', 'library_names n')}",
        "CREATE TRIGGER library_names_insert_words AFTER INSERT ON library_names BEGIN"
        f" INSERT OR IGNORE INTO library_name_words (word, key) {_name_words('NEW.key')}; END",
        "CREATE TRIGGER library_names_delete_words AFTER DELETE ON library_names BEGIN"
        " DELETE FROM library_name_words WHERE key = OLD.key"
        f" AND word IN (SELECT word FROM ({_name_words('OLD.key')})); END",
        "CREATE TRIGGER library_names_update_words AFTER UPDATE OF key ON library_names BEGIN"
        " DELETE FROM library_name_words WHERE key = OLD.key"
        f" AND word IN (SELECT word FROM ({_name_words('OLD.key')}));"
        f" INSERT OR IGNORE INTO library_name_words (word, key) {_name_words('NEW.key')}; END",
    ),
    # 14: the words the search index has held, each with its letters reversed, indexed both
    # ways, so that "Did you mean" reads only the words that begin or end as the one typed
    # does (issue 17: reading FTS5's vocabulary took 0.8-1.25 s at 20,000 articles). Added
    # to as articles are indexed (search.index_article), never taken from: a word offered
    # is checked against FTS5's vocabulary first.
    (
        """
        CREATE TABLE search_vocabulary (
            term TEXT PRIMARY KEY,
            ending TEXT NOT NULL           -- term reversed
        ) WITHOUT ROWID""",
        "CREATE INDEX search_vocabulary_by_ending ON search_vocabulary (ending)",
        lambda db: fill_vocabulary(db),
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)


def fill_vocabulary(db) -> None:
    """The search index's words as they stand (migration 14), from FTS5's vocabulary."""
    from ..search import worth_listing

    terms = [row[0] for row in db.execute("SELECT term FROM article_search_words")]
    db.executemany("INSERT OR IGNORE INTO search_vocabulary (term, ending) VALUES (?, ?)",
                   [(term, term[::-1]) for term in terms if worth_listing(term)])


def fill_compared_names(db) -> None:
    """Every library entity's compared name (migration 11 here, 7 on PostgreSQL)."""
    from ...similar import compared_name

    rows = db.execute("SELECT id, name, type FROM library_entities").fetchall()
    db.executemany("UPDATE library_entities SET compared = ? WHERE id = ?",
                   [(compared_name(r[1], r[2]), r[0]) for r in rows])


def _fill_library(db: sqlite3.Connection) -> None:
    for row in db.execute("SELECT a.id, max(v.id) AS version FROM articles a"
                          " JOIN versions v ON v.article_id = a.id GROUP BY a.id").fetchall():
        # As the schema stands at migration 3: the compared names come with migration 11,
        # the list of the index's words with migration 14 (filled from the index).
        index_article(db, row["id"], row["version"], compared=False, listed=False)
