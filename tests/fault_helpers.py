"""Fault injection helpers shared by the fault tests: a small tmpfs to fill, a read-only bind mount.

Both need root; without it (or where the machine refuses to mount) the calling test is skipped with the
reason. Every mount is undone lazily, so a test that fails half-way leaves nothing mounted.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path
from typing import Iterator

import pytest


def mount(kind: str, target: Path, size_kb: int = 0) -> None:
    """Mount a tmpfs of `size_kb` ("tmpfs") or bind `target` onto itself ("bind"); skip the test if we may not."""
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs or a read-only bind mount")
    target.mkdir(parents=True, exist_ok=True)
    if kind == "tmpfs":
        command = ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(target)]
    else:
        command = ["mount", "--bind", str(target), str(target)]
    if subprocess.run(command, capture_output=True).returncode != 0:
        pytest.skip(f"this machine does not allow mounting ({kind})")


def umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def fill(folder: Path) -> Path:
    """Write a filler file into `folder` until the disk refuses (ENOSPC); returns the filler's path."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


@contextlib.contextmanager
def full_disk(disk: Path, size_kb: int = 400) -> Iterator[Path]:
    """A small tmpfs at `disk`, mounted empty; the body first prepares its files, then calls `fill(disk)`."""
    mount("tmpfs", disk, size_kb=size_kb)
    try:
        yield disk
    finally:
        umount(disk)


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """`folder` (with whatever it already holds) made read-only by a read-only bind mount onto itself."""
    mount("bind", folder)
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True).returncode:
            pytest.skip("this machine does not allow a read-only remount")
        yield folder
    finally:
        umount(folder)


# A writer that dies (SIGKILL) inside a commit with its journal live: a hot journal, as after a crash.
# argv: the client file, then its passphrase when it is encrypted.
_CRASHING_WRITER = """
import os, signal, sys
if len(sys.argv) > 2:
    from sqlcipher3 import dbapi2
    conn = dbapi2.connect(sys.argv[1], isolation_level=None)
    conn.execute("PRAGMA key = '" + sys.argv[2].replace("'", "''") + "'")
else:
    import sqlite3
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")        # spill pages into the file before the commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE responses SET note = 'half-written'")
conn.execute("CREATE TABLE filler (x)")
conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 2000,)] * 200)
assert os.path.exists(sys.argv[1] + "-journal")
os.kill(os.getpid(), signal.SIGKILL)
"""


def crash_inside_a_commit(path: Path, key: str | None = None) -> None:
    """Leave `path` with a hot journal: a writer killed in the middle of a commit (checked)."""
    import sys

    result = subprocess.run([sys.executable, "-c", _CRASHING_WRITER, str(path), *([key] if key else [])],
                            capture_output=True)
    assert result.returncode == -9 and Path(f"{path}-journal").exists(), result.stderr.decode()
