"""Reading throughput through nginx with 1 and 2 `dramatis serve` processes (issue 17).

    python benchmarks/bench_proxy.py [--seconds 5] [--rounds 3] [--clients 32]

Stores the sample article, then for each round starts deploy/nginx.conf in front of one
process, and then of two, on the same SQLite library (tests/proxy.py), and drives nginx with
wrk (`apt-get install wrk nginx`): the replayed article page, keep-alive, gzip as browsers
ask. Runs alternate (1, 2, 1, 2, ...) so that drift on the shared machine hits both alike.
Prints requests/s of each, the ratio of two processes to one (target >= 1.6x on 2 cores;
wrk and nginx share those cores), and each serve process's resident memory after its runs
(target < 250 MB). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from proxy import PUBLIC_NAME, Proxied  # noqa: E402

from webapp.cli import SAMPLE_ARTICLE  # noqa: E402


def store_sample(database: Path) -> str:
    """The sample article stored as `dramatis add` stores it; its path."""
    from webapp import create_app
    from webapp.analysis import analyse
    from webapp.store import save_analysis
    from webapp.web.db import get_db

    app = create_app({"DATABASE": str(database)})
    with app.app_context():
        return f"/articles/{save_analysis(get_db(), analyse(SAMPLE_ARTICLE.read_text())).slug}"


def wrk(url: str, seconds: int, clients: int) -> float:
    out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", "-H", f"Host: {PUBLIC_NAME}",
                          "-H", "Accept-Encoding: gzip", url], capture_output=True, text=True,
                         check=True).stdout
    if "Non-2xx" in out:
        sys.exit(f"wrk saw errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "library.sqlite"
        path = store_sample(database)
        rates: dict[int, list[float]] = {1: [], 2: []}
        memory: list[float] = []
        for round_number in range(args.rounds):
            for processes in (1, 2):
                run = Path(folder) / f"run-{round_number}-{processes}"
                run.mkdir()
                with Proxied(run, database, processes=processes) as setup:
                    wrk(setup.url + path, 1, args.clients)  # warm: each process caches the page
                    rates[processes].append(wrk(setup.url + path, args.seconds, args.clients))
                    memory.extend(rss_mb(server.pid) for server in setup.servers)
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"replayed article page through nginx, {args.clients} clients, median of {args.rounds}:")
    print(f"  1 process:   {one:8.0f} req/s   {[round(r) for r in rates[1]]}")
    print(f"  2 processes: {two:8.0f} req/s   {[round(r) for r in rates[2]]}")
    print(f"  ratio 2/1:   {two / one:8.2f}x (target >= 1.6x)")
    print(f"  resident memory per serve process: max {max(memory):.0f} MB (target < 250 MB)")


if __name__ == "__main__":
    main()
