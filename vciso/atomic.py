"""Atomic file writing: write to a temporary file beside the target, fsync, then rename over it.

Every file the app writes outside a client file (deliverables, settings, library imports, the authoring
template) goes through `atomic_path`, so every one of them fails the same way: the earlier file is kept,
no temporary file is left, and the disk's refusal becomes one domain error in words (`write_error`).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import tempfile
import zipfile
from pathlib import Path
from types import TracebackType
from typing import Iterator

from vciso.errors import DiskFull, ReadOnlyStorage, StorageError

NOT_WRITTEN = "the file was not written"
# The refusals that are about the disk or the folder, not about what was being written.
_FULL = {errno.ENOSPC, errno.EDQUOT}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_STORAGE = _FULL | _READ_ONLY | {errno.EIO, errno.EFBIG}


@contextlib.contextmanager
def atomic_path(target: Path, mode: int = 0o600) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `target`, on error it is removed.

    A reader never sees a half-written file, and a failed write leaves any earlier file untouched. The
    disk or folder refusing the file raises DiskFull, ReadOnlyStorage or StorageError (see `write_error`);
    any other error of the writer passes through as it was.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
    except OSError as exc:
        raise write_error(target, exc) from exc
    tmp = Path(tmp_name)
    try:
        try:
            yield tmp
        except BaseException as exc:
            _close_handles_on(tmp, exc.__traceback__)
            if isinstance(exc, OSError) and exc.errno in _STORAGE and _names_the_folder(exc, target.parent):
                raise write_error(target, exc) from exc
            raise
        try:
            os.chmod(tmp, mode)
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            raise write_error(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_directory(target.parent)


def write_error(target: Path, exc: OSError) -> StorageError:
    """The domain error, in words, for the disk or folder refusing to store `target`.

    The one mapping of a failed file write: a full disk (with the space left), a read-only or forbidden
    folder, any other refusal with the system's own words. The CLI and the app show its message as is.
    """
    target = Path(target)
    folder = target.parent
    if exc.errno == errno.ENOSPC:
        return DiskFull(f"{target.name}: the disk is full ({free_space(folder)}); {NOT_WRITTEN}")
    if exc.errno == errno.EDQUOT:
        return DiskFull(f"{target.name}: the disk quota is used up ({free_space(folder)}); {NOT_WRITTEN}")
    if exc.errno == errno.EROFS:
        return ReadOnlyStorage(f"{target.name}: the folder {folder} is read-only; {NOT_WRITTEN}")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ReadOnlyStorage(f"{target.name}: the folder {folder} cannot be written to (permission denied); "
                               f"{NOT_WRITTEN}")
    if exc.errno == errno.EIO:
        return StorageError(f"{target.name}: the disk reported an input/output error; {NOT_WRITTEN}")
    return StorageError(f"{target.name}: {exc.strerror or exc}; {NOT_WRITTEN}")


def _names_the_folder(exc: OSError, folder: Path) -> bool:
    """Whether a writer's OSError is about the target's folder (a write has no file name: it is ours),
    rather than about a file it was reading (a logo it may not open)."""
    return exc.filename is None or Path(os.fsdecode(exc.filename)).parent == folder


def free_space(folder: Path) -> str:
    """'N MB free' on the disk holding `folder`, for a message."""
    try:
        return f"{shutil.disk_usage(folder).free / 1024 / 1024:.0f} MB free"
    except OSError:
        return "free space unknown"


def _close_handles_on(tmp: Path, tb: TracebackType | None) -> None:
    """Close what a failed writer left open on the temporary file, quietly and now.

    openpyxl opens its zip archive (and reportlab its file) without a `with`: after a failure they live on
    in the failed frames, and when the garbage collector closes them later they fail again on the full
    disk ("Exception ignored in: ZipFile.__del__", a traceback after the one-line error). A closed zip
    archive or file is left alone by the collector. Only handles on our own temporary file are touched.
    """
    name = str(tmp)
    while tb is not None:
        for value in list(tb.tb_frame.f_locals.values()):
            if isinstance(value, zipfile.ZipFile) and value.filename == name or (
                    isinstance(value, io.IOBase) and getattr(value, "name", None) == name):
                with contextlib.suppress(Exception):
                    value.close()
        tb = tb.tb_next


def write_text_atomic(target: Path, text: str, mode: int = 0o600) -> None:
    """Write UTF-8 text with '\\n' line ends to `target` atomically (see `atomic_path`)."""
    with atomic_path(target, mode) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def _fsync_directory(folder: Path) -> None:
    """Make a rename in `folder` itself durable, where the OS allows opening a directory."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    try:
        dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass  # some file systems refuse fsync on a directory; the data itself is already synced
    finally:
        os.close(dir_fd)
