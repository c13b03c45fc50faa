"""A web page -> the article in it: plain text in blocks, with its title, author, date and source."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from charset_normalizer import from_bytes

from ..analysis.parse import find_credit
from .errors import NoArticleText
from .title import plain_text_title

# Where a page says who took the picture, inside a figcaption.
CREDIT_MARK = re.compile(r"credit|copyright|attribution|byline|photographer|source|author", re.I)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
LEADING_COMMENTS = re.compile(r"^(?:\s|<!--.*?-->)*", re.S)
HTML_START = re.compile(r"<!doctype\s+html|<html[\s>]", re.I)
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Characters no page text can hold (HTML calls them parse errors; lxml refuses them in text).
NOT_TEXT = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Extracted:
    """An article taken out of a page (or a plain text), ready for `analyse(text)`.

    `text` holds one block per paragraph, separated by blank lines: the title first, then
    headings, paragraphs, list items and photo captions in page order. A caption that the
    page marks with a credit reads as scraped captions do, "Caption text (Photo: Reuters)",
    so parse.py keeps it as a caption with its credit; `captions` gives the (start, end) of
    every figcaption in `text`, credited or not.
    """
    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None        # ISO date, "2026-03-14"
    site_name: str | None = None
    canonical_url: str | None = None
    source_url: str | None = None       # the address it was fetched from, if any
    captions: tuple[tuple[int, int], ...] = ()


def _charset(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None if Python has no such codec."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def decode(data: bytes, charset: str | None = None) -> str:
    """Bytes as text: the declared charset, a BOM, a <meta charset>, UTF-8, else a best guess."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    meta = META_CHARSET.search(data[:4096])
    for name in (_charset(charset), _charset(meta.group(1).decode("ascii") if meta else None)):
        if name:
            return data.decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        guess = from_bytes(data).best()
        return str(guess) if guess is not None else data.decode("cp1252", errors="replace")


def looks_like_html(data: str | bytes, content_type: str | None = None) -> bool:
    """An HTML page: said so by its content type, or it starts as one (after any comments)."""
    if content_type and content_type.split(";")[0].strip().lower() in HTML_TYPES:
        return True
    head = data[:4096]
    if isinstance(head, bytes):
        head = head.decode("utf-8", errors="ignore")
    head = XML_DECLARATION.sub("", head.lstrip("\ufeff"))
    head = head[LEADING_COMMENTS.match(head).end():]
    return bool(HTML_START.match(head))


def web_address(address: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) address, or None: a page's "canonical" link is shown as a link, so
    a javascript: or data: address written in a page must never get through."""
    if not address:
        return None
    address = urljoin(base, address.strip()) if base else address.strip()
    return address if urlsplit(address).scheme.lower() in ("http", "https") else None


def _words(text: str) -> str:
    return " ".join(text.split())


def _caption_line(figcaption: lxml.html.HtmlElement) -> str:
    """A figcaption as one line, its credit (if the page marks one) in parentheses at the end."""
    credits = [el for el in figcaption.iterdescendants()
               if isinstance(el.tag, str) and (el.tag in ("cite", "small") or CREDIT_MARK.search(
                   " ".join(el.get(attr, "") for attr in ("class", "itemprop", "id"))))]
    credits = [el for el in credits if not any(other in el.iterancestors() for other in credits)]
    credit = _words(" ".join(el.text_content() for el in credits)).strip("() ")
    for el in credits:
        el.drop_tree()      # keeps the tail text, which belongs to the caption
    caption = _words(figcaption.text_content())
    if not caption or not credit:
        return caption
    labelled = find_credit(f"({credit})")
    return f"{caption} ({credit})" if labelled and labelled[0] == 0 else f"{caption} (Credit: {credit})"


def _is_link_card(figure: lxml.html.HtmlElement, figcaption: lxml.html.HtmlElement) -> bool:
    """A teaser for another page (its caption is a link), not a photo of this article."""
    caption = _words(figcaption.text_content())
    linked = sum(len(_words(a.text_content())) for a in figcaption.iter("a"))
    inside_link = next(figure.iterancestors("a"), None) is not None
    return inside_link or (bool(caption) and linked >= 0.9 * len(caption))


def _captions_as_paragraphs(root: lxml.html.HtmlElement) -> set[str]:
    """Replace each figure by a paragraph holding its caption (the extractor drops figcaptions)."""
    captions = set()
    for figure in list(root.iter("figure")):
        if figure.find(".//blockquote") is not None or figure.getparent() is None:
            continue    # a pull quote laid out as a figure stays a quote
        figcaption = figure.find(".//figcaption")
        line = _caption_line(figcaption) if figcaption is not None and not _is_link_card(
            figure, figcaption) else ""
        replacement = lxml.html.Element("p")
        replacement.text = line
        replacement.tail = figure.tail
        figure.getparent().replace(figure, replacement)
        if line:
            captions.add(line)
    return captions


# Words of a section label ("Business · Economy", "World › Europe"): a few short words
# on either side of a breadcrumb separator, no sentence in it (not " | ", which is how a
# table row reads).
_SECTION_LABEL = re.compile(r"[\w&'’ -]{1,30}(?:\s[·›»>]\s[\w&'’ -]{1,30}){1,4}")


def is_section_label(block: str) -> bool:
    """Whether a block is a site's section label or breadcrumb ("Business · Economy")."""
    return len(block) <= 80 and bool(_SECTION_LABEL.fullmatch(block.strip()))


