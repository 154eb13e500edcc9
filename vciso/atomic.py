"""Atomic file writing: write to a temporary file beside the target, fsync, then rename over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator


@contextlib.contextmanager
def atomic_path(target: Path, mode: int = 0o600) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces `target`, on error it is removed.

    A reader never sees a half-written file, and a failed export leaves any earlier file untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, mode)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_directory(target.parent)


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
