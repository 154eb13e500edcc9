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
