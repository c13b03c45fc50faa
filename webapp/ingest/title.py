"""The title of a plain-text article: its first line that reads as a headline, if any."""
from __future__ import annotations

import re

from ..analysis.parse import (
    DATELINE,
    MAX_TITLE_CHARS,
    MAX_TITLE_WORDS,
    find_credit,
    is_boilerplate,
    split_chunks,
)

# A line that is only a photo credit: "Getty Images", "Photo: Reuters", "AP Photo/Jane Roe",
# "Jane Roe/AFP via Getty Images", "© Reuters", "(Reuters)".
CREDIT_LINE = re.compile(
    r"""^\(?\s*(?:©|(?i:copyright)\b
        |[A-Z][\w.&'’ -]{0,40}/\s*[A-Z][\w.&'’ -]{0,40}(?:\bvia\b.*)?$
        |.*\b(?:Getty|Shutterstock|Alamy)(?:\s+Images)?\s*\)?$
        |(?:[A-Z][\w.&'’-]*\s+){0,3}Images\s*\)?$
        |(?:AP|AFP|Reuters|REUTERS|EPA|PA|Bloomberg|Xinhua|ANP|DPA|dpa|UPI)\s*\)?$)""",
    re.VERBOSE,
)
# What a caption says of its picture: "(left)", "(pictured)", "(file photo)".
CAPTION_MARK = re.compile(
    r"\((?:(?:far\s+|second\s+from\s+)?(?:left|right)|cent(?:re|er)|pictured|above|below|top|bottom"
    r"|inset|file(?:\s+(?:photo|picture|image))?)\)", re.IGNORECASE)
# A byline: "By Jane Roe", "Written by ...", "Reporting by ...", "Author: ...".
BYLINE = re.compile(r"^(?:(?:Written|Words|Reporting|Posted|Story|Text)\s+)?by\s+\S"
                    r"|^(?:Author|Byline|Reporter)s?\s*:", re.IGNORECASE)
# A news-agency dateline opening a story: "WASHINGTON (Reuters) -", "PARIS, March 3 (AFP) —".
AGENCY_DATELINE = re.compile(
    r"^[A-Z][A-Z .'’-]{2,}(?:,[^()\n]{0,30})?\s*(?:\([A-Za-z ]{2,20}\))?\s*[-–—]")
# The words of a timestamp; a line made only of them (and numbers) is not a headline.
TIME_WORDS = re.compile(
    r"""\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Mon|Tue|Wed|Thu|Fri|Sat|Sun
        |Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?
        |Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?
        |published|updated|last|modified|posted|first|on|at|am|pm|a\.m|p\.m|today|yesterday
        |ago|an?|hours?|minutes?|mins?|days?|weeks?|GMT|BST|CET|CEST|UTC|EST|EDT|PST|PDT|ET|PT
        |st|nd|rd|th)\b""",
    re.VERBOSE | re.IGNORECASE,
)
# Navigation, sign-in and sharing labels that parse.py's boilerplate rule does not need to know.
PAGE_CRUFT = re.compile(
    r"""^(?:Menu|Search|Home|Log\s*in|Sign\s*in|Sign\s*up|Register|Subscribe|Newsletter|Share
          |Close|Accept(?:\s+all)?(?:\s+cookies)?|Listen|Watch|Advertisement|Top\s+stories)\b.{0,30}$
      |\bcookies?\b|https?://|\bwww\.|@\w+\.\w+
      |\S\s+(?:>|›|»|/)\s+\S.*\s(?:>|›|»|/)\s""",
    re.VERBOSE | re.IGNORECASE,
)
WORD = re.compile(r"[^\W\d_]{2,}")
ENDS_SENTENCE = re.compile(r"""[.;:,]["'”’)\]]*$""")


def _chunks(text: str) -> list[str]:
    """The parser's chunks: blank-line separated pieces (each line, without blank lines)."""
    return [chunk.text for chunk in split_chunks(text.lstrip("\ufeff"))]


def _lines(chunk: str) -> list[str]:
    """A chunk's lines, unless they are one hard-wrapped paragraph (then the chunk joined)."""
    lines = [line.strip() for line in chunk.splitlines() if line.strip()]
    wrapped = any(not re.search(r"[.!?:\"'”’)]$", line) and following[:1].islower()
                  for line, following in zip(lines, lines[1:]))
    return [" ".join(lines)] if wrapped else lines


def is_caption(line: str) -> bool:
    """A photo caption: ends with a credit, or says where someone stands in the picture."""
    credit = find_credit(line)
    return bool(credit and credit[0] > 0) or bool(CAPTION_MARK.search(line))


def is_credit(line: str) -> bool:
    credit = find_credit(line)
    return bool(credit and credit[0] == 0) or bool(CREDIT_LINE.search(line))


def is_timestamp(line: str) -> bool:
    """A date or time alone ("Updated 14 March 2026, 10:32 GMT", "3 hours ago")."""
    if DATELINE.search(line) and len(line.split()) <= 8:
        return True
    return not WORD.search(TIME_WORDS.sub(" ", line)) and bool(re.search(r"\d", line))


def is_byline(line: str) -> bool:
    return bool(BYLINE.search(line)) and len(line.split()) <= 12


def is_cruft(line: str) -> bool:
    return is_boilerplate(line) or bool(PAGE_CRUFT.search(line))


def reads_as_headline(line: str) -> bool:
    """One short line of at least two words, not a sentence and not a label."""
    return ("\n" not in line and len(line) <= MAX_TITLE_CHARS and 2 <= len(line.split()) <= MAX_TITLE_WORDS
            and len(WORD.findall(line)) >= 2 and not ENDS_SENTENCE.search(line))


def _not_the_article(line: str) -> bool:
    """A line around the article that is not its title nor its text."""
    return (is_cruft(line) or is_credit(line) or is_caption(line) or is_byline(line)
            or is_timestamp(line) or bool(AGENCY_DATELINE.search(line)))


def plain_text_title(text: str) -> str | None:
    """The first line that reads as a headline, before the body begins; None when none does.

    Captions (with their credits), credits alone, datelines, bylines, timestamps and page
    cruft are passed over. A short line right before a caption is the caption's title, not
    the article's. The first line of running text ends the search: a title comes before it.
    """
    lines = [line for chunk in _chunks(text) for line in _lines(chunk)]
    for i, line in enumerate(lines):
        if _not_the_article(line):
            continue
        if not reads_as_headline(line):
            return None
        following = next((later for later in lines[i + 1:] if not is_cruft(later)), None)
        if following is not None and is_caption(following) and len(line.split()) <= 3:
            continue
        return " ".join(line.split())
    return None
