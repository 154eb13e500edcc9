"""The main window's assessment actions: open, start (blank or follow-up), rename and delete.

A mixin of `MainWindow`, kept apart so that each module stays small; every read and write goes through
the window's operations layer (`self.ops`).
"""

from __future__ import annotations

from typing import Any

from ui import prompts
from ui.window_state import qsettings


class AssessmentFlows:
    """Assessment actions of the main window (uses its panel, page, ops and settings)."""

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
        generation = self._generation
        name = self.profile.name if self.profile else ""

        def job(ctx: Any) -> Any:
            from vciso.errors import AssessmentNotFound
            client = ctx.client
            assessment = client.assessment(assessment_id)
            previous = None
            if assessment.based_on is not None:
                try:
                    previous = client.responses(assessment.based_on)
                except AssessmentNotFound:
                    previous = None
            return assessment, client.questionnaire(assessment_id), client.responses(assessment_id), previous

        def done(result: Any) -> None:
            if generation != self._generation:
                return
            assessment, questionnaire, responses, previous = result
            page = self._ensure_page()
            if start_at is None and page.assessment is not None and page.assessment.id == assessment.id:
                current = page.walkthrough.current_id
            else:
                current = start_at
            page.set_assessment(name, assessment, questionnaire, responses, previous, self.read_only, current)
            self.stack.setCurrentWidget(page)
            if page.tabs.currentIndex() == 0:
                page.walkthrough.panel.setFocus()
            self._update_actions()

        self.ops.call(job, done, lambda message: self.show_message("This assessment cannot be opened", message))

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
        values = dialog.values()
        default_target = self.settings.default_target
        earlier = {a.id: a for a in self.panel.assessments.assessments()}

        def job(ctx: Any) -> Any:
            from vciso.errors import QuestionnaireNotFound
            client = ctx.client
            source = earlier.get(values["based_on"])
            if source is not None:
                try:
                    questionnaire = library.get(source.questionnaire_id)
                except QuestionnaireNotFound:
                    questionnaire = client.questionnaire(source.id)
            else:
                questionnaire = library.get(values["questionnaire_id"])
            assessment = client.create_assessment(questionnaire, values["name"], assessor=values["assessor"],
                                                  based_on=values["based_on"], default_target=default_target)
            return assessment, client.assessments()

        def done(result: Any) -> None:
            assessment, assessments = result
            if self.page is not None:
                self.page.tabs.setCurrentIndex(0)
            self.panel.set_assessments(assessments, assessment.id)
            self.refresh_clients()

        self.ops.call(job, done, lambda message: prompts.error(self, "New assessment", message))

    def rename_assessment(self) -> None:
        assessment = self.current_assessment()
        if assessment is None or self.read_only:
            return
        name = prompts.get_text(self, "Rename assessment", "New name:", assessment.name)
        if not name or not name.strip() or name.strip() == assessment.name:
            return
        self._update_assessments(lambda client: client.update_assessment(assessment.id, name=name.strip()),
                                 assessment.id, "Rename assessment")

    def delete_assessment(self) -> None:
        assessment = self.current_assessment()
        if assessment is None or self.read_only:
            return
        if not prompts.confirm(self, "Delete assessment",
                               f"Delete “{assessment.name}” with all its answers, history and roadmap?\n\n"
                               "This cannot be undone.", "Delete assessment", destructive=True):
            return
        if self.page is not None and self.page.assessment is not None and self.page.assessment.id == assessment.id:
            self.page.walkthrough.clear()
        self._update_assessments(lambda client: client.delete_assessment(assessment.id), None, "Delete assessment")

    def _update_assessments(self, change: Any, select: int | None, title: str) -> None:
        def job(ctx: Any) -> Any:
            change(ctx.client)
            return ctx.client.assessments()

        def done(assessments: list[Any]) -> None:
            self.panel.set_assessments(assessments, select)
            self.refresh_clients()

        self.ops.call(job, done, lambda message: prompts.error(self, title, message))

    def deliverables_import(self) -> None:
        self.deliverables.import_answers()
