"""Deleting and renaming an article: a confirmation page (no JavaScript needed), then a POST."""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from ..store import ArticleExists, delete_article, find_article, rename_article
from .articles import article_added
from .db import get_db

bp = Blueprint("editing", __name__, url_prefix="/articles")


def article_row(slug: str) -> dict:
    article = find_article(get_db(), slug)
    if article is None:
        abort(404, "There is no article at this address.")
    return article


@bp.get("/<slug>/delete")
def delete(slug):
    return render_template("confirm_delete.html", article=article_row(slug))


@bp.post("/<slug>/delete")
def confirm_delete(slug):
    if delete_article(get_db(), slug) is None:
        abort(404, "There is no article at this address.")
    article_added()  # the store changed: cached pages must not show it any more
    return redirect(url_for("library.index"), 303)


@bp.get("/<slug>/rename")
def rename(slug):
    article = article_row(slug)
    return render_template("rename.html", article=article, title=article["title"], error=None)


@bp.post("/<slug>/rename")
def save_title(slug):
    article = article_row(slug)
    title = request.form.get("title", "")
    try:
        if not rename_article(get_db(), slug, title):
            abort(404, "This article was removed.")
    except ValueError:
        return render_template("rename.html", article=article, title=title,
                               error="A title cannot be empty."), 400
    except ArticleExists as exists:
        return render_template("rename.html", article=article, title=title,
                               error="Another article already has that title.",
                               other=exists.slug), 409
    article_added()
    return redirect(url_for("reader.article", slug=slug), 303)
