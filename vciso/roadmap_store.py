"""Roadmap items in a client file: read, edit, add, and regenerate while keeping the consultant's edits.

Each item remembers which fields the consultant edited. Regenerating after answers change recomputes
only the fields nobody edited, adds items for new gaps, removes untouched items raised by this assessment
whose gap closed, and proposes as done the items whose gap closed that are the consultant's work (edited)
or carried from an earlier assessment of the client's living plan (`vciso.plan`); the consultant confirms.
A Done item whose gap reopens is reopened. Every change of status is appended to the status history.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field

from vciso.changes import Changes
from vciso.clientfile import ClientFile, now_iso, set_clause, unknown_fields
from vciso.errors import VcisoError
from vciso.roadmap import (DEFAULT_ACTIONS_PER_MONTH, DEFAULT_PHASES, STATUSES, Phase, plan_gaps, plan_start,
                           stagger)
from vciso.scoring import score_assessment

EDITABLE_FIELDS = ("title", "recommendation", "owner", "due_date", "status", "phase", "notes", "effort")
_COLUMNS = ("id", "assessment_id", "question_id", "title", "recommendation", "effort", "criticality", "gap",
            "priority", "quick_win", "phase", "owner", "due_date", "status", "notes", "edited", "origin",
            "created_at", "updated_at", "plan_uid", "raised_in", "closed_in", "proposed_in")


@dataclass(frozen=True)
class RoadmapItem:
    id: int
    assessment_id: int
    question_id: str | None
    title: str
    recommendation: str
    effort: int
    criticality: int
    gap: float
    priority: float
    quick_win: bool
    phase: int
    owner: str
    due_date: str | None
    status: str
    notes: str
    edited: tuple[str, ...]
    origin: str
    created_at: str
    updated_at: str
    plan_uid: str = ""                 # the plan item's id, the same in every assessment that carries it
    raised_in: int | None = None       # the assessment whose gap (or the consultant) raised it
    closed_in: int | None = None       # the assessment in which it was closed (Done)
    proposed_in: int | None = None     # the assessment whose answers closed its gap, awaiting confirmation

    @property
    def due(self) -> dt.date | None:
        return dt.date.fromisoformat(self.due_date) if self.due_date else None

    @property
    def is_open(self) -> bool:
        """Still to do: neither done nor deferred."""
        return self.status not in ("Done", "Deferred")


@dataclass(frozen=True)
class RoadmapChanges:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    proposed: list[str] = field(default_factory=list)   # gap closed: proposed as done, awaiting confirmation
    reopened: list[str] = field(default_factory=list)   # Done, but the gap is back

    @property
    def any(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.closed or self.proposed or self.reopened)


def _roadmap_changed(assessment_id: int) -> Changes:
    return Changes(roadmap=True, assessment_ids=frozenset({assessment_id}))


def _insert(conn: object, values: dict[str, object]) -> int:
    cursor = conn.execute(  # type: ignore[attr-defined]
        f"INSERT INTO roadmap_items ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
        tuple(values.values()))
    return int(cursor.lastrowid)


def record_status(conn: object, assessment_id: int, plan_uid: str, before: str | None, after: str, actor: str,
                  source: str) -> None:
    """Append one change of an item's status to the history (inside the caller's transaction)."""
    conn.execute(  # type: ignore[attr-defined]
        "INSERT INTO roadmap_status_history (assessment_id, plan_uid, status_before, status, actor, source,"
        " changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)", (assessment_id, plan_uid, before, after, actor.strip(), source,
                                                      now_iso()))


def new_plan_uid() -> str:
    return uuid.uuid4().hex


def _item(row: tuple) -> RoadmapItem:
    values = dict(zip(_COLUMNS, row))
    values["quick_win"] = bool(values["quick_win"])
    values["edited"] = tuple(json.loads(values["edited"] or "[]"))
    return RoadmapItem(**values)


def roadmap_items(client: ClientFile, assessment_id: int) -> list[RoadmapItem]:
    """The assessment's roadmap in plan order: phase, then priority (highest first)."""
    # the plan's order (vciso.roadmap.plan_order): phase, then the most critical, then priority
    rows = client.rows(f"SELECT {', '.join(_COLUMNS)} FROM roadmap_items WHERE assessment_id = ?"
                       " ORDER BY phase, criticality DESC, priority DESC, id", (assessment_id,))
    return [_item(row) for row in rows]


