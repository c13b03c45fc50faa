"""Libraries for the benchmarks: articles written from generated words and names (no spaCy),
real analyses reused with a generated paragraph added, and a page timed through Flask with
the response cache bypassed (bench_library.py, bench_scale.py)."""
from __future__ import annotations

import itertools
import random
import statistics
import time
from dataclasses import replace

from webapp.analysis.article import Analysis, Block, Entity, Mention, slugify
from webapp.web.articles import article_added

SOURCES = ["The Harbour Times", "River Post", "Coast Daily", None]


class Writer:
    """Synthetic articles: words from a fixed vocabulary, names from pools where a few are
    in many articles and most in few (as in a newsroom's library)."""

    def __init__(self, seed: int = 9):
        self.random = random.Random(seed)
        syllables = ["ka", "lo", "ri", "ta", "men", "vo", "sa", "dul", "pe", "nor", "hi", "gra"]
        self.words = ["".join(self.random.choice(syllables) for _ in range(self.random.randint(1, 3)))
                      for _ in range(3000)] + ["minister", "harbour", "deal", "talks"]
        first = [w.title() for w in self.words[:300]]
        last = [w.title() for w in self.words[300:900]]
        self.people = [f"{self.random.choice(first)} {self.random.choice(last)}" for _ in range(5000)]
        self.organisations = [f"{w.title()} Group" for w in self.words[900:1900]]
        self.countries = [a + b for a in "ABCDEFGHIJ" for b in "ABCDEFGHIJ"]

    def pick(self, pool):
        return pool[min(int(self.random.paretovariate(1.1)) - 1, len(pool) - 1)
                    if self.random.random() < 0.5 else self.random.randrange(len(pool))]

    def some_words(self, k: int) -> list[str]:
        return self.random.choices(self.words, k=k)

    def paragraphs(self) -> int:
        return 8

    def article(self, n: int) -> Analysis:
        names = ([(self.pick(self.people), "person", None) for _ in range(6)]
                 + [(self.pick(self.organisations), "organization", None) for _ in range(4)]
                 + [("Country " + code, "country", code) for code in
                    (self.pick(self.countries) for _ in range(2))])
        text, blocks, entities = f"Story {n}: " + " ".join(self.some_words(8)), [], {}
        blocks.append(Block("b1", "headline", 0, len(text)))
        for p in range(2, 2 + self.paragraphs()):
            text += "\n\n"
            start = len(text)
            for _ in range(4):
                name, type_, code = self.random.choice(names)
                entity = entities.setdefault(name, Entity(f"e{len(entities)}", name, type_, code=code))
                text += " ".join(self.some_words(self.sentence_words())) + " "
                entity.mentions.append(Mention(f"m{p}-{len(text)}", len(text), len(text) + len(name),
                                               name, f"b{p}"))
                text += name + "."
            blocks.append(Block(f"b{p}", "paragraph", start, len(text)))
        return Analysis(text, blocks, list(entities.values()))

    def sentence_words(self) -> int:
        return 8


class VariedWriter(Writer):
    """Articles as varied as a newsroom's: words at Zipf's frequencies from a vocabulary of
    50,000 (so some are in most articles and many in a few), briefs to long reads (2 to 13
    paragraphs, about 4,000 characters on average, as the GUM news texts), 100,000 people
    and 10,000 organisations, and, when `real` analyses are given, every `real_every`-th
    article one of them with a paragraph of generated words added (so no two texts are the
    same, and the library holds real blocks, captions, quotes and entity groupings)."""

    VOCABULARY = 50_000
    # A word in about a quarter of the articles, and one in about one in a thousand: their
    # ranks in the Zipf order (measured: bench_scale prints how many articles match).
    COMMON_RANK, RARE_RANK = 220, 40_000

    def __init__(self, seed: int = 17, real: list[Analysis] = (), real_every: int = 10):
        super().__init__(seed)
        self.seed = seed
        syllables = ["ka", "lo", "ri", "ta", "men", "vo", "sa", "dul", "pe", "nor", "hi", "gra",
                     "bel", "tor", "un", "esk", "mar", "ith", "zo", "cur", "fen", "ad", "wy", "quo"]
        words, seen = [], set()
        while len(words) < self.VOCABULARY:
            word = "".join(self.random.choice(syllables) for _ in range(self.random.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        self.random.shuffle(words)
        self.words = words
        self.common_word, self.rare_word = words[self.COMMON_RANK], words[self.RARE_RANK]
        self.cumulative = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(words))))
        first = [w.title() for w in words[-2000:]]
        last = [w.title() for w in words[-12000:-2000]]
        self.people = list(dict.fromkeys(f"{self.random.choice(first)} {self.random.choice(last)}"
                                         for _ in range(100_000)))
        self.organisations = [f"{w.title()} {self.random.choice(['Group', 'Council', 'Bank', 'Union'])}"
                              for w in words[-22000:-12000]]
        self.countries = [a + b for a in "ABCDEFGHIJKLMNOP" for b in "ABCDEFGHIJKLMNOP"]
        self.real, self.real_every = list(real), real_every

    def some_words(self, k: int) -> list[str]:
        return self.random.choices(self.words, cum_weights=self.cumulative, k=k)

    def paragraphs(self) -> int:
        return self.random.randint(2, 13)

    def sentence_words(self) -> int:
        return self.random.randint(6, 20)

    def article(self, n: int) -> Analysis:
        """The n-th article, the same whatever was written before it (so that a library can
        be filled further later, and its first 1,000 articles are a library of their own)."""
        self.random.seed(f"{self.seed}:{n}")
        if self.real and n % self.real_every == self.real_every - 1:
            return self.reused(n)
        return super().article(n)

    def reused(self, n: int) -> Analysis:
        """A real analysis with a generated closing paragraph that names one more person."""
        real = self.real[(n // self.real_every) % len(self.real)]
        name = self.pick(self.people)
        # Ids as the engine makes them: numbered on from the analysis's own, a name's slug.
        block_id = f"b{len(real.blocks) + 1}"
        mention_id = f"m{sum(len(e.mentions) for e in real.entities) + 1}"
        text = real.text.rstrip() + "\n\n"
        start = len(text)
        text += " ".join(self.some_words(self.sentence_words())) + " "
        mention = Mention(mention_id, len(text), len(text) + len(name), name, block_id)
        text += f"{name} {' '.join(self.some_words(self.sentence_words()))} (story {n})."
        entity_id = slugify(name)
        if entity_id in {e.id for e in real.entities}:
            entity_id += "-added"
        added = Entity(entity_id, name, "person", [mention])
        return replace(real, text=text, blocks=[*real.blocks, Block(block_id, "paragraph", start, len(text))],
                       entities=[*real.entities, added])


def real_analyses(texts: list[str]) -> list[Analysis]:
    """The engine's analyses of `texts` (spaCy: loaded once, here)."""
    from webapp.analysis import analyse_many

    return list(analyse_many(texts))


def article_metadata(n: int) -> dict:
    """The source and date the n-th article is stored with."""
    return {"site_name": SOURCES[n % len(SOURCES)],
            "published": f"2026-{1 + n % 12:02}-{1 + n % 28:02}"}


def median_ms(client, app, url: str, runs: int, cached: bool) -> float:
    """The median time of `runs` requests for `url`; uncached: the store generation bumped
    before each, so the response cache cannot replay it and the database is what is timed."""
    times = []
    for _ in range(runs):
        if not cached:
            with app.app_context():
                article_added()
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000
