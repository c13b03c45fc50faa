"""Reading an article: the page, the entity panel fragment, passage links and the JSON export.

An article's body (its blocks, with every name a link) is rendered once per version and
shared: the page, each panel state and each passage page are a small shell around the same
cached body pieces, and a shared passage is spliced into the few items it marks (issue 11).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from itertools import accumulate

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape
from werkzeug.exceptions import BadRequest, NotFound

from ..anchors import (
    MalformedLink,
    decode,
    make_anchor,
    preview,
    split_by_blocks,
)
from ..corrections import occurrences
from ..revisions import whole_words, word_diff
from ..similar import same_as_order
from ..store import Version, article_source, find_version, list_versions, load_analysis
from . import auth
from .articles import (
    cache,
    cache_control,
    find_passage,
    generation,
    get_version,
    get_view,
    panel_link,
    public_url,
    query_arg,
)
from .cache import Payload, deflate, digest, mark_cacheable
from .db import get_db
from .htmx import vary_on_htmx, wants_fragment
from .links import (
    PASSAGE_PARAMS,
    SharedPassage,
    article_description,
    is_passage_link,
    link_to,
    sentence_links,
)
from .marks import mark_item
from .quotations import quoted, quotes_of
from .views import MARK_CHOICES, RETYPE_CHOICES, ArticleView, Figure, type_label

bp = Blueprint("reader", __name__, url_prefix="/articles")

# Cut points in rendered HTML. Article text reaches the HTML only escaped, so a "<" here can
# only come from our templates: no article can forge these.
ITEM_BREAK = Markup("<!--item-->")
BODY_MARK = Markup("<!--article-body-->")
# The body is compressed in pieces of at least this many bytes (deflate's window): a passage
# page re-compresses only the piece holding its marked blocks and the one after it.
PIECE_BYTES = 32 * 1024
BODY_LEVEL = 9  # compressed once per version: worth the best ratio


# --- the body, rendered once per version ----------------------------------------------------

@dataclass
class ArticleBody:
    """An article's body as HTML: one piece per reading item, joined into pieces of at least
    PIECE_BYTES, each compressed (once) as it follows the piece before it."""

    items: list[bytes]             # the HTML of each reading item
    groups: list[tuple[int, int]]  # [first, last) item of each piece
    pieces: list[bytes]
    deflated: list[bytes]
    alone: list[bytes]  # each piece compressed on its own: for the piece after a changed one
    digests: list[bytes]
    item_of_block: dict[str, int]

    @property
    def size(self) -> int:
        return (2 * sum(map(len, self.pieces)) + sum(map(len, self.deflated))
                + sum(map(len, self.alone)) + 100 * len(self.items))


def render_items(version: Version, view: ArticleView, items: list) -> list[bytes]:
    """The HTML of each reading item (one render, cut at ITEM_BREAK)."""
    html = render_template("_article_body.html", items=items, version=version,
                           entity_urls=entity_links(version, view), item_break=ITEM_BREAK)
    return [part.encode("utf-8") for part in html.split(ITEM_BREAK)]


def entity_links(version: Version, view: ArticleView) -> dict[str, str]:
    """Each entity's link as the body writes it (the body is made once per version).

    Relative ("?entity=..."): the body is only ever shown at the article's own address, and
    the slug in 500 links was a fifth of a long article's page.
    """
    return {e: "?" + url_for("reader.article", slug=version.slug, version=version.pinned,
                             entity=e).partition("?")[2] for e in view.entities}


def item_blocks(item) -> list[str]:
    if isinstance(item, Figure):
        return [shown.block.id for shown in (item.title, item.caption) if shown is not None]
    return [item.block.id]


def make_body(version: Version, view: ArticleView) -> ArticleBody:
    items = render_items(version, view, view.items)
    groups, start, size = [], 0, 0
    for i, html in enumerate(items):
        size += len(html)
        if size >= PIECE_BYTES:
            groups.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(items) or not groups:
        groups.append((start, len(items)))
    pieces = [b"".join(items[a:b]) for a, b in groups]
    # The first piece follows the page's head, which differs from page to page: it refers
    # to nothing before it. Each later one follows the piece before it.
    deflated = [deflate(piece, BODY_LEVEL, pieces[n - 1] if n else b"")
                for n, piece in enumerate(pieces)]
    item_of_block = {block: i for i, item in enumerate(view.items) for block in item_blocks(item)}
    # A passage page changes a piece; the one after it, which may refer back into the
    # original, is then sent in this form, so that only the changed piece is compressed
    # per request (it was half of a first-seen passage link's time).
    alone = [deflated[0]] + [deflate(piece, BODY_LEVEL) for piece in pieces[1:]]
    return ArticleBody(items, groups, pieces, deflated, alone, [digest(p) for p in pieces],
                       item_of_block)


def get_body(version: Version, view: ArticleView) -> ArticleBody:
    # Entity links name the version when it is not the newest, so that is part of the key.
    key = ("body", version.id, view.revision, version.is_latest, request.script_root)
    return cache().get_or_make(key, lambda: make_body(version, view), lambda body: body.size)


@dataclass
class Shell:
    """A page's shell (its HTML around the body) cut where the body and a passage page's
    own parts go (CUT_MARKS), each fixed piece compressed and digested once: a passage page
    then compresses only its own few hundred bytes (compressing its 5-10 KB head and tail
    was a sixth of a first-seen passage link's time)."""

    pieces: list[bytes]  # the fixed pieces; cuts[n] goes between pieces[n] and pieces[n + 1]
    cuts: list[str]
    deflated: list[bytes]
    digests: list[bytes]

    @property
    def size(self) -> int:
        return sum(map(len, self.pieces)) + sum(map(len, self.deflated)) + 50 * len(self.pieces)


def cut_shell(html: str) -> Shell:
    parts = _CUT.split(html)
    pieces = [part.encode("utf-8") for part in parts[::2]]
    return Shell(pieces, parts[1::2], [deflate(piece, BODY_LEVEL) for piece in pieces],
                 [digest(piece) for piece in pieces])


def page_payload(shell: Shell, body: ArticleBody, fills: dict[str, str] | None = None,
                 replaced: dict[int, bytes] | None = None, shell_shared: bool = False) -> Payload:
    """The page: the shell's pieces around the body's shared pieces (and, for a passage
    page, its own parts in the shell's cuts and its own copies of the few body pieces that
    hold the marked blocks). `shell_shared`: the shell is kept apart, its bytes counted there.

    The page's own parts go as one piece with the few hundred bytes of shell between them
    (compressed per response, after the shell's piece before them): compressed apart, the
    second description and the notice's link could not refer back to the first copy, and a
    passage page was a tenth larger."""
    pieces, deflated, digests, shared = [], [], [], 0
    own: list[bytes] = []

    def lay_own():
        if own:
            pieces.append(b"".join(own))
            deflated.append(None)
            digests.append(None)
            own.clear()

    for n, fixed in enumerate(shell.pieces):
        if own and n < len(shell.cuts) and shell.cuts[n] != BODY_MARK:
            own.append(fixed)  # between two of the page's own parts
        else:
            lay_own()
            if fixed:
                pieces.append(fixed)
                deflated.append(shell.deflated[n])
                digests.append(shell.digests[n])
                shared += len(fixed) if shell_shared else 0
        if n == len(shell.cuts):
            break
        if shell.cuts[n] == BODY_MARK:
            shared += _body_pieces(body, replaced or {}, pieces, deflated, digests)
        else:
            own.append(fills[shell.cuts[n]].encode("utf-8"))
    lay_own()
    return Payload(pieces, deflated, shared, digests)


def _body_pieces(body: ArticleBody, replaced: dict[int, bytes], pieces: list, deflated: list,
                 digests: list) -> int:
    """Lay the body's pieces into a page's, with the marked items in place of theirs; the
    bytes laid that are the cached body's own."""
    shared, changed = 0, False
    firsts = [a for a, _ in body.groups]
    touched: dict[int, list[int]] = {}
    for i in sorted(replaced):
        touched.setdefault(bisect_right(firsts, i) - 1, []).append(i)
    for n, (a, b) in enumerate(body.groups):
        mine = touched.get(n)
        if mine:
            pieces.append(b"".join(replaced.get(i, body.items[i]) for i in range(a, b)))
            deflated.append(None)
            # Its digest from the piece's and what replaced which bytes of it: hashing the
            # whole 32 KB piece again cost as much as compressing the page's head.
            starts = list(accumulate((len(body.items[i]) for i in range(a, b)), initial=0))
            changes = [b"%d:%d:" % (starts[i - a], len(body.items[i])) + digest(replaced[i])
                       for i in mine]
            digests.append(digest(b"".join([body.digests[n], *changes])))
            changed = True
        else:
            pieces.append(body.pieces[n])
            # A piece compressed after the original of a changed piece goes as compressed
            # on its own.
            deflated.append(body.alone[n] if changed else body.deflated[n])
            digests.append(body.digests[n])
            shared += len(body.pieces[n])
            changed = False
    return shared


# --- the article page and the panel ---------------------------------------------------------

# The query parameters article pages read. A URL with others is kept under the URL without
# them (cache.canonical_query), or, when they are not plain, served and not kept: made-up
# query strings cannot fill the cache with copies of one page.
ARTICLE_PARAMS = PASSAGE_PARAMS | {"version", "entity"}
HTML = "text/html; charset=utf-8"


def html_response(payload: Payload, version: Version) -> Response:
    # The headers given at once, and the pieces (bytes) passed through as they are: setting
    # each header, and wrapping the body to encode it, cost more than the view's own work.
    response = current_app.response_class(payload.pieces, direct_passthrough=True, headers=[
        ("Content-Type", HTML), ("Cache-Control", cache_control())])
    # Other parameters (utm_source=... on a shared link) change nothing: the cache keeps the
    # page once, under the URL without them, and replays it for each such URL.
    mark_cacheable(request.environ, payload, keep=False, params=ARTICLE_PARAMS)
    return vary_on_htmx(response)


@bp.get("/<slug>")
def article(slug):
    fragment = wants_fragment()
    if is_passage_link(request.args) and not fragment:
        return passage_page(slug)
    version = get_version(slug)
    entity_id = query_arg("entity") or None
    # The panel and the shell are kept too, for URLs the response cache has not seen (an
    # unknown query parameter, a first visit after an add): Flask then only joins pieces,
    # without the parsed view. (The payload keeps its gzipped form and ETag once made.)
    key = state_key(version, entity_id)
    if fragment:
        def make():
            view = get_view(version)
            return Payload([panel_html(version, view, get_entity(view, entity_id)).encode("utf-8")])

        payload = visitor_cache().get_or_make(("panel", *key), make,
                                              lambda panel: panel.length + panel.length // 3)
    else:
        def make():
            view = get_view(version)
            shell = render_shell(version, view, get_entity(view, entity_id),
                                 description=article_description(view))
            return page_payload(cut_shell(shell), get_body(version, view))

        payload = visitor_cache().get_or_make(("page", *key), make,
                                              lambda page: page.own_bytes + page.length // 4)
    return html_response(payload, version)


def state_key(version: Version, entity_id: str | None) -> tuple:
    """What a page, its panel or its passage shell depends on besides the article."""
    return (generation(), version.id, entity_id, request.script_root, visitor())


def panel_html(version: Version, view: ArticleView, entity) -> Markup:
    """The panel, rendered once per page state and shared by the htmx fragment, the page
    and its passage pages."""
    return visitor_cache().get_or_make(
        ("panel html", *state_key(version, entity.id if entity else None)),
        lambda: Markup(render_template("_panel.html", entity=entity,
                                       **panel_context(version, view, entity))),
        lambda html: 2 * len(html))


def visitor() -> str:
    """What the panel's correction forms depend on besides the article: whether this visitor
    may change it (see auth.change_refused), so that no one is shown another's forms."""
    return "editor" if g.get("logged_in") else g.get("editor") or auth.change_refused()


class _Uncached:
    """Makes every time: a logged-in editor's forms carry their own CSRF token."""

    @staticmethod
    def get_or_make(key, make, size_of):
        return make()


def visitor_cache():
    """The cache for pages and panels, which hold forms: none for a logged-in editor, nor
    for the page that says what a change just did (auth.announcing)."""
    return _Uncached if g.get("logged_in") or auth.announcing() else cache()


def get_entity(view: ArticleView, entity_id: str | None):
    if entity_id is None:
        return None
    entity = view.entities.get(entity_id)
    if entity is None:
        abort(404, "This article mentions no such person, organisation, country or place.")
    return entity


def panel_context(version: Version, view: ArticleView, entity) -> dict:
    slug, pinned = version.slug, version.pinned
    context = dict(close_url=url_for("reader.article", slug=slug, version=pinned),
                   correct_url=url_for("corrections.correct", slug=slug, version=pinned),
                   history_url=url_for("corrections.history", slug=slug),
                   not_applied=[o for o in view.outcomes if o.correction.active and not o.applied],
                   merge_offers=[], mark_offers=[], same_as=[],
                   at_desk=g.get("editor") == "local", retypes=RETYPE_CHOICES,
                   mark_types=MARK_CHOICES, type_label_of=type_label)
    if entity is not None:
        mentions = view.panel_mentions(entity)
        context.update(mentions=mentions, spellings=view.spellings(entity),
                       type_label=type_label(entity.type),
                       entity_url=url_for("reader.article", slug=slug, version=pinned, entity=entity.id),
                       sentence_links=sentence_links(version, view, mentions),
                       also_in=panel_link(version.article_id, entity.id),
                       quotes=quotes_of(version, view, entity),
                       merge_offers=merge_offers(view, entity),
                       mark_offers=mark_offers(view, entity),
                       same_as=same_as_order(entity, [other for other in view.entities.values()
                                                      if other is not entity and other.mentions]))
    return context


def merge_offers(view: ArticleView, entity) -> list:
    """The entities a note on this one says it may be ("Possibly the same person as “X”"):
    each is offered as a one-click merge (issue 10)."""
    return [other for other in view.entities.values()
            if other is not entity and other.mentions
            and any(note.startswith("Possibly the same") and f"“{other.name}”" in note
                    for note in entity.notes)]


def mark_offers(view: ArticleView, entity) -> list[tuple[str, int]]:
    """For a name an editor marked: its words and how many other times they stand in the
    article unhighlighted, offered to mark everywhere (issue 10)."""
    if not any(m.id.startswith("c") for m in entity.mentions):  # "c<id>": marked by an editor
        return []
    covered = [(m.start, m.end) for e in view.analysis.entities for m in e.mentions]
    offers = []
    for words in view.spellings(entity):
        left = [s for s in occurrences(view.analysis.text, words)
                if not any(a < s + len(words) and s < b for a, b in covered)]
        if left:
            offers.append((words, len(left)))
    return offers


def render_shell(version: Version, view: ArticleView, entity, *, description: str,
                 passage: str | None = None, og_url: str | None = None) -> str:
    """The page around the body (head, notices, legend, footer, the panel), with BODY_MARK
    where the body goes."""
    return render_template("article.html", version=version, view=view, entity=entity,
                           body=BODY_MARK, description=description, passage=passage,
                           og_url=og_url, source=article_source(get_db(), version.article_id),
                           panel=panel_html(version, view, entity), quoted=quoted(view),
                           close_url=url_for("reader.article", slug=version.slug,
                                             version=version.pinned))


# A passage page's shell is made once per version and entity with these where the passage's
# own parts go, and filled per link: rendering the whole shell was half of its cost.
DESCRIPTION_MARK = Markup("<!--description-->")
OG_URL_MARK = Markup("<!--og-url-->")
NOTICE_MARK = Markup("<!--passage-notice-->")
CUT_MARKS = (BODY_MARK, DESCRIPTION_MARK, OG_URL_MARK, NOTICE_MARK)
_CUT = re.compile("(" + "|".join(map(re.escape, CUT_MARKS)) + ")")


def passage_shell(version: Version, view: ArticleView, entity) -> Shell:
    key = ("passage shell", *state_key(version, entity.id if entity else None))
    return visitor_cache().get_or_make(key, lambda: cut_shell(render_shell(
        version, view, entity, description=DESCRIPTION_MARK, og_url=OG_URL_MARK,
        passage=NOTICE_MARK)), lambda shell: shell.size)


def passage_fills(passage: SharedPassage, description: str, og_url: str) -> dict[str, str]:
    """What goes into a passage shell's cuts."""
    return {DESCRIPTION_MARK: escape(description), OG_URL_MARK: escape(og_url),
            NOTICE_MARK: passage_notice(passage)}


LINK_MARK = Markup("<!--passage-link-->")


def passage_notice(passage: SharedPassage) -> str:
    """The notice above a passage page. A passage found as it was quoted has the same one
    for every link to the article but for the link itself: rendered once per way it was
    found, the link filled in (rendering it was a twelfth of a first-seen link's time)."""
    if not passage.found or passage.changes:
        return render_template("_passage_notice.html", passage=passage)
    key = ("passage notice", passage.resolution.method, passage.edited, passage.clear_url)
    notice = cache().get_or_make(key, lambda: render_template(
        "_passage_notice.html", passage=replace(passage, link=LINK_MARK)), lambda html: 2 * len(html))
    return notice.replace(LINK_MARK, escape(passage.link))


# --- shared passages (issue 4) ------------------------------------------------------------

def marked_items(view: ArticleView, body: ArticleBody, pieces) -> dict[int, bytes]:
    """The HTML of each reading item the passage touches, marked: spliced into the cached
    item (a Jinja render of the marked blocks was a quarter of a first-seen link's time)."""
    spans: dict[int, dict[str, tuple[int, int, int]]] = {}
    for piece in pieces:
        item = body.item_of_block.get(piece.block)
        if item is not None:
            block_start = view.blocks[piece.block].start
            spans.setdefault(item, {})[piece.block] = (block_start, piece.start, piece.end)
    return {item: mark_item(body.items[item].decode("utf-8"), item_spans).encode("utf-8")
            for item, item_spans in spans.items()}


def passage_page(slug: str):
    """The article opened by a passage link, the passage marked, or the honest failures.

    The rule for a link we cannot read (negative, reversed or huge offsets, broken
    encoding, oversized quotes): a 400 page that says what is wrong in plain words and
    links to the article, rather than the article as if nothing was shared. Nothing from
    the link is ever redirected to. The page shares the version's cached body: only the
    items the passage touches are its own, marked.
    """
    try:
        # The raw query, not request.args: Werkzeug keeps percent-encoding that is not
        # UTF-8 as literal "%FF" text, and the link would look like a changed quote.
        # (security.check_query_is_utf8 has made sure the raw bytes are UTF-8.)
        anchor, problem = decode(request.query_string.decode("utf-8")), None
    except MalformedLink as error:
        anchor, problem = None, error
    try:
        version = get_version(slug)
    except NotFound as error:
        error.quote = anchor.quote if anchor else None  # shown on the 404 page
        raise
    if problem is not None:
        error = BadRequest(f"This passage link is broken: {problem}")
        error.article_url = url_for("reader.article", slug=slug)
        raise error
    view = get_view(version)
    entity = get_entity(view, query_arg("entity") or None)
    text = view.analysis.text
    resolution = find_passage(version, view, anchor)
    pieces = []
    linked_quote = anchor.quote  # what the link quoted, before it is remade on this version
    if resolution.found:
        pieces = split_by_blocks(resolution.start, resolution.end, view.analysis.blocks)
        try:  # shared again, the link points at the shown version
            anchor = make_anchor(text, resolution.start, resolution.end, version.hash)
        except ValueError:
            pass
    link = link_to(anchor, slug)
    was_here = (not pieces and bool(anchor.version) and anchor.version != version.hash
                and find_version(get_db(), slug, anchor.version) is not None)
    passage = SharedPassage(anchor=anchor, resolution=resolution, pieces=pieces, link=link,
                            clear_url=url_for("reader.article", slug=slug, version=version.pinned),
                            was_here=was_here)
    if passage.found and passage.edited:  # the link's quote beside today's words (issue 19)
        today = text[slice(*whole_words(text, resolution.start, resolution.end))]
        passage = replace(passage, changes=tuple(word_diff(linked_quote, today)))
    # Honest previews (issue 7): quote only what the article says, never the link's q=.
    if passage.found and passage.edited:
        description = ("This passage changed after the link was made. The article now says: "
                       + preview(today))
    elif passage.found:
        description = preview(text[resolution.start:resolution.end])
    else:
        description = "The passage this link quotes is not in the article."
    fills = passage_fills(passage, description,
                          public_url(link.partition("#")[0]))  # og:url: without the fragment
    body = get_body(version, view)
    replaced = {}
    if passage.found:
        replaced = marked_items(view, body, pieces)
    payload = page_payload(passage_shell(version, view, entity), body, fills, replaced,
                           shell_shared=not g.get("logged_in"))
    return html_response(payload, version)


@bp.get("/<slug>/passage-link")
def passage_link(slug):
    """The link to a selection, for passages.js: ?start=&end= are code-point offsets into
    the text of the version asked for (?version=, else the newest). The link is made here
    rather than in JavaScript so that there is one encoding of it.

    A browser following it as a page (the ¶ link of a paragraph, without JavaScript) is
    sent on to the passage; scripts get JSON.
    """
    version = get_version(slug)
    start = request.args.get("start", type=int)
    end = request.args.get("end", type=int)
    if start is None or end is None:
        abort(400, "A passage needs whole-number start and end offsets.")
    text = get_view(version).analysis.text
    try:
        anchor = make_anchor(text, start, end, version.hash)
    except ValueError as error:
        abort(400, f"No link can be made to that selection: {error}.")
    url = link_to(anchor, slug)
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        response = redirect(url, 303)
    else:
        response = jsonify(url=url, quote=anchor.exact, start=anchor.start, end=anchor.end,
                           version=version.hash)
    response.headers["Vary"] = "Accept"
    return response  # not replayed: cheap, and the cache's key does not hold Accept


@bp.get("/<slug>.json")
def export(slug):
    """The analysis in the DESIGN.md format, with the title and version as extra fields;
    serialised once per version and generation (the response cache keeps it)."""
    version = get_version(slug)
    view = get_view(version)
    data = view.analysis.to_json()
    # Both the machine's guess and the editors' corrections (issue 10), the same keys
    # whether or not there are any (issue 18): without corrections, the guess is the result.
    data["machine_entities"] = ([e.to_json() for e in load_analysis(get_db(), version.id).entities]
                                if view.outcomes else data["entities"])
    data["corrections"] = [dict(o.correction.to_json(), applied=o.applied) for o in view.outcomes]
    data.update(slug=version.slug, title=version.title, version=version.hash,
                version_number=version.number, added_at=version.added_at,
                versions=list_versions(get_db(), version.article_id))
    response = jsonify(data)
    response.headers["Cache-Control"] = cache_control()
    mark_cacheable(request.environ)
    return response
