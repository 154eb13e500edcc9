"""Export the deliverables (PDF, Excel, questionnaire workbook) and import answers from a workbook.

The report is built on the client worker; the file is written on a task thread with a progress dialog;
then the consultant can open the file or its folder. Export modules are imported only when used, and a
missing one is reported as "not available" rather than a crash.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressDialog

from ui import prompts

EXPORTS = {
    "pdf": ("exports.pdf_report", "write_pdf", "PDF report", "report.pdf", "PDF files (*.pdf)"),
    "xlsx": ("exports.excel_workbook", "write_workbook", "Excel workbook", "workbook.xlsx",
             "Excel workbooks (*.xlsx)"),
    "questionnaire": ("exports.questionnaire_workbook", "write_questionnaire_workbook", "questionnaire workbook",
                      "questionnaire.xlsx", "Excel workbooks (*.xlsx)"),
}


def safe_name(text: str) -> str:
    """A file name part without characters that file systems refuse."""
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", text).strip() or "export"


def module_available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def write_export(kind: str, report: Any, path: Path) -> Any:
    """Write one deliverable; a generator yielding (step, total, message) and returning the warnings."""
    module_name, function, _label, _suffix, _filter = EXPORTS[kind]
    module = importlib.import_module(module_name)
    if kind == "pdf" and hasattr(module, "iter_write_pdf"):
        result = yield from module.iter_write_pdf(report, path)
        return list(result or [])
    yield (0, 0, "Writing…")
    if kind == "questionnaire":
        result = getattr(module, function)(report, path, prefill=True)
    else:
        result = getattr(module, function)(report, path)
    return list(result or [])


class Deliverables(QObject):
    """The window's export and answer-import actions."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ops = window.ops
        self.progress: QProgressDialog | None = None

    def _context(self) -> tuple[Any, Any] | None:
        assessment = self.window.current_assessment()
        profile = self.window.profile
        if assessment is None or profile is None:
            prompts.inform(self.window, "Nothing to export", "Open an assessment first.")
            return None
        return profile, assessment

    def _folder(self) -> str:
        from ui.window_state import qsettings
        folder = qsettings().value("exports/folder")
        if folder and Path(str(folder)).is_dir():
            return str(folder)
        documents = Path.home() / "Documents"
        return str(documents if documents.is_dir() else Path.home())

    # ------------------------------------------------------------------ export

    def export(self, kind: str) -> None:
        """Ask where to save, then build and write the deliverable in the background."""
        from vciso.report import build_report

        module_name, _function, label, suffix, file_filter = EXPORTS[kind]
        context = self._context()
        if context is None:
            return
        if not module_available(module_name):
            prompts.error(self.window, "Not available", f"The {label} export is not available in this build.")
            return
        profile, assessment = context
        suggested = str(Path(self._folder()) / safe_name(f"{profile.name} - {assessment.name} - {suffix}"))
        chosen = prompts.save_file(self.window, f"Export {label}", suggested, file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(Path(suffix).suffix)
        from ui.window_state import qsettings
        qsettings().setValue("exports/folder", str(path.parent))
        settings = self.window.settings
        branding, phases, assessment_id = settings.branding(), settings.phases(), assessment.id
        self._start_progress(f"Exporting the {label}…")

        def write(report: Any) -> None:
            self.ops.run_task(lambda: write_export(kind, report, path),
                              lambda warnings: self._exported(label, path, warnings),
                              lambda message: self._failed(f"The {label} could not be written", message),
                              self._progress)

        self.ops.call(lambda ctx: build_report(ctx.client, assessment_id, branding, phases), write,
                      lambda message: self._failed(f"The {label} could not be prepared", message))

    def _start_progress(self, text: str) -> None:
        progress = QProgressDialog(text, "", 0, 0, self.window)
        progress.setCancelButton(None)
        progress.setWindowTitle("vCISO Workbench")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.show()
        self.progress = progress

    def _progress(self, step: int, total: int, message: str) -> None:
        progress = self.progress
        if progress is None:
            return
        if message:
            progress.setLabelText(message)
        progress.setMaximum(max(total, 0))
        progress.setValue(step if total else 0)  # a modal dialog processes events here: keep it last

    def _end_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _failed(self, title: str, message: str) -> None:
        self._end_progress()
        prompts.error(self.window, title, message)

    def _exported(self, label: str, path: Path, warnings: list[str]) -> None:
        self._end_progress()
        self.window.statusBar().showMessage(f"Saved {path}", 8000)
        informative = ""
        if warnings:
            informative = "Please check:\n" + "\n".join(f"• {w}" for w in warnings)
        choice = prompts.choose(self.window, "Export finished", f"The {label} was saved as\n{path}",
                                ["Open file", "Show in folder"], informative)
        if choice == "Open file":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif choice == "Show in folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))

    # ------------------------------------------------------------------ import answers

    def import_answers(self) -> None:
        """Read a filled-in questionnaire (or JSON answers), preview, and write only when confirmed."""
        context = self._context()
        if context is None or self.window.read_only:
            return
        _profile, assessment = context
        chosen = prompts.open_file(self.window, "Import answers", self._folder(),
                                   "Questionnaire workbooks (*.xlsx);;JSON answers (*.json);;All files (*)")
        if not chosen:
            return
        path = Path(chosen)
        assessment_id = assessment.id

        def plan_job(ctx: Any) -> Any:
            from vciso.answer_import import plan_import, read_json_answers
            from vciso.errors import ImportProblem, VcisoError
            client = ctx.client
            questionnaire = client.questionnaire(assessment_id)
            if not path.is_file():
                raise VcisoError(f"{path}: no such file")
            if path.suffix.lower() == ".json":
                questionnaire_id, rows = read_json_answers(path)
                if questionnaire_id and questionnaire_id != questionnaire.id:
                    raise ImportProblem(f"{path.name}: the answers are for questionnaire '{questionnaire_id}', "
                                        f"but this assessment uses '{questionnaire.id}'")
            else:
                try:
                    from vciso.questionnaire_xlsx import read_questionnaire_workbook
                except ImportError:
                    raise VcisoError("Reading questionnaire workbooks is not available in this build") from None
                rows = read_questionnaire_workbook(path, questionnaire)
            return plan_import(client, assessment_id, rows, path.name), questionnaire

        self._start_progress(f"Reading {path.name}…")
        self.ops.call(plan_job, lambda result: self._preview(assessment, *result),
                      lambda message: self._failed("Import answers", message))

    def _preview(self, assessment: Any, plan: Any, questionnaire: Any) -> None:
        from ui.dialogs.import_preview import ImportPreviewDialog

        self._end_progress()
        dialog = ImportPreviewDialog(plan, questionnaire, assessment.name, self.window)
        if not prompts.run_dialog(dialog) or not plan.ok or not plan.to_write:
            self.window.statusBar().showMessage("Import cancelled: nothing was written", 5000)
            return

        def apply(ctx: Any) -> int:
            from vciso.answer_import import apply_import
            return apply_import(ctx.client, assessment.id, plan)

        def done(written: int) -> None:
            self.window.statusBar().showMessage(f"Imported {written} answer(s) from {plan.source}", 8000)
            self.window.load_assessment(assessment.id)
            if self.window.page is not None:
                self.window.page.roadmap.answers_changed()
                if self.window.page.dashboard is not None:
                    self.window.page.dashboard.stale = True

        self.ops.call(apply, done, lambda message: prompts.error(self.window, "Import answers", message))
