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
from typing import Any

from vciso.clientfile import ClientFile, ClientProfile, read_summary
from vciso.errors import ClientFileCorrupt, ClientFileLocked, ClientNotFound, InvalidClientName, VcisoError

CLIENT_SUFFIX = ".vciso"
TRASH_DIR = ".trash"
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

    @property
    def name(self) -> str:
        return self.profile.name if self.profile else self.file_id

    @property
    def ok(self) -> bool:
        return self.profile is not None


class Workspace:
    def __init__(self, path: Path):
        self.path = Path(path).expanduser()

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
        listings = [_read_listing(path) for path in self.client_paths()]
        return sorted(listings, key=lambda entry: (not entry.ok, entry.name.casefold()))

    def create_client(self, name: str, **profile: Any) -> ClientFile:
        """Create a client file (private to the user) and return it open."""
        if not name or not name.strip():
            raise InvalidClientName("a client needs a name")
        if len(name) > 500:
            raise InvalidClientName("a client name may be at most 500 characters")
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
            client = ClientFile(path, create=True)
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
        return ClientFile(self.resolve(name_or_id))

    def delete_client(self, name_or_id: str) -> Path:
        """Move the client file to the workspace's .trash folder (recoverable); returns where it went."""
        path = self.resolve(name_or_id)
        trash = self.path / TRASH_DIR
        trash.mkdir(exist_ok=True, mode=0o700)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = trash / f"{path.stem}-{stamp}{CLIENT_SUFFIX}"
        try:
            shutil.move(str(path), target)
        except OSError as exc:
            raise VcisoError(f"{path.name}: cannot be moved to the trash ({exc.strerror or exc})") from None
        return target


def _read_listing(path: Path) -> ClientListing:
    """Read just enough of a client file to list it, without migrating or locking it for long."""
    try:
        summary = read_summary(path)
    except (ClientFileCorrupt, ClientFileLocked) as exc:
        return ClientListing(path.stem, path, None, error=str(exc))
    return ClientListing(path.stem, path, summary.profile, summary.assessment_count, summary.last_updated)
