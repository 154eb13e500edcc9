"""Importing a questionnaire file in two steps, both in the background: plan it (read, convert, validate,
check its id — nothing is written) so the consultant sees a preview, then apply the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations, TaskThread


def preview_import(ops: Operations, path: Path, scale: str | None, assess: str, on_done: Callback,
                   on_error: ErrorCallback | None = None) -> TaskThread:
    """Plan importing a file; `on_done` gets the `ImportPlan` (which says whether its id is taken), or the
    QuestionnaireError listing every problem of the file. Nothing is written."""
    def task() -> Any:
        from vciso.errors import QuestionnaireError
        from vciso.importers.plan import plan_import
        from vciso.paths import user_library_dir

        try:
            return plan_import(path, user_library_dir(), scale, assess=assess)
        except QuestionnaireError as exc:
            return exc

    return ops.run_task(task, on_done, on_error)


def apply_import(ops: Operations, plan: Any, on_done: Callback, on_error: ErrorCallback | None = None) -> TaskThread:
    """Write a planned import into the user's library and reload the library everywhere; `on_done` gets the
    questionnaire, or the QuestionnaireError (e.g. its id was taken meanwhile; nothing was written then)."""
    def task() -> Any:
        from vciso.errors import QuestionnaireError
        from vciso.importers.plan import apply_import as apply

        try:
            return apply(plan)
        except QuestionnaireError as exc:
            return exc

    def done(result: Any) -> None:
        from vciso.errors import QuestionnaireError

        if not isinstance(result, QuestionnaireError):
            ops.invalidate_library()
        on_done(result)

    return ops.run_task(task, done, on_error)
