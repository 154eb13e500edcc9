"""Named operations on evidence files: list, attach (button or drop), remove, save a copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations


def _actor() -> str:
    from vciso.settings import actor_name  # the consultant in the settings, else the login name

    return actor_name()


def load_evidence(ops: Operations, assessment_id: int, question_id: str, on_done: Callback,
                  on_error: ErrorCallback | None = None) -> int:
    """The files attached to one answer, in the order added."""
    def job(ctx: Any) -> Any:
        from vciso.evidence import list_evidence
        return list_evidence(ctx.client, assessment_id, question_id)

    return ops.call(job, on_done, on_error)


def attach_evidence(ops: Operations, assessment_id: int, question_id: str, paths: list[Path], on_done: Callback,
                    on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Attach files to an answer (all or none), within the per-file limit of the settings; `on_done` gets
    (the new files, the names that were attached already)."""
    def job(ctx: Any) -> Any:
        from vciso.evidence import attach_planned, plan_attach
        from vciso.settings import load_settings

        plan = plan_attach(ctx.client, assessment_id, question_id, paths, load_settings().evidence_limit())
        added = attach_planned(ctx.client, plan, _actor())
        return added, [item.name for item in plan.files if item.already_attached]

    return ops.call(job, on_done, on_error, initiator)


def remove_evidence(ops: Operations, evidence_id: int, on_done: Callback | None = None,
                    on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Detach one file (recorded in the evidence history)."""
    def job(ctx: Any) -> Any:
        from vciso.evidence import remove_evidence as remove
        return remove(ctx.client, evidence_id, _actor())

    return ops.call(job, on_done, on_error, initiator)


def save_evidence_copy(ops: Operations, item: Any, target: Path, on_done: Callback | None = None,
                       on_error: ErrorCallback | None = None) -> int:
    """Write one attached file out of the client file (atomically); `on_done` gets the path."""
    def job(ctx: Any) -> Any:
        from vciso.evidence import save_evidence_file
        return save_evidence_file(ctx.client, item, target)

    return ops.call(job, on_done, on_error)
