"""Named operations on the questionnaire library: import a file, remove an imported questionnaire, write
the Excel authoring template. All run in the background; a change to the library reloads it everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations, TaskThread


def import_questionnaire(ops: Operations, path: Path, scale: str, on_done: Callback,
                         on_error: ErrorCallback | None = None) -> TaskThread:
    """Validate a file and add it to the user's library. `on_done` gets the questionnaire, or the
    QuestionnaireError listing every problem (nothing was written then)."""
    def task() -> Any:
        from vciso.errors import QuestionnaireError
        from vciso.paths import user_library_dir
        try:
            from vciso.importers import import_questionnaire as import_file
        except ImportError as exc:
            raise QuestionnaireError(str(path), [f"importing is not available in this build ({exc})"]) from None
        try:
            return import_file(path, user_library_dir(), scale)
        except QuestionnaireError as exc:
            return exc

    def done(result: Any) -> None:
        from vciso.errors import QuestionnaireError

        if not isinstance(result, QuestionnaireError):
            ops.invalidate_library()
        on_done(result)

    return ops.run_task(task, done, on_error)


def remove_questionnaire(ops: Operations, questionnaire_id: str, on_done: Callback,
                         on_error: ErrorCallback | None = None) -> TaskThread:
    """Move an imported questionnaire's file to the `.trash` folder of the user's library and reload the
    library; `on_done` gets the paths the files went to."""
    def task() -> tuple[Path, ...]:
        from vciso.library import remove_imported
        from vciso.paths import user_library_dir

        return remove_imported(user_library_dir(), questionnaire_id)

    def done(moved: tuple[Path, ...]) -> None:
        ops.invalidate_library()
        on_done(moved)

    return ops.run_task(task, done, on_error)


def save_template(ops: Operations, path: Path, on_done: Callback,
                  on_error: ErrorCallback | None = None) -> TaskThread:
    """Write the Excel questionnaire authoring template to `path`; `on_done` gets the path."""
    def task() -> Path:
        from vciso.importers.excel_template import write_template

        write_template(path)
        return path

    return ops.run_task(task, on_done, on_error)
