"""Raw article text -> blocks: headline, paragraphs, captions with credits, page cruft."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .article import Block
from .sentences import ends_a_sentence, sentence_ends

# A photo credit at the end of a caption: "(Photo: AP/Getty)", "(Picture: Reuters)",
# "Photograph: Jane Doe/AFP", "Image: United States Navy.", "Photo by Ann Lee", "© Reuters",
# "(Courtesy of the family)", "Photo courtesy NASA" (not a sentence's "courtesy of the
# house."), and the agencies' own "(AP Photo/Evan Vucci)".
CREDIT = re.compile(
    r"""(?:\(\s*|(?<=\s)|^)
        (?:(?:Photo(?:graph)?s?|Pictures?|Pics?|Images?|Credits?|(?:Photo|Image)\s+credit|Source
            |Video|Illustration)\s*:\s*
          |(?:Photo(?:graph)?s?|Pictures?|Images?)\s+[-–—]\s+
          |(?:Photo(?:graph)?|Pictures?)\s+by\s+|©\s*
          |(?:Photo(?:graph)?s?|Pictures?|Images?)\s+courtesy(?:\s+of)?\s+|(?<=\()courtesy(?:\s+of)?\s+
          |(?P<agency>[A-Z][A-Za-z.&]{1,20})\s+Photos?\s*/\s*)
        (?P<names>[^()\n]{2,120}?)
        \s*(?:\)|(?=\.?\s*$))\.?\s*$""",
    re.VERBOSE | re.IGNORECASE,
)
# Separators between several credited names: "AP/Getty", "Jane Doe/AFP via Getty Images".
CREDIT_SEPARATOR = re.compile(r"\s*(?:/|;|,|\bvia\b|\band\b|&|\|)\s*")

# Lines from a web page's player, ads, sharing and sign-up widgets, not from the article.
CRUFT = re.compile(
    r"""enable\s+JavaScript|JavaScript\s+(?:is\s+)?(?:disabled|required)
      |upgrad\w+\s+to\s+a\s+(?:web\s+)?browser|browser\s+(?:that\s+)?supports?\s+HTML5
      |^\s*Advertisement\b|^\s*Sponsored\b|^\s*(?:Skip|Jump)\s+to\s+(?:content|main)
      |\b(?:Sign\s+up|Subscribe)\s+(?:to|for)\s+(?:our|the)\b.{0,40}\bnewsletter
      |^\s*(?:Share|Tweet|Email|Print)\s*(?:this\s+(?:article|story))?\s*$
      |^\s*(?:Read\s+more|Related|More\s+on\s+this\s+story)\s*:?\s*$
      |^\s*(?:Continue\s+reading|Click\s+here)\b|\bcookies?\s+(?:policy|settings|consent)\b
      |this\s+video\s+(?:can\s*not|cannot)\s+be\s+played|^\s*Loading\W*$""",
    re.VERBOSE | re.IGNORECASE,
)
# A dateline such as "Wednesday, September 7, 2016" is not a caption's title.
DATELINE = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\b(?:January|February|March|April|"
                      r"May|June|July|August|September|October|November|December)\s+\d{1,2},?\s+\d{4}\b")
LETTER = re.compile(r"\w")

# What spaCy is handed is bounded whatever the input (issue 7). Its tokenizer strips prefixes
# and suffixes one character at a time and rescans the rest each time, so a run without
# whitespace costs the square of its length (15 KB of "!" held a thread ~20 s); a run of
# symbols is one token per character; one long doc peaks at gigabytes. Such runs are set
# aside (they stay in the block, shown but not analysed) and long paragraphs are read in pieces.
MAX_WORD_CHARS = 100  # longer runs without whitespace are not prose: rules, emoji walls, base64
MAX_SYMBOL_RUN = 16  # punctuation, symbols or emoji in a row, spaces allowed between them
MAX_PIECE_CHARS = 5_000  # a longer stretch is cut at a sentence end (else at a space)
_SYMBOL = r"(?:_|[^\w\s])"
NOT_PROSE = re.compile(rf"(?<!\S)\S{{{MAX_WORD_CHARS + 1},}}"
                       rf"|{_SYMBOL}(?:\s*{_SYMBOL}){{{MAX_SYMBOL_RUN - 1},}}")
LINE_BREAK = re.compile(r"\n")
# spaCy's cost grows with its tokens. English prose runs to about one token per 5-6
# characters; a long stretch with one per 3 or fewer ("a😀 a😀 ...", walls of initials or
# numbers) is not prose, and would cost several times an article of its length.
TOKEN_LIKE = re.compile(r"\w+|[^\w\s]")
MIN_CHARS_PER_TOKEN = 3
DENSE_CHECK_CHARS = 1_000  # shorter stretches are cheap whatever they hold


@dataclass
class _Chunk:
    start: int
    end: int
    text: str


def split_chunks(text: str) -> list[_Chunk]:
    """Split on blank lines; where the text has none, every line is its own chunk."""
    separator = re.compile(r"\n[ \t\r\f\v]*\n\s*") if re.search(r"\n[ \t\r\f\v]*\n", text) \
        else re.compile(r"\n\s*")
    chunks, pos = [], 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[pos:end]
        stripped = piece.strip()
        if stripped:
            start = pos + len(piece) - len(piece.lstrip())
            chunks.append(_Chunk(start, start + len(stripped), stripped))
        if match:
            pos = match.end()
    return chunks


def find_credit(text: str) -> tuple[int, list[tuple[int, int]]] | None:
    """Where a caption's credit starts, and the (start, end) of each credited name."""
    match = CREDIT.search(text)
    if not match:
        return None
    names_start = match.start("names")
    names = match.group("names").rstrip(" .")
    spans, pos = [], 0
    if match.group("agency"):
        spans.append((match.start("agency"), match.end("agency")))
    for sep in [*CREDIT_SEPARATOR.finditer(names), None]:
        end = sep.start() if sep else len(names)
        piece = names[pos:end]
        stripped = piece.strip(" .")
        if stripped and LETTER.search(stripped):
            s = names_start + pos + piece.index(stripped)
            spans.append((s, s + len(stripped)))
        if sep:
            pos = sep.end()
    if not spans or len(spans) > 6:
        return None
    return match.start(), spans


# A wire story's sign-off: "(Reporting by Ana Lima in Accra and Bo Berg; Editing by Jan Roe)",
# Reuters' and others' closing line, or the AP's "Associated Press writer Jo Kim in Seoul
# contributed to this report." Who wrote, reported or edited: people.
SIGN_OFF_ROLE = re.compile(
    r"""(?:Additional\s+|Further\s+)?(?:reporting|writing|editing|compiled|compiling|research
        |production|graphics|fact-?checking|translation|translated|edited|written|reported)
        (?:\s+and\s+(?:reporting|writing|editing|research))?\s+by\s+""",
    re.VERBOSE | re.IGNORECASE)
SIGN_OFF_CONTRIBUTED = re.compile(
    r"^(?P<desk>(?:The\s+)?(?:Associated\s+Press|AP|AFP|Reuters|Bloomberg)\s+"
    r"(?:staff\s+)?(?:writers?|reporters?|correspondents?)\s+)(?P<names>.+?)\s+contributed"
    r"(?:\s+(?:to\s+this\s+(?:report|story|article)|reporting|reporting\s+from\s+[^.]+))?\.?$")
# A byline, wholly: "By Ana Lima", "By Ana Lima and Bo Berg"; a full name each ("By plane"
# and "By Monday" are no byline).
_FULL_NAME = r"(?:[A-Z][\w'’.-]*\s+){1,3}[A-Z][\w'’.-]*"
BYLINE = re.compile(r"^By\s+(?P<names>%s(?:(?:,\s*|\s+and\s+|\s*&\s*)%s)*)$" % (_FULL_NAME, _FULL_NAME))
# Between the names of one role: "Ana Lima, Bo Berg and Jo Kim".
SIGN_OFF_SEPARATOR = re.compile(r"\s*(?:,|\band\b|&)\s*")
SIGN_OFF_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’.-]*")
MAX_SIGN_OFF_CHARS = 400


