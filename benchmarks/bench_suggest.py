""""Did you mean" on a large library: the suggestion query on PostgreSQL beside SQLite.

    python benchmarks/bench_suggest.py [--articles 5000] [--words 1000000] [--runs 30]

Starts a throwaway PostgreSQL cluster (tests/pg_cluster.py) and a SQLite file, fills both
through the store with the same synthetic articles (bench_library's writer, plus rare words
so that the vocabulary grows with the library as a newsroom's does: names, places, typos),
and at 1,000 articles and at --articles times search.suggest() for misspelled words and for
words the library holds, and PostgreSQL's ts_stat (reading the vocabulary from the index
itself, the alternative to the table the triggers keep). Then it adds --words made-up words
straight into PostgreSQL's vocabulary (the query's cost is the vocabulary's size, not the
articles') and times the suggestion again, printing EXPLAIN ANALYZE for the nearest-word
query and the merged-spellings lookup; and the cost of an add with and without the
vocabulary's triggers. The same for SQLite's list of words (migration 14): the million words
added to it, the add with and without listing, and beside it what reading FTS5's vocabulary
costs (as SQLite did before the list). Prints medians and ratios measured in the same run;
asserts nothing.
"""
import argparse
import random
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_library import Writer  # noqa: E402
from pg_cluster import Cluster  # noqa: E402

from webapp.analysis.article import Analysis, Block  # noqa: E402
from webapp.store import connect, migrations, save_analysis  # noqa: E402
from webapp.store import search  # noqa: E402

RARE_PER_ARTICLE = 20


