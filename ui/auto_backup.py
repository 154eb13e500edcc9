"""Automatic backups on close: the operations worker remembers which client files it changed, and when the
window closes each one is copied into the user data folder (the newest N copies of each are kept;
Settings says where).

The copy is made with the core's `automatic_backup` (SQLite's online backup API) after the worker has
written everything still queued and closed the file, so it holds every answer given. The worker, not the
window, knows which file a job changed: an answer saved just before another client was opened counts for
the client it was saved to. An encrypted client is copied with the passphrase given for it in this run (it
was, or it could not have been changed); its copy stays encrypted with that passphrase.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Mapping


class AutoBackups:
    """The backups made when the window closed (for the status and tests)."""

    def __init__(self) -> None:
        self.made: list[Path] = []
        self.failures: list[str] = []

    def back_up(self, paths: set[Path], keep: int, folder: Path | None = None,
                passphrases: Mapping[Path, str] | None = None) -> list[Path]:
        """Copy every changed client that still exists (an encrypted one with its passphrase from
        `passphrases`, by file); a failure is one line on stderr, never a stop: the window is closing and
        the client file itself is intact."""
        from vciso.backup import automatic_backup
        from vciso.errors import VcisoError

        known = passphrases or {}
        self.made, self.failures = [], []
        for path in sorted(paths):
            if not path.exists():
                continue  # deleted (moved to the trash) after the change
            try:
                self.made.append(automatic_backup(path, folder, keep, key=known.get(path)))
            except (VcisoError, OSError) as exc:
                message = f"{path.name}: the automatic backup was not made ({exc})"
                self.failures.append(message)
                print(f"vciso: {message}", file=sys.stderr)
        return self.made
