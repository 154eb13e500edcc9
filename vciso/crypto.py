"""Encrypted client files: SQLCipher 4, opened with a passphrase, encrypted, decrypted and re-keyed.

An encrypted file is recognised by its first bytes: a plain client file starts with "SQLite format 3\\0",
an encrypted one with random bytes (SQLCipher's salt). The passphrase goes to SQLCipher's own key
derivation with its version 4 defaults (PBKDF2-HMAC-SHA512, 256,000 iterations, a random salt per file);
it is never stored, logged or written anywhere by this module. `sqlcipher3` is imported only when an
encrypted file is met: plain files keep using the standard library's sqlite3.

Encrypting, decrypting and re-keying never change the file in place: `sqlcipher_export` writes a complete
copy to a temporary file beside it, the copy is checked (integrity, every table's row count, the
passphrase opens it), and only then does it replace the original with one atomic rename. Until that
rename the original is untouched; after it the original is gone, and the new file is the client file.
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

from vciso.errors import ClientFileCorrupt, ClientFileEncrypted, ClientFileLocked, VcisoError, WrongPassphrase

SQLITE_HEADER = b"SQLite format 3\x00"
# SQLCipher 4 writes whole pages of 4096 bytes; anything else not starting like SQLite is just not a database
CIPHER_PAGE_SIZE = 4096


def is_encrypted(path: Path) -> bool:
    """Whether `path` holds an encrypted (SQLCipher) database rather than a plain SQLite one.

    Decided by the header alone (no passphrase needed): not "SQLite format 3", and made of whole SQLCipher
    pages. An empty file (a client being created) is not encrypted; a file that cannot be read is not
    either (opening it reports why).
    """
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return False
    return (len(header) == len(SQLITE_HEADER) and header != SQLITE_HEADER
            and size >= CIPHER_PAGE_SIZE and size % CIPHER_PAGE_SIZE == 0)


def _driver() -> Any:
    """sqlcipher3's DB-API module, imported on first use (it takes ~20 ms: plain files never pay it)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover - a dependency of the package
        raise VcisoError("encrypted client files need the sqlcipher3 package (pip install sqlcipher3)") from None
    return dbapi2


