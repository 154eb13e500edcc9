"""The client's living remediation plan across assessments.

The plan belongs to the client, not to one assessment. Each assessment holds its copy of the plan as it
stands in that assessment (roadmap items, `vciso.roadmap_store`), so a final assessment keeps the plan it was
delivered with; a follow-up continues the plan of the assessment it is based on: every item (owner, due
date, status, notes, the consultant's own items) is carried with its stable `plan_uid`, the assessment that
raised it and the one that closed it. When a follow-up's answers close an item's gap, regenerating proposes
it as done; `confirm_proposed` closes every proposal at once. Status changes are appended to
`roadmap_status_history` (append-only, enforced by triggers).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass

from vciso import numbers as num
from vciso.changes import Changes
from vciso.clientfile import ClientFile, now_iso
from vciso.roadmap_store import _COLUMNS, RoadmapItem, record_status, roadmap_items


@dataclass(frozen=True)
class StatusChange:
    """One recorded change of a plan item's status: when, by whom, in which assessment, and why."""

    assessment_id: int
    plan_uid: str
    before: str | None
    status: str
    actor: str
    source: str
    changed_at: str


def continue_plan(conn: sqlite3.Connection, earlier_id: int, assessment_id: int) -> int:
    """Copy the plan of assessment `earlier_id` into the new assessment `assessment_id` (inside the caller's
    transaction): every item with its plan id, edits and dates; a pending proposal is not carried (the
    follow-up's own answers decide). Returns how many items were carried."""
    carried = [c for c in _COLUMNS if c not in ("id", "assessment_id", "proposed_in", "updated_at")]
    cursor = conn.execute(
        f"INSERT INTO roadmap_items (assessment_id, updated_at, {', '.join(carried)})"
        f" SELECT ?, ?, {', '.join(carried)} FROM roadmap_items WHERE assessment_id = ? ORDER BY id",
        (assessment_id, now_iso(), earlier_id))
    return cursor.rowcount


def proposed_items(client: ClientFile, assessment_id: int) -> list[RoadmapItem]:
    """The items whose gap the assessment's answers closed, awaiting the consultant's confirmation."""
    return [item for item in roadmap_items(client, assessment_id) if item.proposed_in is not None]


def confirm_proposed(client: ClientFile, assessment_id: int, by: str = "") -> list[RoadmapItem]:
    """Close every item proposed as done in this assessment (one action): status Done, closed in the
    assessment whose answers closed the gap, each change recorded. Returns the items as closed."""
    assessment = client.check_editable(assessment_id)
    proposals = proposed_items(client, assessment_id)
    if not proposals:
        return []
    stamp = now_iso()
    with client.transaction() as conn:
        for item in proposals:
            conn.execute("UPDATE roadmap_items SET status = 'Done', closed_in = proposed_in, proposed_in = NULL,"
                         " updated_at = ? WHERE id = ?", (stamp, item.id))
            record_status(conn, assessment_id, item.plan_uid, item.status, "Done", by,
                          f"gap closed in {assessment.name}")
        client.record(Changes(roadmap=True, assessment_ids=frozenset({assessment_id})))
    done = {item.id for item in proposals}
    return [item for item in roadmap_items(client, assessment_id) if item.id in done]


def status_history(client: ClientFile, plan_uid: str | None = None) -> list[StatusChange]:
    """Every recorded change of status (of one plan item, or of the whole plan), oldest first."""
    sql = ("SELECT assessment_id, plan_uid, status_before, status, actor, source, changed_at"
           " FROM roadmap_status_history")
    params: tuple = ()
    if plan_uid is not None:
        sql += " WHERE plan_uid = ?"
        params = (plan_uid,)
    return [StatusChange(*row) for row in client.rows(sql + " ORDER BY id", params)]


def plan_assessment_id(client: ClientFile) -> int | None:
    """The assessment holding the client's current plan: the latest assessment (None without any)."""
    rows = client.rows("SELECT id FROM assessments ORDER BY assessment_date DESC, id DESC LIMIT 1")
    return rows[0][0] if rows else None


def is_overdue(item: RoadmapItem, today: dt.date) -> bool:
    """An open item whose due date has passed (one whose gap the answers closed is awaiting confirmation,
    not overdue)."""
    return item.is_open and item.proposed_in is None and item.due is not None and item.due < today


@dataclass(frozen=True)
class PlanProgress:
    """Where the plan stands on a day: counts by status, overdue items, and the share done.

    Deferred items are left out of the share done (the client chose not to do them now)."""

    total: int
    done: int
    in_progress: int
    blocked: int
    not_started: int
    deferred: int
    overdue: int
    next_due: str | None      # the earliest due date of an open item still to do (ISO), None without one

    @property
    def counted(self) -> int:
        return self.total - self.deferred

    @property
    def percent_done(self) -> float | None:
        """Done as a share 0..1 of the items not deferred (None for an empty plan)."""
        return self.done / self.counted if self.counted else None


def plan_progress(items: list[RoadmapItem] | tuple[RoadmapItem, ...], today: dt.date) -> PlanProgress:
    """Count a plan's items by status on `today`; an open item past its due date is overdue."""
    by_status = {status: sum(1 for item in items if item.status == status)
                 for status in ("Done", "In progress", "Blocked", "Not started", "Deferred")}
    # the next due date is of an action still to do: one whose gap the answers closed awaits confirmation
    open_due = sorted(item.due_date for item in items if item.is_open and item.proposed_in is None and item.due_date)
    return PlanProgress(len(items), by_status["Done"], by_status["In progress"], by_status["Blocked"],
                        by_status["Not started"], by_status["Deferred"],
                        sum(1 for item in items if is_overdue(item, today)), open_due[0] if open_due else None)


def overdue_items(items: list[RoadmapItem] | tuple[RoadmapItem, ...], today: dt.date) -> list[RoadmapItem]:
    """The open items past their due date, the longest overdue first."""
    return sorted((item for item in items if is_overdue(item, today)), key=lambda item: (item.due_date, item.id))


def progress_sentence(progress: PlanProgress) -> str:
    """The plan's progress in one line, the same in the app, the PDF and the workbook."""
    if not progress.total:
        return "No actions in the plan yet."
    share = num.percent(progress.percent_done) if progress.percent_done is not None else "–"
    parts = [f"{progress.done} of {progress.counted} actions done ({share})",
             f"{progress.in_progress} in progress", f"{progress.not_started} not started"]
    if progress.blocked:
        parts.append(f"{progress.blocked} blocked")
    if progress.deferred:
        parts.append(f"{progress.deferred} deferred")
    parts.append(f"{progress.overdue} overdue" if progress.overdue else "none overdue")
    return " · ".join(parts)
