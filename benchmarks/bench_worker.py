"""Reading throughput while articles are being added: a thread worker beside a process worker.

    python benchmarks/bench_worker.py [--seconds N] [--clients N]

For each kind of analysis worker, serves the app with waitress (4 threads) on 127.0.0.1, and a
separate load-generator process reads pages (the library and an article page through Flask,
with a query string the page cache has not seen) for N seconds: first idle, then while another
connection adds a 50,000-character article over and over. Prints reads per second and p99, and
the ratio busy / idle for each kind (idle and busy alternate, --repeat times); asserts nothing.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_hostile import ordinary  # noqa: E402

from webapp.cli import SAMPLE_ARTICLE  # noqa: E402

LOAD = r"""
import http.client, json, sys, threading, time, urllib.parse
port, seconds, clients, paths, add_text = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), \
    sys.argv[4].split(","), sys.argv[5] if len(sys.argv) > 5 else ""
stop = time.monotonic() + seconds
latencies, adds = [], []

def read(n):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = 0
    while time.monotonic() < stop:
        i += 1
        path = paths[i % len(paths)].replace("{n}", f"{n}-{i}")
        t0 = time.perf_counter()
        connection.request("GET", path)
        connection.getresponse().read()
        latencies.append(time.perf_counter() - t0)

def add():
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    body = urllib.parse.urlencode({"text": add_text})
    while time.monotonic() < stop:
        connection.request("POST", "/articles", body, {"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        adds.append(response.status)

threads = [threading.Thread(target=read, args=(n,)) for n in range(clients)]
if add_text:
    threads.append(threading.Thread(target=add))
for t in threads: t.start()
for t in threads: t.join()
latencies.sort()
print(json.dumps({"reads": len(latencies) / seconds, "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)],
                  "adds": len(adds), "add_statuses": sorted(set(adds))}))
"""


def load(port: int, seconds: float, clients: int, paths: list[str], add_text: str = "") -> dict:
    args = [sys.executable, "-c", LOAD, str(port), str(seconds), str(clients), ",".join(paths)]
    result = subprocess.run(args + ([add_text] if add_text else []), capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def measure(kind: str, seconds: float, clients: int, repeat: int) -> list[tuple[dict, dict]]:
    from webapp import create_app
    from webapp.server import make_server

    database = Path(tempfile.mkdtemp()) / "bench.sqlite"
    app = create_app({"DATABASE": str(database), "ANALYSIS_WORKER": kind})
    sample = SAMPLE_ARTICLE.read_text("utf-8")
    slug = app.test_client().post("/articles", data={"text": sample}).headers["Location"]
    server = make_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        paths = ["/", slug + "?read={n}"]
        # Idle and busy alternate, so a change in the machine's other load hits both.
        return [(load(server.effective_port, seconds, clients, paths),
                 load(server.effective_port, seconds, clients, paths, ordinary(50_000)))
                for _ in range(repeat)]
    finally:
        server.close()
        app.extensions["dramatis.worker"].close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8, help="per measurement")
    parser.add_argument("--clients", type=int, default=4, help="reading connections")
    parser.add_argument("--repeat", type=int, default=3, help="idle/busy pairs per worker kind")
    args = parser.parse_args()
    for kind in ("thread", "process"):
        rounds = measure(kind, args.seconds, args.clients, args.repeat)
        for idle, busy in rounds:
            print(f"{kind:7} worker: idle {idle['reads']:6.1f} reads/s (p99 {idle['p99_ms']:5.0f} ms);"
                  f" adding {busy['reads']:6.1f} reads/s (p99 {busy['p99_ms']:5.0f} ms), "
                  f"{busy['adds']} adds {busy['add_statuses']}; "
                  f"ratio {busy['reads'] / idle['reads']:.2f}", flush=True)
        ratios = [busy["reads"] / idle["reads"] for idle, busy in rounds]
        adds = [busy["adds"] for _, busy in rounds]
        print(f"{kind:7} worker: median reads while adding / idle = {statistics.median(ratios):.2f}, "
              f"median adds done per {args.seconds:.0f} s = {statistics.median(adds)}", flush=True)


if __name__ == "__main__":
    main()
