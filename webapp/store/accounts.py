"""Editors' accounts (issue 10): names, hashed passwords, failed logins, the signing key."""
from __future__ import annotations

import hashlib
import hmac
import sqlite3
import time
import unicodedata
from datetime import datetime, timezone

from werkzeug.security import check_password_hash, generate_password_hash

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
    except sqlite3.IntegrityError:
        raise AccountError(f"an editor named {name!r} exists already") from None
    return name


def set_password(db: sqlite3.Connection, name: str, password: str) -> str:
    """Give an editor a new password, which ends every session they have; the name as
    stored. AccountError when there is no such editor or the password will not do."""
    check_password_rules(password)
    stored = user_name(db, name.strip())
    if stored is None:
        raise AccountError(f"there is no editor named {name.strip()!r}")
    with db:
        db.execute("UPDATE users SET password_hash = ? WHERE name = ?",
                   (generate_password_hash(password), stored))
    return stored


def remove_user(db: sqlite3.Connection, name: str) -> str:
    """Remove an editor: their sessions end at their next request. The name as it was."""
    stored = user_name(db, name.strip())
    if stored is None:
        raise AccountError(f"there is no editor named {name.strip()!r}")
    with db:
        db.execute("DELETE FROM users WHERE name = ?", (stored,))
    return stored


def list_users(db: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every editor's name and when the account was made, by name."""
    return [(row["name"], row["created_at"]) for row in
            db.execute("SELECT name, created_at FROM users ORDER BY name COLLATE NOCASE")]


def _session_key(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:32]


def session_key(db: sqlite3.Connection, name: str) -> str | None:
    """What a session carries besides the editor's name: a digest of their password hash,
    so that a new password (or a removed account) ends the sessions made before it."""
    row = db.execute("SELECT password_hash FROM users WHERE name = ?", (name,)).fetchone()
    return _session_key(row["password_hash"]) if row else None


def session_editor(db: sqlite3.Connection, name: str, key: str | None) -> str | None:
    """The editor's name as stored, when the session's key is still theirs; else None."""
    row = db.execute("SELECT name, password_hash FROM users WHERE name = ?", (name,)).fetchone()
    if row is None or not isinstance(key, str):
        return None
    return row["name"] if hmac.compare_digest(_session_key(row["password_hash"]), key) else None


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


def record_failure(db: sqlite3.Connection, name: str, address: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with db:
        db.execute("DELETE FROM login_failures WHERE at <= ?", (now - FAILURE_WINDOW,))
        db.execute("INSERT INTO login_failures (name, address, at) VALUES (?, ?, ?)",
                   (name.strip(), address, now))


def clear_failures(db: sqlite3.Connection, name: str, address: str) -> None:
    with db:
        db.execute("DELETE FROM login_failures WHERE name = ? AND address = ?", (name.strip(), address))


def secret_key(db: sqlite3.Connection) -> str:
    """The session signing key made once by the migration that added settings."""
    return db.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()[0]
