"""`dramatis eval`: scores and speed of the analysis on ../shared/eval, beside raw spaCy."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import statistics
import time
from pathlib import Path

from .analysis.article import READING_KINDS, clean_article_text
from .analysis.parse import parse_article

DEFAULT_EVAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
# What the issue asks of the analysis (the raw spaCy figures are in ../shared/DESIGN.md).
# Raw spaCy as ../shared/DESIGN.md measured it (its own block split), for reference.
DESIGN_BASELINE = {"china-russia": (0.800, 0.730, "6/14"), "gum_news_public": (0.689, 0.755, "198/259")}
TARGETS = {"china-russia": {"mention_f1": 0.95, "b3_f1": 0.95},
           "gum_news_public": {"mention_f1": 0.75, "b3_f1": 0.88}}
SPACY_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "country", "NORP": "country"}


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("dramatis_eval_score", eval_dir / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def eval_sets(eval_dir: Path) -> dict[str, list[dict]]:
    """The gold articles: the scraped one, and the GUM Wikinews set."""
    sets = {"china-russia": [json.loads((eval_dir / "china-russia.gold.json").read_text("utf-8"))]}
    with open(eval_dir / "gum_news_public.jsonl", encoding="utf-8") as lines:
        sets["gum_news_public"] = [json.loads(line) for line in lines if line.strip()]
    return sets


def raw_spacy(text: str, nlp) -> dict:
    """The baseline: spaCy's entities, one entity per distinct surface string."""
    blocks = [b for b in parse_article(text) if b.kind in READING_KINDS]
    entities: dict[tuple[str, str], dict] = {}
    for block, doc in zip(blocks, nlp.pipe(text[b.start:b.end] for b in blocks)):
        for ent in doc.ents:
            kind = SPACY_TYPES.get(ent.label_)
            if kind:
                entity = entities.setdefault((kind, ent.text), {
                    "id": f"{kind}-{len(entities)}", "name": ent.text, "type": kind, "mentions": []})
                start = block.start + ent.start_char
                entity["mentions"].append({"start": start, "end": start + len(ent.text)})
    return {"entities": list(entities.values())}


def score(scorer, golds: list[dict], systems: list[dict]) -> dict[str, float]:
    totals: dict = {}
    for gold, system in zip(golds, systems):
        scorer.score_one(gold, system, totals)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        scorer.report(totals)
    line = next(l for l in out.getvalue().splitlines() if l.startswith("SCORE"))
    values = dict(pair.split("=") for pair in line.split()[1:])
    values = {k: float(v) for k, v in values.items()}
    values["whole"] = f"{totals['whole']}/{totals['entities']}"
    return values


def pipe_seconds(nlp, texts: list[str], repeat: int) -> float:
    """Median time of spaCy alone on the blocks the analysis gives it, article by article."""
    articles = [[text[b.start:b.end] for b in parse_article(text) if b.kind in READING_KINDS]
                for text in texts]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for blocks in articles:
            for _doc in nlp.pipe(blocks):
                pass
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def analysis_seconds(analyse, nlp, texts: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            analyse(text, nlp)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(eval_dir: Path, repeat: int = 5, out=print) -> bool:
    """Print scores and speed; return whether every target was met."""
    from .analysis import analyse
    from .analysis.pipeline import load_model, model_name

    scorer = load_scorer(eval_dir)
    t0 = time.perf_counter()
    nlp = load_model(model_name())
    load_time = time.perf_counter() - t0
    ok = True
    out(f"{'data':18} {'':9} {'mention F1':>10} {'B3 F1':>7} {'whole':>8}")
    all_texts = []
    for name, golds in eval_sets(eval_dir).items():
        texts = [clean_article_text(g["text"]) for g in golds]
        all_texts += texts
        ours = score(scorer, golds, [analyse(t, nlp).to_json() for t in texts])
        base = score(scorer, golds, [raw_spacy(t, nlp) for t in texts])
        target = TARGETS[name]
        met = ours["mention_f1"] >= target["mention_f1"] and ours["b3_f1"] >= target["b3_f1"]
        ok &= met
        design = DESIGN_BASELINE[name]
        out(f"{name:18} {'DESIGN.md':9} {design[0]:10.3f} {design[1]:7.3f} {design[2]:>8}   raw spaCy, as published")
        out(f"{'':18} {'raw spaCy':9} {base['mention_f1']:10.3f} {base['b3_f1']:7.3f} {base['whole']:>8}"
            f"   raw spaCy on this run's blocks")
        out(f"{'':18} {'dramatis':9} {ours['mention_f1']:10.3f} {ours['b3_f1']:7.3f} {ours['whole']:>8}"
            f"   target F1 >= {target['mention_f1']}, B3 >= {target['b3_f1']}: {'met' if met else 'MISSED'}")
    pipe = pipe_seconds(nlp, all_texts, repeat)
    full = analysis_seconds(analyse, nlp, all_texts, repeat)
    ratio = full / pipe
    ok &= ratio <= 1.3 and load_time < 2.0
    out(f"speed: analysis {full * 1000:.0f} ms vs nlp.pipe alone {pipe * 1000:.0f} ms over "
        f"{len(all_texts)} articles: {ratio:.2f}x (target <= 1.3x); model load {load_time:.2f} s "
        f"(target < 2 s)")
    return ok
