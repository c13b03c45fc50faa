"""Full-text search over titles, text and entity names, with marked snippets: SQLite's FTS5,
or PostgreSQL's own full-text search (a weighted tsvector with a GIN index, ts_headline),
with the same rules for what a query means."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ..analysis.names import fold_accents

PER_PAGE = 20
MAX_TERMS = 16
MAX_QUERY_CHARS = 500
# FTS5 marks a match with these; they are taken out of what is indexed, so a mark found in
# a snippet is always one of ours, and the text between them is escaped like any other.
OPEN, CLOSE = "\x02", "\x03"
SNIPPET_TOKENS = 24
# What PostgreSQL's parser reads in place of "<" and "&" (it would take "<b>" for a tag and
# "&amp;" for an entity, and leave them out of the index and of ts_headline's snippets);
# taken out of what is indexed too, so that each maps back to one character only.
HIDDEN = {"<": "\x04", "&": "\x05"}
_SHOWN = str.maketrans({hidden: text for text, hidden in HIDDEN.items()})
# The last word typed is also a prefix ("Halvor" finds Halvorson) from this many letters.
PREFIX_FROM = 3
# Context kept around a hit for its passage link (anchors.make_anchor keeps as much).
HIT_CONTEXT = 32
# Hits are ranked among the newest this many matches at most (issue 17): ranking reads each
# match's part of the index, so ranking every match of a common word would grow with the
# library (2,665 matches: 8 ms on SQLite; PostgreSQL reads each match's whole tsvector).
# The page says so when there are more (ranked_among).
RANKED = 1000


def searchable(text: str) -> str:
    for mark in (OPEN, CLOSE, *HIDDEN.values()):
        text = text.replace(mark, " ")
    return text


def _key(db) -> str:
    """The column that holds the article's id: FTS5's rowid, or PostgreSQL's article_id."""
    return "article_id" if db.dialect == "postgresql" else "rowid"


def _vocabulary(db) -> str:
    """The index's words (term) with how many articles hold each (doc): FTS5's fts5vocab
    table, or the table PostgreSQL's triggers keep (migrations/postgresql.py, migration 6).
    SQLite's own list of them, for reading by their beginnings and ends, is
    search_vocabulary (_list_words)."""
    return "search_words" if db.dialect == "postgresql" else "article_search_words"


def index_article(db: sqlite3.Connection, article_id: int, title: str, text: str,
                  names: list[str], listed: bool = True) -> None:
    """The article's title, text and names in the index; with its words `listed` for "Did
    you mean" (on SQLite; a migration older than the list leaves them to its own)."""
    forget(db, article_id)
    db.execute(f"INSERT INTO article_search ({_key(db)}, title, body, names) VALUES (?, ?, ?, ?)",
               (article_id, searchable(title), searchable(text), searchable("\n".join(names))))
    if listed:
        _list_words(db, title, text, *names)


def retitle(db: sqlite3.Connection, article_id: int, title: str) -> None:
    db.execute(f"UPDATE article_search SET title = ? WHERE {_key(db)} = ?",
               (searchable(title), article_id))
    _list_words(db, title)


# SQLite's list of the index's words for "Did you mean" (migration 14), read as FTS5's
# unicode61 tokenizer reads a text: runs of letters and digits, lower case, accents taken
# off. Where the two disagree on a word (ligatures, say), the word is not offered.
_WORD = re.compile(r"[^\W_]+")
# The shortest word listed: a word of four letters typed, one letter off, is near three.
LISTED_FROM = 3


def worth_listing(term: str) -> bool:
    return len(term) >= LISTED_FROM and not term.isdigit()


def _list_words(db, *texts: str) -> None:
    """Add the words of `texts` to SQLite's list (PostgreSQL's triggers keep its own)."""
    if db.dialect == "postgresql":
        return
    words = {word for text in texts for word in _WORD.findall(fold_accents(text).lower())
             if worth_listing(word)}
    db.executemany("INSERT OR IGNORE INTO search_vocabulary (term, ending) VALUES (?, ?)",
                   [(word, word[::-1]) for word in sorted(words)])


def forget(db: sqlite3.Connection, article_id: int) -> None:
    db.execute(f"DELETE FROM article_search WHERE {_key(db)} = ?", (article_id,))


