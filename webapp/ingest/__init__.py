"""Articles the way people have them: web pages, addresses and plain text, made ready to analyse.

    article_from_document(data, url=None, content_type=None) -> Extracted  # upload, paste
    article_from_address(url, allow=None) -> Extracted     # fetched safely, then read
    plain_text_title(text) -> str | None                   # a plain text's headline

Errors are IngestError subclasses (ValueError) whose message a reader understands:
FetchRefused for an address that is not fetched, NoArticleText for a page without an article.
"""
from __future__ import annotations

from ..analysis.article import clean_article_text
from .errors import FetchRefused, IngestError, NoArticleText
from .fetch import AllowList, Fetched, fetch, refusal
from .html import Extracted, decode, extract_html, looks_like_html
from .title import plain_text_title

__all__ = ["AllowList", "Extracted", "FetchRefused", "Fetched", "IngestError", "NoArticleText",
           "article_from_address", "article_from_document", "article_from_text", "decode",
           "extract_html", "fetch", "is_address", "is_page_file", "looks_like_html", "plain_article", "plain_text_title",
           "refusal"]


PAGE_SUFFIXES = (".html", ".htm")


def is_page_file(name: str, data: bytes, content_type: str | None = None) -> bool:
    """A file that is a saved web page: by its name, else because it starts as one."""
    return name.lower().endswith(PAGE_SUFFIXES) or looks_like_html(data, content_type)


def plain_article(text: str, url: str | None = None) -> Extracted:
    """Plain text as an article, titled by its headline (None when no line reads as one)."""
    return Extracted(text=text, title=plain_text_title(text), source_url=url)


def article_from_text(text: str) -> Extracted:
    """Text as a reader gives it (pasted, or a queued add's input): a whole web page (its
    source pasted) is extracted, anything else is a plain article titled by its headline."""
    if looks_like_html(text):
        return article_from_document(text, content_type="text/html")
    return plain_article(clean_article_text(text))


def is_address(value: str) -> bool:
    """A web address rather than a file path ("https://...", "http://...")."""
    return value.strip().lower().startswith(("http://", "https://"))


def article_from_document(data: bytes | str, *, url: str | None = None,
                          content_type: str | None = None, charset: str | None = None) -> Extracted:
    """An uploaded, pasted or fetched document as an article.

    An HTML page (by its content type, or because it starts as one) goes through extraction;
    anything else is plain text, kept as it is, titled by `plain_text_title` (None when no
    line reads as a headline: then ask the reader for one).
    """
    if looks_like_html(data, content_type):
        return extract_html(data, url, charset)
    text = decode(data, charset) if isinstance(data, bytes) else data.lstrip("\ufeff")
    if "\x00" in text:
        raise NoArticleText("the file looks binary (it contains NUL bytes), not text or a web page")
    if not text.strip():
        raise NoArticleText("the text is empty")
    return plain_article(text, url)


def article_from_address(url: str, allow: AllowList | None = None, **limits) -> Extracted:
    """Fetch `url` safely (see fetch()) and read the article in it.

    `allow`: the private hosts that may be fetched (none when not given: the config's
    DRAMATIS_FETCH_ALLOW is the caller's to give); `limits` are fetch()'s keyword arguments.
    """
    fetched = fetch(url, allow, **limits)
    return article_from_document(fetched.body, url=fetched.url, content_type=fetched.content_type,
                                 charset=fetched.charset)
