"""How much the analysis costs beside spaCy alone, on the same blocks, in the same run.

    python benchmarks/bench_analysis.py [FILE...]

Uses the bundled sample article, the files given, and the articles of ../shared/eval when
that folder is there. Prints ratios; asserts nothing (timings on a shared machine are noisy).
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.analysis.article import clean_article_text  # noqa: E402
from webapp.evaluation import DEFAULT_EVAL_DIR, SPEED_TARGET, eval_sets, timings  # noqa: E402


def main(paths: list[str]) -> None:
    from webapp.analysis import analyse
    from webapp.analysis.pipeline import load_model, model_name

    texts = [clean_article_text((ROOT / "webapp" / "samples" / "harbour-deal.txt").read_text("utf-8"))]
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


if __name__ == "__main__":
    main(sys.argv[1:])