# The advisory lock under which one process at a time counts the words left waiting, oldest
# first: processes that count at once would otherwise wait on each other's waiting rows and
# words, row by row (no write to the index waits on it: the writers only add rows).
WORDS_LOCK = 0x64727764  # "drwd"
COUNTED_AT_ONCE = 200  # documents' words counted in one statement


def count_words(db) -> None:
    """PostgreSQL: count the words that writes to the index left waiting (migration 12) into
    the vocabulary, in transactions of its own, oldest first, after those writes committed
    (the writer calls it then; "Did you mean" calls it before reading). SQLite keeps its
    vocabulary in FTS5 itself: nothing to do."""
    if db.dialect != "postgresql":
        return
    # Most often nothing waits (a reader's "Did you mean"): one look, no transaction.
    if not db.execute("SELECT EXISTS (SELECT 1 FROM search_words_pending)").fetchone()[0]:
        return
    while True:
        with db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (WORDS_LOCK,))
            taken, gone = db.execute("""
                WITH taken AS (
                    DELETE FROM search_words_pending WHERE id IN (
                        SELECT id FROM search_words_pending ORDER BY id LIMIT ?)
                    RETURNING terms, n
                ), delta AS (
                    SELECT term, sum(n)::int AS n FROM taken, unnest(terms) term
                    WHERE term !~ '[[:punct:]]' GROUP BY term HAVING sum(n) <> 0
                ), counted AS (
                    INSERT INTO search_words AS w (term, doc) SELECT term, n FROM delta ORDER BY term
                    ON CONFLICT (term) DO UPDATE SET doc = w.doc + EXCLUDED.doc
                    RETURNING w.term, w.doc
                )
                SELECT (SELECT count(*) FROM taken), (SELECT array_agg(term) FROM counted WHERE doc <= 0)
                """, (COUNTED_AT_ONCE,)).fetchone()
            if gone:
                db.execute("DELETE FROM search_words WHERE term = ANY(?) AND doc <= 0", (gone,))
        if taken < COUNTED_AT_ONCE:
            return


def query_terms(query: str) -> list[tuple[str, bool]]:
    """A reader's query as its terms, each with whether it was typed as a "quoted phrase"."""
    terms = []
    # Control characters are spaces: FTS5 reads a NUL inside a quoted string as its end.
    query = re.sub(r"[\x00-\x1f\x7f]", " ", query[:MAX_QUERY_CHARS])
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', query):
        term = " ".join(phrase.split()) if phrase else word
        # A term with no letter or digit has no token: FTS5 would match nothing with it.
        if re.search(r"\w", term) and term not in [t for t, _ in terms]:
            terms.append((term, bool(phrase)))
    return terms[:MAX_TERMS]


def fts_query(query: str, prefix: bool = False, spellings: dict | None = None) -> str | None:
    """A reader's query as an FTS5 expression that can only mean "all these words" (with
    `prefix`, the last word typed may be the start of a longer one, and a word may be one
    of its `spellings`, term -> other words: issue 16).

    A query is data: every word (or "quoted phrase") becomes a quoted FTS5 string, so
    operators (AND, OR, NOT, NEAR), column filters, * and ^ are words like any other and
    an unbalanced quote is just dropped. None when no word is left.
    """
    terms = query_terms(query)
    if not terms:
        return None
    quoted = ['"' + term.replace('"', '""') + '"' for term, _ in terms]
    last, phrase = terms[-1]
    if prefix and not phrase and len(last) >= PREFIX_FROM and re.fullmatch(r"\w+", last):
        quoted[-1] += "*"
    for n, (term, _) in enumerate(terms):
        others = (spellings or {}).get(term)
        if others:  # the library's other spellings of the same name (issue 16)
            quoted[n] = "(" + " OR ".join([quoted[n], *('"' + o + '"' for o in others)]) + ")"
    return " ".join(quoted)


