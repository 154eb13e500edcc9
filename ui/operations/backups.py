"""Named operations for workspace backups: write one, plan restoring one (checked copy by copy), restore it.

Each runs on a task thread as a generator of (step, total, message) for a progress dialog. A backup starts
only after every job queued on the client worker before it (answers still being written), so it holds them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Generator

from ui.operations.runner import Callback, ErrorCallback, Operations, error_message

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RestorePreview:
    """A planned restore (`vciso.backup.RestorePlan`) and when its backup was made (local time; None when
    unknown)."""

    plan: Any
    made: dt.datetime | None


def back_up_workspace(ops: Operations, workspace: Path, output: Path, on_done: Callback,
                      on_error: ErrorCallback | None = None, on_progress: ProgressCallback | None = None) -> int:
    """Write a backup zip of every client of `workspace` to `output`, once the client worker has written
    everything queued before; encrypted clients with the passphrases given in this run. `on_done` gets the
    `BackupResult` (its `skipped` names each client left out, and why)."""
    known = dict(ops.passphrases)  # copied on the UI thread

    def task() -> Any:
        from vciso.backup import backup_workspace
        from vciso.workspace import Workspace

        return backup_workspace(Workspace(workspace), output, known)

    # the SQLite backup API copies what is committed: wait for the worker's queue, not for the file to close
    return ops.call(lambda _ctx: None, lambda _result: ops.run_task(task, on_done, on_error, on_progress), on_error)


def plan_restore(ops: Operations, workspace: Path, source: Path, on_done: Callback,
                 on_error: ErrorCallback | None = None, on_progress: ProgressCallback | None = None) -> Any:
    """Plan restoring the backup zip (or client file) `source` into `workspace`, each copy's SHA-256
    checked; writes nothing. `on_done` gets a `RestorePreview`; a file that is not a readable backup is a
    plan with that problem (and no clients), so the preview can say why it cannot be restored."""
    def task() -> Generator[tuple[int, int, str], None, RestorePreview]:
        from vciso.backup import RestorePlan, plan_restore as plan_it
        from vciso.backup_check import check_restore
        from vciso.errors import VcisoError
        from vciso.workspace import Workspace

        yield 0, 0, f"Reading {source.name}…"
        try:
            plan = plan_it(Workspace(workspace), source)
        except (VcisoError, OSError) as exc:
            return RestorePreview(RestorePlan(source, "", (), (error_message(exc),)), None)
        plan = yield from check_restore(plan)
        return RestorePreview(plan, _made(plan))

    return ops.run_task(task, on_done, on_error, on_progress)


def _made(plan: Any) -> dt.datetime | None:
    """When the backup was made: its manifest's time, or a single client file's last change."""
    if plan.created_at:
        try:
            return dt.datetime.fromisoformat(plan.created_at).astimezone()
        except ValueError:
            return None
    try:
        return dt.datetime.fromtimestamp(plan.source.stat().st_mtime).astimezone()
    except OSError:
        return None


def apply_restore(ops: Operations, workspace: Path, plan: Any, on_done: Callback,
                  on_error: ErrorCallback | None = None, on_progress: ProgressCallback | None = None) -> Any:
    """Restore a planned backup (never over an existing client; a damaged copy restores nothing);
    `on_done` gets the `RestoredClient`s. An encrypted copy that a passphrase given in this run opens is named
    by it and opens without asking again."""
    known = list(ops.passphrases.values())  # copied on the UI thread: they name encrypted copies they open
    opened: dict[Path, str] = {}

    def task() -> Any:
        from vciso.backup import apply_restore as apply
        from vciso.clientfile import read_summary
        from vciso.errors import ClientFileEncrypted
        from vciso.workspace import Workspace

        restored = yield from apply(Workspace(workspace), plan, known)
        for client in restored:
            for key in known if client.encrypted and client.name else ():
                try:
                    read_summary(client.path, key)
                except ClientFileEncrypted:
                    continue
                opened[client.path] = key
                break
        return restored

    def done(restored: Any) -> None:
        ops.passphrases.update(opened)  # on the UI thread, as every other change to them
        on_done(restored)

    return ops.run_task(task, done, on_error, on_progress)
