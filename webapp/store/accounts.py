"""Editors' accounts (issue 10): names, hashed passwords, sessions, failed logins, the
signing key."""
from __future__ import annotations

import secrets
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

from werkzeug.security import check_password_hash, generate_password_hash

from . import engine

MAX_NAME_CHARS = 64
MIN_PASSWORD_CHARS = 8

# Failed logins allowed per name and address within the window; the next is refused.
# Counted in the database rather than with Flask-Limiter: its memory backend counts per
# process, and `dramatis serve` beside other processes (or several servers on one file)
# would each allow five; SQLite is already shared by all of them.
MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60  # seconds
# And per address whatever the names: one address trying name after name is refused too.
MAX_ADDRESS_FAILURES = 30

# Compared against when the name is unknown, so that a wrong name takes as long as a
# wrong password and response times do not tell which names exist.
_NO_SUCH_USER = generate_password_hash("no such user")


class AccountError(ValueError):
    """A name or password that cannot be used; the message says why."""


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AccountError("a name cannot be empty")
    if len(name) > MAX_NAME_CHARS:
        raise AccountError(f"a name is at most {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(c)[0] in "CZ" and c != " " for c in name):
        raise AccountError("a name cannot hold control characters or line breaks")
    return name


def check_password_rules(password: str) -> None:
    if not password:
        raise AccountError("the password is empty")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password is at least {MIN_PASSWORD_CHARS} characters")


def add_user(db: sqlite3.Connection, name: str, password: str) -> str:
    """Store an editor; the name as stored. AccountError when it cannot be."""
    name = check_name(name)
    check_password_rules(password)
    try:
        with db:
            db.execute("INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                       (name, generate_password_hash(password),
                        datetime.now(timezone.utc).isoformat(timespec="seconds")))
    except engine.IntegrityError:
        raise AccountError(f"an editor named {name!r} exists already") from None
    return name


def existing_user(db: sqlite3.Connection, name: str) -> str:
    """The editor's name as stored; AccountError when there is no such editor."""
    stored = user_name(db, name.strip())
    if stored is None:
        raise AccountError(f"there is no editor named {name.strip()!r}")
    return stored


def set_password(db: sqlite3.Connection, name: str, password: str) -> str:
    """Give an editor a new password, which ends every session they have; the name as
    stored. AccountError when there is no such editor or the password will not do."""
    check_password_rules(password)
    stored = existing_user(db, name)
    with db:
        db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                   (generate_password_hash(password), stored))
        _end_sessions(db, stored)
    return stored


def remove_user(db: sqlite3.Connection, name: str) -> str:
    """Remove an editor, and with them their sessions. The name as it was."""
    stored = existing_user(db, name)
    with db:
        db.execute("DELETE FROM users WHERE name = ?", (stored,))  # sessions: ON DELETE CASCADE
    return stored


