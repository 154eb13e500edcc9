"""A workspace: a folder holding one SQLite file per client (`*.vciso`), listed by scanning the folder.

Client names become safe, unique file names that can never point outside the workspace. A damaged or
foreign file is listed with its error; the other clients still list and open.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from vciso.clientfile import ClientFile, ClientProfile, read_summary
from vciso.crypto import is_encrypted, locked_error
from vciso.errors import (ClientFileCorrupt, ClientFileEncrypted, ClientFileLocked, ClientNotFound, InvalidClientName,
                          VcisoError)

CLIENT_SUFFIX = ".vciso"
TRASH_DIR = ".trash"
TRASH_STAMP = "%Y%m%d-%H%M%S"
_STAMPED = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-\d+)?$")
MAX_STEM_BYTES = 80
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


def safe_file_stem(name: str) -> str:
    """A file-name stem for a client name: letters and digits of any script joined by '-', never a path."""
    text = unicodedata.normalize("NFKC", name).casefold()
    words = re.split(r"[^\w]+|_", text)
    stem = "-".join(word for word in words if word)
    encoded = stem.encode("utf-8")[:MAX_STEM_BYTES]
    stem = encoded.decode("utf-8", errors="ignore").strip("-")
    if not stem:
        stem = "client"
    if stem in _WINDOWS_RESERVED:
        stem = f"client-{stem}"
    return stem


@dataclass(frozen=True)
class ClientListing:
    """One file of the workspace: its profile and assessment count, or the error that stops it opening."""

    file_id: str
    path: Path
    profile: ClientProfile | None
    assessment_count: int = 0
    last_updated: str = ""
    error: str = ""
    locked: bool = False  # encrypted, and not unlocked in this run: its name stays hidden

    @property
    def name(self) -> str:
        return self.profile.name if self.profile else self.file_id

    @property
    def ok(self) -> bool:
        return self.profile is not None


@dataclass(frozen=True)
class DeletedClient:
    """A client file in the workspace's trash: who it was and when it was deleted (read read-only)."""

    path: Path
    original_stem: str
    deleted_at: dt.datetime | None
    profile: ClientProfile | None
    assessment_count: int = 0
    error: str = ""
    locked: bool = False  # encrypted: its name stays hidden; it comes back whole and opens with its passphrase

    @property
    def name(self) -> str:
        return self.profile.name if self.profile else self.original_stem

    @property
    def ok(self) -> bool:
        return self.profile is not None

    @property
    def deleted_on(self) -> str:
        """When it was deleted, as 'YYYY-MM-DD HH:MM' (empty when the file name carries no stamp)."""
        return f"{self.deleted_at:%Y-%m-%d %H:%M}" if self.deleted_at else ""