def roadmap_item(client: ClientFile, item_id: int) -> RoadmapItem:
    rows = client.rows(f"SELECT {', '.join(_COLUMNS)} FROM roadmap_items WHERE id = ?", (item_id,))
    if not rows:
        raise VcisoError(f"no roadmap item {item_id}")
    return _item(rows[0])


def _check_edit(changes: dict) -> None:
    unknown = unknown_fields(changes, EDITABLE_FIELDS)
    if unknown:
        raise VcisoError(f"roadmap items have no field(s) {', '.join(unknown)}")
    if "status" in changes and changes["status"] not in STATUSES:
        raise VcisoError(f"status must be one of {', '.join(STATUSES)}, not '{changes['status']}'")
    if changes.get("due_date"):
        try:
            dt.date.fromisoformat(str(changes["due_date"]))
        except ValueError:
            raise VcisoError(f"due date must be a date like 2026-03-31, not '{changes['due_date']}'") from None
    if "title" in changes and not str(changes["title"]).strip():
        raise VcisoError("a roadmap item needs a title")


def update_roadmap_item(client: ClientFile, item_id: int, *, by: str = "", **changes: object) -> RoadmapItem:
    """Edit an item; the edited fields are remembered and survive regeneration. A change of status is
    recorded in the status history with `by`; Done closes the item in this assessment."""
    _check_edit(changes)
    item = roadmap_item(client, item_id)
    client.check_editable(item.assessment_id)
    if not changes:
        return item
    edited = sorted(set(item.edited) | set(changes))
    plan_fields: dict[str, object] = {}
    if "status" in changes and changes["status"] != item.status:
        done = changes["status"] == "Done"
        plan_fields = {"closed_in": item.assessment_id if done else None, "proposed_in": None}
    with client.transaction() as conn:
        conn.execute(f"UPDATE roadmap_items SET {set_clause({**changes, **plan_fields})}, edited = ?, updated_at = ?"
                     " WHERE id = ?", (*changes.values(), *plan_fields.values(), json.dumps(edited), now_iso(),
                                       item_id))
        if plan_fields:
            record_status(conn, item.assessment_id, item.plan_uid, item.status, str(changes["status"]), by, "app")
        client.record(_roadmap_changed(item.assessment_id))
    return roadmap_item(client, item_id)


def add_roadmap_item(client: ClientFile, assessment_id: int, title: str, *, by: str = "",
                     **fields: object) -> RoadmapItem:
    """Add a consultant's own item (not tied to a question); regeneration never touches it, and every
    follow-up carries it in the plan."""
    _check_edit({"title": title, **fields})
    client.check_editable(assessment_id)
    stamp = now_iso()
    uid = new_plan_uid()
    status = str(fields.get("status") or "Not started")
    values = {"assessment_id": assessment_id, "title": title, "origin": "manual", "created_at": stamp,
              "updated_at": stamp, "edited": json.dumps(sorted({"title", *fields})), "plan_uid": uid,
              "raised_in": assessment_id, "closed_in": assessment_id if status == "Done" else None, **fields}
    with client.transaction() as conn:
        item_id = _insert(conn, values)
        record_status(conn, assessment_id, uid, None, status, by, "app")
        client.record(_roadmap_changed(assessment_id))
    return roadmap_item(client, item_id)


def delete_roadmap_item(client: ClientFile, item_id: int) -> None:
    """Remove one item from the roadmap."""
    item = roadmap_item(client, item_id)
    client.check_editable(item.assessment_id)
    with client.transaction() as conn:
        conn.execute("DELETE FROM roadmap_items WHERE id = ?", (item_id,))
        client.record(_roadmap_changed(item.assessment_id))


