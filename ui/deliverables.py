"""Export the deliverables (PDF, Excel, questionnaire workbook) and import answers from a workbook.

The report is built on the client worker; the file is written on a task thread with a progress dialog;
then the consultant can open the file or its folder. The kinds of deliverable are the exports registry's;
a writer's module is imported only when used, and a missing one is reported as "not available" rather
than a crash.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressDialog

from exports import registry
from ui import prompts
from ui.progress_box import ProgressBox
from vciso.numbers import plural


MAX_SUGGESTED_BYTES = 200  # file systems allow 255 bytes per name


def safe_name(text: str, ending: str = "") -> str:
    """A file name (`text` then `ending`, e.g. "report.pdf") without characters that file systems refuse and
    within MAX_SUGGESTED_BYTES of UTF-8: a long client or assessment name is shortened, never the ending."""
    clean = re.sub(r"[\\/:*?\"<>|\x00-\x1f]+", " ", text).lstrip()
    room = MAX_SUGGESTED_BYTES - len(ending.encode("utf-8")) - len(" - ")
    if len(clean.encode("utf-8")) > room:
        while len(clean.encode("utf-8")) > room:
            clean = clean[:-1]
        clean = clean.rstrip(" -") + " - "
    return (clean + ending).strip() or "export"


PREFILLED, BLANK = "Pre-filled", "Blank"
COVERAGE_KINDS = ("pdf", "docx", "xlsx")  # the deliverables that can carry a coverage appendix (a sheet)


def _reachable_frameworks(questionnaire_id: str) -> list[tuple[str, str]]:
    """(id, title) of the frameworks the questionnaire's answers reach through the mappings (worker thread)."""
    from vciso.crosswalk import frameworks_for, load_mappings
    from vciso.library import load_library
    from vciso.paths import user_library_dir

    return frameworks_for(questionnaire_id, load_library(user_library_dir()), load_mappings(user_library_dir()))


def _coverage(client: Any, assessment_id: int, framework: str, tag: str | None = None) -> Any:
    from vciso.crosswalk import assessment_coverage, load_mappings
    from vciso.library import load_library
    from vciso.paths import user_library_dir

    return assessment_coverage(client, assessment_id, framework, load_library(user_library_dir()),
                               load_mappings(user_library_dir()), tag=tag)


