"""A Dramatis server in its own process, on a free loopback port, for tests that need a real
one (browser tests, slow clients): its log is kept for a failing test's report.

Run as a script, it is that server: `python tests/live.py CONFIG_JSON THREADS` runs
`dramatis serve --port 0` itself, its app given CONFIG_JSON on top of its own settings;
SIGTERM stops it and its analysis worker. Datasette's browser-test fixture is the model.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LISTENING = re.compile(r"^Open (http://127\.0\.0\.1:\d+)/", re.MULTILINE)  # serve's own line
START_SECONDS = 60   # a cold start imports Flask, spaCy's pieces, the store
STOP_SECONDS = 15
LOG_TAIL_LINES = 200


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without any DRAMATIS_* setting of the developer's shell
    (DRAMATIS_PUBLIC_URL would close the open desk), with the worktree's code first on the
    path, and `extra` on top."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DRAMATIS_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["PYTHONUNBUFFERED"] = "1"
    return {**env, **(extra or {})}


_RUNNING: list["LiveServer"] = []


def running_servers() -> list["LiveServer"]:
    """The servers started and not yet stopped (their logs go into a failing test's report)."""
    return list(_RUNNING)


class LiveServer:
    """A server process serving `database`; `.url` is where, `.app` an app on the same
    database in this process (to store articles straight into it), `.log()` what it said."""

    def __init__(self, database: str, log_path: Path, config: dict | None = None,
                 env: dict[str, str] | None = None, threads: int = 4):
        from webapp import create_app

        self.config = {"DATABASE": database, **(config or {})}
        # Pages show what this process stores at once: the server asks the database about
        # other processes' writes at every request, not every 50 ms.
        self.config.setdefault("CACHE_CHECK_INTERVAL", 0)
        self.log_path = log_path
        self.env = clean_environment(env)
        self.threads = threads
        self.app = create_app({"TESTING": True, "DATABASE": database})
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self) -> "LiveServer":
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, __file__, json.dumps(self.config), str(self.threads)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                cwd=ROOT)
        _RUNNING.append(self)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            found = LISTENING.search(self.log())
            if found:
                self.url = found[1]
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the test server did not start; its log:\n{self.log()}")

    def log(self, tail: int | None = None) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-tail:]) if tail else text

    def stop(self) -> None:
        """SIGTERM, so that it closes its analysis worker; killed if it does not stop."""
        if self in _RUNNING:
            _RUNNING.remove(self)
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(STOP_SECONDS)


def serve(config: dict, threads: int) -> None:
    """`dramatis serve` on a free loopback port, each app it makes given `config` too."""
    import webapp
    from webapp import cli

    made = []
    create_app = webapp.create_app

    def create_test_app(test_config=None, **kwargs):
        made.append(create_app({**(test_config or {}), **config}, **kwargs))
        return made[-1]

    def stop(signum, frame):
        raise KeyboardInterrupt  # how waitress's run() stops (Ctrl+C)

    webapp.create_app = create_test_app  # cmd_serve imports it when it runs
    signal.signal(signal.SIGTERM, stop)  # a graceful serve installs its own handler over it
    try:
        code = cli.main(["serve", "--host", "127.0.0.1", "--port", "0", "--threads", str(threads)])
    finally:
        for app in made:  # the analysis worker, if the server did not stop it itself
            worker = app.extensions.pop("dramatis.worker", None)
            if worker is not None:
                worker.close()
    sys.exit(code)


if __name__ == "__main__":
    serve(json.loads(sys.argv[1]), int(sys.argv[2]))
