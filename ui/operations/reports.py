"""Named operations that read an assessment whole: the report object behind the dashboard and exports."""

from __future__ import annotations

from typing import Any

from ui.operations.runner import Callback, ErrorCallback, Operations


def build_report(ops: Operations, assessment_id: int, branding: Any, phases: tuple[Any, ...],
                 on_done: Callback, on_error: ErrorCallback | None = None, actions_per_month: int = 4,
                 tag: str | None = None) -> int:
    """Everything the dashboard and the deliverables show about one assessment; with `tag`, only about
    the questions carrying it (vciso.report.build_report)."""
    def job(ctx: Any) -> Any:
        from vciso.report import build_report as build

        return build(ctx.client, assessment_id, branding, phases, actions_per_month, tag=tag)

    return ops.call(job, on_done, on_error)
