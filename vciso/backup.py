"""Consistent backups of client files, and restoring them without ever overwriting a client.

A copy of a live SQLite file made by copying its bytes may catch a transaction half-written; every copy
here is made with SQLite's online backup API on a read connection (`copy_client_file`), which sees one
committed state. A workspace backup is a zip of such copies (`clients/<file>.vciso`) and `manifest.json`
naming each copy with its client, size and SHA-256. Restore follows the house's plan-then-apply shape:
`plan_restore` reads and checks the manifest and says where each client will land (its own file name
when free, else a new one; a client whose name is already taken gets " (restored DATE)" so the two can
be told apart); `apply_restore` extracts every copy beside the workspace, checks each SHA-256 and that it
is a client file, and only then moves them in under names claimed with O_EXCL: an existing client is
never replaced, and a damaged backup places nothing.

An encrypted client file is copied only with its passphrase, and its copy stays encrypted with the same
passphrase (SQLCipher's backup between two connections keyed alike): a backup never holds decrypted client
data. Its manifest entry says `"encrypted": true` and leaves the name and id empty, as the workspace
listing hides them. Restore checks such a copy by size, SHA-256 and that it is still encrypted (it cannot
be opened without the passphrase); it lands under a free file name and keeps its client name, which cannot
be changed without the passphrase: the file name tells it apart from the live client.

The app also keeps the last N automatic copies of each client it changed (`automatic_backup`), made on
close in the user data folder (`automatic_backup_folder`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Generator, Iterable, Mapping

from vciso import __version__
from vciso.atomic import atomic_path, free_space, write_error
from vciso.clientfile import check_sqlite_header, inspect_file, open_connection, read_summary, recover_journal
from vciso.crypto import is_encrypted
from vciso.errors import (BackupInvalid, ClientFileCorrupt, ClientFileEncrypted, ClientFileLocked, DiskFull,
                          ReadOnlyStorage, StorageError, VcisoError)
from vciso.sqlite_errors import db_errors, is_hot_journal, storage_error
from vciso.workspace import CLIENT_SUFFIX, Workspace, safe_file_stem

BACKUP_FORMAT = "vciso-backup"
# 2: a client's copy may be encrypted ("encrypted": true, no name). A backup holding none is still written as
# version 1, which older apps restore; one holding an encrypted copy is 2, which they refuse as "made by a
# newer vCISO Workbench" instead of failing to inspect the copy and restoring nothing.
BACKUP_VERSION = 2
PLAIN_BACKUP_VERSION = 1
MANIFEST = "manifest.json"
CLIENTS_DIR = "clients"
MAX_MANIFEST_BYTES = 4 * 1024 * 1024      # a manifest of thousands of clients is well under this
MAX_ENTRIES = 10_000
DEFAULT_KEEP = 10
AUTOMATIC_DIR = "backups"
_CHUNK = 1024 * 1024
_STAMP = "%Y%m%d-%H%M%S"
_AUTO_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.vciso$")
ENCRYPTED_NOTE = "encrypted — opens with its own passphrase"

Progress = Generator[tuple[int, int, str], None, "object"]


@dataclass(frozen=True)
class BackupEntry:
    """One client in a backup: where its copy is in the zip, who it is, and the copy's size and SHA-256.

    An encrypted copy's `name` and `client_id` are empty and `assessments` is 0: they stay hidden."""

    member: str
    stem: str
    name: str
    client_id: str
    assessments: int
    size: int
    sha256: str
    encrypted: bool = False

    @property
    def label(self) -> str:
        """How a person recognises the client: its name, or its file when it is encrypted (name hidden)."""
        return f"{self.stem}{CLIENT_SUFFIX}" if self.encrypted else self.name


