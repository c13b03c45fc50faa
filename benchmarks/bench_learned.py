"""What the library's learned names do (issue 10): an editor's corrections on one set of
articles, applied to articles analysed later, scored against gold beside the machine alone.

The "editor" is simulated from gold on the learning set (each mistyped, missed or wrong
highlight corrected once, as an editor reading those articles would), then the learned
names are applied to the other set, which the editor never saw. Prints both scores and
their ratio. Usage: python benchmarks/bench_learned.py [EVAL_DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

from webapp.analysis import analyse
from webapp.analysis.article import HIGHLIGHTED_TYPES, clean_article_text
from webapp.analysis.pipeline import load_model, model_name
from webapp.evaluation import DEFAULT_EVAL_DIR, eval_sets, load_scorer, score, with_learned


def editor_lessons(gold: dict, analysis) -> dict[str, tuple[str, str]]:
    """What an editor reading this article would correct: machine names of the wrong type,
    gold names the machine missed, and highlights that are not names at all."""
    text, lessons = analysis.text, {}
    gold_spans = {(m["start"], m["end"]): e["type"] for e in gold["entities"] for m in e["mentions"]}
    machine = {(m.start, m.end): e.type for e in analysis.entities for m in e.mentions}
    for (start, end), kind in gold_spans.items():
        words = " ".join(text[start:end].split())
        if (start, end) in machine:
            if machine[(start, end)] != kind:
                lessons[words.casefold()] = (words, kind)
        elif kind in HIGHLIGHTED_TYPES and not any(a < end and start < b for a, b in machine):
            lessons[words.casefold()] = (words, kind)
    for (start, end), kind in machine.items():
        if kind in HIGHLIGHTED_TYPES and not any(a < end and start < b for a, b in gold_spans):
            words = " ".join(text[start:end].split())
            lessons.setdefault(words.casefold(), (words, "none"))
    return lessons


def main() -> None:
    eval_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_EVAL_DIR
    scorer, nlp = load_scorer(eval_dir), load_model(model_name())
    sets = eval_sets(eval_dir)
    learn_from, apply_to = sets["gum_news_public"], sets["gum_other_public"]
    learned: dict = {}
    for gold in learn_from:
        learned.update(editor_lessons(gold, analyse(clean_article_text(gold["text"]), nlp)))
    analyses = [analyse(clean_article_text(g["text"]), nlp) for g in apply_to]
    machine = score(scorer, apply_to, [a.to_json() for a in analyses])
    taught = score(scorer, apply_to, with_learned(analyses, learned))
    print(f"{len(learned)} names learned from {len(learn_from)} gum_news articles; "
          f"applied to {len(apply_to)} gum_other articles")
    for key in ("mention_f1", "b3_f1"):
        print(f"{key:11} machine {machine[key]:.3f}  with learned names {taught[key]:.3f}  "
              f"ratio {taught[key] / machine[key]:.3f}")


if __name__ == "__main__":
    main()