def other_spellings(db: sqlite3.Connection, word: str) -> list[str]:
    """Words the library knows stand for this one in a name: where another name of the
    same library entity differs from one holding the word by that word alone ("Halvorsen"
    in Margaret Halvorsen, when an editor merged her with Margaret Halvorson)."""
    folded = fold_accents(word).casefold()
    if len(folded) < PREFIX_FROM or not re.fullmatch(r"\w+", folded):
        return []
    if db.dialect == "postgresql":
        # The words of a name as one string with a space at each end: an index of trigrams
        # (migration 6) serves the LIKE, which must name this expression as it stands.
        holding = ("SELECT key FROM library_names WHERE (' ' || substr(key, strpos(key, '|') + 1)"
                   " || ' ') LIKE ? ESCAPE '\\'")
        word = "% " + re.sub(r"([\\%_])", r"\\\1", folded) + " %"
    else:  # the words of the names, each with the names holding it (migration 13)
        holding, word = "SELECT key FROM library_name_words WHERE word = ?", folded
    rows = db.execute(f"""
        SELECT n1.key, n2.key FROM library_names n1 JOIN library_names n2
          ON n2.entity = n1.entity AND n2.key != n1.key
        WHERE n1.key IN ({holding})
          AND n1.key NOT LIKE 'country|code:%' AND n2.key NOT LIKE 'country|code:%'""",
                      (word,)).fetchall()
    found = []
    for own, other in rows:
        own_words, other_words = set(own.split("|", 1)[1].split()), set(other.split("|", 1)[1].split())
        extra = other_words - own_words
        if own_words - other_words == {folded} and len(extra) == 1 and extra != {folded}:
            found.extend(w for w in extra if w not in found)
    return found[:MAX_TERMS]


def marked(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is it a match) parts, from FTS5's marks; the template escapes
    each part and wraps matches in <mark>."""
    parts = []
    for n, part in enumerate(re.split(f"[{OPEN}{CLOSE}]", snippet)):
        if part:
            parts.append((part, n % 2 == 1))
    return parts


@dataclass(frozen=True)
class Match:
    """Where a hit's first marked word stands in the article's newest version, with the
    context a passage link holds (issue 16: a result opens at its match)."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    version: str


@dataclass(frozen=True)
class Hit:
    slug: str
    title: list[tuple[str, bool]]
    snippet: list[tuple[str, bool]]
    added_at: str
    site_name: str | None
    match: Match | None = None

    def to_json(self) -> dict:
        return {"slug": self.slug, "title": "".join(p for p, _ in self.title),
                "snippet": "".join(p for p, _ in self.snippet),
                # Where the matches are in the snippet, as [start, end) offsets.
                "matches": _spans(self.snippet), "added_at": self.added_at,
                "site_name": self.site_name}


def _spans(parts: list[tuple[str, bool]]) -> list[list[int]]:
    spans, at = [], 0
    for text, is_match in parts:
        if is_match:
            spans.append([at, at + len(text)])
        at += len(text)
    return spans


def search(db: sqlite3.Connection, query: str, page: int = 1,
           per_page: int = PER_PAGE) -> tuple[list[Hit], int]:
    """The articles that have every word of `query` (the last one also as the start of a
    word), best first (a title match counts most, then names, then the text), of the newest
    RANKED when there are more (ranked_among); and how many there are in all."""
    spellings = {term: other_spellings(db, term) for term, phrase in query_terms(query) if not phrase}
    if db.dialect == "postgresql":
        return _search_postgres(db, query_terms(query), spellings, page, per_page)
    expression = fts_query(query, prefix=True, spellings=spellings)
    if expression is None:
        return [], 0
    total, oldest = _counted(db, "FROM (SELECT rowid AS id FROM article_search"
                                 " WHERE article_search MATCH ?)", [expression])
    # The page's hits are ranked first, and only they are highlighted: SQLite computes every
    # column of every match before it sorts (issue 17: the snippets of 2,665 matches doubled
    # the time). They are highlighted in one more pass over the matches between the oldest
    # and the newest hit (CROSS JOIN: in this order), not found again one by one: a prefix's
    # matches are gathered afresh for each lookup (0.7 ms a hit for a common word's 26,235
    # at 200,000 articles; the page's query 18.6 ms, 3.8 ms in one pass).
    rows = db.execute(f"""
        WITH best AS MATERIALIZED (
            SELECT rowid AS id, bm25(article_search, 10.0, 1.0, 5.0) AS rank FROM article_search
            WHERE article_search MATCH ? AND rowid >= ? ORDER BY rank LIMIT ? OFFSET ?)
        SELECT a.slug, a.added_at, a.site_name,
               (SELECT hash FROM versions WHERE article_id = a.id ORDER BY number DESC LIMIT 1) AS hash,
               highlight(article_search, 0, '{OPEN}', '{CLOSE}') AS title,
               snippet(article_search, 1, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}) AS snippet,
               article_search.body
        FROM article_search CROSS JOIN best ON best.id = article_search.rowid
             JOIN articles a ON a.id = best.id
        WHERE article_search MATCH ? AND article_search.rowid >= (SELECT min(id) FROM best)
          AND article_search.rowid <= (SELECT max(id) FROM best)
        ORDER BY best.rank""", (expression, oldest, per_page, (page - 1) * per_page,
                                 expression)).fetchall()
    return [Hit(r["slug"], marked(r["title"]), marked(r["snippet"]), r["added_at"], r["site_name"],
                _first_match(r["snippet"], r["hash"], r["body"]))
            for r in rows], total