def _name_key(name: str) -> str:
    """The form two client names are compared in: trimmed, Unicode-normalised, case-folded."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


# Asked for the passphrase of an encrypted client file when it is opened (the CLI reads a file, the
# environment or the terminal; the app shows a dialog); raises a VcisoError when none is given.
PassphraseSource = Callable[[Path], str]


class Workspace:
    def __init__(self, path: Path, passphrase_for: PassphraseSource | None = None):
        self.path = Path(path).expanduser()
        self.passphrase_for = passphrase_for
        # passphrases given in this run, by file; in memory only, so the listing can show unlocked names
        self.passphrases: dict[Path, str] = {}

    def key_for(self, path: Path) -> str | None:
        """The passphrase to open `path`: None for a plain file, else the one given earlier in this run or
        asked now from `passphrase_for` (ClientFileEncrypted when there is no way to ask)."""
        if not is_encrypted(path):
            return None
        key = self.passphrases.get(path)
        if key is None:
            if self.passphrase_for is None:
                raise locked_error(path)
            key = self.passphrase_for(path)
        return key

    def ensure(self) -> None:
        """Create the workspace folder, private to the user."""
        self.path.mkdir(parents=True, exist_ok=True, mode=0o700)

    def client_paths(self) -> list[Path]:
        if not self.path.is_dir():
            return []
        return sorted(p for p in self.path.iterdir() if p.suffix == CLIENT_SUFFIX and p.is_file())

    def _path_for_stem(self, stem: str) -> Path:
        path = self.path / f"{stem}{CLIENT_SUFFIX}"
        if path.resolve().parent != self.path.resolve():
            raise InvalidClientName(f"'{stem}' cannot be used as a client file name")
        return path

    def list_clients(self) -> list[ClientListing]:
        """Every client file with its profile, sorted by client name; unreadable files carry an error."""
        listings = [_read_listing(path, self.passphrases.get(path)) for path in self.client_paths()]
        return sorted(listings, key=lambda entry: (not entry.ok, entry.name.casefold()))

    def clients_named(self, name: str) -> list[ClientListing]:
        """The clients already called `name` (ignoring case and surrounding spaces), to warn before a
        second one is created."""
        wanted = _name_key(name)
        if not wanted:
            return []
        return [entry for entry in self.list_clients() if entry.ok and _name_key(entry.name) == wanted]

    def create_client(self, name: str, *, key: str | None = None, **profile: Any) -> ClientFile:
        """Create a client file (private to the user) and return it open; encrypted with the passphrase
        `key` when one is given."""
        if not name or not name.strip():
            raise InvalidClientName("a client needs a name")
        if len(name) > 500:
            raise InvalidClientName("a client name may be at most 500 characters")
        if key is not None:
            from vciso.crypto import check_new_passphrase

            check_new_passphrase(key)  # before any file is made
        self.ensure()
        base = safe_file_stem(name)
        for counter in range(1, 10_000):
            stem = base if counter == 1 else f"{base}-{counter}"
            path = self._path_for_stem(stem)
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                continue
            os.close(fd)
            break
        else:
            raise InvalidClientName(f"too many clients named like '{name}'")
        try:
            client = ClientFile(path, create=True, key=key)
            if key is not None:
                self.passphrases[path] = key
            client.initialise(name.strip(), **profile)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return client

    def resolve(self, name_or_id: str) -> Path:
        """The file of a client given its id (file name without extension) or its name."""
        if not name_or_id:
            raise ClientNotFound("no client named")
        for path in self.client_paths():
            if path.stem == name_or_id:
                return path
        wanted = name_or_id.strip().casefold()
        matches = [entry for entry in self.list_clients() if entry.ok and entry.name.casefold() == wanted]
        if len(matches) == 1:
            return matches[0].path
        if len(matches) > 1:
            ids = ", ".join(entry.file_id for entry in matches)
            raise ClientNotFound(f"several clients are named '{name_or_id}'; use an id: {ids}")
        raise ClientNotFound(f"no client '{name_or_id}' in {self.path}")

    def open_client(self, name_or_id: str) -> ClientFile:
        """Open a client by id or name; an encrypted one with its passphrase (see `key_for`), which is then
        remembered for this run once it has opened the file."""
        return self.open_path(self.resolve(name_or_id))

    def open_path(self, path: Path, *, read_only: bool = False) -> ClientFile:
        """Open the client file `path` of this workspace, asking for its passphrase when it is encrypted."""
        key = self.key_for(path)
        client = ClientFile(path, key=key, read_only=read_only)
        if key is not None:
            self.passphrases[path] = key
        return client

    def delete_client(self, name_or_id: str) -> Path:
        """Move the client file to the workspace's .trash folder (recoverable); returns where it went."""
        path = self.resolve(name_or_id)
        trash = self.path / TRASH_DIR
        trash.mkdir(exist_ok=True, mode=0o700)
        stamp = dt.datetime.now().strftime(TRASH_STAMP)
        target: Path | None = None
        try:
            # a name of its own, even for the same client deleted twice within a second
            target = _claim_free(trash / f"{path.stem}-{stamp}{suffix}{CLIENT_SUFFIX}"
                                 for suffix in ("", *(f"-{n}" for n in range(2, 1000))))
            shutil.move(str(path), target)
        except OSError as exc:
            if target is not None and path.exists():
                target.unlink(missing_ok=True)  # only the empty name claimed above
            raise VcisoError(f"{path.name}: cannot be moved to the trash ({exc.strerror or exc})") from None
        return target

    # ------------------------------------------------------------------ the trash

    @property
    def trash_path(self) -> Path:
        return self.path / TRASH_DIR

    def deleted_clients(self) -> list[DeletedClient]:
        """Every client file in the trash, most recently deleted first; a damaged one carries its error."""
        trash = self.trash_path
        if not trash.is_dir():
            return []
        found = [_read_deleted(path) for path in trash.iterdir()
                 if path.suffix == CLIENT_SUFFIX and path.is_file()]
        oldest = dt.datetime.min
        return sorted(found, key=lambda d: (d.deleted_at or oldest, d.path.name), reverse=True)

    def find_deleted(self, file_or_name: str) -> DeletedClient:
        """The deleted client named by its trash file (a path, a file name, or a name without `.vciso`) or
        by its client name; raises ClientNotFound when none or several match."""
        if not file_or_name or not file_or_name.strip():
            raise ClientNotFound("no deleted client named")
        deleted = self.deleted_clients()
        trash = self.trash_path.resolve()
        given = Path(file_or_name).expanduser()
        for entry in deleted:
            if file_or_name in (entry.path.name, entry.path.stem) or (
                    given.exists() and given.resolve() == entry.path.resolve()):
                return entry
        if given.suffix == CLIENT_SUFFIX and given.exists() and given.resolve().parent != trash:
            raise ClientNotFound(f"{given} is not in the workspace's trash ({self.trash_path})")
        wanted = _name_key(file_or_name)
        matches = [entry for entry in deleted if entry.ok and _name_key(entry.name) == wanted]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            files = ", ".join(entry.path.name for entry in matches)
            raise ClientNotFound(f"several deleted clients are named '{file_or_name}'; name the file: {files}")
        raise ClientNotFound(f"no deleted client '{file_or_name}' in {self.trash_path}")

    def restore_client(self, trash_path: Path) -> Path:
        """Move a file of the trash back into the workspace under its old name, or the first free one
        (`name-2`, ...); an existing client is never overwritten. Returns the restored file's path."""
        source = Path(trash_path)
        if not source.is_file() or source.resolve().parent != self.trash_path.resolve():
            raise ClientNotFound(f"{source.name} is not a file in the workspace's trash ({self.trash_path})")
        match = _STAMPED.match(source.stem)
        base = safe_file_stem(match.group("stem") if match else source.stem)
        self.ensure()
        # the name is claimed first: a client created meanwhile under the same name is never replaced
        target = _claim_free(self._path_for_stem(base if counter == 1 else f"{base}-{counter}")
                             for counter in range(1, 10_000))
        try:
            os.replace(source, target)
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise VcisoError(f"{source.name}: cannot be moved back into the workspace "
                             f"({exc.strerror or exc})") from None
        return target


