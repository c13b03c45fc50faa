"""Full-text search over titles, text and entity names (SQLite FTS5), with marked snippets."""
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


def searchable(text: str) -> str:
    return text.replace(OPEN, " ").replace(CLOSE, " ")


def index_article(db: sqlite3.Connection, article_id: int, title: str, text: str,
                  names: list[str]) -> None:
    forget(db, article_id)
    db.execute("INSERT INTO article_search (rowid, title, body, names) VALUES (?, ?, ?, ?)",
               (article_id, searchable(title), searchable(text), searchable("\n".join(names))))


def retitle(db: sqlite3.Connection, article_id: int, title: str) -> None:
    db.execute("UPDATE article_search SET title = ? WHERE rowid = ?", (searchable(title), article_id))


def forget(db: sqlite3.Connection, article_id: int) -> None:
    db.execute("DELETE FROM article_search WHERE rowid = ?", (article_id,))


def fts_query(query: str) -> str | None:
    """A reader's query as an FTS5 expression that can only mean "all these words".

    A query is data: every word (or "quoted phrase") becomes a quoted FTS5 string, so
    operators (AND, OR, NOT, NEAR), column filters, * and ^ are words like any other and
    an unbalanced quote is just dropped. None when no word is left.
    """
    terms = []
    # Control characters are spaces: FTS5 reads a NUL inside a quoted string as its end.
    query = re.sub(r"[\x00-\x1f\x7f]", " ", query[:MAX_QUERY_CHARS])
    for phrase, word in re.findall(r'"([^"]*)"|([^\s"]+)', query):
        term = " ".join(phrase.split()) if phrase else word
        # A term with no letter or digit has no token: FTS5 would match nothing with it.
        if re.search(r"\w", term) and term not in terms:
            terms.append(term)
    if not terms:
        return None
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms[:MAX_TERMS])


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
