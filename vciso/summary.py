"""A small summary of the client kept inside its own file, for the workspace's portfolio.

The summary (table `client_summary`, one row of JSON) says what the portfolio shows of a client: the profile,
the latest assessment, its score, percent-to-target and completion, the change since the assessment it is
compared with, and the open actions of the plan with their due dates. `ClientFile.transaction()` removes it
in the same commit as any write that changes answers, the roadmap, assessments or the profile, so a stored
summary is never stale, and `ClientFile.close()` writes it again (rescoring on every answer would double the
cost of a save). A file whose summary is missing (open in the app, or closed by a crash) is summarised on the
fly by the portfolio, and once for good when it is next opened for writing; so is one older than its schema.
Overdue counts depend on the day, so the summary keeps the open items' due dates and the portfolio counts them
on the day it is shown (`vciso.plan.is_overdue`'s rule).
"""

from __future__ import annotations

import json
import weakref
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vciso.clientfile import ClientFile

SUMMARY_FORMAT = 1
SUMMARY_TABLE = "client_summary"


def compute_summary(client: ClientFile) -> dict[str, Any]:
    """The summary of a client file as a plain dict (JSON-ready), read through `client`'s connection (so
    inside a transaction it sees that transaction's writes)."""
    from vciso.plan import plan_progress
    from vciso.report import earlier_assessment
    from vciso.roadmap_store import roadmap_items
    from vciso.scoring import score_assessment

    profile = client.profile()
    assessments = client.assessments()
    summary: dict[str, Any] = {
        "format": SUMMARY_FORMAT,
        "client": {"id": profile.id, "name": profile.name, "industry": profile.industry},
        "assessment_count": len(assessments),
        "last_updated": max([a.updated_at for a in assessments] or [profile.updated_at]),
        "latest": None, "score": None, "target": None, "percent_to_target": None, "completion": None,
        "previous": None, "change": None,
        "plan": {"total": 0, "done": 0, "in_progress": 0, "blocked": 0, "not_started": 0, "deferred": 0,
                 "open": []},
    }
    if not assessments:
        return summary
    latest = max(assessments, key=lambda a: (a.assessment_date, a.id))
    score = score_assessment(client.questionnaire(latest.id), client.responses(latest.id), latest.default_target)
    summary.update(
        latest={"id": latest.id, "name": latest.name, "date": latest.assessment_date, "status": latest.status,
                "questionnaire_id": latest.questionnaire_id, "questionnaire_title": latest.questionnaire_title,
                "questionnaire_version": latest.questionnaire_version},
        score=score.overall.current, target=score.overall.target,
        percent_to_target=score.overall.percent_to_target, completion=score.overall.completion)
    earlier = earlier_assessment(client, latest)
    if earlier is not None:
        old = _earlier_score(client, earlier)
        summary["previous"] = {"id": earlier.id, "name": earlier.name, "date": earlier.assessment_date,
                               "score": old}
        if old is not None and score.overall.current is not None:
            summary["change"] = score.overall.current - old
    import datetime as dt

    items = roadmap_items(client, latest.id)
    progress = plan_progress(items, dt.date.today())
    summary["plan"] = {
        "total": progress.total, "done": progress.done, "in_progress": progress.in_progress,
        "blocked": progress.blocked, "not_started": progress.not_started, "deferred": progress.deferred,
        # each open item's due date and whether its gap closure awaits confirmation (then never overdue)
        "open": sorted([[item.due_date, item.proposed_in is not None] for item in items if item.is_open],
                       key=lambda pair: (pair[0] is None, pair[0] or "")),
    }
    return summary


# The earlier assessment's overall score, kept per open file: it is scored again only when the assessment
# changed (any write to its answers or target stamps its `updated_at`), so saving an answer scores one
# assessment, not two.
_EARLIER_SCORES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _earlier_score(client: ClientFile, assessment: Any) -> float | None:
    from vciso.scoring import score_assessment

    key = (assessment.id, assessment.updated_at, assessment.default_target, assessment.questionnaire_version)
    cached = _EARLIER_SCORES.setdefault(client, {})
    if key not in cached:
        cached.clear()
        cached[key] = score_assessment(client.questionnaire(assessment.id), client.responses(assessment.id),
                                       assessment.default_target).overall.current
    return cached[key]


def newest_migration(client: ClientFile) -> str:
    """The newest migration applied to the file (the schema the summary was made for)."""
    from vciso.schema import migrations

    rows = client.rows(f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?"
                       " ORDER BY rowid DESC LIMIT 1", (migrations.name,))
    return rows[0][0] if rows else ""


def write_summary(client: ClientFile, conn: Any) -> None:
    """Rewrite the summary inside the caller's open transaction. A summary that cannot be computed is
    removed rather than left stale (the portfolio then computes it from the file), and never stops the
    write it belongs to."""
    schema = newest_migration(client)
    try:
        data = json.dumps(compute_summary(client), ensure_ascii=False, sort_keys=True)
    except Exception:  # noqa: BLE001 - a summary must never cost the consultant the change being saved
        conn.execute(f"DELETE FROM {SUMMARY_TABLE}")
        return
    from vciso.client_records import now_iso

    conn.execute(f"INSERT INTO {SUMMARY_TABLE} (id, schema, data, updated_at) VALUES (1, ?, ?, ?)"
                 " ON CONFLICT (id) DO UPDATE SET schema = excluded.schema, data = excluded.data,"
                 " updated_at = excluded.updated_at", (schema, data, now_iso()))


def invalidate_summary(conn: Any) -> None:
    """Remove the stored summary inside the caller's open transaction (the change being committed outdates
    it); the file is summarised again when it is closed, and until then the portfolio computes it."""
    conn.execute(f"DELETE FROM {SUMMARY_TABLE}")


def summary_is_current(client: ClientFile) -> bool:
    """Whether the file holds a summary made for its present schema, in this version's format."""
    rows = client.rows(f"SELECT schema, data FROM {SUMMARY_TABLE} WHERE id = 1")
    if not rows or rows[0][0] != newest_migration(client):
        return False
    try:
        return json.loads(rows[0][1]).get("format") == SUMMARY_FORMAT
    except (ValueError, AttributeError):
        return False


# The read the portfolio makes of each file: the stored summary and the newest migration, in one query.
STORED_SUMMARY_QUERY = (
    f"SELECT s.schema, s.data, (SELECT name FROM _sqlite_migrations WHERE migration_set = 'vciso-client'"
    f" ORDER BY rowid DESC LIMIT 1) FROM {SUMMARY_TABLE} s WHERE s.id = 1")
