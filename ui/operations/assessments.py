"""Named operations on a client's assessments: open one, start one, change or delete one."""

from __future__ import annotations

from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations


def load_assessment(ops: Operations, assessment_id: int, on_done: Callback,
                    on_error: ErrorCallback | None = None) -> int:
    """`on_done` gets (assessment, questionnaire, responses, responses of the assessment it follows up)."""
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

    return ops.call(job, on_done, on_error)


def create_assessment(ops: Operations, library: Any, values: dict[str, Any], source: Any,
                      default_target: float | None, on_done: Callback,
                      on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Start an assessment (a follow-up of `source` when given: its questionnaire from the library if it is
    still there, else its snapshot); `on_done` gets (assessment, all assessments)."""
    def job(ctx: Any) -> Any:
        from vciso.errors import QuestionnaireNotFound

        client = ctx.client
        if source is not None:
            try:
                questionnaire = library.get(source.questionnaire_id)
            except QuestionnaireNotFound:
                questionnaire = client.questionnaire(source.id)
        else:
            questionnaire = library.get(values["questionnaire_id"])
        assessment = client.create_assessment(questionnaire, values["name"], assessor=values["assessor"],
                                              assessment_date=values.get("assessment_date") or None,
                                              based_on=values["based_on"], default_target=default_target)
        return assessment, client.assessments()

    return ops.call(job, on_done, on_error, initiator)


def update_assessment(ops: Operations, assessment_id: int, fields: dict[str, Any], on_done: Callback,
                      on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Change an assessment's name, assessor, date or status; `on_done` gets all assessments."""
    def job(ctx: Any) -> Any:
        ctx.client.update_assessment(assessment_id, **fields)
        return ctx.client.assessments()

    return ops.call(job, on_done, on_error, initiator)


def delete_assessment(ops: Operations, assessment_id: int, on_done: Callback,
                      on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Delete an assessment with its answers, history and roadmap; `on_done` gets the assessments left."""
    def job(ctx: Any) -> Any:
        ctx.client.delete_assessment(assessment_id)
        return ctx.client.assessments()

    return ops.call(job, on_done, on_error, initiator)


def set_final(ops: Operations, assessment_id: int, final: bool, by: str, on_done: Callback,
              on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Finalise (`final`) or reopen an assessment, recorded with `by`; `on_done` gets all assessments."""
    def job(ctx: Any) -> Any:
        if final:
            ctx.client.finalise_assessment(assessment_id, by=by)
        else:
            ctx.client.reopen_assessment(assessment_id, by=by)
        return ctx.client.assessments()

    return ops.call(job, on_done, on_error, initiator)
