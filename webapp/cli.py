"""The `dramatis` command: annotate, eval, add, serve."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .analysis.article import ArticleError, read_article
from .analysis.pipeline import ModelNotInstalled
from .db import DatabaseNotUsable
from .web.security import ConfigError


class CommandError(Exception):
    """A failure the command reports as one line on stderr."""


def read_article_file(path: str) -> str:
    file = Path(path)
    if not file.exists():
        raise CommandError(f"{path}: no such file")
    if not file.is_file():
        raise CommandError(f"{path}: not a file")
    try:
        return read_article(file.read_bytes())
    except ArticleError as exc:
        raise CommandError(f"{path}: {exc}") from None
    except OSError as exc:
        raise CommandError(f"{path}: cannot read ({exc.strerror})") from None


def cmd_annotate(args) -> None:
    from .analysis import analyse

    analysis = analyse(read_article_file(args.file))
    if args.json:
        json.dump(analysis.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        print(summary(analysis))


def summary(analysis) -> str:
    lines = []
    for kind in ("person", "organization", "country", "place"):
        entities = [e for e in analysis.entities if e.type == kind]
        if not entities:
            continue
        lines.append(f"{kind} ({len(entities)})")
        for entity in sorted(entities, key=lambda e: (-len(e.mentions), e.name)):
            note = f"  - {'; '.join(entity.notes)}" if entity.notes else ""
            lines.append(f"  {entity.name}: {len(entity.mentions)} mention"
                         f"{'s' if len(entity.mentions) != 1 else ''}{note}")
    return "\n".join(lines) if lines else "no people, organisations or countries found"


def cmd_eval(args) -> None:
    from .evaluation import DEFAULT_EVAL_DIR, run

    eval_dir = Path(args.eval_dir) if args.eval_dir else DEFAULT_EVAL_DIR
    if not (eval_dir / "score.py").is_file():
        raise CommandError(f"{eval_dir}: no evaluation data there (score.py missing); "
                           "pass --eval-dir")
    if not run(eval_dir, repeat=args.repeat):
        raise CommandError("some targets were missed (see above)")


SAMPLE_ARTICLE = Path(__file__).resolve().parent / "samples" / "harbour-deal.txt"


def article_path(app, slug: str) -> str:
    from flask import url_for

    with app.test_request_context():
        return url_for("reader.article", slug=slug)


def cmd_add(args) -> None:
    from . import create_app
    from .analysis import analyse
    from .db import get_db
    from .store import ArticleExists, save_analysis

    # Read every file first, so that a missing or binary one stops before anything is stored.
    articles = [(path, read_article_file(path)) for path in args.files]
    app = create_app()
    with app.app_context():
        for path, text in articles:
            try:
                added = save_analysis(get_db(), analyse(text), new_version=args.replace)
            except ArticleExists as exc:
                raise CommandError(
                    f"{path}: an article with this title is already stored at "
                    f"{article_path(app, exc.slug)}; add --replace to store this text as "
                    "a new version of it") from None
            if not added.new_version:
                print(f"{path}: already stored, unchanged", file=sys.stderr)
            elif not added.new_article:
                print(f"{path}: stored as a new version ({added.version})", file=sys.stderr)
            print(article_path(app, added.slug), flush=True)


def add_sample(app) -> str:
    """Store the bundled sample article unless it is there already; its URL path."""
    from .db import get_db
    from .store import ArticleExists, find_text, save_analysis

    text = read_article_file(str(SAMPLE_ARTICLE))
    with app.app_context():
        slug = find_text(get_db(), text)
        if slug is None:  # analyse only the first time: it loads the spaCy model
            from .analysis import analyse

            try:
                slug = save_analysis(get_db(), analyse(text), new_version=False).slug
            except ArticleExists as exc:
                slug = exc.slug
    return article_path(app, slug)


def cmd_serve(args) -> None:
    from . import create_app
    from .server import make_server

    app = create_app()
    opening = add_sample(app) if args.sample else "/"
    try:
        server = make_server(app, host=args.host, port=args.port, threads=args.threads)
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Dramatis is serving {app.config['DATABASE']}\n"
          f"Open http://{host}:{server.effective_port}{opening} (Ctrl+C stops it)", flush=True)
    server.run()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dramatis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    annotate = commands.add_parser("annotate", help="analyse one article and print the result")
    annotate.add_argument("file")
    annotate.add_argument("--json", action="store_true", help="print the analysis JSON")
    annotate.set_defaults(run=cmd_annotate)
    evaluate = commands.add_parser(
        "eval", help="score the analysis on ../shared/eval beside raw spaCy, and time it")
    evaluate.add_argument("--eval-dir", help="folder with score.py and the gold files")
    evaluate.add_argument("--repeat", type=int, default=5, help="timing runs (median is shown)")
    evaluate.set_defaults(run=cmd_eval)
    add = commands.add_parser("add", help="analyse articles and store them; print their URL paths")
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--replace", action="store_true",
                     help="store a new version of an article whose title is already stored "
                          "(without it, that is an error; the same text again is a no-op)")
    add.set_defaults(run=cmd_add)
    serve = commands.add_parser("serve", help="serve the reader with waitress")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    serve.add_argument("--threads", type=int, default=4)
    serve.add_argument("--sample", action="store_true",
                       help="add the bundled sample article first (if not stored) and open it")
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (CommandError, ModelNotInstalled, ConfigError, DatabaseNotUsable) as exc:
        print(f"dramatis: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