def regenerate_roadmap(client: ClientFile, assessment_id: int, phases: tuple[Phase, ...] = DEFAULT_PHASES,
                       start: dt.date | None = None,
                       actions_per_month: int = DEFAULT_ACTIONS_PER_MONTH) -> RoadmapChanges:
    """Bring the roadmap in line with the current answers, keeping every edit the consultant made.

    Due dates are staggered month by month from `start` (by default the assessment date), never more than
    `actions_per_month` in a month (`vciso.roadmap.stagger`).
    """
    assessment = client.check_editable(assessment_id)
    questionnaire = client.questionnaire(assessment_id)
    score = score_assessment(questionnaire, client.responses(assessment_id), assessment.default_target)
    start = start or plan_start(assessment.assessment_date) or dt.date.today()
    scheduled = stagger(plan_gaps(questionnaire, score, phases), phases, start, actions_per_month)
    planned = {gap.question_id: gap for gap, _ in scheduled}
    due_dates = {gap.question_id: due for gap, due in scheduled}
    existing = {item.question_id: item for item in roadmap_items(client, assessment_id)
                if item.origin == "generated" and item.question_id}
    changes = RoadmapChanges()
    stamp = now_iso()
    with client.transaction() as conn:
        for question_id, gap in planned.items():
            computed = {"title": gap.title, "recommendation": gap.recommendation, "effort": gap.effort,
                        "criticality": gap.criticality, "gap": gap.gap, "priority": gap.priority,
                        "quick_win": int(gap.quick_win), "phase": gap.phase,
                        "due_date": due_dates[question_id].isoformat()}
            item = existing.get(question_id)
            if item is None:
                uid = new_plan_uid()
                values = {"assessment_id": assessment_id, "question_id": question_id, **computed,
                          "created_at": stamp, "updated_at": stamp, "plan_uid": uid, "raised_in": assessment_id}
                _insert(conn, values)
                record_status(conn, assessment_id, uid, None, "Not started", "", f"gap in {assessment.name}")
                changes.added.append(question_id)
                continue
            fresh: dict[str, object] = {key: value for key, value in computed.items() if key not in item.edited}
            if item.raised_in is not None and item.raised_in != assessment_id:
                fresh.pop("due_date", None)      # a carried item's due date is a commitment: it does not slip
            if item.proposed_in is not None:
                fresh["proposed_in"] = None      # the gap is back before anyone confirmed it closed
            # a gap that had closed (its stored gap is 0), or an item closed by the engine, reopens
            if item.status == "Done" and (item.gap == 0 or "status" not in item.edited):
                fresh.update(status="Not started", closed_in=None)
                record_status(conn, assessment_id, item.plan_uid, "Done", "Not started", "",
                              f"gap reopened in {assessment.name}")
                changes.reopened.append(question_id)
            if any(getattr(item, key) != (bool(v) if key == "quick_win" else v) for key, v in fresh.items()):
                conn.execute(f"UPDATE roadmap_items SET {set_clause(fresh)}, updated_at = ? WHERE id = ?",
                             (*fresh.values(), stamp, item.id))
                changes.updated.append(question_id)
        for question_id, item in existing.items():
            if question_id in planned:
                continue
            carried = item.raised_in is not None and item.raised_in != assessment_id
            if not item.edited and not carried:
                conn.execute("DELETE FROM roadmap_items WHERE id = ?", (item.id,))
                changes.removed.append(question_id)
                continue
            scored = score.items.get(question_id)
            closed = scored is not None and scored.status == "answered" and not scored.gap_norm
            if closed and item.status != "Done" and item.proposed_in is None:
                conn.execute("UPDATE roadmap_items SET proposed_in = ?, gap = 0, updated_at = ? WHERE id = ?",
                             (assessment_id, stamp, item.id))
                changes.proposed.append(question_id)
        if changes.any:
            client.record(_roadmap_changed(assessment_id))
    return changes


def restore_roadmap(client: ClientFile, assessment_id: int, items: list[RoadmapItem], source: str = "undo") -> None:
    """Put an assessment's roadmap back exactly as `items` (an undo or redo): the same rows with the same
    ids, edits and dates, in one transaction. A status it changes back is appended to the history."""
    client.check_editable(assessment_id)
    now = {item.plan_uid: item.status for item in roadmap_items(client, assessment_id)}
    with client.transaction() as conn:
        for item in items:
            if item.plan_uid and now.get(item.plan_uid, item.status) != item.status:
                record_status(conn, assessment_id, item.plan_uid, now[item.plan_uid], item.status, "", source)
        conn.execute("DELETE FROM roadmap_items WHERE assessment_id = ?", (assessment_id,))
        for item in items:
            values = {column: getattr(item, column) for column in _COLUMNS}
            values["quick_win"] = int(item.quick_win)
            values["edited"] = json.dumps(list(item.edited))
            _insert(conn, values)
        client.record(_roadmap_changed(assessment_id))