def ranked_among(total: int) -> int | None:
    """How many of `total` matches the hits were ranked among (the newest), when not all."""
    return RANKED if total > RANKED else None


def _counted(db, matches: str, values: list) -> tuple[int, int]:
    """How many matches there are, and the article id from which the newest RANKED of them
    stand (0 when there are no more): `matches` is the FROM and WHERE clauses that select
    them, `id` their article's id. (Two queries: a window's count would cost more than both.)"""
    total = db.execute(f"SELECT count(*) {matches}", values).fetchone()[0]
    if total <= RANKED:
        return total, 0
    return total, db.execute(f"SELECT id {matches} ORDER BY id DESC LIMIT 1 OFFSET ?",
                             (*values, RANKED - 1)).fetchone()[0]


def _first_match(snippet: str, version: str, text: str) -> Match | None:
    """The snippet's first marked word, found in the article's `text`: the snippet is the
    text itself between the marks (FTS5 copies it), so the words up to the mark stand there
    verbatim."""
    before, opened, rest = snippet.partition(OPEN)
    if not opened:
        return None  # the words matched in the title or the names only
    exact = rest.split(CLOSE, 1)[0]
    after = re.split(f"[{OPEN}{CLOSE}]", rest.split(CLOSE, 1)[1] if CLOSE in rest else "")[0]
    before, after = before.removeprefix("…"), after.removesuffix("…")
    found = text.find(before + exact)
    if found < 0 or not exact.strip():
        return None
    start = found + len(before)
    return Match(start, start + len(exact), exact, before[-HIT_CONTEXT:], after[:HIT_CONTEXT], version)


# ts_headline's options: our marks; about as many words as FTS5's snippet, around the
# query's best cover (not MaxFragments=1, whose fragment leaves out a text's last word:
# "The keeper rowed out." came back "The keeper rowed", its end shown cut).
_TITLE_OPTIONS = f"HighlightAll=true, StartSel={OPEN}, StopSel={CLOSE}"
_SNIPPET_OPTIONS = (f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords={SNIPPET_TOKENS},"
                    f" MinWords={SNIPPET_TOKENS // 2}")
# The weights of ts_rank for D, C, B, A: the text (C), the names (B), the title (A) weigh
# 1 : 5 : 10, as bm25's column weights do in FTS5.
_WEIGHTS = "{0, 0.1, 0.5, 1.0}"
_ENDS = 50  # characters of a snippet's ends compared with the text's: is the text cut short there?


