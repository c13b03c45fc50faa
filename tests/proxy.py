"""nginx (deploy/nginx.conf) in front of N `dramatis serve` processes on one library: for
tests/test_deploy.py and benchmarks/bench_proxy.py."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
PUBLIC_NAME = "reader.example.org"


class ProxyFailed(Exception):
    """A process of the proxied setup did not start; the message has its log."""


def nginx_binary() -> str | None:
    """Debian's nginx, if installed."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ProxyFailed(f"{what} exited with {process.returncode}:\n{log.read_text()}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise ProxyFailed(f"{what} did not listen on {port} within 30 s:\n{log.read_text()}")


def site_config(upstreams: list[int], listen: int) -> str:
    """deploy/nginx.conf with its upstream servers and listen port replaced."""
    text = NGINX_CONF.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in upstreams)
    text, count = re.subn(r"(?m)^    server 127\.0\.0\.1:\d+;\n", "", text)
    assert count, "deploy/nginx.conf lists no upstream servers to replace"
    text = text.replace("upstream dramatis {\n", "upstream dramatis {\n" + servers, 1)
    text, count = re.subn(r"(?m)^    listen 80;", f"    listen 127.0.0.1:{listen};", text)
    assert count == 1, "deploy/nginx.conf has no `listen 80;` line to replace"
    return text


class Proxied:
    """`processes` serve processes on `database` and nginx in front, in `folder`; a context
    manager that stops them all. `url` is nginx's; `servers` the serve processes."""

    def __init__(self, folder: Path, database: Path, processes: int = 2, nginx: str | None = None):
        self.folder, self.database, self.count = folder, database, processes
        self.nginx = nginx or nginx_binary()
        self.servers: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.url = ""

    def __enter__(self) -> Proxied:
        env = {**os.environ, "DRAMATIS_DB": str(self.database), "DRAMATIS_PROXIES": "1",
               "DRAMATIS_HOSTS": PUBLIC_NAME, "PYTHONPATH": str(ROOT)}
        prefix = self.folder / "nginx"
        prefix.mkdir(exist_ok=True)
        ports = []
        try:
            for number in range(1, self.count + 1):
                port = free_port()
                log = self.folder / f"serve-{number}.log"
                with log.open("w") as out:
                    self.servers.append(subprocess.Popen(
                        [sys.executable, "-m", "webapp.cli", "serve", "--host", "127.0.0.1",
                         "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT))
                self.logs.append(log)
                ports.append(port)
                wait_until_listening(port, self.servers[-1], f"dramatis serve #{number}", log)
            listen = free_port()
            # A minimal main configuration around the shipped site file, all in the folder.
            (prefix / "site.conf").write_text(site_config(ports, listen))
            (prefix / "nginx.conf").write_text(
                f"pid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
                + ("user root;\n" if os.geteuid() == 0 else "")
                + "worker_processes 1;\nevents {}\nhttp {\n"
                f"  access_log off;\n"
                + "".join(f"  {kind}_temp_path {prefix}/{kind};\n"
                          for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
                + f"  include {prefix}/site.conf;\n}}\n")
            nginx_log = prefix / "error.log"
            nginx_log.touch()
            self.nginx_process = subprocess.Popen(
                [self.nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            self.logs.append(nginx_log)
            wait_until_listening(listen, self.nginx_process, "nginx", nginx_log)
        except BaseException:
            self.__exit__()
            raise
        self.url = f"http://127.0.0.1:{listen}"
        return self

    def log(self) -> str:
        return "".join(f"--- {path.name}\n{path.read_text()}" for path in self.logs)

    def __exit__(self, *exc) -> None:
        processes = [*self.servers, *([self.nginx_process] if hasattr(self, "nginx_process") else [])]
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
