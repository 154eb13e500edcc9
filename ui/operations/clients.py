"""Named operations on the workspace and the open client's profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations, TaskThread


def list_clients(ops: Operations, workspace: Path, on_done: Callback,
                 on_error: ErrorCallback | None = None) -> TaskThread:
    """Every client file of the workspace with its profile or its error (read in the background); an
    encrypted client is listed locked until its passphrase was given in this run."""
    known = dict(ops.passphrases)  # copied on the UI thread

    def task() -> Any:
        # the core (sqlite-utils above all) is first imported here, on the task's thread: the window stays
        # responsive while it loads
        from vciso.workspace import Workspace

        found = Workspace(workspace)
        found.passphrases.update(known)
        return found.list_clients()

    return ops.run_task(task, on_done, on_error)


def create_client(ops: Operations, workspace: Path, values: dict[str, Any], on_done: Callback,
                  on_error: ErrorCallback | None = None, key: str | None = None) -> TaskThread:
    """Create a client file, encrypted with the passphrase `key` when one is given; `on_done` gets its id."""
    def task() -> str:
        from vciso.workspace import Workspace

        fields = dict(values)
        name = fields.pop("name")
        with Workspace(workspace).create_client(name, key=key, **fields) as client:
            return client.path.stem

    return ops.run_task(task, on_done, on_error)


def create_demo(ops: Operations, workspace: Path, library: Any, phases: tuple[Any, ...], on_done: Callback,
                on_error: ErrorCallback | None = None) -> TaskThread:
    """Create the demo client; `on_done` gets its id."""
    def task() -> str:
        from vciso.demo import create_demo as create
        from vciso.workspace import Workspace

        with create(Workspace(workspace), library, phases=phases) as client:
            return client.path.stem

    return ops.run_task(task, on_done, on_error)


def update_profile(ops: Operations, fields: dict[str, Any], on_done: Callback,
                   on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Change the open client's profile; `on_done` gets the new profile."""
    return ops.call(lambda ctx: ctx.client.update_profile(**fields), on_done, on_error, initiator)


def delete_client(ops: Operations, workspace: Path, file_id: str, on_done: Callback,
                  on_error: ErrorCallback | None = None) -> int:
    """Move a client file to the workspace's trash. Runs on the client worker, so that it comes after
    the file was closed there; `on_done` gets where the file went."""
    def job(_ctx: Any) -> Path:
        from vciso.workspace import Workspace

        return Workspace(workspace).delete_client(file_id)

    return ops.call(job, on_done, on_error)


def load_client(ops: Operations, on_done: Callback, on_error: ErrorCallback | None = None) -> int:
    """The open client's profile and assessments, read again (after a change made elsewhere)."""
    return ops.call(lambda ctx: (ctx.client.profile(), ctx.client.assessments()), on_done, on_error)


def clients_named(ops: Operations, workspace: Path, name: str, on_done: Callback,
                  on_error: ErrorCallback | None = None) -> TaskThread:
    """The clients of the workspace already called `name` (ignoring case and spaces); `on_done` gets
    their listings (empty when the name is free)."""
    def task() -> Any:
        from vciso.workspace import Workspace

        return Workspace(workspace).clients_named(name)

    return ops.run_task(task, on_done, on_error)


def deleted_clients(ops: Operations, workspace: Path, on_done: Callback,
                    on_error: ErrorCallback | None = None) -> TaskThread:
    """The clients in the workspace's trash, newest first (each file read read-only in the background)."""
    def task() -> Any:
        from vciso.workspace import Workspace

        return Workspace(workspace).deleted_clients()

    return ops.run_task(task, on_done, on_error)


def restore_client(ops: Operations, workspace: Path, trash_path: Path, on_done: Callback,
                   on_error: ErrorCallback | None = None) -> TaskThread:
    """Move a deleted client back into the workspace, never over an existing client; `on_done` gets the
    restored file's path."""
    def task() -> Path:
        from vciso.workspace import Workspace

        return Workspace(workspace).restore_client(trash_path)

    return ops.run_task(task, on_done, on_error)