class Deliverables(QObject):
    """The window's export and answer-import actions."""

    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
        self.ops = window.ops
        self.progress_box = ProgressBox(window)

    @property
    def progress(self) -> QProgressDialog | None:
        """The progress dialog while an export or import runs, else None."""
        return self.progress_box.dialog

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

        exporter = registry.exporter(kind)
        label = exporter.label
        context = self._context()
        if context is None:
            return
        if not exporter.available():
            prompts.error(self.window, "Not available", f"The {label} export is not available in this build.")
            return
        profile, assessment = context
        options = registry.ExportOptions()
        if kind == "questionnaire":
            choice = prompts.choose(self.window, "Questionnaire workbook",
                                    "Export the questionnaire blank, or pre-filled with the current answers?",
                                    [PREFILLED, BLANK],
                                    "Blank: for a client who answers it from scratch. Pre-filled: the client "
                                    "reviews your answers and changes what is wrong.")
            if choice is None:
                return
            options = registry.ExportOptions(prefill=choice == PREFILLED)
        tag = self._scope(exporter, assessment)
        if tag is None:
            return
        scope = f"{tag} - " if tag else ""
        suggested = str(Path(self._folder()) / safe_name(f"{profile.name} - {assessment.name} - {scope}",
                                                         exporter.file_name))
        chosen = prompts.save_file(self.window, f"Export {label}", suggested, exporter.file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if not path.suffix:
            path = path.with_suffix(exporter.suffix)
        from vciso.errors import VcisoError
        try:
            registry.check_output(path)  # never over a client file or into the trash (write() checks again)
        except VcisoError as exc:
            prompts.error(self.window, f"The {label} was not written", str(exc))
            return
        if exporter.protectable:
            # asked for each file and kept only in this export's options: never in settings or the log
            password = prompts.ask_password(self.window, label)
            if password is None:
                return
            if password:
                options = dataclasses.replace(options, password=password)
        from ui.window_state import qsettings
        qsettings().setValue("exports/folder", str(path.parent))
        settings = self.window.settings
        branding, phases, assessment_id = settings.branding(), settings.phases(), assessment.id
        protected = options.password is not None
        self.progress_box.start(f"Exporting the {label}…")

        def write(report: Any) -> None:
            # the settings' paper size; for the questionnaire, blank or pre-filled as chosen above
            self.ops.run_task(lambda: registry.write(kind, report, path, options),
                              lambda warnings: self._exported(label, path, warnings, protected),
                              lambda message: self._failed(f"The {label} could not be written", message),
                              self.progress_box.step)

        capacity = settings.capacity()
        offers_coverage = kind in COVERAGE_KINDS

        def build(ctx: Any) -> Any:
            report = build_report(ctx.client, assessment_id, branding, phases, capacity, tag=tag or None)
            return report, (_reachable_frameworks(report.questionnaire.id) if offers_coverage else [])

        def built(result: Any) -> None:
            report, frameworks = result
            if not frameworks:
                write(report)
                return
            self.progress_box.end()
            framework = prompts.ask_coverage(self.window, label, frameworks)
            if framework is None:
                self.window.statusBar().showMessage(f"Export cancelled: the {label} was not written", 5000)
                return
            self.progress_box.start(f"Exporting the {label}…")
            if not framework:
                write(report)
                return

            def with_coverage(coverage: Any) -> None:
                nonlocal options
                options = dataclasses.replace(options, coverage=coverage)
                write(report)

            self.ops.call(lambda ctx: _coverage(ctx.client, assessment_id, framework, tag or None), with_coverage,
                          lambda message: self._failed(f"The coverage for the {label} could not be computed",
                                                       message))

        self.ops.call(build, built, lambda message: self._failed(f"The {label} could not be prepared", message))

    def _scope(self, exporter: registry.Exporter, assessment: Any) -> str | None:
        """The tag the deliverable is limited to ("" for every question), or None when cancelled. Asked only
        of a deliverable that can be scoped, for a questionnaire that names tags; the dashboard's scope is
        preselected, so what the consultant was just looking at is what the export covers by default."""
        from vciso.scope import scope_choices

        page = self.window.page
        if not exporter.scopable or page is None or page.assessment is None or page.assessment.id != assessment.id:
            return ""
        choices = scope_choices(page.questionnaire)
        if not choices:
            return ""
        current = page.dashboard.tag if page.dashboard is not None else ""
        return prompts.ask_scope(self.window, exporter.label, choices, current)

    def _failed(self, title: str, message: str) -> None:
        self.progress_box.end()
        prompts.error(self.window, title, message)

    def _exported(self, label: str, path: Path, warnings: list[str], protected: bool = False) -> None:
        self.progress_box.end()
        self.window.statusBar().showMessage(f"Saved {path}" + (" (password-protected)" if protected else ""), 8000)
        informative = ""
        if warnings:
            informative = "Please check:\n" + "\n".join(f"• {w}" for w in warnings)
        how = ", protected with the password," if protected else ""
        choice = prompts.export_finished(self.window, "Export finished", f"The {label} was saved{how} as\n{path}",
                                         informative)
        if choice == "open":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        elif choice == "folder":
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
        from ui.operations import answers

        path = Path(chosen)
        self.progress_box.start(f"Reading {path.name}…")
        answers.plan_answer_import(self.ops, assessment.id, path, lambda result: self._preview(assessment, *result),
                                   lambda message: self._failed("Import answers", message))

    def _preview(self, assessment: Any, plan: Any, questionnaire: Any) -> None:
        from ui.dialogs.import_preview import ImportPreviewDialog
        from ui.operations import answers

        self.progress_box.end()
        dialog = ImportPreviewDialog(plan, questionnaire, assessment.name, self.window)
        accepted = prompts.run_dialog(dialog)
        skip = bool(getattr(dialog, "skip_problems", False))
        if not accepted or not plan.to_write or (not plan.ok and not skip):
            self.window.statusBar().showMessage("Import cancelled: nothing was written", 5000)
            return

        def done(written: int) -> None:
            # the views show the imported answers themselves, from the `changed` signal that follows
            skipped = f"; skipped {plural(len(plan.rejected), 'row')} with problems" if skip and plan.rejected else ""
            self.window.statusBar().showMessage(f"Imported {plural(written, 'answer')} from {plan.source}{skipped}",
                                                8000)

        answers.apply_answer_import(self.ops, assessment.id, plan, done,
                                    lambda message: prompts.error(self.window, "Import answers", message), self,
                                    skip_problems=skip)
