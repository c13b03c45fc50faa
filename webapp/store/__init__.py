"""The store: the only package that talks to a database. Articles and their immutable
versions, editors' corrections, the search index, the library's entities, editors'
accounts, and the change counter every web process watches.

Every function takes the connection first (webapp.web.db.get_db in a request,
engine.connect elsewhere) and writes in one transaction unless it says otherwise.
"""
from __future__ import annotations

from .accounts import AccountError
from .changes import Generation, change_count
from .corrections import add_correction, load_all_corrections, load_corrections, undo_correction
from .engine import DatabaseNotUsable, OperationalError, connect, is_busy
from .entities import PER_PAGE as ENTITIES_PER_PAGE
from .entities import (
    Appearance,
    also_in,
    appearances,
    find_entity,
    list_entities,
    merge_library_entities,
    merged_into,
    merges_into,
    names_of_type,
    undo_library_merge,
)
from .migrations import SCHEMA_VERSION, init_db, migrate
from .search import PER_PAGE as SEARCH_PER_PAGE
from .search import Hit, Match
from .search import count_words as count_search_words
from .search import ranked_among as search_ranked_among
from .search import search as search_articles
from .search import suggest as suggest_search
from .versions import PER_PAGE as ARTICLES_PER_PAGE
from .versions import (
    SORTS,
    Added,
    ArticleExists,
    Version,
    article_source,
    delete_article,
    find_article,
    find_text,
    find_version,
    index_article,
    list_articles,
    list_sources,
    list_versions,
    load_analysis,
    refreshable,
    refreshable_slugs,
    removed_article,
    rename_article,
    save_analyses,
    save_analysis,
    version_history,
)

__all__ = [
    "ARTICLES_PER_PAGE", "AccountError", "Added", "Appearance", "ArticleExists",
    "DatabaseNotUsable", "ENTITIES_PER_PAGE", "Generation", "Hit", "Match", "OperationalError",
    "SCHEMA_VERSION", "SEARCH_PER_PAGE", "SORTS", "Version", "add_correction", "also_in",
    "appearances", "article_source", "change_count", "connect", "count_search_words",
    "delete_article", "find_article", "find_entity", "find_text", "find_version",
    "index_article", "init_db", "is_busy", "list_articles", "list_entities", "list_sources",
    "list_versions", "load_all_corrections", "load_analysis", "load_corrections",
    "merge_library_entities", "merged_into", "merges_into", "migrate", "names_of_type",
    "refreshable", "refreshable_slugs", "removed_article", "rename_article", "save_analyses",
    "save_analysis", "search_articles", "search_ranked_among", "suggest_search",
    "undo_correction", "undo_library_merge", "version_history",
]
