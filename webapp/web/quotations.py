"""Who said what, as the reader shows it (issue 19): a person's or organisation's quotations
in the panel, each with a passage link, and the article's "Quoted: N people, M organisations"."""
from __future__ import annotations

from dataclasses import dataclass

from ..analysis.article import Entity
from ..analysis.quotes import Quote, speakers_of
from ..anchors import preview
from ..store import Version
from .links import passage_link
from .views import ArticleView

QUOTE_PREVIEW_CHARS = 300


@dataclass(frozen=True)
class ShownQuote:
    """A quotation in the panel: its words (shortened), the reporting verb, its link."""

    words: str
    cue: str | None
    link: str | None


@dataclass(frozen=True)
class Speaker:
    entity: Entity
    quotes: int


@dataclass(frozen=True)
class Quoted:
    """Who the article quotes: people and organisations, most quoted first, and how many
    quotations no one is named for."""

    people: list[Speaker]
    organizations: list[Speaker]
    unattributed: int

    @property
    def any(self) -> bool:
        return bool(self.people or self.organizations or self.unattributed)


def speakers(view: ArticleView) -> list[tuple[Quote, Entity | None]]:
    """Each quotation with the entity that said it as the article is shown (corrections
    applied), or None."""
    quotes = view.analysis.quotes
    return list(zip(quotes, speakers_of(quotes, view.analysis.entities)))


def quotes_of(version: Version, view: ArticleView, entity: Entity) -> list[ShownQuote]:
    text = view.analysis.text
    return [ShownQuote(preview(text[q.start:q.end], QUOTE_PREVIEW_CHARS), q.cue,
                       passage_link(version, text, q.start, q.end))
            for q, speaker in speakers(view) if speaker is entity]


def quoted(view: ArticleView) -> Quoted:
    counts: dict[str, tuple[Entity, int]] = {}
    unattributed = 0
    for _, speaker in speakers(view):
        if speaker is None:
            unattributed += 1
        else:
            counts[speaker.id] = (speaker, counts.get(speaker.id, (speaker, 0))[1] + 1)
    ranked = sorted(counts.values(), key=lambda pair: (-pair[1], pair[0].name))
    return Quoted([Speaker(e, n) for e, n in ranked if e.type == "person"],
                  [Speaker(e, n) for e, n in ranked if e.type == "organization"], unattributed)
