"""The records of a client file as plain dataclasses, and the one column list and row mapper per table.

`vciso.clientfile` reads and writes them; everything else receives them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vciso.responses import Response


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ClientProfile:
    id: str
    name: str
    industry: str = ""
    employees: int | None = None
    contact: str = ""
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Assessment:
    id: int
    name: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    assessor: str
    assessment_date: str
    status: str
    based_on: int | None
    default_target: float | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class AnswerChange:
    """What saving an answer changed: the response before (None if new) and after."""

    assessment_id: int
    before: Response | None
    after: Response

    @property
    def changed(self) -> bool:
        return self.before is None or comparable(self.before) != comparable(self.after)


@dataclass(frozen=True)
class HistoryEntry:
    question_id: str
    current: float | None
    target: float | None
    note: str
    na_reason: str
    flagged: bool
    evidence: str
    source: str
    changed_at: str
    established: str = ""
    evidence_date: str = ""


# One column list and one row mapper per table.
PROFILE_COLUMNS = ("id", "name", "industry", "employees", "contact", "notes", "created_at", "updated_at")
# the answer's fields, stored alike in `responses` and `answer_history`
ANSWER_FIELDS = ("current", "target", "note", "na_reason", "flagged", "evidence", "established", "evidence_date")
RESPONSE_COLUMNS = ("question_id", *ANSWER_FIELDS, "updated_at")
HISTORY_COLUMNS = ("question_id", *ANSWER_FIELDS, "source", "changed_at")
ASSESSMENT_SELECT = (
    "SELECT a.id, a.name, a.questionnaire_id, s.version, s.title, a.assessor, a.assessment_date, a.status,"
    " a.based_on, a.default_target, a.created_at, a.updated_at"
    " FROM assessments a JOIN questionnaire_snapshots s ON s.id = a.snapshot_id"
)
PROFILE_FIELDS = ("name", "industry", "employees", "contact", "notes")
ASSESSMENT_FIELDS = ("name", "assessor", "assessment_date", "status", "default_target")
# "complete" was written by earlier versions (the demo's baseline): read as final, never offered
ASSESSMENT_STATUSES = ("in progress", "final")
LEGACY_FINAL_STATUSES = ("complete",)
FINAL_STATUSES = ("final", *LEGACY_FINAL_STATUSES)


def is_final(status: str) -> bool:
    """Whether an assessment with this status is final: read-only, and its deliverables are not drafts."""
    return status in FINAL_STATUSES


def profile_from_row(row: tuple) -> ClientProfile:
    return ClientProfile(*row)


def response_from_row(row: tuple) -> Response:
    values = dict(zip(RESPONSE_COLUMNS, row))
    values["flagged"] = bool(values["flagged"])
    return Response(**values)


def history_from_row(row: tuple) -> HistoryEntry:
    values = dict(zip(HISTORY_COLUMNS, row))
    values["flagged"] = bool(values["flagged"])
    return HistoryEntry(**values)


def unknown_fields(changes: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """The keys of `changes` that are not among the `allowed` fields, sorted."""
    return sorted(set(changes) - set(allowed))


def set_clause(changes: dict[str, Any]) -> str:
    """`a = ?, b = ?` for an UPDATE of the given (already checked) fields."""
    return ", ".join(f"{key} = ?" for key in changes)


def comparable(response: Response) -> tuple:
    return tuple(getattr(response, name) for name in ANSWER_FIELDS)


@dataclass(frozen=True)
class ClientSummary:
    """What a workspace listing shows of a client file, read without migrating or locking it for long."""

    profile: ClientProfile
    assessment_count: int
    last_updated: str


@dataclass(frozen=True)
class AssessmentEvent:
    """An assessment was finalised or reopened: when, and by whom."""

    event: str
    actor: str
    at: str
