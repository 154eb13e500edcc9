"""Named operations on answers: save one, read them all, plan and apply an import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations


def save_answer(ops: Operations, assessment_id: int, question_id: str, initiator: Any = None,
                **fields: Any) -> int:
    """Save some fields of one answer (in order with every earlier job), without an undo step."""
    return ops.save_answer(assessment_id, question_id, initiator, **fields)


def edit_answer(ops: Operations, assessment_id: int, question_id: str, fields: dict[str, Any],
                view: Any = None) -> None:
    """Save some fields of one answer as an undoable step ("Undo level of BAK-04")."""
    from ui.undo import AnswerEdit, push

    push(ops, AnswerEdit(ops, assessment_id, question_id, fields, view))


def load_responses(ops: Operations, assessment_id: int, on_done: Callback,
                   on_error: ErrorCallback | None = None) -> int:
    """Every stored answer of an assessment, by question id."""
    return ops.call(lambda ctx: ctx.client.responses(assessment_id), on_done, on_error)


def plan_answer_import(ops: Operations, assessment_id: int, path: Path, on_done: Callback,
                       on_error: ErrorCallback | None = None) -> int:
    """Read an answers file (a questionnaire workbook or JSON) and plan the import; `on_done` gets
    (plan, questionnaire). Nothing is written."""
    def job(ctx: Any) -> Any:
        from vciso.answer_import import plan_import, read_answer_file

        client = ctx.client
        questionnaire = client.questionnaire(assessment_id)
        rows = read_answer_file(path, questionnaire)
        return plan_import(client, assessment_id, rows, path.name), questionnaire

    return ops.call(job, on_done, on_error)


def apply_answer_import(ops: Operations, assessment_id: int, plan: Any, on_done: Callback,
                        on_error: ErrorCallback | None = None, initiator: Any = None,
                        skip_problems: bool = False) -> int:
    """Write a planned import in one transaction (its valid rows only, when `skip_problems`); `on_done` gets
    how many answers were written."""
    def job(ctx: Any) -> int:
        from vciso.answer_import import apply_import

        return apply_import(ctx.client, assessment_id, plan, skip_problems=skip_problems)

    return ops.call(job, on_done, on_error, initiator)
