"""The PostgreSQL schema's history: migration N takes a database from version N-1 to N
(the version kept in schema_version). Its own numbering: PostgreSQL starts at the tables
SQLite reached in seven steps (sqlite.py, whose history stays as it is).

The same tables and columns as SQLite's, with PostgreSQL's means where SQLite has its own:
citext for names compared without case (COLLATE NOCASE there), a tsvector with a GIN index
for search (FTS5 there), a trigram index for entity names matched in part, and the change
counter kept by a trigger function.
"""
from __future__ import annotations

import secrets

from .. import jobs
from .sqlite import fill_compared_names

# The tables pages show; a write to any of them counts as a change (sqlite.py migration 6).
COUNTED_TABLES = ("articles", "versions", "removed_articles", "corrections", "users")


def _words_counted(event: str, added: bool, removed: bool) -> tuple[str, str]:
    """The trigger that keeps search_words' counts as `event` changes article_search: each
    word of a document counts its article once (a tsvector holds each lexeme once). Words
    with punctuation ("jean-luc", "e-mail", "3.5", which PostgreSQL's parser keeps beside
    their parts) are left out: FTS5 has only the parts, and a reader's word never has any.
    One statement-level trigger per event (PostgreSQL allows transition tables only so)."""
    name = f"search_words_{event.lower()}_counted"
    words = " UNION ALL ".join(
        [f"SELECT unnest(tsvector_to_array(document)) AS term, {sign} AS n FROM {table}"
         for table, sign, used in (("added", 1, added), ("removed", -1, removed)) if used])
    references = " ".join((["NEW TABLE AS added"] if added else [])
                          + (["OLD TABLE AS removed"] if removed else []))
    function = f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            gone TEXT[];
        BEGIN
            -- In the words' order, so that two writers never wait on each other's rows.
            WITH delta AS (
                SELECT term, sum(n)::int AS n FROM ({words}) counted
                WHERE term !~ '[[:punct:]]' GROUP BY term HAVING sum(n) <> 0
            ), counted AS (
                INSERT INTO search_words AS w (term, doc) SELECT term, n FROM delta ORDER BY term
                ON CONFLICT (term) DO UPDATE SET doc = w.doc + EXCLUDED.doc
                RETURNING w.term, w.doc
            )
            SELECT array_agg(term) INTO gone FROM counted WHERE doc <= 0;
            IF gone IS NOT NULL THEN
                DELETE FROM search_words WHERE term = ANY (gone);
            END IF;
            RETURN NULL;
        END $$"""
    trigger = (f"CREATE TRIGGER {name} AFTER {event} ON article_search REFERENCING {references}"
               f" FOR EACH STATEMENT EXECUTE FUNCTION {name}()")
    return function, trigger


SEARCH_WORDS_COUNTED = [step for event, added, removed in (("INSERT", True, False),
                                                           ("DELETE", False, True),
                                                           ("UPDATE", True, True))
                        for step in _words_counted(event, added, removed)]


def _words_pending(event: str, added: bool, removed: bool) -> str:
    """Migration 12's body for the trigger _words_counted made: the words `event` adds to or
    removes from article_search, one row per document, left in search_words_pending for
    search.count_words to count once the write has committed (counting them here held the
    store's write lock: an add held it 10.1 ms, now 7.0 ms, and counts its words in 3.9 ms
    after it)."""
    name = f"search_words_{event.lower()}_counted"
    rows = " UNION ALL ".join(
        [f"SELECT tsvector_to_array(document), {sign} FROM {table}"
         for table, sign, used in (("added", 1, added), ("removed", -1, removed)) if used])
    return f"""
        CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO search_words_pending (terms, n) {rows};
            RETURN NULL;
        END $$"""


def queue_schema() -> str:
    """procrastinate's schema (imported here only: the web and the CLI need it only with
    the queue)."""
    from ...jobs import queue_schema as schema

    return schema()


MIGRATIONS: list[tuple] = [
    # 1: the tables of SQLite's schema version 7.
    (
        # Trusted extensions: the database's owner may create them.
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        "CREATE EXTENSION IF NOT EXISTS citext",
        # Words as FTS5's unicode61 tokenizer with remove_diacritics reads them: no stemming,
        # no stop words, accents folded ("Câmara" finds "Camara").
        "CREATE TEXT SEARCH CONFIGURATION dramatis (COPY = simple)",
        "ALTER TEXT SEARCH CONFIGURATION dramatis ALTER MAPPING FOR hword, hword_part, word"
        " WITH unaccent, simple",
        """
        CREATE TABLE articles (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL UNIQUE,
            added_at TEXT NOT NULL,
            source_url TEXT,
            canonical_url TEXT,
            site_name TEXT,
            author TEXT,
            published TEXT,
            source TEXT
        )""",
        "CREATE INDEX articles_by_source ON articles (source, id)",
        "CREATE INDEX articles_by_published ON articles (published DESC NULLS LAST, id DESC)",
        "CREATE INDEX articles_by_title ON articles (lower(title), id)",
        """
        CREATE TABLE versions (
            id BIGINT PRIMARY KEY,         -- never reused (see removed_articles.last_version)
            article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            hash TEXT NOT NULL,
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            added_at TEXT NOT NULL,
            UNIQUE (article_id, hash),
            UNIQUE (article_id, number)
        )""",
        "CREATE INDEX versions_by_hash ON versions (hash)",
        """
        CREATE TABLE blocks (
            version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            credits TEXT NOT NULL,
            PRIMARY KEY (version_id, id)
        )""",
        """
        CREATE TABLE entities (
            version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            notes TEXT NOT NULL,
            code TEXT,
            PRIMARY KEY (version_id, id)
        )""",
        """
        CREATE TABLE mentions (
            version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
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
        """
        CREATE TABLE removed_articles (
            slug TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            removed_at TEXT NOT NULL,
            last_version BIGINT NOT NULL DEFAULT 0
        )""",
        # One row per article, as FTS5's: the title weighs most, then the names, then the text.
        # "<" and "&" are read as the spaces they are to FTS5 (search.HIDDEN): PostgreSQL's
        # parser would take "<b>" for a tag and "&amp;" for an entity, and leave them out.
        """
        CREATE TABLE article_search (
            article_id BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            names TEXT NOT NULL,
            document TSVECTOR GENERATED ALWAYS AS (
                setweight(to_tsvector('dramatis', translate(title, '<&', chr(4) || chr(5))), 'A')
                || setweight(to_tsvector('dramatis', translate(names, '<&', chr(4) || chr(5))), 'B')
                || setweight(to_tsvector('dramatis', translate(body, '<&', chr(4) || chr(5))), 'C')
            ) STORED
        )""",
        "CREATE INDEX article_search_by_document ON article_search USING gin (document)",
        """
        CREATE TABLE library_entities (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            code TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            mentions INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX library_entities_by_count ON library_entities (mentions DESC, id)",
        "CREATE INDEX library_entities_by_type ON library_entities (type, mentions DESC, id)",
        # The entity list's "name contains" filter (ILIKE '%...%'), served by trigrams.
        "CREATE INDEX library_entities_by_name ON library_entities USING gin (name gin_trgm_ops)",
        """
        CREATE TABLE library_names (
            key TEXT PRIMARY KEY,
            entity BIGINT NOT NULL REFERENCES library_entities(id)
        )""",
        """
        CREATE TABLE article_entities (
            article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            library_entity BIGINT NOT NULL REFERENCES library_entities(id),
            mentions INTEGER NOT NULL,
            first_start INTEGER NOT NULL,
            first_end INTEGER NOT NULL,
            PRIMARY KEY (article_id, entity_id)
        )""",
        "CREATE INDEX article_entities_by_entity ON article_entities (library_entity, version_id DESC)",
        """
        CREATE TABLE users (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            name CITEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        """
        CREATE TABLE login_failures (
            name CITEXT NOT NULL,
            address TEXT NOT NULL,
            at DOUBLE PRECISION NOT NULL
        )""",
        "CREATE INDEX login_failures_by_key ON login_failures (name, address, at)",
        "CREATE INDEX login_failures_by_address ON login_failures (address, at)",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        lambda db: db.execute("INSERT INTO settings (name, value) VALUES ('secret_key', ?)",
                              (secrets.token_hex(32),)),
        """
        CREATE TABLE corrections (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
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
        "CREATE TABLE store_changes (id INTEGER PRIMARY KEY CHECK (id = 1), count BIGINT NOT NULL)",
        "INSERT INTO store_changes (id, count) VALUES (1, 0)",
        """
        CREATE FUNCTION store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE store_changes SET count = count + 1;
            RETURN NULL;
        END $$""",
        *(f"CREATE TRIGGER {table}_counted AFTER INSERT OR UPDATE OR DELETE ON {table}"
          " FOR EACH ROW EXECUTE FUNCTION store_changed()" for table in COUNTED_TABLES),
    ),
    # 2: the queue (issue 17): procrastinate's tables and functions, and the add jobs that
    # readers and editors follow (store/jobs.py).
    (
        lambda db: db.execute_script(queue_schema()),  # its own SQL, run as it is
        jobs.POSTGRES_TABLE,
        jobs.POSTGRES_INDEX,
    ),
    # 3: editors' sessions on the server (issue 18; SQLite's migration 8): ending one counts
    # as a change, so that every web process forgets its cached check.
    (
        """
        CREATE TABLE sessions (
            id TEXT PRIMARY KEY,
            editor BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            ended_at TEXT
        )""",
        "CREATE INDEX sessions_by_editor ON sessions (editor, created_at)",
        "CREATE TRIGGER sessions_ended_counted AFTER UPDATE OF ended_at ON sessions"
        " FOR EACH ROW EXECUTE FUNCTION store_changed()",
    ),
    # 4: an editor's library-level merges, kept as data and undoable (issue 16; SQLite's
    # migration 9, without its fts5vocab table: migration 6 is PostgreSQL's vocabulary).
    (
        """
        CREATE TABLE library_merges (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            kept BIGINT NOT NULL REFERENCES library_entities(id),
            merged BIGINT NOT NULL REFERENCES library_entities(id),
            moved TEXT NOT NULL,
            editor TEXT NOT NULL,
            made_at TEXT NOT NULL,
            undone_at TEXT,
            undone_by TEXT
        )""",
        "CREATE INDEX library_merges_by_entity ON library_merges (kept, merged)",
        "CREATE TRIGGER library_merges_counted AFTER INSERT OR UPDATE ON library_merges"
        " FOR EACH ROW EXECUTE FUNCTION store_changed()",
    ),
    # 5: who said what (issue 19; SQLite's migration 10): each version's direct quotations.
    (
        """
        CREATE TABLE quotes (
            version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            block_id TEXT NOT NULL,
            speaker TEXT,
            speaker_mention TEXT,
            speaker_text TEXT,
            cue TEXT,
            PRIMARY KEY (version_id, position)
        )""",
    ),
    # 6: search that forgives on PostgreSQL too (issue 16, left out of migration 4): the
    # vocabulary of the index with the number of articles holding each word, as FTS5's
    # fts5vocab gives SQLite (its names: term, doc), kept by triggers on article_search so that
    # an add, a new version, a rename and a delete keep it current; trigrams find the words
    # near a misspelled one. And an index for the words of the library's names, which
    # search.other_spellings looks a word up in.
    (
        """
        CREATE TABLE search_words (
            term TEXT COLLATE "C" PRIMARY KEY,   -- "C": a prefix is a range of the index
            doc INTEGER NOT NULL
        ) WITH (fillfactor = 70)""",  # room on each page: a count's update stays off the indexes
        "CREATE INDEX search_words_by_trigram ON search_words USING gin (term gin_trgm_ops)",
        *SEARCH_WORDS_COUNTED,
        # The words of the index so far (ts_stat reads every document once: fine once).
        "INSERT INTO search_words (term, doc) SELECT word, ndoc"
        " FROM ts_stat('SELECT document FROM article_search') WHERE word !~ '[[:punct:]]'",
        "ANALYZE search_words",  # the planner's first view of it: the trigram index is used
        "CREATE INDEX library_names_by_words ON library_names"
        " USING gin ((' ' || substr(key, strpos(key, '|') + 1) || ' ') gin_trgm_ops)",
    ),
    # 7: each library entity's name as "possibly the same as ..." compares it, indexed
    # (issue 17; SQLite's migration 11). COLLATE "C": a person's names with one given name
    # are a range of it ("ana " up to "ana!"), which only byte order keeps together.
    (
        'ALTER TABLE library_entities ADD COLUMN compared TEXT COLLATE "C"',
        lambda db: fill_compared_names(db),
        "CREATE INDEX library_entities_by_compared ON library_entities (type, compared)",
        "CREATE INDEX library_entities_by_compared_length ON library_entities"
        " (type, length(compared))",
    ),
    # 8: how many articles there are from each source ('' for none), kept by a trigger
    # (issue 17; SQLite's migration 12): the library page's count and sources without
    # reading every article.
    (
        "CREATE TABLE article_counts (source TEXT PRIMARY KEY, articles BIGINT NOT NULL)",
        "INSERT INTO article_counts (source, articles)"
        " SELECT coalesce(source, ''), count(*) FROM articles GROUP BY coalesce(source, '')",
        """
        CREATE FUNCTION articles_counted_by_source() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('DELETE', 'UPDATE') THEN
                UPDATE article_counts SET articles = articles - 1
                WHERE source = coalesce(OLD.source, '');
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO article_counts (source, articles) VALUES (coalesce(NEW.source, ''), 1)
                ON CONFLICT (source) DO UPDATE SET articles = article_counts.articles + 1;
            END IF;
            RETURN NULL;
        END $$""",
        "CREATE TRIGGER articles_insert_or_delete_by_source AFTER INSERT OR DELETE ON articles"
        " FOR EACH ROW EXECUTE FUNCTION articles_counted_by_source()",
        "CREATE TRIGGER articles_update_by_source AFTER UPDATE OF source ON articles FOR EACH ROW"
        " WHEN (OLD.source IS DISTINCT FROM NEW.source) EXECUTE FUNCTION articles_counted_by_source()",
    ),
    # 9: the names of a library entity by index (issue 17; SQLite's migration 13, whose
    # index of the names' words PostgreSQL's trigram index of migration 6 stands for):
    # search.other_spellings read every name to find an entity's others (7 ms at 20,000
    # articles, 48,800 names).
    (
        "CREATE INDEX library_names_by_entity ON library_names (entity)",
    ),
    # 10: the trigram indexes of the vocabulary and of the names' words take each new word
    # at once, not into GIN's pending list, which every "Did you mean" and every lookup of a
    # name's other spellings reads whole until a vacuum merges it (issue 17: 7.6 ms a
    # suggestion at 1,000 articles with 10,702 words pending, 0.6 ms with none). An add
    # brings few new words; their trigrams go straight into the index.
    (
        "ALTER INDEX search_words_by_trigram SET (fastupdate = off)",
        "ALTER INDEX library_names_by_words SET (fastupdate = off)",
        "SELECT gin_clean_pending_list('search_words_by_trigram'),"
        " gin_clean_pending_list('library_names_by_words')",
    ),
    # 11: a search row keeps its title, text, names and document in TOAST, holding only
    # pointers (issue 17): a search visits the row of every match, and rows that kept a
    # compressed text inline went 11 to a page (2,228 pages for 25,000 articles, 333 when
    # narrow; reading a common word's 3,112 matches 3.5 ms, 0.9 ms). New rows are narrow;
    # rows stored before this migration become so when the table is rewritten, which takes
    # a lock the migration does not: `VACUUM FULL article_search` (README, "Newsroom").
    (
        "ALTER TABLE article_search SET (toast_tuple_target = 128)",
    ),
    # 12: the vocabulary's counts kept after the write, not inside it (issue 17): a write to
    # article_search leaves its words in search_words_pending, counted into search_words by
    # search.count_words once it has committed, outside the store's write lock.
    (
        "CREATE TABLE search_words_pending (id BIGSERIAL PRIMARY KEY, terms TEXT[] NOT NULL,"
        " n INTEGER NOT NULL)",
        *(_words_pending(event, added, removed) for event, added, removed in
          (("INSERT", True, False), ("DELETE", False, True), ("UPDATE", True, True))),
    ),
]
SCHEMA_VERSION = len(MIGRATIONS)
