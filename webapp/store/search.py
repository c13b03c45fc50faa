"""Full-text search over titles, text and entity names, with marked snippets: SQLite's FTS5,
or PostgreSQL's own full-text search (a weighted tsvector with a GIN index, ts_headline),
with the same rules for what a query means."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

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


def searchable(text: str) -> str:
    for mark in (OPEN, CLOSE, *HIDDEN.values()):
        text = text.replace(mark, " ")
    return text


def _key(db) -> str:
    """The column that holds the article's id: FTS5's rowid, or PostgreSQL's article_id."""
    return "article_id" if db.dialect == "postgresql" else "rowid"


def index_article(db: sqlite3.Connection, article_id: int, title: str, text: str,
                  names: list[str]) -> None:
    forget(db, article_id)
    db.execute(f"INSERT INTO article_search ({_key(db)}, title, body, names) VALUES (?, ?, ?, ?)",
               (article_id, searchable(title), searchable(text), searchable("\n".join(names))))


def retitle(db: sqlite3.Connection, article_id: int, title: str) -> None:
    db.execute(f"UPDATE article_search SET title = ? WHERE {_key(db)} = ?",
               (searchable(title), article_id))


def forget(db: sqlite3.Connection, article_id: int) -> None:
    db.execute(f"DELETE FROM article_search WHERE {_key(db)} = ?", (article_id,))


def query_terms(query: str) -> list[str]:
    """The words and "quoted phrases" of a reader's query, each once, at most MAX_TERMS.

    A query is data: operators (AND, OR, NOT, NEAR, &, |, !), column filters, * and ^ are
    words like any other, and an unbalanced quote is just dropped.
    """
    terms = []
    # Control characters are spaces: FTS5 reads a NUL inside a quoted string as its end.
    query = re.sub(r"[\x00-\x1f\x7f]", " ", query[:MAX_QUERY_CHARS])
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', query):
        term = " ".join(phrase.split()) if phrase else word
        # A term with no letter or digit has no token: FTS5 would match nothing with it.
        if re.search(r"\w", term) and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def fts_query(query: str) -> str | None:
    """A reader's query as an FTS5 expression that can only mean "all these words": every
    term a quoted FTS5 string. None when no word is left."""
    terms = query_terms(query)
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def marked(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as (text, is it a match) parts, from FTS5's marks; the template escapes
    each part and wraps matches in <mark>."""
    parts = []
    for n, part in enumerate(re.split(f"[{OPEN}{CLOSE}]", snippet)):
        if part:
            parts.append((part, n % 2 == 1))
    return parts


@dataclass(frozen=True)
class Hit:
    slug: str
    title: list[tuple[str, bool]]
    snippet: list[tuple[str, bool]]
    added_at: str
    site_name: str | None

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
    """The articles that have every word of `query`, best first (a title match counts most,
    then names, then the text); and how many there are in all."""
    if db.dialect == "postgresql":
        return _search_postgres(db, query_terms(query), page, per_page)
    expression = fts_query(query)
    if expression is None:
        return [], 0
    total = db.execute("SELECT count(*) FROM article_search WHERE article_search MATCH ?",
                       (expression,)).fetchone()[0]
    rows = db.execute(f"""
        SELECT a.slug, a.added_at, a.site_name,
               highlight(article_search, 0, '{OPEN}', '{CLOSE}') AS title,
               snippet(article_search, 1, '{OPEN}', '{CLOSE}', '…', {SNIPPET_TOKENS}) AS snippet
        FROM article_search JOIN articles a ON a.id = article_search.rowid
        WHERE article_search MATCH ?
        ORDER BY bm25(article_search, 10.0, 1.0, 5.0)
        LIMIT ? OFFSET ?""", (expression, per_page, (page - 1) * per_page)).fetchall()
    return [Hit(r["slug"], marked(r["title"]), marked(r["snippet"]), r["added_at"], r["site_name"])
            for r in rows], total


# ts_headline's options: our marks; about as many words as FTS5's snippet; one fragment.
_TITLE_OPTIONS = f"HighlightAll=true, StartSel={OPEN}, StopSel={CLOSE}"
_SNIPPET_OPTIONS = (f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords={SNIPPET_TOKENS},"
                    f" MinWords={SNIPPET_TOKENS // 2}, MaxFragments=1")
# The weights of ts_rank for D, C, B, A: the text (C), the names (B), the title (A) weigh
# 1 : 5 : 10, as bm25's column weights do in FTS5.
_WEIGHTS = "{0, 0.1, 0.5, 1.0}"
_ENDS = 200  # characters of the text's start and end read to tell whether a snippet is cut


def _search_postgres(db, terms: list[str], page: int, per_page: int) -> tuple[list[Hit], int]:
    """search() on PostgreSQL: every term a phrase (phraseto_tsquery reads its text as words
    only, so nothing typed is an operator), all of them required (&&)."""
    if not terms:
        return [], 0
    query = " && ".join(["phraseto_tsquery('dramatis', ?)"] * len(terms))
    total = db.execute(f"SELECT count(*) FROM article_search WHERE document @@ ({query})",
                       terms).fetchone()[0]
    rows = db.execute(f"""
        WITH q AS (SELECT {query} AS query)
        SELECT a.slug, a.added_at, a.site_name,
               ts_headline('dramatis', translate(s.title, '<&', chr(4) || chr(5)), q.query, ?) AS title,
               ts_headline('dramatis', translate(s.body, '<&', chr(4) || chr(5)), q.query, ?) AS snippet,
               left(s.body, {_ENDS}) AS head, right(s.body, {_ENDS}) AS tail
        FROM article_search s CROSS JOIN q JOIN articles a ON a.id = s.article_id
        WHERE s.document @@ q.query
        ORDER BY ts_rank('{_WEIGHTS}', s.document, q.query) DESC, a.id
        LIMIT ? OFFSET ?""", (*terms, _TITLE_OPTIONS, _SNIPPET_OPTIONS, per_page,
                              (page - 1) * per_page)).fetchall()
    return [Hit(r["slug"], marked(r["title"].translate(_SHOWN)),
                marked(_cut_marks(r["snippet"].translate(_SHOWN), r["head"], r["tail"])),
                r["added_at"], r["site_name"]) for r in rows], total


def _cut_marks(snippet: str, head: str, tail: str) -> str:
    """The snippet with "…" where it cuts the text short, as FTS5's snippet has."""
    plain = snippet.replace(OPEN, "").replace(CLOSE, "").strip()
    if not plain:
        return snippet
    before = "" if head.lstrip().startswith(plain[:_ENDS // 4]) else "…"
    after = "" if tail.rstrip().endswith(plain[-(_ENDS // 4):]) else "…"
    return before + snippet.strip() + after
