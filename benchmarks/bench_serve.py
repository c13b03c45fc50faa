"""Serving throughput and latency beside a "hello" Flask app, page weight, and server memory.

    python benchmarks/bench_serve.py [--seconds 4] [--rounds 2] [--clients 32] [--articles 10]

Stores china-russia (../shared/eval) and a 50,000-character article (news and other GUM texts
joined) with `dramatis add`, starts `dramatis serve` and a "hello" Flask app under the same
waitress settings, and drives each with wrk (a separate C load generator: `apt-get install
wrk`), 32 keep-alive connections sending Accept-Encoding: gzip as browsers do (one run
without), alternating Dramatis and hello runs so that drift on the shared machine hits both
alike. For each path it prints requests/s, the ratio to hello
(target >= 0.9x) and p99 latency (target < 20 ms). Which requests are cache hits:

- "article page, replayed", "panel fragment", "passage link, repeated", "JSON export",
  "library page": the same URL again and again; after the first request these are replayed
  by the response cache in front of Flask (webapp/web/cache.py), no Flask routing.
- "article page, new tracking parameter": a new plain parameter the page does not read on
  every request (?n=..., as utm_source=... on shared links): replayed too, from the one
  entry kept under the URL without it (cache.canonical_query); "new encoded tracking
  value" the same with a percent-encoded value (?utm_campaign=Morning%20Briefing&n=...).
- "article page through Flask": a new query string on every request that the cache cannot
  set aside (?x=%FF&n=...: percent-encoded bytes that are not UTF-8, which only the view may
  judge), so every request goes through Flask, which takes the version's cached shell and
  body pieces (pre-compressed) and joins them: the cost of any page the cache has not kept.
- "passage link, first-seen": every request a different passage (a link to a new span of
  the text), so every request goes through Flask, resolves the passage (no resolution is
  cached yet), splices its marks into the cached HTML of the items it touches
  (web/marks.py) and compresses the one 32 KB piece they change (with ISA-L).

Then: CPU time per request inside the app (in this process, no waitress), beside hello's;
the page's weight (HTML alone, and with its CSS and JS, plain and gzipped; target
< 50 KB gzipped for the 50k article), and the server's resident memory after adding (with
`dramatis add`, in another process, as an editor would) N further 50,000-character articles
and browsing every panel of each (page and htmx fragment), beside hello's (target < 250 MB).
With --adding, also times adding an article through the form (analysis + storage) against
analyse() alone. Prints figures; asserts nothing: timings on a shared 2-core machine are noisy.
"""
from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.cli import SAMPLE_ARTICLE  # noqa: E402
from webapp.evaluation import DEFAULT_EVAL_DIR, eval_sets  # noqa: E402

LONG_CHARS = 50_000
PASSAGES_PER_RUN = 10_000  # more than one run asks for
GZIP = {"Accept-Encoding": "gzip"}  # as browsers send it

HELLO_APP = """
import sys
from flask import Flask
from waitress import create_server
app = Flask("hello")
@app.get("/")
def hello():
    return "Hello, World!"
server = create_server(app, host="127.0.0.1", port=0, threads=int(sys.argv[1]),
                       max_request_body_size=int(sys.argv[2]), ident="dramatis")
print(f"Open http://127.0.0.1:{server.effective_port}/", flush=True)
server.run()
"""

# wrk: a new query string per request (n=<thread>-<count>-<round>), or the next of a list
# of paths, each thread its own share of the list.
UNIQUE_LUA = """
local counter = 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) base = args[1]; round = args[2]; counter = 0 end
function request()
  counter = counter + 1
  return wrk.format("GET", base .. "n=" .. id .. "-" .. counter .. "-" .. round, headers_)
end
"""
LIST_LUA = """
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) start = tonumber(args[1]); step = tonumber(args[2]); counter = 0 end
function request()
  local i = start + id + counter * step
  counter = counter + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
"""


def long_article(index: int = 0) -> str:
    """A 50,000-character article: GUM texts joined, starting at a different one each index."""
    sets = eval_sets(DEFAULT_EVAL_DIR)
    docs = [g["text"] for name in ("gum_news_public", "gum_other_public") for g in sets[name]]
    docs = docs[index % len(docs):] + docs[:index % len(docs)]
    body = "\n\n".join(d.strip() for d in docs)[:LONG_CHARS - 100]
    body = body[:body.rfind("\n\n")]
    return f"A long read, number {index + 1}, for the serving benchmark\n\n{body}\n"


