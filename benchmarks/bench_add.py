"""`dramatis add` over 50 article files beside spaCy's nlp.pipe over the same texts (issue 9).

    python benchmarks/bench_add.py [--repeat N]

Both run in this process with the model already loaded, so the ratio is what adding costs on
top of spaCy: reading and checking the files, parsing, grouping, and storing in SQLite. CPU
time of this process (steadier than the wall clock on a shared machine; one spaCy process);
runs are interleaved, the median and the fastest shown; asserts nothing.
The issue's target: at most 1.2x.

Then, wall clock (issue 11): `dramatis add` with two processes (forked from this one, which
has the model loaded, as `dramatis add` forks from its own) beside spaCy analysing the same
50 texts one at a time; target at most 0.8x.
"""
import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import cli  # noqa: E402
from webapp.cli import SAMPLE_ARTICLE  # noqa: E402
from webapp.evaluation import DEFAULT_EVAL_DIR, eval_sets  # noqa: E402
from webapp.ingest import plain_text_title  # noqa: E402

COUNT = 50


def article_texts() -> list[str]:
    """50 distinct articles: the sample and the evaluation set, each headline numbered."""
    texts = [SAMPLE_ARTICLE.read_text("utf-8")]
    if (DEFAULT_EVAL_DIR / "gum_news_public.jsonl").is_file():
        texts.append((DEFAULT_EVAL_DIR / "china-russia.txt").read_text("utf-8"))
        texts += [g["text"] for g in eval_sets(DEFAULT_EVAL_DIR)["gum_news_public"]]
    # A text without a headline (the scraped one) would need --title: left out.
    texts = [text for text in texts if plain_text_title(text)]
    return [f"Story {i + 1}: {texts[i % len(texts)].lstrip()}" for i in range(COUNT)]


def time_add(folder: Path, database: Path, processes: int = 1, clock=time.process_time) -> float:
    database.unlink(missing_ok=True)
    os.environ["DRAMATIS_DB"] = str(database)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        t0 = clock()
        code = cli.main(["add", "--processes", str(processes), str(folder)])
        seconds = clock() - t0
    if code != 0:
        raise SystemExit("dramatis add failed; run it by hand to see why")
    return seconds


def time_one_at_a_time(nlp, texts: list[str]) -> float:
    t0 = time.perf_counter()
    for text in texts:
        nlp(text)
    return time.perf_counter() - t0


def time_pipe(nlp, texts: list[str]) -> float:
    t0 = time.process_time()
    for _doc in nlp.pipe(texts):
        pass
    return time.process_time() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from webapp.analysis.pipeline import get_nlp

    nlp = get_nlp()     # loaded once, before either is timed
    texts = article_texts()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"{i:02d}.txt").write_text(text, encoding="utf-8")
        add_times, pipe_times, single_times, parallel_times = [], [], [], []
        for _ in range(args.repeat):
            pipe_times.append(time_pipe(nlp, texts))
            add_times.append(time_add(folder, Path(tmp) / "bench.sqlite"))
            single_times.append(time_one_at_a_time(nlp, texts))
            parallel_times.append(time_add(folder, Path(tmp) / "bench.sqlite", processes=2,
                                           clock=time.perf_counter))
    chars = sum(map(len, texts))
    pipe, add = statistics.median(pipe_times), statistics.median(add_times)
    fastest = min(add_times) / min(pipe_times)
    print(f"{COUNT} articles, {chars:,} characters; CPU seconds, median of {args.repeat}")
    print(f"  nlp.pipe over the texts     {pipe:6.2f} s")
    print(f"  dramatis add (1 process)    {add:6.2f} s   {add / pipe:.2f}x nlp.pipe "
          f"(fastest runs: {fastest:.2f}x; target <= 1.2x)")
    single, parallel = statistics.median(single_times), statistics.median(parallel_times)
    print(f"wall clock, median of {args.repeat}:")
    print(f"  spaCy, one article at a time {single:6.2f} s")
    print(f"  dramatis add (2 processes)  {parallel:6.2f} s   {parallel / single:.2f}x one at a "
          "time (target <= 0.8x)")


if __name__ == "__main__":
    main()
