"""The main window's assessment actions: open, start (blank or follow-up), rename and delete.

A mixin of `MainWindow`, kept apart so that each module stays small; every read and write goes through
the named operations of `ui.operations`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ui import prompts
from ui.window_state import qsettings

if TYPE_CHECKING:
    from ui.client_panel import ClientPanel
    from ui.operations import Operations
    from ui.pages import AssessmentPage
    from ui.session import ClientSession


class AssessmentFlows:
    """Assessment actions of the main window (uses its panel, page, ops, settings and session)."""

    ops: Operations
    panel: ClientPanel
    page: AssessmentPage | None
    session: ClientSession | None

    def current_assessment(self) -> Any:
        return self.panel.current_assessment()

    def _assessment_chosen(self, assessment: Any) -> None:
        if self.profile is None:
            return
        if assessment is None:
            self.show_message(f"No assessments yet for {self.profile.name}",
                              "Start an assessment from a questionnaire of the library. You can walk through it "
                              "now, or export it as an Excel questionnaire for the client to fill in.",
                              buttons=[] if self.read_only else [("Start an assessment", self.new_assessment, True)])
            self._update_actions()
            return
        qsettings().setValue(f"session/lastAssessment/{self.open_path}", assessment.id)
        self.load_assessment(assessment.id)

    def load_assessment(self, assessment_id: int, start_at: str | None = None) -> None:
        """Read an assessment on the worker and show it."""
        from ui.operations import assessments

        session = self.session
        name = self.profile.name if self.profile else ""

        def done(result: Any) -> None:
            if session is not self.session:
                return
            assessment, questionnaire, responses, previous = result
            page = self._ensure_page()
            if start_at is None and page.assessment is not None and page.assessment.id == assessment.id:
                current = page.walkthrough.current_id
            else:
                current = start_at
            if page.assessment is None or page.assessment.id != assessment.id:
                self.forget_undo()
            from vciso.client_records import is_final

            final = is_final(assessment.status)  # a final assessment is shown, not changed, until reopened
            reason = "final — reopen it to change it" if final and not self.read_only else (
                session.read_only_reason if session is not None else "")
            page.set_assessment(name, assessment, questionnaire, responses, previous, self.read_only or final,
                                current, reason)
            self.stack.setCurrentWidget(page)
            if page.tabs.currentIndex() == 0:
                page.walkthrough.panel.setFocus()
            self._update_actions()

        assessments.load_assessment(self.ops, assessment_id, done,
                                    lambda message: self.show_message("This assessment cannot be opened", message))

    def _earlier_assessments(self) -> list[Any]:
        return sorted(self.panel.assessments.assessments(), key=lambda a: (a.assessment_date, a.id), reverse=True)

    def new_assessment(self, based_on: int | None = None) -> None:
        if self.profile is None or self.read_only:
            return
        self.ops.library(lambda library: self._new_assessment_dialog(library, based_on),
                         lambda message: prompts.error(self, "Questionnaire library", message))

    def follow_up(self) -> None:
        current = self.current_assessment()
        self.new_assessment(current.id if current is not None else None)

    def _new_assessment_dialog(self, library: Any, based_on: int | None) -> None:
        from ui.dialogs.assessment_dialog import AssessmentDialog

        if self.profile is None:
            return
        dialog = AssessmentDialog(library.questionnaires(), self._earlier_assessments(), self.settings.consultant,
                                  self, based_on)
        if not prompts.run_dialog(dialog):
            return
        from ui.operations import assessments

        values = dialog.values()
        source = {a.id: a for a in self.panel.assessments.assessments()}.get(values["based_on"])

        def done(result: Any) -> None:
            assessment, all_assessments = result
            if self.page is not None:
                self.page.tabs.setCurrentIndex(0)
            self.panel.set_assessments(all_assessments, assessment.id)

        assessments.create_assessment(self.ops, library, values, source, self.settings.default_target, done,
                                      lambda message: prompts.error(self, "New assessment", message), self)

    def assessment_properties(self) -> None:
        """F2: the name, date, assessor and status of the current assessment."""
        from ui.dialogs.assessment_dialog import AssessmentPropertiesDialog
        from ui.operations import assessments

        assessment = self.current_assessment()
        if assessment is None or self.read_only:
            return
        dialog = AssessmentPropertiesDialog(assessment, self)
        if not prompts.run_dialog(dialog) or not dialog.changes():
            return
        assessments.update_assessment(self.ops, assessment.id, dialog.changes(),
                                      lambda found: self.panel.set_assessments(found, assessment.id),
                                      lambda message: prompts.error(self, "Assessment properties", message), self)

    def finalise_assessment(self) -> None:
        """Mark the assessment final: its deliverables stop saying DRAFT; it is read-only until reopened."""
        assessment = self.current_assessment()
        if assessment is None or self.read_only or not prompts.confirm(
                self, "Finalise assessment",
                f"Mark “{assessment.name}” final?\n\nIts PDF, Word and Excel deliverables stop saying DRAFT, and "
                "its answers and roadmap can no longer be changed until it is reopened. Finalising is recorded "
                "with the date and your name.", "Finalise"):
            return
        self._set_final(assessment, True, "Finalise assessment")

    def reopen_assessment(self) -> None:
        """Make a final assessment editable again (recorded); its deliverables say DRAFT again."""
        assessment = self.current_assessment()
        if assessment is not None and not self.read_only:
            self._set_final(assessment, False, "Reopen assessment")

    def _set_final(self, assessment: Any, final: bool, title: str) -> None:
        from ui.operations import assessments

        assessments.set_final(self.ops, assessment.id, final, self.settings.consultant,
                              lambda found: self.panel.set_assessments(found, assessment.id),
                              lambda message: prompts.error(self, title, message), self)

    def delete_assessment(self) -> None:
        assessment = self.current_assessment()
        if assessment is None or self.read_only:
            return
        if not prompts.confirm(self, "Delete assessment",
                               f"Delete “{assessment.name}” with all its answers, history and roadmap?\n\n"
                               "This cannot be undone.", "Delete assessment", destructive=True):
            return
        from ui.operations import assessments

        if self.page is not None and self.page.assessment is not None and self.page.assessment.id == assessment.id:
            self.page.walkthrough.clear()
        assessments.delete_assessment(self.ops, assessment.id, lambda found: self.panel.set_assessments(found, None),
                                      lambda message: prompts.error(self, "Delete assessment", message), self)

    def deliverables_import(self) -> None:
        self.deliverables.import_answers()
