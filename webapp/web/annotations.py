"""/articles/<slug>/annotations.jsonld: the mentions (and a link's passage) as Web Annotations."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, json, request, url_for

from ..anchors import MalformedLink, decode
from ..annotations import annotation_collection
from .articles import cache_control, find_passage, get_version, get_view, public_url
from .cache import mark_cacheable
from .links import PASSAGE_PARAMS, is_passage_link

bp = Blueprint("annotations", __name__, url_prefix="/articles")


@bp.get("/<slug>/annotations.jsonld")
def collection(slug):
    """?version= picks a version (else the newest); a passage link's parameters add the
    passage it names, if it is found in that version."""
    version = get_version(slug)
    view = get_view(version)
    passage = None
    if is_passage_link(request.args):
        try:
            anchor = decode(request.query_string.decode("utf-8"))
        except MalformedLink as problem:  # raw bytes that are not UTF-8 never get here (security.py)
            abort(400, f"This passage link is broken: {problem}")
        resolution = find_passage(version, view, anchor)
        if resolution.found:
            passage = (resolution.start, resolution.end)
    source = public_url(url_for("reader.article", slug=version.slug, version=version.hash))
    data = annotation_collection(
        view.analysis, collection_id=public_url(request.full_path.rstrip("?")), source=source,
        title=version.title,
        entity_urls={e.id: public_url(url_for("reader.article", slug=version.slug,
                                              version=version.hash, entity=e.id))
                     for e in view.analysis.entities},
        passage=passage)
    response = current_app.response_class(json.dumps(data, ensure_ascii=False),
                                          mimetype="application/ld+json")
    response.headers["Cache-Control"] = cache_control()
    # Made-up query strings are served but not kept (as the reader's pages).
    mark_cacheable(request.environ, keep=(PASSAGE_PARAMS | {"version"}).issuperset(request.args.keys()))
    return response
