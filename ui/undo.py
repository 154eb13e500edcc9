"""Undo and redo of every edit in the app, with Qt's undo framework (one QUndoCommand per kind of edit).

Commands run their writes through the operations layer, in order with every other job, so an undo is
saved at once like any answer and recorded in the append-only history (source "undo" or "redo"). What
an undo puts back is read on the worker, in the same job as the edit it undoes: it is exactly what the
file held just before, even when several edits are still waiting to be written.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtGui import QUndoCommand

from ui.operations.runner import Callback, ErrorCallback, Operations

_UNKNOWN: Any = object()  # the edit has not been written yet, so what it replaced is not known

FIELD_NAMES = {"current": "level", "target": "target", "note": "note", "na_reason": "N/A",
               "flagged": "flag", "evidence": "evidence", "established": "how established",
               "evidence_date": "evidence date"}
_TYPED_FIELDS = ("note", "evidence", "na_reason")  # typed text: consecutive saves merge into one undo step
_MERGE_TYPED_TEXT = 1


def describe_answer_edit(question_id: str, fields: dict[str, Any]) -> str:
    """The Edit menu's words for an answer edit: "level of BAK-04", "N/A of NET-02", "answer of ACC-01"."""
    if set(fields) == {"current", "na_reason"} and fields["current"] is None and not fields["na_reason"]:
        return f"clear answer of {question_id}"
    names = [FIELD_NAMES[key] for key in FIELD_NAMES if key in fields]
    if "current" in fields and "na_reason" in fields:  # a level that ends N/A is a change of level
        names = ["level"]
    return f"{names[0] if len(names) == 1 else 'answer'} of {question_id}"


class AnswerEdit(QUndoCommand):
    """A change of some fields of one answer. Undo puts the whole answer back as it was (or no answer)."""

    def __init__(self, ops: Operations, assessment_id: int, question_id: str, fields: dict[str, Any],
                 view: Any = None) -> None:
        super().__init__(describe_answer_edit(question_id, fields))
        self.ops, self.view = ops, view
        self.assessment_id, self.question_id, self.fields = assessment_id, question_id, dict(fields)
        self.before: Any = _UNKNOWN
        self._done_once = False

    def redo(self) -> None:
        source = "redo" if self._done_once else "app"
        initiator = None if self._done_once else self.view
        self._done_once = True
        assessment_id, question_id, fields = self.assessment_id, self.question_id, dict(self.fields)

        def write(client: Any) -> Any:
            change = client.save_answer(assessment_id, question_id, source=source, **fields)
            if self.before is _UNKNOWN:
                self.before = change.before  # set on the worker, before any later job (an undo) runs
            return change

        self.ops.write_answer(question_id, write, initiator)
        if initiator is None:
            self._reveal()

    def undo(self) -> None:
        assessment_id, question_id = self.assessment_id, self.question_id

        def write(client: Any) -> Any:
            from vciso.errors import VcisoError

            if self.before is _UNKNOWN:
                raise VcisoError(f"{question_id}: the change was never saved, so there is nothing to undo")
            return client.restore_answer(assessment_id, question_id, self.before, source="undo")

        self.ops.write_answer(question_id, write)
        self._reveal()

    def _reveal(self) -> None:
        """Show the question whose answer an undo or redo changes."""
        if self.view is not None and getattr(self.view, "assessment", None) is not None \
                and self.view.assessment.id == self.assessment_id:
            self.view.go_to(self.question_id)

    def id(self) -> int:
        return _MERGE_TYPED_TEXT if len(self.fields) == 1 and next(iter(self.fields)) in _TYPED_FIELDS else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Typing a note saves it every few seconds: those saves are one step to undo."""
        if not isinstance(other, AnswerEdit) or other.id() != self.id() \
                or (other.assessment_id, other.question_id, set(other.fields)) != \
                (self.assessment_id, self.question_id, set(self.fields)):
            return False
        self.fields = dict(other.fields)
        return True


class RoadmapEdit(QUndoCommand):
    """A roadmap edit (fields of an item, an added or deleted item, a regeneration). The roadmap is read
    before and after the edit, in the same job; undo and redo put it back exactly (ids, edits, dates)."""

    def __init__(self, ops: Operations, assessment_id: int, text: str, apply: Callable[[Any], Any],
                 on_done: Callback | None = None, on_error: ErrorCallback | None = None,
                 view: Any = None) -> None:
        super().__init__(text)
        self.ops, self.view = ops, view
        self.assessment_id, self.apply = assessment_id, apply
        self.on_done, self.on_error = on_done, on_error
        self.before: Any = _UNKNOWN
        self.after: Any = _UNKNOWN
        self._done_once = False

    def redo(self) -> None:
        from vciso.roadmap_store import restore_roadmap, roadmap_items

        assessment_id = self.assessment_id
        if self._done_once:
            self.ops.call(lambda ctx: self._put_back(ctx.client, self.after, restore_roadmap), None,
                          self.on_error)
            return
        self._done_once = True

        def job(ctx: Any) -> Any:
            before = roadmap_items(ctx.client, assessment_id)
            result = self.apply(ctx.client)
            self.before, self.after = before, roadmap_items(ctx.client, assessment_id)
            return result

        self.ops.call(job, self.on_done, self.on_error, self.view)

    def undo(self) -> None:
        from vciso.roadmap_store import restore_roadmap

        self.ops.call(lambda ctx: self._put_back(ctx.client, self.before, restore_roadmap), None, self.on_error)

    def _put_back(self, client: Any, items: Any, restore: Callable[..., None]) -> None:
        from vciso.errors import VcisoError

        if items is _UNKNOWN:
            raise VcisoError("the roadmap edit was never saved, so there is nothing to undo")
        restore(client, self.assessment_id, items)


def push(ops: Operations, command: QUndoCommand) -> None:
    """Do `command` and keep it for undo (QUndoStack.push runs its redo)."""
    ops.undo_stack.push(command)
