"""Many articles stored in one transaction (store.save_analyses, issue 17: how bench_scale.py
fills a library of 200,000): the very rows that storing them one by one writes."""
import pytest
from marked_articles import marked_article
from pg_cluster import new_store

from webapp.store import ArticleExists, connect, migrations, save_analyses, save_analysis

pytestmark = pytest.mark.both_backends  # every test on SQLite and on PostgreSQL (issue 17)

# What an add writes, read back in a fixed order, without the times it was written at.
TABLES = {
    "articles": "SELECT id, slug, title, source, site_name, published FROM articles ORDER BY id",
    "versions": "SELECT id, article_id, hash, number, text FROM versions ORDER BY id",
    "blocks": 'SELECT version_id, id, position, kind, start, "end", credits FROM blocks'
              " ORDER BY version_id, position",
    "entities": "SELECT version_id, id, position, name, type, code FROM entities"
                " ORDER BY version_id, position",
    "mentions": 'SELECT version_id, id, entity_id, start, "end", text, block_id FROM mentions'
                " ORDER BY version_id, id",
    "library_entities": "SELECT id, name, type, code, articles, mentions FROM library_entities"
                        " ORDER BY id",
    "library_names": "SELECT key, entity FROM library_names ORDER BY key",
    "article_entities": "SELECT article_id, version_id, entity_id, library_entity, mentions,"
                        " first_start, first_end FROM article_entities ORDER BY article_id, entity_id",
}


def articles():
    """Articles that share people (an alias in one, the full name in another), a country by
    two names, a new version of one of them, and one stored twice."""
    return [
        (marked_article("[[Ana Câmara|person|ana]] met [[Wang Yi|person|wang]] in [[China|country|cn|CN]].",
                        "[[Câmara|person|ana]] said little.", headline="Talks in Beijing"), None,
         {"site_name": "River Post", "published": "2026-01-02"}),
        (marked_article("[[Ana Camara|person|camara]] wrote to the [[United Nations|organization|un]]"
                        " about the [[People's Republic of China|country|prc|CN]].",
                        headline="A letter"), None, {"site_name": "Coast Daily"}),
        (marked_article("[[Wang Yi|person|wang]] flew to [[China|country|cn|CN]] again; the"
                        " [[UN|organization|un]] said so.", headline="Talks in Beijing"), None, None),
        (marked_article("[[Wang Yi|person|wang]] flew to [[China|country|cn|CN]] again; the"
                        " [[UN|organization|un]] said so.", headline="Talks in Beijing"), None, None),
        (marked_article("Nothing named here.", headline="A quiet day"), "A quiet day", None),
    ]


@pytest.fixture
def other_database(request, database, tmp_path):
    """A second empty store of the same kind as `database`."""
    yield from new_store(request, tmp_path / "other.sqlite")


def stored(target: str) -> dict:
    db = connect(target)
    try:
        return {table: [tuple(row) for row in db.execute(sql)] for table, sql in TABLES.items()}
    finally:
        db.close()


def test_a_batch_writes_what_adds_one_by_one_write(database, other_database):
    """Guards the bulk fill of bench_scale.py: every row of a batch (versions, library
    entities and their counts, aliases) is what the same articles added one at a time make,
    so the figures measured on a bulk-filled library hold for one added article by article."""
    for target in (database, other_database):
        migrations.upgrade(target)
    one = connect(database)
    batch = connect(other_database)
    try:
        singly = [save_analysis(one, analysis, title, metadata=metadata)
                  for analysis, title, metadata in articles()]
        together = save_analyses(batch, articles())
    finally:
        one.close()
        batch.close()
    assert together == singly
    assert [added.new_version for added in together] == [True, True, True, False, True]
    assert stored(other_database) == stored(database)
    assert stored(database)["library_entities"]  # the comparison compared something


def test_a_batch_that_fails_stores_nothing(database):
    """Guards the one transaction: an article refused in the middle of a batch (its title
    taken, no new version asked for) leaves the library as it was, not half filled."""
    migrations.upgrade(database)
    db = connect(database)
    try:
        first, *rest = articles()
        save_analysis(db, *first[:2], metadata=first[2])
        before = stored(database)
        with pytest.raises(ArticleExists):
            # rest[1]: another text under the first one's title
            save_analyses(db, [rest[0], rest[1], rest[-1]], new_version=False)
        assert stored(database) == before
    finally:
        db.close()
