"""Named operation for the portfolio: every client of the workspace from its file's summary."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations, TaskThread


def read_portfolio(ops: Operations, workspace: Path, on_done: Callback,
                   on_error: ErrorCallback | None = None) -> TaskThread:
    """The workspace's portfolio (`vciso.portfolio.Portfolio`), read in the background (one short read-only
    query per client file); encrypted clients unlocked in this run are read with their passphrase."""
    known = dict(ops.passphrases)  # copied on the UI thread

    def task() -> Any:
        from vciso.portfolio import read_portfolio as read
        from vciso.workspace import Workspace

        return read(Workspace(workspace), passphrases=known)

    return ops.run_task(task, on_done, on_error)