class RareWords(Writer):
    """bench_library's articles with a paragraph of rare words each, drawn from a pool that
    grows with the library (most appear in one or two articles)."""

    def __init__(self, articles: int, seed: int = 11):
        super().__init__()
        rng = random.Random(seed)
        self.rare = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 11)))
                     for _ in range(articles * RARE_PER_ARTICLE // 2)]

    def article(self, n: int) -> Analysis:
        analysis = super().article(n)
        text = analysis.text + "\n\n"
        start = len(text)
        text += " ".join(self.random.choices(self.rare, k=RARE_PER_ARTICLE)).capitalize() + "."
        return Analysis(text, [*analysis.blocks, Block(f"b{len(analysis.blocks) + 1}", "paragraph",
                                                       start, len(text))], analysis.entities)


def misspelled(words: list[str], count: int, seed: int = 5) -> list[str]:
    """Words of the library with one letter changed (a typo), none of them a word it holds."""
    rng, known, found = random.Random(seed), set(words), []
    long_words = [w for w in words if len(w) >= 6 and w.isalpha()]
    while len(found) < count:
        word = rng.choice(long_words)
        at = rng.randrange(1, len(word))
        typo = word[:at] + rng.choice(string.ascii_lowercase) + word[at + 1:]
        if typo not in known:
            found.append(typo.capitalize())
    return found


def median_ms(db, queries: list[str], runs: int) -> float:
    times = []
    for n in range(runs):
        query = queries[n % len(queries)]
        start = time.perf_counter()
        search.suggest(db, query)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def vocabulary(db) -> list[str]:
    return [r[0] for r in db.execute(f"SELECT term FROM {search._vocabulary(db)}")]


def fill(db, writer: Writer, start: int, stop: int) -> float:
    began = time.perf_counter()
    for n in range(start, stop):
        save_analysis(db, writer.article(n), f"Story {n}")
    return (time.perf_counter() - began) / max(1, stop - start) * 1000


def fts5vocab_ms(db, typos: list[str]) -> float:
    """The median time to read, from FTS5's vocabulary, every word within two letters of
    the length of a typo: what SQLite's "Did you mean" read before its own list."""
    times = []
    for typo in typos[:10]:
        start = time.perf_counter()
        db.execute("SELECT term, doc FROM article_search_words WHERE length(term) BETWEEN ? AND ?",
                   (len(typo) - 2, len(typo) + 2)).fetchall()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def made_up_words(count: int, seed: int = 17):
    rng = random.Random(seed)
    for n in range(count):
        yield "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 12))) + "q" + str(n)


def explain(db, sql: str, params: tuple) -> str:
    return "\n".join("    " + r[0] for r in db.execute("EXPLAIN ANALYZE " + sql, params))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    cluster = Cluster()
    folder = tempfile.TemporaryDirectory()
    try:
        url = cluster.url(cluster.database())
        path = str(Path(folder.name) / "bench.sqlite")
        for target in (url, path):
            migrations.upgrade(target)
        stores = {"PostgreSQL": connect(url), "SQLite": connect(path)}
        writers = {name: RareWords(args.articles) for name in stores}
        sizes = sorted({min(1000, args.articles), args.articles})
        stored, rows = 0, []
        for size in sizes:
            line = {"size": size}
            for name, db in stores.items():
                line[f"{name} add ms"] = fill(db, writers[name], stored, size)
                words = vocabulary(db)
                line[f"{name} words"] = len(words)
                line[f"{name} typo ms"] = median_ms(db, misspelled(words, args.runs), args.runs)
                known = random.Random(3).sample(words, min(args.runs, len(words)))
                line[f"{name} known ms"] = median_ms(db, known, args.runs)
            pg = stores["PostgreSQL"]
            began = time.perf_counter()
            pg.execute("SELECT count(*) FROM ts_stat('SELECT document FROM article_search')").fetchone()
            line["ts_stat ms"] = (time.perf_counter() - began) * 1000
            line["fts5vocab ms"] = fts5vocab_ms(stores["SQLite"], misspelled(words, args.runs))
            stored = size
            rows.append(line)
            print(f"... {size:,} articles in each store", flush=True)

        print("\nmedians of search.suggest() over", args.runs, "queries (one word each)")
        print(f"{'articles':>9} {'store':>11} {'words':>9} {'add':>9} {'typo':>9} {'known':>9}")
        for line in rows:
            for name in stores:
                print(f"{line['size']:>9,} {name:>11} {line[f'{name} words']:>9,}"
                      f" {line[f'{name} add ms']:7.1f}ms {line[f'{name} typo ms']:7.2f}ms"
                      f" {line[f'{name} known ms']:7.2f}ms")
            print(f"{line['size']:>9,} {'ts_stat':>11} (the whole vocabulary read from the index:"
                  f" {line['ts_stat ms']:.0f} ms)")
            print(f"{line['size']:>9,} {'fts5vocab':>11} (SQLite's words of about the length typed"
                  f" read from FTS5's vocabulary, as before migration 14: {line['fts5vocab ms']:.0f} ms)")
        first, last = rows[0], rows[-1]
        for name in stores:
            print(f"{name}: a typo's suggestion at {last['size']:,} articles is "
                  f"{last[f'{name} typo ms'] / first[f'{name} typo ms']:.2f}x the one at "
                  f"{first['size']:,}")

        pg = stores["PostgreSQL"]
        typos = misspelled(vocabulary(pg), args.runs)
        with pg:
            pg.copy_rows("search_words", ("term", "doc"), ((word, 1) for word in made_up_words(args.words)))
        pg.execute("ANALYZE search_words")
        total = pg.execute("SELECT count(*) FROM search_words").fetchone()[0]
        grown = median_ms(pg, typos, args.runs)
        print(f"\nPostgreSQL with {total:,} words in its vocabulary: a typo's suggestion "
              f"{grown:.2f} ms ({grown / last['PostgreSQL typo ms']:.2f}x the one at "
              f"{last['PostgreSQL words']:,} words)")
        word = typos[0].lower()
        most = 1 if len(word) <= 5 else 2
        print("EXPLAIN ANALYZE, the nearest words to", repr(word))
        pg.execute("SELECT set_config('pg_trgm.similarity_threshold', ?, false)",
                   (str(search._trigram_threshold(len(word), most)),))
        print(explain(pg, "SELECT term, doc FROM search_words WHERE term % ?"
                          " AND length(term) BETWEEN ? AND ?",
                      (word, len(word) - most, len(word) + most)))
        print("EXPLAIN ANALYZE, is a word known (and as a prefix)")
        print(explain(pg, "SELECT 1 FROM search_words WHERE term > ? AND term < ? LIMIT 1",
                      (word, word + "\U0010ffff")))
        name = writers["PostgreSQL"].people[0].split()[-1].lower()
        print("EXPLAIN ANALYZE, the merged spellings of", repr(name))
        print(explain(pg, """
            SELECT n1.key, n2.key FROM library_names n1 JOIN library_names n2
              ON n2.entity = n1.entity AND n2.key != n1.key
            WHERE (' ' || substr(n1.key, strpos(n1.key, '|') + 1) || ' ') LIKE ? ESCAPE '\\'
              AND n1.key NOT LIKE 'country|code:%' AND n2.key NOT LIKE 'country|code:%'""",
                      (f"% {name} %",)))

        # What the triggers cost an add: articles added with them and without, in turns.
        times = {True: [], False: []}
        for turn in range(8):
            on = turn % 2 == 0
            if not on:
                pg.execute("ALTER TABLE article_search DISABLE TRIGGER USER")
            times[on].append(fill(pg, writers["PostgreSQL"], stored, stored + 25))
            pg.execute("ALTER TABLE article_search ENABLE TRIGGER USER")
            stored += 25
        with_triggers, without = (statistics.median(times[True]), statistics.median(times[False]))
        print(f"\nan add on PostgreSQL: {with_triggers:.1f} ms with the vocabulary's triggers, "
              f"{without:.1f} ms without ({with_triggers / without:.2f}x)")

        # SQLite: the same million words in its list (never offered: no article holds
        # them, but read where they begin or end as a typo does), and what listing costs an add.
        lite = stores["SQLite"]
        typos = misspelled(vocabulary(lite), args.runs)
        with lite:
            lite.executemany("INSERT OR IGNORE INTO search_vocabulary (term, ending) VALUES (?, ?)",
                             ((word, word[::-1]) for word in made_up_words(args.words)))
        total = lite.execute("SELECT count(*) FROM search_vocabulary").fetchone()[0]
        grown = median_ms(lite, typos, args.runs)
        print(f"SQLite with {total:,} words in its list: a typo's suggestion {grown:.2f} ms"
              f" ({grown / last['SQLite typo ms']:.2f}x the one at {last['SQLite words']:,} words)")
        times, listing = {True: [], False: []}, search._list_words
        for turn in range(8):
            on = turn % 2 == 0
            search._list_words = listing if on else (lambda db, *texts: None)
            times[on].append(fill(lite, writers["SQLite"], stored, stored + 25))
            stored += 25
        search._list_words = listing
        with_list, without = (statistics.median(times[True]), statistics.median(times[False]))
        print(f"an add on SQLite: {with_list:.1f} ms listing its words, {without:.1f} ms without"
              f" ({with_list / without:.2f}x)")
        for db in stores.values():
            db.close()
    finally:
        cluster.stop()
        folder.cleanup()


if __name__ == "__main__":
    main()
