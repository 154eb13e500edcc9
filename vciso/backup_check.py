"""Check a planned restore's copies before anyone is asked to confirm it.

`plan_restore` reads a backup's manifest and compares each copy's size; a copy of the right size whose
bytes changed (a damaged disk, a bad download) is only found by `apply_restore`, after the consultant
pressed Restore. `check_restore` reads every copy once and adds a problem for each one whose SHA-256 is
not the manifest's, so that a preview can say the backup is damaged and offer no Restore. Nothing is
written; `apply_restore` still checks every copy again while it extracts it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import zipfile
from typing import Generator

from vciso.backup import RestorePlan
from vciso.workspace import CLIENT_SUFFIX

_CHUNK = 1024 * 1024


def check_restore(plan: RestorePlan) -> Generator[tuple[int, int, str], None, RestorePlan]:
    """Read every copy of a planned restore and compare it with its manifest entry (size and SHA-256).

    A generator yielding (step, total, message); returns `plan` with a problem added per damaged or
    unreadable copy (unchanged when all are good, when it already has problems, or for a single client
    file, whose entry was read from the file itself)."""
    if plan.problems or plan.source.suffix == CLIENT_SUFFIX:
        return plan
    problems: list[str] = []
    total = len(plan.items)
    try:
        archive = zipfile.ZipFile(plan.source)
    except (zipfile.BadZipFile, OSError) as exc:
        return dataclasses.replace(plan, problems=(f"{plan.source.name}: cannot be read ({exc})",))
    with archive:
        for step, item in enumerate(plan.items):
            entry = item.entry
            yield step, total, f"Checking {entry.label}"
            digest, size = hashlib.sha256(), 0
            try:
                with archive.open(entry.member) as reader:
                    for chunk in iter(lambda: reader.read(_CHUNK), b""):
                        size += len(chunk)
                        digest.update(chunk)
            except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError) as exc:
                problems.append(f"{entry.label}: its copy cannot be read ({exc}; the backup is damaged)")
                continue
            if size != entry.size or digest.hexdigest() != entry.sha256:
                problems.append(f"{entry.label}: its copy does not match the SHA-256 its manifest records "
                                "(the backup is damaged)")
    if not problems:
        return plan
    return dataclasses.replace(plan, problems=tuple(problems))