def _quote(text: str) -> str:
    """A SQL string literal (PRAGMA key and ATTACH … KEY take no bound parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _check_passphrase(key: str) -> None:
    if not isinstance(key, str) or key == "":
        raise VcisoError("a passphrase cannot be empty")
    if "\x00" in key:
        raise VcisoError("a passphrase cannot contain a NUL character")


# NIST SP 800-63B's floor for a chosen secret; with SQLCipher's 256,000 PBKDF2 rounds per guess, 8 characters
# already make guessing slow, and longer passphrases (a few words) are encouraged wherever one is asked
MIN_PASSPHRASE_LENGTH = 8


def check_new_passphrase(key: str) -> None:
    """Refuse a new passphrase (to encrypt or re-key with) that is empty, holds NUL or is shorter than
    MIN_PASSPHRASE_LENGTH characters; an existing file opens with whatever passphrase it was given."""
    _check_passphrase(key)
    if len(key) < MIN_PASSPHRASE_LENGTH:
        raise VcisoError(f"a passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters ({len(key)} given); "
                         "a few words is best")


def connect(path: Path, key: str, *, read_only: bool = False, timeout: float = 15.0) -> Any:
    """Open the encrypted (or new, empty) file `path` with SQLCipher and `key`; the connection is checked
    to decrypt the file before it is returned. A wrong passphrase raises WrongPassphrase (one line), and
    nothing is written to the file.

    A read-only open that meets a journal left by a crash (which only a writer may roll back; SQLCipher
    reports it as a read-only error rather than SQLite's READONLY_ROLLBACK) rolls it back with a writer
    first, as SQLite's own recovery does for plain files, and opens again.
    """
    try:
        return _connect(path, key, read_only=read_only, timeout=timeout)
    except VcisoError as exc:
        journal = Path(f"{path}-journal")
        if not (read_only and _is_read_only_error(exc) and journal.exists() and journal.stat().st_size > 0):
            raise
    _connect(path, key, timeout=timeout).close()  # the first read as a writer rolls the journal back
    return _connect(path, key, read_only=True, timeout=timeout)


def _is_read_only_error(exc: BaseException) -> bool:
    cause = exc.__cause__
    return cause is not None and "readonly" in str(cause).lower().replace("-", "").replace(" ", "")


def _connect(path: Path, key: str, *, read_only: bool = False, timeout: float = 15.0) -> Any:
    _check_passphrase(key)
    sqlcipher = _driver()
    path = Path(path)
    try:
        if read_only:
            conn = sqlcipher.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro", uri=True, timeout=timeout)
        else:
            conn = sqlcipher.connect(str(path), timeout=timeout)
    except sqlcipher.Error as exc:
        from vciso.sqlite_errors import storage_error

        raise storage_error(path, exc, writing=False) from exc
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # SQLCipher's own logging would print to stderr
        conn.execute(f"PRAGMA key = {_quote(key)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the first read decrypts page 1
    except sqlcipher.DatabaseError as exc:
        conn.close()
        text = str(exc).lower()
        if "not a database" in text or "notadb" in getattr(exc, "sqlite_errorname", "").lower():
            raise WrongPassphrase(f"{path.name}: wrong passphrase — the file was not opened and is "
                                  "unchanged") from None
        from vciso.sqlite_errors import storage_error

        raise storage_error(path, exc, writing=False) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def locked_error(path: Path) -> ClientFileEncrypted:
    """The error for an encrypted file opened without a passphrase."""
    return ClientFileEncrypted(f"{Path(path).name}: the client file is encrypted (locked); give its passphrase "
                               "to open it")


# --------------------------------------------------------------------------- encrypt, decrypt, rekey


def encrypt_file(path: Path, new_key: str) -> None:
    """Encrypt the plain client file `path` with `new_key` (a verified copy replaces it atomically)."""
    if is_encrypted(path):
        raise VcisoError(f"{Path(path).name}: the client file is already encrypted (use rekey to change "
                         "its passphrase)")
    check_new_passphrase(new_key)
    _export(Path(path), None, new_key)


def decrypt_file(path: Path, key: str) -> None:
    """Decrypt the encrypted client file `path` (its passphrase `key`) to a plain SQLite file."""
    if not is_encrypted(path):
        raise VcisoError(f"{Path(path).name}: the client file is not encrypted")
    _export(Path(path), key, None)


def rekey_file(path: Path, key: str, new_key: str) -> None:
    """Change the passphrase of the encrypted client file `path` from `key` to `new_key`."""
    if not is_encrypted(path):
        raise VcisoError(f"{Path(path).name}: the client file is not encrypted (use encrypt)")
    check_new_passphrase(new_key)
    _export(Path(path), key, new_key)


def _open_source(path: Path, key: str | None) -> Any:
    """A SQLCipher connection to the file to export (plain when `key` is None), checked to be a client
    file, holding the write lock so no one changes it until it has been replaced."""
    sqlcipher = _driver()
    if key is None:
        from vciso.clientfile import check_sqlite_header

        check_sqlite_header(path)
        conn = sqlcipher.connect(str(path), timeout=15.0)
        conn.execute("PRAGMA cipher_log_level = NONE")
    else:
        conn = connect(path, key)
    conn.isolation_level = None
    try:
        conn.execute("BEGIN IMMEDIATE")  # other writers wait: nothing committed is missing from the copy
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'file_info'"
                        ).fetchone()[0] != 1:
            raise ClientFileCorrupt(f"{path.name}: a SQLite database, but not a vCISO client file")
    except sqlcipher.Error as exc:
        conn.close()
        from vciso.sqlite_errors import storage_error

        raise storage_error(path, exc, writing=False) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _table_counts(conn: Any, schema: str) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: conn.execute(f'SELECT count(*) FROM {schema}."{name}"').fetchone()[0] for name in names}


@contextlib.contextmanager
def _temp_beside(path: Path) -> Iterator[Path]:
    """A new private temporary file beside `path`, removed (with any journal) unless it was renamed."""
    import tempfile  # only here: the app's start-up never needs it

    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".rekey.tmp")
    os.close(fd)
    os.chmod(name, 0o600)
    tmp = Path(name)  # empty: ATTACH makes it a database
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


def _export(path: Path, key: str | None, new_key: str | None) -> None:
    """Copy `path` (opened with `key`) into a temporary file keyed with `new_key` (None: plain) using
    sqlcipher_export, verify the copy, then atomically replace `path` with it.

    Refused while an app window has the client open (its connection would keep writing to the replaced
    file). Other writers wait on the file's write lock, held from the copy to the rename; one that already
    waited past the rename would write to the old file, so this is a command to run while no other is.
    """
    from vciso.locking import ClientLock

    owner = ClientLock(path).owner()
    if owner is not None:
        raise ClientFileLocked(f"{path.name} is open in {owner.describe()}; close it there first")
    sqlcipher = _driver()
    source = _open_source(path, key)
    try:
        with _temp_beside(path) as tmp:
            try:
                source.execute(f"ATTACH DATABASE {_quote(str(tmp))} AS target KEY {_quote(new_key or '')}")
                source.execute("SELECT sqlcipher_export('target')")
                for pragma in ("user_version", "application_id"):  # not copied by sqlcipher_export
                    value = int(source.execute(f"PRAGMA main.{pragma}").fetchone()[0])
                    source.execute(f"PRAGMA target.{pragma} = {value}")
                expected = _table_counts(source, "main")
                version = source.execute("PRAGMA data_version").fetchone()[0]
                source.execute("COMMIT")  # the copy's own writes; DETACH is refused inside a transaction
                source.execute("DETACH DATABASE target")
                source.execute("BEGIN IMMEDIATE")  # hold off other writers again until the file is replaced
                if source.execute("PRAGMA data_version").fetchone()[0] != version:
                    raise ClientFileLocked(f"{path.name} changed while it was being copied; nothing "
                                           "changed, try again")
                source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the read lock too
            except sqlcipher.Error as exc:
                from vciso.sqlite_errors import storage_error

                raise storage_error(path, exc) from exc
            os.chmod(tmp, 0o600)
            _verify(tmp, new_key, expected)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, path)  # the atomic step: the old file until here, the new one after
            _fsync_folder(path.parent)
    finally:
        source.close()  # releases the write lock (the transaction read nothing it must keep)


def _verify(tmp: Path, key: str | None, expected: dict[str, int]) -> None:
    """Open the new copy as it will be opened from now on and check it holds exactly what was copied."""
    if (key is not None) != is_encrypted(tmp):
        raise VcisoError(f"{tmp.name}: the new copy is not {'encrypted' if key else 'plain'}; nothing changed")
    from vciso.clientfile import open_connection

    conn = open_connection(tmp, key=key)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        counts = _table_counts(conn, "main")
    finally:
        conn.close()
    if problems != ["ok"] or counts != expected:
        raise VcisoError(f"{tmp.name}: the new copy does not match the client file ({problems[0]}); "
                         "nothing changed")


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); folders cannot be opened for syncing on Windows."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