def list_users(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every editor's name and when the account was made, by name."""
    return [(row["name"], row["created_at"]) for row in
            db.execute("SELECT name, created_at FROM users ORDER BY lower(name)")]


# --- Sessions (issue 18) --------------------------------------------------------------
# Each login is a row: the signed cookie carries its id, logging out ends it, and so do a
# new password, `dramatis user sessions NAME --end`, and SESSION_IDLE seconds without a
# request. Before, the cookie carried only a digest of the password hash, so a copy made
# before logging out went on working.

# `idle` below: the seconds a session lasts without a request (DRAMATIS_SESSION_IDLE_DAYS).
# A session's last request is written at most this often: reading a page must not mean a
# write, and idle times are counted in days.
SEEN_EVERY = 60  # seconds


def _iso(moment: float) -> str:
    """A time as the store writes it (UTC, ISO 8601, to the second), for comparing in SQL."""
    return datetime.fromtimestamp(int(moment), timezone.utc).isoformat(timespec="seconds")


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


@dataclass(frozen=True)
class Session:
    """An editor's login, as `dramatis user sessions` lists it."""
    id: str
    editor: str
    created_at: str
    last_seen_at: str
    ended_at: str | None

    def state(self, idle: int, now: float | None = None) -> str:
        if self.ended_at:
            return "ended"
        now = time.time() if now is None else now
        return "expired" if _epoch(self.last_seen_at) <= now - idle else "active"


# How long `dramatis user sessions` still lists a session after it ended or expired.
KEPT_FOR = 90 * 24 * 3600  # seconds


def start_session(db: sqlite3.Connection, name: str, idle: int, now: float | None = None) -> str:
    """A new session for the editor `name` (as stored); its id, for the signed cookie.
    Their sessions over for KEPT_FOR are forgotten, so the table stays small."""
    now = time.time() if now is None else now
    # 96 random bits, inside a cookie signed besides; hexadecimal, so that an id never
    # begins with "-", which `dramatis user sessions NAME --end ID` would read as an option.
    session_id = secrets.token_hex(12)
    with db:
        db.execute("DELETE FROM sessions WHERE editor = (SELECT id FROM users WHERE name = ?)"
                   " AND (ended_at < ? OR last_seen_at < ?)",
                   (name, _iso(now - KEPT_FOR), _iso(now - idle - KEPT_FOR)))
        db.execute("INSERT INTO sessions (id, editor, created_at, last_seen_at)"
                   " SELECT ?, id, ?, ? FROM users WHERE name = ?",
                   (session_id, _iso(now), _iso(now), name))
    return session_id


def session_editor(db: sqlite3.Connection, session_id: str, idle: int,
                   now: float | None = None) -> tuple[str, float] | None:
    """The editor whose live session this is, and when it was last seen (seconds since the
    epoch); None once it has ended or been idle `idle` seconds. Asks the database only: the
    web side keeps the answer for the store's generation (sessions ending change it)."""
    if not isinstance(session_id, str) or not session_id:
        return None
    now = time.time() if now is None else now
    row = db.execute("SELECT u.name, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.editor"
                     " WHERE s.id = ? AND s.ended_at IS NULL AND s.last_seen_at > ?",
                     (session_id, _iso(now - idle))).fetchone()
    return (row["name"], _epoch(row["last_seen_at"])) if row else None


def session_seen(db: sqlite3.Connection, session_id: str, idle: int,
                 now: float | None = None) -> bool:
    """Note a request on the session, unless it has ended or gone idle meanwhile (then
    False): one write, which is also the check."""
    now = time.time() if now is None else now
    with db:
        seen = db.execute("UPDATE sessions SET last_seen_at = ?"
                          " WHERE id = ? AND ended_at IS NULL AND last_seen_at > ?",
                          (_iso(now), session_id, _iso(now - idle)))
    return seen.rowcount == 1


def end_session(db: sqlite3.Connection, session_id: str) -> bool:
    """Log a session out; False when it had ended already (then nothing changes)."""
    with db:
        return db.execute("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                          (_iso(time.time()), session_id)).rowcount == 1


def _end_sessions(db: sqlite3.Connection, name: str, session_id: str | None = None) -> int:
    """End the editor's live sessions (or only `session_id`), inside the caller's
    transaction; how many ended."""
    ended = db.execute(
        "UPDATE sessions SET ended_at = ? WHERE ended_at IS NULL"
        " AND editor = (SELECT id FROM users WHERE name = ?)"
        + (" AND id = ?" if session_id else ""),
        (_iso(time.time()), name, *([session_id] if session_id else [])))
    return ended.rowcount


def end_sessions(db: sqlite3.Connection, name: str, session_id: str | None = None) -> int:
    """End every live session of the editor `name`, or the one `session_id`; how many
    ended. AccountError when there is no such editor, or no such session of theirs."""
    stored = existing_user(db, name)
    with db:
        if session_id and not db.execute(
                "SELECT 1 FROM sessions WHERE id = ? AND editor = (SELECT id FROM users WHERE name = ?)",
                (session_id, stored)).fetchone():
            raise AccountError(f"{stored} has no session {session_id!r}")
        return _end_sessions(db, stored, session_id)


def list_sessions(db: sqlite3.Connection, name: str) -> list[Session]:
    """The editor's sessions, oldest first; AccountError when there is no such editor."""
    stored = existing_user(db, name)
    return [Session(row["id"], stored, row["created_at"], row["last_seen_at"], row["ended_at"])
            for row in db.execute(
                "SELECT id, created_at, last_seen_at, ended_at FROM sessions"
                " WHERE editor = (SELECT id FROM users WHERE name = ?) ORDER BY created_at, id",
                (stored,))]


def has_users(db: sqlite3.Connection) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM users)").fetchone()[0] == 1


def user_name(db: sqlite3.Connection, name: str) -> str | None:
    """The editor's name as stored, or None when there is no such editor (any more)."""
    row = db.execute("SELECT name FROM users WHERE name = ?", (name,)).fetchone()
    return row["name"] if row else None


def check_password(db: sqlite3.Connection, name: str, password: str) -> str | None:
    """The editor's name as stored when the password is theirs, else None."""
    row = db.execute("SELECT name, password_hash FROM users WHERE name = ?",
                     (name.strip(),)).fetchone()
    if row is None:
        check_password_hash(_NO_SUCH_USER, password)
        return None
    return row["name"] if check_password_hash(row["password_hash"], password) else None


def retry_after(db: sqlite3.Connection, name: str, address: str, now: float | None = None) -> int:
    """Seconds until this name may be tried again from this address; 0 when it may now."""
    now = time.time() if now is None else now
    return _wait(db.execute(
        "SELECT at FROM login_failures WHERE name = ? AND address = ? AND at > ?"
        " ORDER BY at DESC LIMIT ?",
        (name.strip(), address, now - FAILURE_WINDOW, MAX_FAILURES)).fetchall(), MAX_FAILURES, now)


def address_retry_after(db: sqlite3.Connection, address: str, now: float | None = None) -> int:
    """Seconds until any name may be tried again from this address; 0 when it may now."""
    now = time.time() if now is None else now
    return _wait(db.execute(
        "SELECT at FROM login_failures WHERE address = ? AND at > ? ORDER BY at DESC LIMIT ?",
        (address, now - FAILURE_WINDOW, MAX_ADDRESS_FAILURES)).fetchall(), MAX_ADDRESS_FAILURES, now)


def _wait(rows, limit: int, now: float) -> int:
    """Given the newest `limit` failures in the window, newest first: the seconds until the
    oldest of them leaves it, when there are that many; else 0."""
    if len(rows) < limit:
        return 0
    return max(1, int(rows[-1]["at"] + FAILURE_WINDOW - now) + 1)


def claim_attempt(db: sqlite3.Connection, name: str, address: str,
                  now: float | None = None) -> tuple[int, str]:
    """Take one login attempt for `name` from `address`, counted as a failure until the
    password proves right (clear_failures); (0, "") when taken, else the seconds to wait
    and whose limit it hit ("for this name", "from this address").

    The count and the record are one step (issue 18: 20 parallel wrong logins gave 12 x 401
    while the check, the password test and the record were three): the write lock is taken
    first, then the attempt inserted only under the limits' condition, so at most
    MAX_FAILURES pass in a window however many arrive at once.
    """
    now = time.time() if now is None else now
    name, since = name.strip(), now - FAILURE_WINDOW
    with db:
        db.execute("BEGIN IMMEDIATE")  # PostgreSQL: LOCK TABLE login_failures IN EXCLUSIVE MODE
        db.execute("DELETE FROM login_failures WHERE at <= ?", (since,))
        taken = db.execute(
            "INSERT INTO login_failures (name, address, at) SELECT ?, ?, ?"
            " WHERE (SELECT count(*) FROM login_failures WHERE name = ? AND address = ? AND at > ?) < ?"
            " AND (SELECT count(*) FROM login_failures WHERE address = ? AND at > ?) < ?",
            (name, address, now, name, address, since, MAX_FAILURES,
             address, since, MAX_ADDRESS_FAILURES)).rowcount
        if taken:
            return 0, ""
        wait = retry_after(db, name, address, now)
        if wait:
            return wait, "for this name"
        return address_retry_after(db, address, now), "from this address"


def clear_failures(db: sqlite3.Connection, name: str, address: str) -> None:
    with db:
        db.execute("DELETE FROM login_failures WHERE name = ? AND address = ?", (name.strip(), address))


def secret_key(db: sqlite3.Connection) -> str:
    """The session signing key made once by the migration that added settings."""
    return db.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()[0]