def _search_postgres(db, terms: list[tuple[str, bool]], spellings: dict[str, list[str]],
                     page: int, per_page: int) -> tuple[list[Hit], int]:
    """search() on PostgreSQL: every term a phrase (phraseto_tsquery reads its text as words
    only, so nothing typed is an operator), all of them required (&&); the last word typed
    also as a prefix, and a word also any of its `spellings` (||), as on SQLite. A hit opens
    at the snippet's first marked word, found in the text as on SQLite (ts_headline's
    fragment is the text itself between the marks)."""
    if not terms:
        return [], 0
    parts, values = [], []
    for n, (term, phrase) in enumerate(terms):
        if (n == len(terms) - 1 and not phrase and len(term) >= PREFIX_FROM
                and re.fullmatch(r"\w+", term)):
            # A word of letters only, quoted as a tsquery lexeme: nothing in it is an operator.
            part = "to_tsquery('dramatis', ?)"
            values.append(f"'{term}':*")
        else:
            part = "phraseto_tsquery('dramatis', ?)"
            values.append(term)
        others = spellings.get(term) or []
        if others:  # the library's other spellings of the same name (issue 16)
            part = "(" + " || ".join([part, *["phraseto_tsquery('dramatis', ?)"] * len(others)]) + ")"
            values.extend(others)
        parts.append(part)
    query = " && ".join(parts)
    terms = values
    with db:  # one transaction, which the planner's settings below last as long as
        # The matches through the GIN index, never by reading every row: the planner does not
        # count what reading each row's tsvector out of TOAST costs (issue 17: a common word's
        # count took 555 ms by a scan of 14,600 rows, 33 ms by the index).
        db.execute("SELECT set_config('enable_seqscan', 'off', true),"
                   " set_config('enable_indexscan', 'off', true)")
        # The matches read once, through the index: how many, and the newest RANKED of
        # them (each read visits every match's row, which a second read would double; an
        # array of them all sorted apart took 10.2 ms for a common word's 24,922 matches
        # at 200,000 articles, this ordered aggregate 6.5 ms, the count alone 4.5 ms).
        total, newest = db.execute(
            f"SELECT count(*), (array_agg(article_id ORDER BY article_id DESC))[1:?]"
            f" FROM article_search WHERE document @@ ({query})", (RANKED, *terms)).fetchone()
        if not total:
            return [], 0
        # The page's hits ranked among them, by their primary key, then only they highlighted.
        rows = db.execute(f"""
            WITH q AS MATERIALIZED (SELECT {query} AS query),
            best AS MATERIALIZED (
                SELECT s.article_id AS id, ts_rank('{_WEIGHTS}', s.document, q.query) AS rank
                FROM article_search s CROSS JOIN q
                WHERE s.article_id = ANY(?)
                ORDER BY rank DESC, s.article_id LIMIT ? OFFSET ?)
            SELECT a.slug, a.added_at, a.site_name,
                   (SELECT hash FROM versions WHERE article_id = a.id ORDER BY number DESC LIMIT 1) AS hash,
                   ts_headline('dramatis', translate(s.title, '<&', chr(4) || chr(5)), q.query, ?) AS title,
                   ts_headline('dramatis', translate(s.body, '<&', chr(4) || chr(5)), q.query, ?) AS snippet,
                   s.body
            FROM best JOIN article_search s ON s.article_id = best.id
                 JOIN articles a ON a.id = best.id CROSS JOIN q
            ORDER BY best.rank DESC, best.id""",
                          (*terms, newest, per_page, (page - 1) * per_page, _TITLE_OPTIONS,
                           _SNIPPET_OPTIONS)).fetchall()
    hits = []
    for r in rows:
        snippet = _cut_marks(r["snippet"].translate(_SHOWN), r["body"])
        hits.append(Hit(r["slug"], marked(r["title"].translate(_SHOWN)), marked(snippet),
                        r["added_at"], r["site_name"],
                        _first_match(snippet, r["hash"], r["body"])))
    return hits, total


def _cut_marks(snippet: str, text: str) -> str:
    """The snippet with "…" where it cuts the text short, as FTS5's snippet has."""
    plain = snippet.replace(OPEN, "").replace(CLOSE, "").strip()
    if not plain:
        return snippet
    before = "" if text.lstrip().startswith(plain[:_ENDS]) else "…"
    after = "" if text.rstrip().endswith(plain[-_ENDS:]) else "…"
    return before + snippet.strip() + after


# --- "Did you mean ..." (issue 16) --------------------------------------------------------------

def _word_is_known(db: sqlite3.Connection, word: str, as_prefix: bool) -> bool:
    words = _vocabulary(db)
    if db.execute(f"SELECT 1 FROM {words} WHERE term = ?", (word,)).fetchone():
        return True
    return as_prefix and db.execute(
        f"SELECT 1 FROM {words} WHERE term > ? AND term < ? LIMIT 1",
        (word, word + "\U0010ffff")).fetchone() is not None


# On PostgreSQL the edit distance chooses among the words that share enough trigrams with
# the one typed (pg_trgm's % through a GIN index: a vocabulary of millions is never read
# whole). A word `most` edits away from one of n letters shares at least n + 1 - 3 * most of
# its n + 1 trigrams, so a threshold at that bound finds every such word; below this floor
# (six or seven letters, two edits) it finds most, and costs more the lower it is set.
TRIGRAM_FLOOR = 0.2