def sign_off_names(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """If `text` (one paragraph) is a wire story's sign-off or byline, the (start, end) of each
    person's name in it, and of each place after "in"; None if it is not one, wholly."""
    if len(text) > MAX_SIGN_OFF_CHARS:
        return None
    inner_start = len(text) - len(text.lstrip("( "))
    inner = text[inner_start:].rstrip(" .)")
    contributed = SIGN_OFF_CONTRIBUTED.match(inner) or BYLINE.match(inner)
    if contributed:
        lists = [(inner_start + contributed.start("names"), contributed.group("names"))]
    else:
        lists, pos = [], 0
        for part in re.split(r"(\s*;\s*)", inner):
            if not part.strip() or part.strip() == ";":
                pos += len(part)
                continue
            role = SIGN_OFF_ROLE.match(part)
            if not role:
                return None
            lists.append((inner_start + pos + role.end(), part[role.end():]))
            pos += len(part)
    names, places = [], []
    for start, listed in lists:
        pos = 0
        for sep in [*SIGN_OFF_SEPARATOR.finditer(listed), None]:
            end = sep.start() if sep else len(listed)
            name, said_in, place = listed[pos:end].partition(" in ")
            if not SIGN_OFF_NAME.fullmatch(name) or (said_in and not SIGN_OFF_NAME.fullmatch(place)):
                return None
            names.append((start + pos, start + pos + len(name)))
            if said_in:
                place_start = start + pos + len(name) + len(said_in)
                places.append((place_start, place_start + len(place)))
            if sep:
                pos = sep.end()
    return (names, places) if names else None


# Page widgets are a line or two; a long paragraph that names a cookie policy is prose.
MAX_CRUFT_CHARS = 300


def is_boilerplate(text: str) -> bool:
    return not LETTER.search(text) or (len(text) <= MAX_CRUFT_CHARS and bool(CRUFT.search(text)))


# A headline or a caption's title is at most this long (also the title rule's, ingest/title.py).
MAX_TITLE_CHARS = 160
MAX_TITLE_WORDS = 25


def _looks_like_title(text: str) -> bool:
    """Short, a line, and not a sentence: a headline or a caption's title."""
    return ("\n" not in text and len(text) <= MAX_TITLE_CHARS
            and len(text.split()) <= MAX_TITLE_WORDS and not ends_a_sentence(text))


def parse_article(text: str) -> list[Block]:
    """The article's blocks in order, with exact offsets into `text`."""
    chunks = split_chunks(text)
    kinds: list[str] = []
    credits: list[list[str]] = []
    for chunk in chunks:
        boilerplate = is_boilerplate(chunk.text)
        credit = find_credit(chunk.text) if not boilerplate else None
        if boilerplate:
            kinds.append("boilerplate")
        elif credit and credit[0] > 0:
            kinds.append("caption")
        else:
            kinds.append("paragraph")
        credits.append([chunk.text[s:e] for s, e in credit[1]] if credit and credit[0] > 0 else [])
    reading = [i for i, kind in enumerate(kinds) if kind != "boilerplate"]
    for n, i in enumerate(reading):
        following = reading[n + 1] if n + 1 < len(reading) else None
        if kinds[i] != "paragraph" or not _looks_like_title(chunks[i].text):
            continue
        words = len(chunks[i].text.split())
        # The first title-like line is the headline, unless it is a caption's short title.
        if n == 0 and following is not None and (words > 3 or kinds[following] != "caption"):
            kinds[i] = "headline"
        elif (following is not None and kinds[following] == "caption"
                and words <= 8 and not DATELINE.search(chunks[i].text)):
            kinds[i] = "caption_title"
    return [Block(f"b{i + 1}", kind, chunk.start, chunk.end, credit)
            for i, (chunk, kind, credit) in enumerate(zip(chunks, kinds, credits))]


def reading_pieces(text: str, block: Block) -> list[tuple[int, int]]:
    """The (start, end) of each stretch of a block that is read by spaCy, one doc each.

    An ordinary block is one piece, the block itself. Runs that are not prose are left out,
    so are long stretches far denser in tokens than prose, and no piece is longer than
    MAX_PIECE_CHARS, so spaCy's work per character is bounded.
    """
    if (block.end - block.start <= MAX_PIECE_CHARS and not NOT_PROSE.search(text, block.start, block.end)
            and _reads_as_prose(text, block.start, block.end)):
        return [(block.start, block.end)]
    pieces, pos = [], block.start
    for match in [*NOT_PROSE.finditer(text, block.start, block.end), None]:
        end = match.start() if match else block.end
        pieces += _cut(text, pos, end)
        if match:
            pos = match.end()
    return pieces


def _cut(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Stretches of text[start:end], whitespace trimmed, none over MAX_PIECE_CHARS."""
    pieces = []
    while True:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start <= MAX_PIECE_CHARS:
            return pieces + [(start, end)] if start < end and _reads_as_prose(text, start, end) else pieces
        limit = start + MAX_PIECE_CHARS
        # The last sentence end (or line break) in the second half of the window; else the
        # last space, which is there: runs without whitespace are at most MAX_WORD_CHARS.
        window = start + MAX_PIECE_CHARS // 2
        breaks = [stop for stop in sentence_ends(text, window, limit) if stop <= limit]
        breaks += [m.end() for m in LINE_BREAK.finditer(text, window, limit)]
        cut = max(breaks) if breaks else next(
            (i for i in range(limit, start + MAX_PIECE_CHARS // 2, -1) if text[i - 1].isspace()), limit)
        piece_end = len(text[start:cut].rstrip()) + start
        if _reads_as_prose(text, start, piece_end):
            pieces.append((start, piece_end))
        start = cut


def _reads_as_prose(text: str, start: int, end: int) -> bool:
    """False for a long stretch far denser in tokens than prose (see MIN_CHARS_PER_TOKEN)."""
    if end - start < DENSE_CHECK_CHARS:
        return True
    tokens = sum(1 for _ in TOKEN_LIKE.finditer(text, start, end))
    return tokens * MIN_CHARS_PER_TOKEN <= end - start


def credit_spans(text: str, block: Block) -> list[tuple[int, int]]:
    """Absolute (start, end) of each credited name in a caption block."""
    found = find_credit(text[block.start:block.end])
    if not found:
        return []
    return [(block.start + s, block.start + e) for s, e in found[1]]


def credit_start(text: str, block: Block) -> int | None:
    """Absolute offset where a caption's credit begins ("(Photo: ..."), if it has one."""
    if block.kind != "caption":
        return None
    found = find_credit(text[block.start:block.end])
    return block.start + found[0] if found else None
