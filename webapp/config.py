"""Every DRAMATIS_* setting, read once from the environment into one object (create_app and
the `dramatis` command take it from here; nothing deeper reads the environment for them)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .analysis.pipeline import DEFAULT_MODEL
from .web.security import ConfigError, public_url, served_hosts

if TYPE_CHECKING:
    from .ingest.fetch import AllowList

DEFAULT_CACHE_BYTES = 64 * 1024 * 1024
OFF = ("off", "0", "no", "false")


def count_setting(environ: Mapping[str, str], name: str, what: str, default: int,
                  least: int = 0) -> int:
    """The variable `name` as a whole number of `what`, at least `least`; `default` when unset."""
    setting = environ.get(name)
    if not setting or not setting.strip():
        return default
    try:
        value = int(setting.strip().replace("_", ""))
    except ValueError:
        value = -1
    if value < least:
        raise ConfigError(f"{name}: {setting!r} is not a number of {what}"
                          + (f" (at least {least})" if least else ""))
    return value


@dataclass(frozen=True)
class Config:
    """The settings `dramatis --help` lists under "environment", checked: read once, when
    the web app, a command or a queue worker starts (a setting changed later counts at the
    next start), and nothing else reads them from the environment.
    """

    # DRAMATIS_DATABASE_URL (postgresql://...), else DRAMATIS_DB (a SQLite file; either
    # may be a path): None for the instance folder's file.
    database: str | None = None
    hosts: tuple[str, ...] = tuple(served_hosts(None))  # DRAMATIS_HOSTS
    public_url: str | None = None      # DRAMATIS_PUBLIC_URL
    cache_bytes: int = DEFAULT_CACHE_BYTES  # DRAMATIS_CACHE_BYTES
    proxies: int = 0                   # DRAMATIS_PROXIES
    secret_key: str | None = None      # DRAMATIS_SECRET_KEY: None for the stored key
    learn_names: bool = True           # DRAMATIS_LEARN_NAMES
    # DRAMATIS_WORKER_STALLED_SECONDS: a queue worker silent this long is taken for dead,
    # and the article it was analysing is analysed again by another.
    worker_stalled_seconds: int = 30
    connection_limit: int = 500        # DRAMATIS_CONNECTION_LIMIT (README: why these three)
    idle_timeout: int = 30             # DRAMATIS_IDLE_TIMEOUT, seconds
    header_timeout: int = 10           # DRAMATIS_HEADER_TIMEOUT, seconds
    session_idle_days: int = 14        # DRAMATIS_SESSION_IDLE_DAYS
    model: str = DEFAULT_MODEL         # DRAMATIS_MODEL: the spaCy pipeline package
    # DRAMATIS_FETCH_ALLOW: the private hosts and networks that may be fetched (None: none).
    fetch_allow: AllowList | None = None
    # DRAMATIS_REFRESH_CRON: when queue workers refresh the library (a cron schedule,
    # "0 * * * *": hourly); None: never by themselves.
    refresh_cron: str | None = None

    @property
    def session_idle(self) -> int:
        """Seconds an editor's session lasts without a request."""
        return self.session_idle_days * 24 * 3600

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Config:
        """The settings from `environ` (the process's environment by default); ConfigError
        (naming the variable) for a value that cannot be used."""
        environ = os.environ if environ is None else environ
        return cls(
            database=(environ.get("DRAMATIS_DATABASE_URL") or environ.get("DRAMATIS_DB")
                      or None),
            hosts=tuple(served_hosts(environ.get("DRAMATIS_HOSTS"))),
            public_url=public_url(environ.get("DRAMATIS_PUBLIC_URL")),
            cache_bytes=count_setting(environ, "DRAMATIS_CACHE_BYTES", "bytes", DEFAULT_CACHE_BYTES),
            proxies=count_setting(environ, "DRAMATIS_PROXIES", "proxies", 0),
            secret_key=environ.get("DRAMATIS_SECRET_KEY") or None,
            learn_names=environ.get("DRAMATIS_LEARN_NAMES", "on").strip().lower() not in OFF,
            worker_stalled_seconds=count_setting(environ, "DRAMATIS_WORKER_STALLED_SECONDS",
                                                 "seconds", cls.worker_stalled_seconds, least=1),
            connection_limit=count_setting(environ, "DRAMATIS_CONNECTION_LIMIT", "connections",
                                           cls.connection_limit, least=1),
            idle_timeout=count_setting(environ, "DRAMATIS_IDLE_TIMEOUT", "seconds",
                                       cls.idle_timeout, least=1),
            header_timeout=count_setting(environ, "DRAMATIS_HEADER_TIMEOUT", "seconds",
                                         cls.header_timeout, least=1),
            session_idle_days=count_setting(environ, "DRAMATIS_SESSION_IDLE_DAYS", "days",
                                            cls.session_idle_days, least=1),
            model=(environ.get("DRAMATIS_MODEL") or "").strip() or DEFAULT_MODEL,
            fetch_allow=fetch_allow(environ.get("DRAMATIS_FETCH_ALLOW")),
            refresh_cron=refresh_cron(environ.get("DRAMATIS_REFRESH_CRON")),
        )


def refresh_cron(setting: str | None) -> str | None:
    """DRAMATIS_REFRESH_CRON checked (croniter, which procrastinate reads it with);
    ConfigError when it is not a schedule."""
    if not setting or not setting.strip() or setting.strip().lower() in OFF:
        return None
    from croniter import croniter

    schedule = " ".join(setting.split())
    if not croniter.is_valid(schedule):
        raise ConfigError(f"DRAMATIS_REFRESH_CRON: {setting!r} is not a cron schedule (minute "
                          "hour day month weekday, such as '0 * * * *' for every hour)")
    return schedule


def fetch_allow(setting: str | None) -> AllowList | None:
    """DRAMATIS_FETCH_ALLOW read; ConfigError naming the entry that cannot be read. (The
    fetcher is imported only when the setting is given: every command reads the settings.)"""
    if not setting or not setting.strip():
        return None
    from .ingest.fetch import AllowList

    try:
        return AllowList.parse(setting)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
