"""One mapping from SQLite's errors to the domain errors a consultant reads.

Every statement of a client file (opening, reading, any statement inside a write transaction) goes
through `storage_error`, so a full disk says so, a read-only workspace says so, and "damaged" is only said
when SQLite itself reports corruption. The SQLite error stays attached as the cause.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from vciso.atomic import free_space
from vciso.errors import (ClientFileCorrupt, ClientFileLocked, DiskFull, ReadOnlyStorage, StorageError,
                          VcisoError)


def db_errors() -> tuple[type[Exception], ...]:
    """The error types of every SQLite driver in use, for `except db_errors():` (evaluated only when an
    error is raised): sqlite3's, and SQLCipher's once an encrypted file has been opened. sqlcipher3's
    errors do not derive from sqlite3's, and it is imported only for encrypted files (it costs start-up)."""
    cipher = sys.modules.get("sqlcipher3.dbapi2")
    return (sqlite3.Error, cipher.Error) if cipher is not None else (sqlite3.Error,)


def error_name(exc: sqlite3.Error) -> str:
    """SQLite's own name of the error (SQLITE_FULL, SQLITE_READONLY_ROLLBACK…), or '' when unknown."""
    return getattr(exc, "sqlite_errorname", "") or ""


def is_hot_journal(exc: sqlite3.Error) -> bool:
    """A read-only connection met a journal left by a crash, which only a writer can roll back."""
    return error_name(exc) == "SQLITE_READONLY_ROLLBACK"


def storage_error(path: Path, exc: sqlite3.Error, *, writing: bool = True) -> VcisoError:
    """The domain error for a SQLite error on the client file at `path`."""
    name, text, lowered = error_name(exc), str(exc), str(exc).lower()
    file = Path(path).name
    outcome = "nothing was saved, the file is unchanged" if writing else "nothing was read"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in lowered or "busy" in lowered:
        return ClientFileLocked(f"{file}: the file is busy in another window or process; try again")
    if name == "SQLITE_FULL" or "disk is full" in lowered:
        return DiskFull(f"{file}: the disk is full ({free_space(Path(path).parent)}); {outcome}")
    if name.startswith("SQLITE_READONLY") or "readonly database" in lowered:
        return ReadOnlyStorage(f"{file}: the workspace is read-only; {outcome}")
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        return StorageError(f"{file}: the disk reported an input/output error ({text}); {outcome}")
    if name == "SQLITE_CANTOPEN" or "unable to open" in lowered:
        return StorageError(f"{file}: the file cannot be opened ({text}); check that the workspace folder "
                            "exists and is writable")
    if name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or "malformed" in lowered or "not a database" in lowered:
        return ClientFileCorrupt(f"{file}: the client file is damaged ({text})")
    if name.startswith("SQLITE_CONSTRAINT") or type(exc).__name__ == "IntegrityError":  # sqlite3 or SQLCipher
        return VcisoError(f"{file}: the change was refused ({text}); {outcome}")
    return StorageError(f"{file}: the change could not be saved ({text}); {outcome}" if writing
                        else f"{file}: the file could not be read ({text})")
