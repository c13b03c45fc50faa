"""The `dramatis` command: annotate, eval, add, serve."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .article import ArticleError, read_article
from .pipeline import ModelNotInstalled


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dramatis", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    annotate = commands.add_parser("annotate", help="analyse one article and print the result")
    annotate.add_argument("file")
    annotate.add_argument("--json", action="store_true", help="print the analysis JSON")
    annotate.set_defaults(run=cmd_annotate)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except (CommandError, ModelNotInstalled) as exc:
        print(f"dramatis: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