def _blocks(body) -> list[str]:
    """The extractor's XML body as text blocks: one per heading, paragraph, item or table row."""
    blocks = []
    for element in body:
        if element.tag == "list":
            # Each item's own words: a nested list's items are blocks of their own.
            blocks += [_words(" ".join(_own_text(item))) for item in element.iter("item")]
        elif element.tag == "table":
            blocks += [" | ".join(_words("".join(cell.itertext())) for cell in row.iter("cell"))
                       for row in element.iter("row")]
        else:
            blocks.append(_words("".join(element.itertext())))
    return [block for block in blocks if block.strip(" |")]


def _own_text(item) -> list[str]:
    """The text of a list item without the lists nested in it."""
    parts = [item.text or ""]
    for child in item:
        if child.tag != "list":
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return parts


def _parse(page: str) -> lxml.html.HtmlElement:
    # lxml refuses str input that declares its own encoding; the text is already decoded.
    page = NOT_TEXT.sub("", XML_DECLARATION.sub("", page.lstrip("\ufeff")))
    root = lxml.html.document_fromstring(page)
    # A line break or a new block separates words, though no space is written between them.
    for element in root.iter("br", "p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"):
        element.tail = " " + (element.tail or "")
    return root


def extract_html(page: str | bytes, url: str | None = None, charset: str | None = None) -> Extracted:
    """The article in an HTML page; raises NoArticleText when the page holds none.

    `url` is where the page came from (used to resolve the canonical address and as the
    source); `charset` is the one its Content-Type declared, if the page came as bytes.
    Scripts are never run: the page is only parsed.
    """
    if isinstance(page, bytes):
        page = decode(page, charset)
    if "\x00" in page:
        raise NoArticleText("the file looks binary (it contains NUL bytes), not a web page")
    try:
        root = _parse(page)
    except Exception as exc:     # lxml raises several types for input it cannot make a tree of
        raise NoArticleText("this page could not be read as HTML") from exc
    captions = _captions_as_paragraphs(root)
    document = trafilatura.bare_extraction(
        root, url=url, with_metadata=True, include_comments=False, include_tables=True,
        include_images=False, include_links=False, output_format="python",
        date_extraction_params={"original_date": True, "extensive_search": False})
    blocks = _blocks(document.body) if document is not None and document.body is not None else []
    if not any(block not in captions for block in blocks):
        raise NoArticleText("no article text was found on this page")
    title = _words(document.title) if document.title else None
    if title:
        # The headline goes first, where parse.py looks for it, even if a photo came before.
        same = [i for i, block in enumerate(blocks[:4]) if block.casefold() == title.casefold()]
        blocks.insert(0, blocks.pop(same[0]) if same else title)
        # A section label next to the headline ("Business · Economy") is the site's
        # navigation, not the article (issue 16); the reader shows the source instead.
        blocks[1:4] = [block for block in blocks[1:4] if block in captions or not is_section_label(block)]
    text, spans, pos = "\n\n".join(blocks), [], 0
    title = title or plain_text_title(text)
    for block in blocks:
        if block in captions:
            spans.append((pos, pos + len(block)))
        pos += len(block) + 2
    return Extracted(text=text, title=title, author=document.author or None,
                     published=document.date or None, site_name=document.sitename or None,
                     canonical_url=web_address(document.url, url) or web_address(url),
                     source_url=web_address(url), captions=tuple(spans))
