"""An article's mentions as a W3C Web Annotation collection (JSON-LD), for annotation tools."""
from __future__ import annotations

from .analysis.article import Analysis
from .anchors import CONTEXT_CHARS

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# schema.org types for the body; the anno.jsonld context defines the schema: prefix.
BODY_TYPES = {"person": "schema:Person", "organization": "schema:Organization",
              "country": "schema:Country", "place": "schema:Place"}


def text_selectors(text: str, start: int, end: int) -> list[dict]:
    """A TextQuoteSelector and a TextPositionSelector for text[start:end] (code points,
    as the model counts)."""
    return [
        {"type": "TextQuoteSelector", "exact": text[start:end],
         "prefix": text[max(0, start - CONTEXT_CHARS):start], "suffix": text[end:end + CONTEXT_CHARS]},
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


def annotation_collection(analysis: Analysis, *, collection_id: str, source: str, title: str,
                          entity_urls: dict[str, str], passage: tuple[int, int] | None = None) -> dict:
    """Every mention an Annotation (motivation "identifying") whose target is the version's
    text at `source` and whose body is the entity; a shared passage, if any, one more
    (motivation "highlighting")."""
    items = []
    for entity in analysis.entities:
        body = {"id": entity_urls[entity.id], "type": BODY_TYPES.get(entity.type, "schema:Thing"),
                "schema:name": entity.name}
        if entity.code:
            body["schema:identifier"] = entity.code
        for mention in entity.mentions:
            items.append({
                "id": f"{collection_id}#mention-{mention.id}",
                "type": "Annotation",
                "motivation": "identifying",
                "body": body,
                "target": {"source": source,
                           "selector": text_selectors(analysis.text, mention.start, mention.end)},
            })
    items.sort(key=lambda item: item["target"]["selector"][1]["start"])
    if passage is not None:
        items.append({
            "id": f"{collection_id}#passage",
            "type": "Annotation",
            "motivation": "highlighting",
            "target": {"source": source, "selector": text_selectors(analysis.text, *passage)},
        })
    return {
        "@context": CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": title,
        "total": len(items),
        "first": {"id": f"{collection_id}#page-1", "type": "AnnotationPage", "startIndex": 0,
                  "items": items},
    }