def _read_listing(path: Path, key: str | None = None) -> ClientListing:
    """Read just enough of a client file to list it, without migrating or locking it for long. An encrypted
    file without its passphrase is listed "locked", by its file id only: the client's name is inside the
    encrypted file, never in a plain header beside it."""
    try:
        summary = read_summary(path, key)
    except ClientFileEncrypted:
        return ClientListing(path.stem, path, None, error="locked (encrypted): give its passphrase to open it",
                             locked=True)
    except (ClientFileCorrupt, ClientFileLocked) as exc:
        return ClientListing(path.stem, path, None, error=str(exc))
    return ClientListing(path.stem, path, summary.profile, summary.assessment_count, summary.last_updated)


def _claim_free(candidates: Iterable[Path]) -> Path:
    """Create (empty, private) the first of `candidates` that does not exist yet and return it."""
    for path in candidates:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise InvalidClientName("no free file name left for this client")


def _read_deleted(path: Path) -> DeletedClient:
    """A trash file's client (read-only) and its deletion time, taken from the stamp in its name."""
    match = _STAMPED.match(path.stem)
    stem, deleted_at = path.stem, None
    if match:
        try:
            deleted_at = dt.datetime.strptime(match.group("stamp"), TRASH_STAMP)
            stem = match.group("stem")
        except ValueError:
            pass
    try:
        summary = read_summary(path)
    except ClientFileEncrypted as exc:
        return DeletedClient(path, stem, deleted_at, None, error=str(exc), locked=True)
    except (ClientFileCorrupt, ClientFileLocked) as exc:
        return DeletedClient(path, stem, deleted_at, None, error=str(exc))
    return DeletedClient(path, stem, deleted_at, summary.profile, summary.assessment_count)