@dataclass(frozen=True)
class BackupResult:
    """What `backup_workspace` wrote: the zip, the clients in it, and the files it could not copy."""

    path: Path
    entries: tuple[BackupEntry, ...]
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestoreItem:
    """Where one client of a backup will be restored, and under which client name."""

    entry: BackupEntry
    target_stem: str
    restored_name: str            # the entry's own name, or "Name (restored DATE)" when the name is taken;
                                  # "" for an encrypted copy (its name is hidden and never changed)

    @property
    def renamed_file(self) -> bool:
        return self.target_stem != safe_file_stem(self.entry.stem)

    @property
    def renamed_client(self) -> bool:
        return self.restored_name != self.entry.name

    @property
    def label(self) -> str:
        """The client as the restore names it: its (new) name, or its file in the backup when encrypted."""
        return self.entry.label if self.entry.encrypted else self.restored_name

    @property
    def notes(self) -> tuple[str, ...]:
        """Why it lands under another file or client name, and that an encrypted copy needs its passphrase."""
        notes = []
        if self.renamed_file:
            notes.append(f"{self.entry.stem} is taken")
        if self.renamed_client:
            notes.append("a client of that name exists")
        if self.entry.encrypted:
            notes.append(ENCRYPTED_NOTE)
        return tuple(notes)


@dataclass(frozen=True)
class RestorePlan:
    """Everything a restore would do, decided before anything is written; `problems` stop it."""

    source: Path
    created_at: str
    items: tuple[RestoreItem, ...]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RestoredClient:
    """A client restored into the workspace; an encrypted one's `name` is "" (hidden until unlocked)."""

    path: Path
    name: str
    encrypted: bool = False


# --------------------------------------------------------------------------- one consistent copy


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def copy_client_file(source: Path, target: Path, key: str | None = None) -> None:
    """Write a consistent copy of the client file `source` to the new file `target` (private to the user).

    SQLite's online backup API copies one committed state while other connections keep writing (a
    writer's uncommitted transaction is not in the copy). `target` must not exist. A journal left by a
    crash is rolled back first (SQLite's own recovery). An encrypted `source` needs its passphrase `key`
    (ClientFileEncrypted without, WrongPassphrase with a wrong one; `target` is then removed), and its copy
    is encrypted with the same passphrase. Raises the client file's domain errors.
    """
    source, target = Path(source), Path(target)
    check_sqlite_header(source, key)
    key = key if is_encrypted(source) else None  # a plain file needs no passphrase
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:
        raise write_error(target, exc) from exc
    os.close(fd)
    try:
        for attempt in (1, 2):
            try:
                src = open_connection(source, read_only=True, key=key)
            except ReadOnlyStorage:
                # SQLCipher reads page 1 while opening, and reports a crash's hot journal there as a plain
                # SQLITE_READONLY (sqlite3 reports SQLITE_READONLY_ROLLBACK on the first read, below)
                if attempt == 1 and key is not None and Path(f"{source}-journal").exists():
                    recover_journal(source, key)
                    continue
                raise
            try:
                dst = open_connection(target, key=key)  # keyed alike: the copy is encrypted as the source is
                try:
                    src.backup(dst)
                finally:
                    dst.close()
                break
            except db_errors() as exc:
                if attempt == 1 and is_hot_journal(exc):
                    src.close()
                    recover_journal(source, key)
                    continue
                raise storage_error(source, exc, writing=False) from exc
            finally:
                src.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        Path(f"{target}-journal").unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- workspace backups


