"""The library, search and entity pages at 100, 1,000 and 10,000 stored articles.

    python benchmarks/bench_library.py [--articles 10000] [--runs 25] [--db PATH]

Fills a fresh database through the store (synthetic analyses: no spaCy), and at each size
times each page through the Flask test client, uncached (the store generation is bumped
before every request, so the response cache cannot replay it) and as replayed. Prints
medians and the ratio to the smallest library, measured in the same run; asserts nothing
(timings on a shared machine are noisy). The target (issue 9): under 50 ms at the median
with 10,000 articles, and no growth with the library.
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_library import Writer, article_metadata, median_ms  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.store import save_analysis  # noqa: E402
from webapp.web.db import get_db  # noqa: E402

SIZES = (100, 1_000, 10_000)


def most_mentioned(client) -> int:
    return client.get("/entities.json").get_json()["entities"][0]["id"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=SIZES[-1])
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--db", help="the SQLite file to fill (default: a temporary one)")
    args = parser.parse_args()
    folder = tempfile.TemporaryDirectory()
    app = create_app({"DATABASE": args.db or str(Path(folder.name) / "bench.sqlite")})
    client = app.test_client()
    writer = Writer()
    sizes = [s for s in SIZES if s < args.articles] + [args.articles]
    results: dict[str, list[tuple[int, float, float]]] = {}
    stored, fill_seconds = 0, 0.0
    for size in sizes:
        start = time.perf_counter()
        with app.app_context():
            db = get_db()
            while stored < size:
                save_analysis(db, writer.article(stored), f"Story {stored}",
                              metadata=article_metadata(stored))
                stored += 1
        fill_seconds += time.perf_counter() - start
        popular = most_mentioned(client)
        pages = {
            "library page": "/",
            "library, by title, page 2": "/?sort=title&page=2",
            "library, one source": "/?source=River+Post",
            "search, common word": "/search?q=minister",
            "search, page 5": "/search?q=minister&page=5",
            "search, two words": "/search?q=harbour+talks",
            "search, a name": f"/search?q={writer.people[0].replace(' ', '+')}",
            "entity page, most mentioned": f"/entities/{popular}",
            "entities list": "/entities",
            "entities, name search": "/entities?q=group",
        }
        for label, url in pages.items():
            uncached = median_ms(client, app, url, args.runs, False)
            results.setdefault(label, []).append(
                (size, uncached, median_ms(client, app, url, args.runs, True)))
        print(f"... {size:,} articles stored ({fill_seconds:.1f} s so far, "
              f"{fill_seconds / stored * 1000:.1f} ms an article)", flush=True)
    print(f"\nmedian of {args.runs} requests through the Flask test client; uncached = the store "
          "generation bumped before each request; ratio = uncached / uncached at the smallest size")
    print(f"{'page':32}" + "".join(f"{s:>10,}" for s in sizes) + "     ratio   cached")
    for label, rows in results.items():
        base = rows[0][1]
        line = f"{label:32}" + "".join(f"{ms:8.1f}ms" for _, ms, _ in rows)
        print(line + f"  {rows[-1][1] / base:6.2f}x  {rows[-1][2]:5.2f}ms")
    worst = max(rows[-1][1] for rows in results.values())
    print(f"\nslowest uncached page at {sizes[-1]:,} articles: {worst:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
