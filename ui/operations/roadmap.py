"""Named operations on an assessment's roadmap: read, and the edits (fields, add, delete, regenerate), each
one undoable (`ui.undo.RoadmapEdit`)."""

from __future__ import annotations

from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations


def load_items(ops: Operations, assessment_id: int, on_done: Callback,
               on_error: ErrorCallback | None = None) -> int:
    """The roadmap's items in plan order."""
    def job(ctx: Any) -> Any:
        from vciso.roadmap_store import roadmap_items

        return roadmap_items(ctx.client, assessment_id)

    return ops.call(job, on_done, on_error)


def _edit(ops: Operations, assessment_id: int, text: str, apply: Any, on_done: Callback | None,
          on_error: ErrorCallback | None, initiator: Any) -> None:
    from ui.undo import RoadmapEdit, push

    push(ops, RoadmapEdit(ops, assessment_id, text, apply, on_done, on_error, initiator))


def update_item(ops: Operations, assessment_id: int, item_id: int, changes: dict[str, Any], on_done: Callback,
                on_error: ErrorCallback | None = None, initiator: Any = None, label: str = "",
                by: str = "") -> None:
    """Edit fields of one item; `on_done` gets the item as stored. A change of status is recorded as `by`'s."""
    from vciso.roadmap_store import update_roadmap_item

    names = ", ".join(key.replace("_", " ") for key in changes)
    _edit(ops, assessment_id, f"{names} of {label or 'roadmap item'}",
          lambda client: update_roadmap_item(client, item_id, by=by, **changes), on_done, on_error, initiator)


def add_item(ops: Operations, assessment_id: int, title: str, fields: dict[str, Any], on_done: Callback,
             on_error: ErrorCallback | None = None, initiator: Any = None) -> None:
    """Add a consultant's own item; `on_done` gets it as stored."""
    from vciso.roadmap_store import add_roadmap_item

    _edit(ops, assessment_id, f"add “{title}”", lambda client: add_roadmap_item(client, assessment_id, title, **fields),
          on_done, on_error, initiator)


def delete_item(ops: Operations, assessment_id: int, item_id: int, on_done: Callback,
                on_error: ErrorCallback | None = None, initiator: Any = None, label: str = "") -> None:
    """Delete one item."""
    from vciso.roadmap_store import delete_roadmap_item

    _edit(ops, assessment_id, f"delete {label or 'roadmap item'}", lambda client: delete_roadmap_item(client, item_id),
          on_done, on_error, initiator)


def regenerate(ops: Operations, assessment_id: int, phases: tuple[Any, ...], on_done: Callback,
               on_error: ErrorCallback | None = None, initiator: Any = None, actions_per_month: int = 4) -> None:
    """Bring the roadmap in line with the answers, keeping edits; `on_done` gets (RoadmapChanges, items)."""
    def apply(client: Any) -> Any:
        from vciso.roadmap_store import regenerate_roadmap, roadmap_items

        changes = regenerate_roadmap(client, assessment_id, phases, actions_per_month=actions_per_month)
        return changes, roadmap_items(client, assessment_id)

    _edit(ops, assessment_id, "regenerate roadmap", apply, on_done, on_error, initiator)


def confirm_done(ops: Operations, assessment_id: int, by: str, on_done: Callback,
                 on_error: ErrorCallback | None = None, initiator: Any = None) -> None:
    """Close every item whose gap this assessment's answers closed (one undoable step); `on_done` gets the
    roadmap's items as stored."""
    def apply(client: Any) -> Any:
        from vciso.plan import confirm_proposed
        from vciso.roadmap_store import roadmap_items

        confirm_proposed(client, assessment_id, by)
        return roadmap_items(client, assessment_id)

    _edit(ops, assessment_id, "confirm closed items done", apply, on_done, on_error, initiator)
