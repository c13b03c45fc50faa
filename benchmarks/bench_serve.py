"""Serving throughput beside a minimal Flask app, the serving process's memory, and the
cost of adding an article beside the analysis alone. All measured side by side in one run.

    python benchmarks/bench_serve.py [--seconds 5] [--clients 32] [--threads 4]

Starts `dramatis serve` and a "hello" Flask app under the same waitress settings on
loopback ports, drives each with N concurrent keep-alive clients (Python threads with
http.client, in this process), and prints requests/s, the ratio to hello (target >= 0.8),
p50/p99 latency and the server's resident memory (target < 300 MB). Then times adding the
sample article (form post: analysis + storage) against analyse() alone (target <= 1.3x).
Prints figures; asserts nothing: timings on a shared 2-core machine are noisy.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import re
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
SAMPLE = ROOT / "webapp" / "samples" / "harbour-deal.txt"

HELLO_APP = """
import sys
from flask import Flask
from waitress import create_server
app = Flask("hello")
@app.get("/")
def hello():
    return "Hello, World!"
server = create_server(app, host="127.0.0.1", port=0, threads=int(sys.argv[1]),
                       max_request_body_size=int(sys.argv[2]))
print(f"Open http://127.0.0.1:{server.effective_port}/", flush=True)
server.run()
"""


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


def drive(base: str, path: str, headers: dict, clients: int, seconds: float) -> dict:
    """`clients` keep-alive connections requesting `path` for `seconds`; counts and latencies."""
    host, port = urlsplit(base).hostname, urlsplit(base).port
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    start_line = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        start_line.wait()
        mine = latencies[i]
        while time.perf_counter() < stop_at[0]:
            t0 = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failures[i] += 1
            except (OSError, http.client.HTTPException):
                failures[i] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
                continue
            mine.append(time.perf_counter() - t0)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    stop_at[0] = time.perf_counter() + seconds
    began = time.perf_counter()
    start_line.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = sorted(t for mine in latencies for t in mine)
    return {"rps": len(every) / elapsed, "n": len(every), "failures": sum(failures),
            "p50": every[len(every) // 2] * 1000 if every else float("nan"),
            "p99": every[int(len(every) * 0.99)] * 1000 if every else float("nan")}


def bench_serving(args, workdir: str) -> None:
    from webapp import MAX_CONTENT_LENGTH

    env = {**os.environ, "DRAMATIS_DB": os.path.join(workdir, "bench.sqlite")}
    dramatis = [sys.executable, "-m", "webapp.cli"]
    added = subprocess.run(dramatis + ["add", str(SAMPLE)], env=env, cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.strip()
    serve, serve_url = start(dramatis + ["serve", "--port", "0", "--threads", str(args.threads)], env)
    hello, hello_url = start([sys.executable, "-c", HELLO_APP, str(args.threads),
                              str(MAX_CONTENT_LENGTH)], env)
    try:
        connection = http.client.HTTPConnection(urlsplit(serve_url).hostname, urlsplit(serve_url).port)
        connection.request("GET", f"{added}.json")
        entities = json.loads(connection.getresponse().read())["entities"]
        connection.close()
        # The panel of the most mentioned person: the largest fragment the sample has.
        entity = max((e for e in entities if e["type"] == "person"),
                     key=lambda e: len(e["mentions"]))["id"]
        targets = [("hello", hello_url, "/", {}),
                   ("article page", serve_url, added, {}),
                   ("panel fragment", serve_url, f"{added}?entity={entity}",
                    {"HX-Request": "true", "HX-Target": "panel"})]
        for _, base, path, headers in targets:  # warm up: caches, lazy imports
            drive(base, path, headers, 4, 0.5)
        print(f"{args.clients} keep-alive clients, {args.seconds:g} s each, waitress threads="
              f"{args.threads}, {os.cpu_count()} CPUs (clients share them)")
        results: dict[str, list[dict]] = {name: [] for name, *_ in targets}
        for _ in range(args.rounds):  # interleaved rounds, so drift hits every target alike
            for name, base, path, headers in targets:
                results[name].append(drive(base, path, headers, args.clients, args.seconds))
        hello_rps = statistics.median(r["rps"] for r in results["hello"])
        for name, runs in results.items():
            rps = statistics.median(r["rps"] for r in runs)
            p99 = statistics.median(r["p99"] for r in runs)
            p50 = statistics.median(r["p50"] for r in runs)
            failures = sum(r["failures"] for r in runs)
            print(f"  {name:15} {rps:8.0f} req/s  {rps / hello_rps:5.2f}x hello  "
                  f"p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  failures {failures}")
        rss, peak = rss_mb(serve.pid)
        print(f"  dramatis serve resident memory: {rss:.0f} MB (peak {peak:.0f} MB); target < 300 MB")
    finally:
        for process in (serve, hello):
            process.terminate()
            process.wait(timeout=10)


def bench_adding(args, workdir: str) -> None:
    from webapp import create_app
    from webapp.analysis import analyse
    from webapp.analysis.article import clean_article_text
    from webapp.analysis.pipeline import get_nlp

    texts = {"sample": SAMPLE.read_text("utf-8")}
    china = ROOT.parent / "shared" / "eval" / "china-russia.txt"
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
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=7, help="timing runs for adding")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dramatis-bench-") as workdir:
        bench_serving(args, workdir)
        bench_adding(args, workdir)


if __name__ == "__main__":
    main()
