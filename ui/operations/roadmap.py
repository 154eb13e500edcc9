"""Named operations on an assessment's roadmap: read, edit, add, delete, regenerate."""

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


def update_item(ops: Operations, item_id: int, changes: dict[str, Any], on_done: Callback,
                on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Edit fields of one item; `on_done` gets the item as stored."""
    def job(ctx: Any) -> Any:
        from vciso.roadmap_store import update_roadmap_item

        return update_roadmap_item(ctx.client, item_id, **changes)

    return ops.call(job, on_done, on_error, initiator)


def add_item(ops: Operations, assessment_id: int, title: str, fields: dict[str, Any], on_done: Callback,
             on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Add a consultant's own item; `on_done` gets it as stored."""
    def job(ctx: Any) -> Any:
        from vciso.roadmap_store import add_roadmap_item

        return add_roadmap_item(ctx.client, assessment_id, title, **fields)

    return ops.call(job, on_done, on_error, initiator)


def delete_item(ops: Operations, item_id: int, on_done: Callback, on_error: ErrorCallback | None = None,
                initiator: Any = None) -> int:
    """Delete one item."""
    def job(ctx: Any) -> None:
        from vciso.roadmap_store import delete_roadmap_item

        delete_roadmap_item(ctx.client, item_id)

    return ops.call(job, on_done, on_error, initiator)


def regenerate(ops: Operations, assessment_id: int, phases: tuple[Any, ...], on_done: Callback,
               on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
    """Bring the roadmap in line with the answers, keeping edits; `on_done` gets (RoadmapChanges, items)."""
    def job(ctx: Any) -> Any:
        from vciso.roadmap_store import regenerate_roadmap, roadmap_items

        changes = regenerate_roadmap(ctx.client, assessment_id, phases)
        return changes, roadmap_items(ctx.client, assessment_id)

    return ops.call(job, on_done, on_error, initiator)
