"""`dramatis eval`, who said what: quotations and speakers against ten hand-annotated articles.

The articles (benchmarks/quotes_gold.txt) are invented for this purpose; their mark-up,
<q who="NAME">...</q> around the words inside each pair of quote marks, is removed before they
are analysed. A quotation is found when its span is exactly the gold span. A speaker is right
when the entity given has the gold name as its name or as one of its mentions, and an
unattributed quotation is right when the gold names no one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

GOLD_FILE = Path(__file__).resolve().parent.parent / "benchmarks" / "quotes_gold.txt"
MARKUP = re.compile(r'<q who="([^"]*)">|</q>')


@dataclass
class GoldQuote:
    start: int
    end: int
    speaker: str | None  # the name as the text gives it in full; None: nobody is named


@dataclass
class GoldArticle:
    id: str
    text: str
    quotes: list[GoldQuote]


def strip_markup(marked: str) -> tuple[str, list[GoldQuote]]:
    """The plain text and its quotations' spans, from text with <q who="..."> mark-up."""
    pieces, quotes = [], []
    length, open_quote = 0, None
    at = 0
    for match in MARKUP.finditer(marked):
        pieces.append(marked[at:match.start()])
        length += match.start() - at
        at = match.end()
        if match.group(0) == "</q>":
            if open_quote is None:
                raise ValueError(f"</q> without <q> at {match.start()}")
            open_quote.end = length
            quotes.append(open_quote)
            open_quote = None
        else:
            if open_quote is not None:
                raise ValueError(f"<q> inside <q> at {match.start()}")
            open_quote = GoldQuote(length, length, match.group(1) or None)
    if open_quote is not None:
        raise ValueError("a <q> is never closed")
    pieces.append(marked[at:])
    return "".join(pieces), quotes


def load_gold(path: Path = GOLD_FILE) -> list[GoldArticle]:
    """The annotated articles of a gold file ("=== ID" lines start each; "#" lines before)."""
    articles = []
    for chunk in re.split(r"^=== ", path.read_text("utf-8"), flags=re.M)[1:]:
        article_id, _, body = chunk.partition("\n")
        text, quotes = strip_markup(body.strip("\n") + "\n")
        articles.append(GoldArticle(article_id.strip(), text, quotes))
    return articles


def _names(entity: dict) -> set[str]:
    return {entity["name"].casefold()} | {m["text"].casefold() for m in entity["mentions"]}


def score_quotes(golds: list[GoldArticle], analyses: list[dict]) -> dict:
    """Precision and recall of quotation spans and of speakers, and the guesses: quotations
    the gold leaves unattributed that were given a speaker."""
    counts = dict(gold=0, found=0, spans=0, gold_speakers=0, given_speakers=0, right_speakers=0,
                  right_unattributed=0, gold_unattributed=0, guesses=0)
    for gold, analysis in zip(golds, analyses):
        entities = {e["id"]: e for e in analysis["entities"]}
        by_span = {(q.start, q.end): q for q in gold.quotes}
        counts["gold"] += len(gold.quotes)
        counts["gold_speakers"] += sum(q.speaker is not None for q in gold.quotes)
        counts["gold_unattributed"] += sum(q.speaker is None for q in gold.quotes)
        for quote in analysis["quotes"]:
            counts["found"] += 1
            counts["given_speakers"] += quote["speaker"] is not None
            match = by_span.get((quote["start"], quote["end"]))
            if match is None:
                continue
            counts["spans"] += 1
            if match.speaker is None:
                counts["right_unattributed"] += quote["speaker"] is None
                counts["guesses"] += quote["speaker"] is not None
            elif quote["speaker"] is not None:
                counts["right_speakers"] += match.speaker.casefold() in _names(entities[quote["speaker"]])
    return {**counts,
            "span_precision": counts["spans"] / max(1, counts["found"]),
            "span_recall": counts["spans"] / max(1, counts["gold"]),
            "speaker_precision": counts["right_speakers"] / max(1, counts["given_speakers"]),
            "speaker_recall": counts["right_speakers"] / max(1, counts["gold_speakers"])}


def run(nlp, out=print, path: Path = GOLD_FILE) -> dict | None:
    """Print the quotation figures; None (and a line saying why) when the gold file is absent."""
    from .analysis import analyse_many

    if not path.is_file():
        out(f"quotations: skipped, {path} is not there (it ships with the source, not the wheel)")
        return None
    golds = load_gold(path)
    analyses = [a.to_json() for a in analyse_many([g.text for g in golds], nlp)]
    s = score_quotes(golds, analyses)
    out(f"quotations ({len(golds)} invented articles, {s['gold']} quotations): spans P "
        f"{s['span_precision']:.2f} R {s['span_recall']:.2f}; speakers P {s['speaker_precision']:.2f} "
        f"R {s['speaker_recall']:.2f}; unattributed kept unattributed {s['right_unattributed']}/"
        f"{s['gold_unattributed']}, given a speaker {s['guesses']}")
    return s
