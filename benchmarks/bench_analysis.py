"""How much the analysis costs beside spaCy alone, on the same blocks, in the same run.

    python benchmarks/bench_analysis.py [FILE...]

Uses the bundled sample article, the files given, and the articles of ../shared/eval when
that folder is there. Prints ratios; asserts nothing (timings on a shared machine are noisy).

Also: the analysis beside spaCy alone on one ordinary article of 5,000, 50,000 and 200,000
characters (CPU time of this process, steadier than the wall clock on a shared machine), and
50 articles analysed as `dramatis add` does (one pipe, one and two processes) beside one at
a time (wall clock: spaCy's processes are not this one).
"""
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.analysis.article import clean_article_text  # noqa: E402
from webapp.cli import SAMPLE_ARTICLE  # noqa: E402
from webapp.evaluation import DEFAULT_EVAL_DIR, SPEED_TARGET, eval_sets, timings  # noqa: E402


def main(paths: list[str]) -> None:
    from webapp.analysis import analyse
    from webapp.analysis.pipeline import load_model, model_name

    texts = [clean_article_text(SAMPLE_ARTICLE.read_text("utf-8"))]
    texts += [clean_article_text(Path(p).read_text("utf-8")) for p in paths]
    if (DEFAULT_EVAL_DIR / "score.py").exists():
        texts += [g["text"] for golds in eval_sets(DEFAULT_EVAL_DIR).values() for g in golds]
    # A cold load in a fresh process, spaCy's import included, as `dramatis serve` pays it.
    cold = ("import time; t0 = time.perf_counter(); from webapp.analysis.pipeline import load_model, "
            "model_name; load_model(model_name()); print(time.perf_counter() - t0)")
    loads = [float(subprocess.run([sys.executable, "-c", cold], cwd=ROOT, check=True,
                                  capture_output=True, text=True).stdout) for _ in range(3)]
    nlp = load_model(model_name())
    analyse(texts[0], nlp)  # warm up
    pipe, full = timings(analyse, nlp, texts, repeat=7)
    chars = sum(len(t) for t in texts)
    print(f"{len(texts)} articles, {chars:,} characters")
    print(f"nlp.pipe alone : {pipe * 1000:8.1f} ms CPU (median of 7)")
    print(f"full analysis  : {full * 1000:8.1f} ms CPU (median of 7)  = {full / pipe:.2f}x spaCy alone "
          f"(target <= {SPEED_TARGET}x)")
    print(f"model load     : {min(loads):.2f} s best of 3 cold starts, {max(loads):.2f} s worst "
          f"(target < 2 s)")
    by_length(nlp)
    from bench_hostile import eval_texts

    many = eval_texts()
    if len(many) >= 50:
        batch(nlp, many[:50])
    else:
        print("batch: needs 50 articles in ../shared/eval")


def median_time(run, repeat: int, clock=time.process_time) -> float:
    times = []
    for _ in range(repeat):
        t0 = clock()
        run()
        times.append(clock() - t0)
    return statistics.median(times)


def by_length(nlp) -> None:
    """The analysis beside spaCy alone on the very pieces it reads, at three lengths."""
    from bench_hostile import ordinary

    from webapp.analysis import analyse
    from webapp.analysis.article import READING_KINDS
    from webapp.analysis.parse import parse_article, reading_pieces
    from webapp.analysis.pipeline import pipe, spacy_only

    for length in (5_000, 50_000, 200_000):
        text = ordinary(length)
        pieces = [text[s:e] for b in parse_article(text) if b.kind in READING_KINDS
                  for s, e in reading_pieces(text, b)]
        repeat = 5 if length < 100_000 else 3
        with spacy_only(nlp):  # spaCy's own components, not ours
            spacy_alone = median_time(lambda: list(pipe(nlp, pieces)), repeat)
        full = median_time(lambda: analyse(text, nlp), repeat)
        print(f"{length:>7,} characters: analysis {full:6.2f} s CPU, spaCy alone {spacy_alone:6.2f} s "
              f"= {full / spacy_alone:.2f}x (target <= 1.2x)")


def batch(nlp, texts: list[str], repeat: int = 3) -> None:
    """50 articles: one at a time, as one pipe, and as one pipe over two processes."""
    from webapp.analysis import analyse, analyse_many

    ways = {"one at a time": lambda: [analyse(t, nlp) for t in texts],
            "one pipe, 1 process": lambda: list(analyse_many(texts, nlp)),
            "one pipe, 2 processes": lambda: list(analyse_many(texts, nlp, n_process=2))}
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(repeat):  # the ways alternate, so the machine's other load hits each alike
        for name, run in ways.items():
            t0 = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t0)
    base = statistics.median(times["one at a time"])
    print(f"{len(texts)} articles ({sum(len(t) for t in texts):,} characters), wall clock, "
          f"median of {repeat}:")
    for name, seconds in times.items():
        print(f"  {name:22}: {statistics.median(seconds):6.2f} s = "
              f"{statistics.median(seconds) / base:.2f}x one at a time (target <= 0.8x)")

if __name__ == "__main__":
    main(sys.argv[1:])