def start(command: list[str], env: dict) -> tuple[subprocess.Popen, str]:
    """Start a server that prints "Open http://...", and return it with its base URL."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, env=env, cwd=ROOT)
    log = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        log.append(line)
        match = re.search(r"Open (http://[\d.]+:\d+)", line)
        if match:
            threading.Thread(target=process.stdout.read, daemon=True).start()  # drain
            return process, match.group(1)
    process.kill()
    sys.exit("server did not start:\n" + "".join(log))


def rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def get(base: str, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(urlsplit(base).hostname, urlsplit(base).port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url: str, args, headers: dict, script: str | None = None, script_args=()) -> dict:
    command = ["wrk", "-t2", f"-c{args.clients}", f"-d{args.seconds:g}s", "--latency", "--timeout", "10s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    command.append(url)
    if script_args:
        command += ["--", *map(str, script_args)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": rps, "p99": _ms(*p99.groups()) if p99 else float("nan"),
            "bad": int(bad.group(1)) if bad else 0,
            "errors": sum(map(int, errors.groups())) if errors else 0}


def passage_paths(text: str, slug: str, version: str, count: int) -> list[str]:
    """`count` links to different passages of the text (from a word, 40-400 characters)."""
    from webapp.anchors import encode, make_anchor
    from urllib.parse import urlencode

    starts = [m.start() for m in re.finditer(r"(?<=\s)\w", text)]
    paths, n = [], 0
    for length in range(40, 400, 3):
        for start in starts:
            end = min(len(text), start + length)
            try:
                anchor = make_anchor(text, start, end, version)
            except ValueError:
                continue
            paths.append(f"/articles/{slug}?" + urlencode(encode(anchor)))
            n += 1
            if n >= count:
                return paths
    return paths


def lua_with_paths(workdir: str, name: str, paths: list[str]) -> str:
    path = os.path.join(workdir, f"{name}.lua")
    with open(path, "w", encoding="ascii") as file:
        file.write("paths = {\n" + ",\n".join(json.dumps(p) for p in paths) + "\n}\n" + LIST_LUA)
    return path


def bench(args, workdir: str) -> None:
    from webapp import MAX_CONTENT_LENGTH

    env = {**os.environ, "DRAMATIS_DB": os.path.join(workdir, "bench.sqlite")}
    dramatis = [sys.executable, "-m", "webapp.cli"]
    long_file = Path(workdir, "long.txt")
    long_file.write_text(long_article(0), encoding="utf-8")
    # The scraped article opens with a photo caption, so it is given a title, as a user would.
    inputs = [[str(DEFAULT_EVAL_DIR / "china-russia.txt"), "--title", "China and Russia (scraped)"],
              [str(long_file)]]
    t0 = time.perf_counter()
    added = [line for one in inputs
             for line in subprocess.run(dramatis + ["add", *one], env=env, cwd=ROOT, check=True,
                                        capture_output=True, text=True).stdout.split()
             if line.startswith("/articles/")]
    print(f"added china-russia and a {LONG_CHARS:,}-character article in "
          f"{time.perf_counter() - t0:.0f} s: {' '.join(added)}")
    serve, serve_url = start(dramatis + ["serve", "--port", "0", "--threads", str(args.threads)], env)
    hello, hello_url = start([sys.executable, "-c", HELLO_APP, str(args.threads),
                              str(MAX_CONTENT_LENGTH)], env)
    lua_unique = os.path.join(workdir, "unique.lua")
    Path(lua_unique).write_text(UNIQUE_LUA.replace(", headers_", ", wrk.headers"))
    try:
        targets = [("hello", hello_url, "/", {}, None)]
        sites = {}
        for name, path in zip(("china-russia", "50k article"), added):
            data = json.loads(get(serve_url, f"{path}.json").body)
            slug = data["slug"]
            entity = max(data["entities"], key=lambda e: len(e["mentions"]))["id"]
            passages = passage_paths(data["text"], slug, data["version"],
                                     PASSAGES_PER_RUN * args.rounds + 1)
            sites[name] = (path, data)
            targets += [
                (f"{name}: article page, replayed", serve_url, path, GZIP, None),
                (f"{name}: article page, replayed, no gzip", serve_url, path, {}, None),
                (f"{name}: article page, new tracking parameter", serve_url, path, GZIP,
                 ("unique", f"{path}?")),
                (f"{name}: article page, new encoded tracking value", serve_url, path, GZIP,
                 ("unique", f"{path}?utm_campaign=Morning%20Briefing&")),
                (f"{name}: article page through Flask", serve_url, path, GZIP,
                 ("unique", f"{path}?x=%FF&")),
                (f"{name}: panel fragment", serve_url, f"{path}?entity={entity}",
                 {"HX-Request": "true", **GZIP}, None),
                (f"{name}: passage link, repeated", serve_url, passages[0], GZIP, None),
                (f"{name}: passage link, first-seen", serve_url, "/", GZIP,
                 ("list", lua_with_paths(workdir, slug, passages[1:]))),
                (f"{name}: JSON export", serve_url, f"{path}.json", GZIP, None),
            ]
        targets.append(("library page", serve_url, "/", GZIP, None))
        for _, base, path, headers, special in targets:  # warm up: lazy imports, the body
            if not special:
                get(base, path, headers)
        print(f"wrk, {args.clients} keep-alive connections, {args.seconds:g} s a run, "
              f"{args.rounds} rounds, waitress threads={args.threads}, {os.cpu_count()} CPUs "
              f"shared with the load generator; load average {os.getloadavg()[0]:.1f}")
        results: dict[str, list[dict]] = {t[0]: [] for t in targets}
        hello_runs: list[dict] = []
        offset = 0
        for round_ in range(args.rounds):
            for name, base, path, headers, special in targets[1:]:
                hello_runs.append(wrk(hello_url + "/", args, GZIP))
                if special is None:
                    results[name].append(wrk(base + path, args, headers))
                elif special[0] == "unique":
                    results[name].append(wrk(base + "/", args, headers, lua_unique,
                                             (special[1], round_)))
                else:  # each run takes passages no run has asked for yet
                    results[name].append(wrk(base + "/", args, headers, special[1], (offset, 2)))
                    offset += PASSAGES_PER_RUN
        hello_rps = statistics.median(r["rps"] for r in hello_runs)
        hello_p99 = statistics.median(r["p99"] for r in hello_runs)
        print(f"  {'hello':48} {hello_rps:7.0f} req/s  1.00x         p99 {hello_p99:6.1f} ms")
        for name, runs in list(results.items())[1:]:
            rps = statistics.median(r["rps"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            bad = sum(r["bad"] + r["errors"] for r in runs)
            print(f"  {name:48} {rps:7.0f} req/s  {rps / hello_rps:5.2f}x hello  p99 {p99:6.1f} ms"
                  + (f"  errors {bad}" if bad else ""))
        page_weight(serve_url, sites)
        cpu_per_request(env["DRAMATIS_DB"], sites)
        memory(args, env, dramatis, serve, serve_url, hello, workdir)
    finally:
        for process in (serve, hello):
            process.terminate()
            process.wait(timeout=10)


def page_weight(serve_url: str, sites: dict) -> None:
    print("page weight (bytes: plain / gzip):")
    for name, (path, _) in sites.items():
        plain = get(serve_url, path)
        zipped = get(serve_url, path, {"Accept-Encoding": "gzip"})
        assert gzip.decompress(zipped.body) == plain.body
        assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', plain.body)
        asset_plain = asset_zipped = 0
        for asset in assets:
            asset = asset.decode()
            asset_plain += len(get(serve_url, asset).body)
            asset_zipped += len(get(serve_url, asset, {"Accept-Encoding": "gzip"}).body)
        mentions = plain.body.count(b'data-mention="')
        print(f"  {name}: page {len(plain.body):,} / {len(zipped.body):,}; with its "
              f"{len(assets)} CSS and JS files {len(plain.body) + asset_plain:,} / "
              f"{len(zipped.body) + asset_zipped:,} (target < 51,200 for the 50k article); "
              f"{mentions} highlights, {len(plain.body) / max(1, mentions):.0f} bytes of page each")


def cpu_per_request(database: str, sites: dict, batches: int = 7, size: int = 300) -> None:
    """CPU time per request inside the WSGI app (no waitress, no sockets), the best of a few
    batches: steadier than wrk on a machine shared with other work, and it shows the app's
    own cost of the paths that go through Flask."""
    from flask import Flask
    from werkzeug.test import EnvironBuilder

    os.environ["DRAMATIS_DB"] = database
    from webapp import create_app

    hello = Flask("hello")
    hello.get("/")(lambda: "Hello, World!")
    app = create_app()

    def environ(path, query=""):
        return EnvironBuilder(path=path, query_string=query, headers={
            "Host": "127.0.0.1", **GZIP}).get_environ()

    def best(wsgi, make):
        times = []
        for batch in range(batches):
            environs = make(batch)
            t0 = time.process_time()
            for one in environs:
                body = wsgi(one, lambda status, headers, exc_info=None: None)
                b"".join(body)
                getattr(body, "close", lambda: None)()
            times.append((time.process_time() - t0) / len(environs) * 1000)
        return min(times)

    base = best(hello, lambda b: [environ("/", f"n={b}-{i}") for i in range(size)])
    print(f"CPU per request in the WSGI app, best of {batches} batches of {size}: "
          f"hello {base:.3f} ms")
    for name, (path, data) in sites.items():
        passages = [p.partition("?")[2] for p in passage_paths(
            data["text"], data["slug"], data["version"], batches * size)]
        rows = [("article page, replayed", lambda b: [environ(path) for _ in range(size)]),
                ("article page through Flask",
                 lambda b: [environ(path, f"x=%FF&n={b}-{i}") for i in range(size)]),
                ("passage link, first-seen",
                 lambda b: [environ(path, q) for q in passages[b * size:(b + 1) * size]])]
        for label, make in rows:
            ms = best(app, make)
            print(f"  {name}: {label:28} {ms:.3f} ms  ({ms / base:.1f}x hello's)")


def memory(args, env, dramatis, serve, serve_url, hello, workdir) -> None:
    if not args.articles:
        return
    files = []
    for n in range(args.articles):
        path = Path(workdir, f"long-{n + 1}.txt")
        path.write_text(long_article(n + 1), encoding="utf-8")
        files.append(str(path))
    t0 = time.perf_counter()
    out = subprocess.run(dramatis + ["add", *files], env=env, cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    paths = [line for line in out if line.startswith("/articles/")]
    before, _ = rss_mb(serve.pid)
    requests = 0
    for path in paths:
        entities = json.loads(get(serve_url, f"{path}.json").body)["entities"]
        get(serve_url, path, {"Accept-Encoding": "gzip"})
        for entity in entities:
            for headers in ({"HX-Request": "true", "Accept-Encoding": "gzip"}, {}):
                get(serve_url, f"{path}?entity={entity['id']}", headers)
                requests += 1
    rss, peak = rss_mb(serve.pid)
    hello_rss, _ = rss_mb(hello.pid)
    print(f"memory: added {len(paths)} articles of {LONG_CHARS:,} characters with `dramatis add` "
          f"({time.perf_counter() - t0:.0f} s), browsed {requests} panels (htmx fragment and "
          f"whole page each): dramatis serve {rss:.0f} MB resident (peak {peak:.0f} MB, "
          f"{before:.0f} MB before browsing); hello {hello_rss:.0f} MB; target < 250 MB")


def bench_adding(args, workdir: str) -> None:
    from webapp import create_app
    from webapp.analysis import analyse
    from webapp.analysis.article import clean_article_text
    from webapp.analysis.pipeline import get_nlp

    texts = {"sample": SAMPLE_ARTICLE.read_text("utf-8")}
    china = DEFAULT_EVAL_DIR / "china-russia.txt"
    if china.exists():
        texts["china-russia"] = china.read_text("utf-8")
    get_nlp()
    app = create_app({"DATABASE": os.path.join(workdir, "adding.sqlite")})
    client = app.test_client()
    print("adding an article (form post: analysis + storage) against analyse() alone, medians:")
    for name, text in texts.items():
        text = clean_article_text(text)
        analyse(text)
        alone, adding = [], []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            analyse(text)
            alone.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            response = client.post("/articles", data={"title": f"{name} {i}", "text": text})
            adding.append(time.perf_counter() - t0)
            assert response.status_code == 303, response.status_code
        a, b = statistics.median(alone), statistics.median(adding)
        print(f"  {name:13} analysis {a * 1000:6.1f} ms  adding {b * 1000:6.1f} ms  "
              f"ratio {b / a:4.2f}x (target <= 1.3x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--articles", type=int, default=10,
                        help="50k articles added and browsed for the memory figure")
    parser.add_argument("--adding", action="store_true",
                        help="also time adding an article through the form against analyse() alone")
    parser.add_argument("--repeat", type=int, default=5, help="timing runs for --adding")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory(prefix="dramatis-bench-") as workdir:
        bench(args, workdir)
        if args.adding:
            bench_adding(args, workdir)


if __name__ == "__main__":
    main()