def backup_workspace(workspace: Workspace, output: Path, passphrases: Mapping[Path, str] | None = None) -> Progress:
    """Write a zip holding a consistent copy of every client of `workspace` and a manifest of SHA-256s.

    A generator yielding (step, total, message); returns a BackupResult. The zip is written atomically
    and private to the user. An encrypted client is copied (still encrypted) with its passphrase from
    `passphrases` (by file path). A client file that cannot be read (damaged, foreign, encrypted with its
    passphrase unknown or wrong) is not in the backup and is named in `skipped`; a workspace with no client
    at all is refused.
    """
    known = passphrases or {}
    output = Path(output).expanduser()
    if output.suffix.lower() != ".zip":
        raise VcisoError(f"{output.name}: a backup is a .zip file; choose a name ending in .zip")
    paths = workspace.client_paths()
    if not paths:
        raise VcisoError(f"there is no client to back up in {workspace.path}")
    entries: list[BackupEntry] = []
    skipped: list[str] = []
    total = len(paths) + 1
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".vciso-backup-", dir=output.parent))
    except OSError as exc:
        raise write_error(output, exc) from exc
    try:
        with atomic_path(output) as tmp_zip:
            with zipfile.ZipFile(tmp_zip, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                for step, path in enumerate(paths):
                    yield step, total, f"Backing up {path.stem}"
                    copy = scratch / path.name
                    encrypted = is_encrypted(path)
                    key = known.get(path) if encrypted else None
                    if encrypted and key is None:
                        skipped.append(f"{path.name} is not in the backup: it is encrypted and its passphrase "
                                       "was not given")
                        continue
                    try:
                        copy_client_file(path, copy, key)
                        summary = read_summary(copy, key)  # the copy opens and is a client file
                    except (ClientFileCorrupt, ClientFileLocked, ClientFileEncrypted) as exc:
                        skipped.append(f"{path.name} is not in the backup: {exc}")
                        copy.unlink(missing_ok=True)
                        continue
                    member = f"{CLIENTS_DIR}/{path.name}"
                    size, digest = copy.stat().st_size, sha256_of(copy)
                    if encrypted:  # its name and id stay hidden, as in the workspace listing
                        # stored: encrypted bytes do not compress
                        archive.write(copy, member, compress_type=zipfile.ZIP_STORED)
                        entries.append(BackupEntry(member, path.stem, "", "", 0, size, digest, encrypted=True))
                    else:
                        archive.write(copy, member)
                        entries.append(BackupEntry(member, path.stem, summary.profile.name, summary.profile.id,
                                                   summary.assessment_count, size, digest))
                    copy.unlink()
                yield len(paths), total, "Writing the manifest"
                version = BACKUP_VERSION if any(e.encrypted for e in entries) else PLAIN_BACKUP_VERSION
                manifest = {"format": BACKUP_FORMAT, "version": version, "app_version": __version__,
                            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                            "workspace": str(workspace.path), "clients": [asdict(e) for e in entries],
                            "skipped": skipped}
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if not entries:
        output.unlink(missing_ok=True)
        raise VcisoError("no client file could be backed up: " + "; ".join(skipped))
    return BackupResult(output, tuple(entries), tuple(skipped))


# --------------------------------------------------------------------------- reading a backup


def _entry(data: object, index: int, source: str) -> BackupEntry:
    if not isinstance(data, dict):
        raise BackupInvalid(f"{source}: client {index + 1} of the manifest is not a record")
    try:
        entry = BackupEntry(member=str(data["member"]), stem=str(data["stem"]), name=str(data["name"]),
                            client_id=str(data.get("client_id", "")), assessments=int(data.get("assessments", 0)),
                            size=int(data["size"]), sha256=str(data["sha256"]).lower(),
                            encrypted=data.get("encrypted", False) is True)  # absent before version 2
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupInvalid(f"{source}: client {index + 1} of the manifest is incomplete ({exc})") from None
    if not re.fullmatch(r"[0-9a-f]{64}", entry.sha256) or entry.size < 0:
        raise BackupInvalid(f"{source}: client {index + 1} of the manifest has no valid SHA-256 or size")
    return entry


def read_backup(path: Path) -> tuple[str, tuple[BackupEntry, ...]]:
    """The creation time and clients a backup zip holds, from its manifest; BackupInvalid when it is not
    a vCISO backup (or its manifest is damaged or oversized)."""
    path = Path(path).expanduser()
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupInvalid(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupInvalid(f"{path.name}: not a vCISO backup (not a readable zip file: {exc})") from None
    with archive:
        try:
            info = archive.getinfo(MANIFEST)
        except KeyError:
            raise BackupInvalid(f"{path.name}: not a vCISO backup (it has no {MANIFEST})") from None
        if info.file_size > MAX_MANIFEST_BYTES:
            raise BackupInvalid(f"{path.name}: its manifest is larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MB")
        try:
            manifest = json.loads(archive.read(info).decode("utf-8"))
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            raise BackupInvalid(f"{path.name}: its manifest cannot be read ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
            raise BackupInvalid(f"{path.name}: not a vCISO backup (its manifest is of another kind)")
        if not isinstance(manifest.get("version"), int) or manifest["version"] > BACKUP_VERSION:
            raise BackupInvalid(f"{path.name}: made by a newer vCISO Workbench (backup format "
                                f"{manifest.get('version')}); update the app to restore it")
        clients = manifest.get("clients")
        if not isinstance(clients, list) or len(clients) > MAX_ENTRIES:
            raise BackupInvalid(f"{path.name}: its manifest lists no clients")
        entries = tuple(_entry(item, i, path.name) for i, item in enumerate(clients))
    return str(manifest.get("created_at", "")), entries


def _single_file_entry(path: Path) -> BackupEntry:
    """A lone client file (an automatic backup) seen as a one-client backup; an encrypted one is not read."""
    stem = _AUTO_NAME.sub(r"\g<stem>", path.name).removesuffix(CLIENT_SUFFIX)
    if is_encrypted(path):
        return BackupEntry(path.name, stem, "", "", 0, path.stat().st_size, sha256_of(path), encrypted=True)
    summary = read_summary(path)
    return BackupEntry(path.name, stem, summary.profile.name, summary.profile.id, summary.assessment_count,
                       path.stat().st_size, sha256_of(path))


# --------------------------------------------------------------------------- restore


def _free_stems(workspace: Workspace, base: str, taken: set[str]) -> Iterable[str]:
    for counter in range(1, 10_000):
        stem = base if counter == 1 else (f"{base}-restored" if counter == 2 else f"{base}-restored-{counter - 1}")
        if stem not in taken and not (workspace.path / f"{stem}{CLIENT_SUFFIX}").exists():
            yield stem


def plan_restore(workspace: Workspace, source: Path, today: dt.date | None = None) -> RestorePlan:
    """Plan restoring a backup zip (or one client file, e.g. an automatic backup) into `workspace`.

    Nothing is written. Each client lands under its own file name when free, else a new one
    (`acme-restored`); a client whose name another client already has is restored as
    "Name (restored DATE)" (not an encrypted one: its name cannot be read or changed without its
    passphrase). Missing or mis-sized copies are problems, which `apply_restore` refuses.
    """
    source = Path(source).expanduser()
    today = today or dt.date.today()
    problems: list[str] = []
    if source.suffix == CLIENT_SUFFIX:
        created, entries = "", (_single_file_entry(source),)
    else:
        created, entries = read_backup(source)
        with zipfile.ZipFile(source) as archive:
            sizes = {info.filename: info.file_size for info in archive.infolist()}
        for entry in entries:
            if entry.member not in sizes:
                problems.append(f"{entry.label}: its copy ({entry.member}) is missing from the backup")
            elif sizes[entry.member] != entry.size:
                problems.append(f"{entry.label}: its copy is {sizes[entry.member]} bytes, the manifest says "
                                f"{entry.size} (the backup is damaged)")
    if not entries:
        problems.append(f"{source.name}: the backup holds no client")
    existing = {listing.name.strip().casefold() for listing in workspace.list_clients() if listing.ok}
    taken: set[str] = set()
    names: set[str] = set(existing)
    items = []
    for entry in entries:
        stem = next(iter(_free_stems(workspace, safe_file_stem(entry.stem), taken)))
        taken.add(stem)
        name = entry.name
        if not entry.encrypted:
            if name.strip().casefold() in names:
                name = f"{entry.name} (restored {today.isoformat()})"
            names.add(name.strip().casefold())
        items.append(RestoreItem(entry, stem, name))
    return RestorePlan(source, created, tuple(items), tuple(problems))


def _extract(archive: zipfile.ZipFile | None, source: Path, entry: BackupEntry, target: Path) -> None:
    """Copy one client out of the backup to `target`, checking its size and SHA-256 on the way."""
    digest = hashlib.sha256()
    written = 0
    reader: IO[bytes] = archive.open(entry.member) if archive is not None else open(source, "rb")
    with reader, os.fdopen(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600), "wb") as out:
        for chunk in iter(lambda: reader.read(_CHUNK), b""):
            written += len(chunk)
            if written > entry.size:
                break
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if written != entry.size or digest.hexdigest() != entry.sha256:
        raise BackupInvalid(f"{entry.label}: the copy in {source.name} does not match its SHA-256 (the backup is "
                            "damaged); nothing was restored")


def apply_restore(workspace: Workspace, plan: RestorePlan, passphrases: Iterable[str] = (),
                  today: dt.date | None = None) -> Progress:
    """Restore a planned backup: a generator yielding (step, total, message), returning the RestoredClients.

    Every copy is first extracted beside the workspace and checked (SHA-256, a client file this version
    can read); only when all are good are they moved in, each under a name claimed so that an existing
    client is never replaced. A plan with problems, a damaged copy or a full disk restores nothing.
    An encrypted copy that one of `passphrases` opens is named like a plain one: "Name (restored DATE)"
    when a client of that name exists (the encrypted ones among them read with the same passphrases).
    """
    keys = tuple(dict.fromkeys(key for key in passphrases if key))
    names = _client_names(workspace, keys) if keys else set()
    today = today or dt.date.today()
    if plan.problems:
        raise BackupInvalid(f"{plan.source.name}: cannot be restored: {plan.problems[0]}"
                            + (f" (and {len(plan.problems) - 1} more)" if len(plan.problems) > 1 else ""))
    workspace.ensure()
    needed = sum(item.entry.size for item in plan.items)
    try:
        free = shutil.disk_usage(workspace.path).free
    except OSError:
        free = needed
    if needed > free:
        raise DiskFull(f"restoring {plan.source.name} needs {needed / 1024 / 1024:.0f} MB; the disk holding "
                       f"{workspace.path} has {free_space(workspace.path)}; nothing was restored")
    total = len(plan.items) * 2
    scratch = Path(tempfile.mkdtemp(prefix=".vciso-restore-", dir=workspace.path))
    restored: list[RestoredClient] = []
    try:
        archive = None if plan.source.suffix == CLIENT_SUFFIX else zipfile.ZipFile(plan.source)
        try:
            staged = []
            for step, item in enumerate(plan.items):
                yield step, total, f"Checking {item.entry.label}"
                temp = scratch / f"{step}{CLIENT_SUFFIX}"
                try:
                    _extract(archive, plan.source, item.entry, temp)
                except OSError as exc:
                    raise write_error(workspace.path / f"{item.target_stem}{CLIENT_SUFFIX}", exc) from exc
                if item.entry.encrypted:  # cannot be opened without its passphrase: its SHA-256 vouches for it
                    if not is_encrypted(temp):
                        raise BackupInvalid(f"{item.entry.label}: the copy in the backup is not encrypted, as its "
                                            "manifest says it is; nothing was restored")
                    staged.append((_named_encrypted(item, temp, keys, names, today), temp))
                    continue
                try:
                    inspect_file(temp)
                except ClientFileCorrupt as exc:
                    raise BackupInvalid(f"{item.entry.label}: the copy in the backup is not a usable client file "
                                        f"({exc}); nothing was restored") from None
                if item.renamed_client:
                    _rename_client(temp, item.restored_name)
                staged.append((item, temp))
        finally:
            if archive is not None:
                archive.close()
        for step, (item, temp) in enumerate(staged, start=len(plan.items)):
            yield step, total, f"Restoring {item.label}"
            target = _claim(workspace, item.target_stem)
            os.replace(temp, target)
            restored.append(RestoredClient(target, item.restored_name, item.entry.encrypted))
            if item.restored_name:
                names.add(item.restored_name.strip().casefold())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return restored


def _client_names(workspace: Workspace, keys: tuple[str, ...]) -> set[str]:
    """The names of the workspace's clients (case-folded), encrypted ones read with any of `keys`."""
    names = set()
    for path in workspace.client_paths():
        for key in (None, *keys) if is_encrypted(path) else (None,):
            try:
                names.add(read_summary(path, key).profile.name.strip().casefold())
                break
            except (ClientFileCorrupt, ClientFileLocked, ClientFileEncrypted):
                continue
    return names


def _named_encrypted(item: RestoreItem, temp: Path, keys: tuple[str, ...], names: set[str],
                     today: dt.date) -> RestoreItem:
    """An encrypted copy one of `keys` opens, renamed "Name (restored DATE)" when its name is taken (the
    copy stays encrypted); as planned (name unknown) when none opens it."""
    for key in keys:
        try:
            name = read_summary(temp, key).profile.name
        except ClientFileEncrypted:  # not this passphrase (WrongPassphrase): the next one
            continue
        if name.strip().casefold() in names:
            name = f"{name} (restored {today.isoformat()})"
            _rename_client(temp, name, key)
        names.add(name.strip().casefold())
        return dataclasses.replace(item, restored_name=name)
    return item


def _rename_client(path: Path, name: str, key: str | None = None) -> None:
    """Give a restored copy its own client name (its file is not in the workspace yet)."""
    from vciso.clientfile import ClientFile

    with ClientFile(path, key=key) as client:
        if client.read_only:  # written by a newer version: restored as it is, never changed
            return
        client.update_profile(name=name)


def _claim(workspace: Workspace, stem: str) -> Path:
    """Create (empty, private) the first free file for `stem` and return it: never an existing client."""
    base = stem
    for counter in range(1, 10_000):
        candidate = workspace.path / f"{base if counter == 1 else f'{base}-{counter}'}{CLIENT_SUFFIX}"
        try:
            fd = os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise write_error(candidate, exc) from exc
        os.close(fd)
        return candidate
    raise StorageError(f"no free file name left in {workspace.path} for {stem}")


# --------------------------------------------------------------------------- automatic backups


def automatic_backup_folder() -> Path:
    """Where the app keeps its automatic backups: `backups/` in the user data folder."""
    from vciso.paths import data_root

    return data_root() / AUTOMATIC_DIR


def automatic_backup(path: Path, folder: Path | None = None, keep: int = DEFAULT_KEEP,
                     now: dt.datetime | None = None, key: str | None = None) -> Path:
    """Copy a client file (consistently) into its own folder under `folder` and keep only the newest
    `keep` copies of it; returns the new copy. The folder is named after the file and the client's id,
    so two workspaces' "acme" never share one. An encrypted client needs its passphrase `key`; its copy
    is encrypted with the same one."""
    path = Path(path)
    folder = Path(folder) if folder is not None else automatic_backup_folder()
    summary = read_summary(path, key)
    client_folder = folder / f"{path.stem}-{summary.profile.id[:8]}"
    try:
        client_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise write_error(client_folder / path.name, exc) from exc
    stamp = (now or dt.datetime.now()).strftime(_STAMP)
    for counter in range(1, 1000):
        target = client_folder / (f"{path.stem}-{stamp}" + (f"-{counter}" if counter > 1 else "") + CLIENT_SUFFIX)
        if not target.exists():
            break
    # made under a temporary name and renamed: a half-made copy never looks like a backup
    temp = client_folder / f".{target.name}.tmp"
    temp.unlink(missing_ok=True)
    copy_client_file(path, temp, key)
    os.replace(temp, target)
    prune_automatic_backups(client_folder, keep)
    return target


def automatic_backups(client_folder: Path) -> list[Path]:
    """The automatic backups in one client's folder, oldest first."""
    if not client_folder.is_dir():
        return []
    found = []
    for candidate in client_folder.iterdir():
        match = _AUTO_NAME.match(candidate.name)
        if match and candidate.is_file():
            found.append((match.group("stamp"), int(match.group("n") or 1), candidate))
    return [item[2] for item in sorted(found)]


def prune_automatic_backups(client_folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` (at least 1) automatic backups of a client; returns those deleted."""
    backups = automatic_backups(client_folder)
    doomed = backups[:max(0, len(backups) - max(1, keep))]
    for old in doomed:
        old.unlink(missing_ok=True)
    return doomed
