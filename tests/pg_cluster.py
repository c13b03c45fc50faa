"""A throwaway PostgreSQL cluster for the tests: Debian's initdb and pg_ctl, run as an
unprivileged user in a temporary folder, listening on a unix socket only.

Without PostgreSQL installed the PostgreSQL runs are skipped, except under CI=true, where
they fail: CI installs it (`apt-get install -y postgresql`).
"""
from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN = Path(os.environ.get("DRAMATIS_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
# initdb and postgres refuse to run as root: root runs them as this user (made if missing).
USER = "dramatis-test"
SUPERUSER = "dramatis"


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is needed under CI: {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _as_user() -> list[str]:
    """The command prefix that runs PostgreSQL's programs as an unprivileged user."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        USER], check=True, capture_output=True)
    return ["runuser", "-u", USER, "--"]


class Cluster:
    """A running cluster; `database()` makes a new, empty database and gives its URL."""

    def __init__(self, folder: Path | None = None):
        """A new cluster in a temporary folder; or in `folder`, started again if it holds one
        (benchmarks/bench_scale.py keeps a large library between runs)."""
        if not (BIN / "initdb").is_file() or not (BIN / "pg_ctl").is_file():
            unavailable(f"no initdb/pg_ctl in {BIN}")
        if folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix="dramatis-pg-"))
        else:
            self.folder = Path(folder)
            self.folder.mkdir(parents=True, exist_ok=True)
        prefix = _as_user()
        if prefix:
            shutil.chown(self.folder, USER)
        self.prefix = prefix
        self.data = self.folder / "data"
        run = lambda *command: subprocess.run([*prefix, *command], check=True, capture_output=True,
                                              cwd=self.folder, text=True)
        try:
            if not (self.data / "PG_VERSION").exists():
                run(str(BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", SUPERUSER,
                    "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
            # A socket in the folder and no TCP port; durability off: it is thrown away.
            run(str(BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                "-o", f"-k {self.folder} -c listen_addresses='' -c fsync=off"
                      " -c synchronous_commit=off -c full_page_writes=off", "start")
        except subprocess.CalledProcessError as exc:
            if folder is None:
                shutil.rmtree(self.folder, ignore_errors=True)
            unavailable(f"the test cluster did not start: {exc.stderr.strip()[-300:]}")
        self._names = itertools.count(1)

    def url(self, name: str) -> str:
        return f"postgresql://{SUPERUSER}@/{name}?host={self.folder}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as db:
            db.execute(sql)

    def database(self, template: str | None = None) -> str:
        """A new database (a copy of the database `template`, else empty); its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        self.admin(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        return name

    def drop(self, name: str) -> None:
        self.admin(f"DROP DATABASE {name} WITH (FORCE)")  # its connections are ended

    def stop(self, remove: bool = True) -> None:
        """Stop the cluster and remove its folder (unless not `remove`: then it stops cleanly,
        to be started again)."""
        subprocess.run([*self.prefix, str(BIN / "pg_ctl"), "-D", str(self.data), "-m",
                        "immediate" if remove else "fast", "stop"], capture_output=True)
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)


def new_store(request, path):
    """A new store for a test (a fixture yields from it): the SQLite file `path`, or in a
    `both_backends` module's PostgreSQL run a new database at the newest schema, dropped after."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield str(path)
        return
    cluster = request.getfixturevalue("pg_cluster")
    name = cluster.database(template=request.getfixturevalue("pg_template"))
    yield cluster.url(name)
    cluster.drop(name)