def _trigram_threshold(length: int, most: int) -> float:
    trigrams = length + 1
    return max(TRIGRAM_FLOOR, (trigrams - 3 * most) / (trigrams + 3 * most))


def _nearest_word(db: sqlite3.Connection, word: str) -> str | None:
    """The library's word nearest to one it does not hold: one letter off for a short word,
    two for a longer one; of equals, the one in most articles. PostgreSQL chooses among the
    words of about the same length that share enough trigrams with it, SQLite among those
    that begin or end as it does (_listed_near)."""
    most = 1 if len(word) <= 5 else 2
    lengths = (len(word) - most, len(word) + most)
    if db.dialect == "postgresql":
        with db:  # one transaction, which the planner's setting below lasts as long as
            # The threshold is the connection's own setting, read by % only (this query is
            # its one user). The words through the trigram index, never by reading them all:
            # a vocabulary that grew since it was last analysed looks small to the planner
            # (issue 17: 157 ms at 5,000 articles by a scan of 49,197 words).
            db.execute("SELECT set_config('pg_trgm.similarity_threshold', ?, false),"
                       " set_config('enable_seqscan', 'off', true)",
                       (str(_trigram_threshold(len(word), most)),))
            held = dict(db.execute("SELECT term, doc FROM search_words WHERE term % ?"
                                   " AND length(term) BETWEEN ? AND ?", (word, *lengths)).fetchall())
        near = list(held)
    else:
        near = _listed_near(db, word, most, lengths)
    found = process.extract(word, near, scorer=Levenshtein.distance, score_cutoff=most, limit=10)
    if db.dialect != "postgresql":
        held = _held(db, [term for term, _, _ in found])
    hits = [(distance, -held[term], term) for term, distance, _ in found if term in held]
    return min(hits)[2] if hits else None


def _listed_near(db: sqlite3.Connection, word: str, most: int, lengths: tuple[int, int]) -> list[str]:
    """The listed words of about the same length that begin with the first or end with the
    last of `most` + 1 parts of `word` (each index read for a range): `most` edits leave at
    least one part whole, so every word one letter off is among them, and every word two
    off but one with a letter off at each end."""
    part = max(1, len(word) // (most + 1))
    head, tail = word[:part], word[-part:][::-1]
    return [row[0] for row in db.execute(
        "SELECT term FROM search_vocabulary WHERE term >= ?1 AND term < ?1 || char(1114111)"
        " AND length(term) BETWEEN ?3 AND ?4"
        " UNION SELECT term FROM search_vocabulary WHERE ending >= ?2 AND ending < ?2 || char(1114111)"
        " AND length(term) BETWEEN ?3 AND ?4", (head, tail, *lengths))]


def _held(db: sqlite3.Connection, terms: list[str]) -> dict[str, int]:
    """How many articles hold each of `terms` now, by FTS5's vocabulary (one indexed look-up
    each); a listed word no article holds any more is left out."""
    held = {}
    for term in terms:
        row = db.execute("SELECT doc FROM article_search_words WHERE term = ?", (term,)).fetchone()
        if row:
            held[term] = row[0]
    return held


def suggest(db: sqlite3.Connection, query: str) -> str | None:
    """The query with each word the library does not hold replaced by its nearest word
    ("Kilabuck" -> "Kilabuk"); None when every word is known or nothing is near."""
    terms = query_terms(query)
    count_words(db)  # what was written since the last count
    changed, words = False, []
    for n, (term, phrase) in enumerate(terms):
        parts = []
        for word in re.findall(r"\w+", term):
            folded = fold_accents(word).casefold()
            as_prefix = n == len(terms) - 1 and not phrase and len(folded) >= PREFIX_FROM
            if len(folded) < 4 or folded.isdigit() or _word_is_known(db, folded, as_prefix):
                parts.append(word)
                continue
            near = _nearest_word(db, folded)
            if near is None:
                parts.append(word)
                continue
            changed = True
            parts.append(near.capitalize() if word[:1].isupper() else near)
        text = " ".join(parts)
        words.append(f'"{text}"' if phrase else text)
    return " ".join(words) if changed else None
