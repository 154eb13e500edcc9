"""The plan's open actions with a due date as an iCalendar file (.ics): one all-day event per action.

Each event's UID is the plan item's stable id, so importing a re-export after a due date changed updates
the event instead of adding a second one (SEQUENCE grows with the item's last change). Text is exactly
as typed; written atomically like every deliverable.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event

from exports.progress import Steps
from vciso.atomic import atomic_path
from vciso.report import Report
from vciso.roadmap_store import RoadmapItem

UID_DOMAIN = "vciso-workbench"


def event_uid(report: Report, item: RoadmapItem) -> str:
    """The event's UID: the plan item's id (stable across regenerations and follow-ups)."""
    key = item.plan_uid or f"{report.assessment.id}-{item.question_id or item.id}"
    return f"{report.client.id}-{key}@{UID_DOMAIN}"


def calendar_items(report: Report) -> list[RoadmapItem]:
    """The actions that go into the calendar: open (not done or deferred) and with a due date."""
    return [item for item in report.roadmap if item.is_open and item.due is not None]


def _stamp(text: str, fallback: dt.datetime) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return fallback
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def build_calendar(report: Report) -> Calendar:
    """The calendar of the report's plan (a plain `icalendar.Calendar`)."""
    now = report.generated_at.astimezone(dt.timezone.utc).replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", "-//vCISO Workbench//Security plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{report.client.name} — security plan")
    for item in calendar_items(report):
        event = Event()
        event.add("uid", event_uid(report, item))
        event.add("dtstamp", now)
        changed = _stamp(item.updated_at, now).replace(microsecond=0)
        event.add("last-modified", changed)
        event.add("sequence", int(changed.timestamp()) // 60 % 2_000_000_000)  # later edit, higher sequence
        event.add("summary", item.title)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        lines = []
        if item.recommendation and item.recommendation != item.title:
            lines.append(item.recommendation)
        lines.append(f"Owner: {item.owner or 'Unassigned'}")
        lines.append(f"Status: {item.status}")
        lines.append(f"Phase: {report.phase_name(item.phase)}")
        if item.question_id:
            lines.append(f"Question: {item.question_id}")
        if item.notes:
            lines.append(f"Notes: {item.notes}")
        lines.append(f"Client: {report.client.name}")
        event.add("description", "\n".join(lines))
        event.add("categories", ["Security plan"])
        cal.add_component(event)
    return cal


def iter_write_ics(report: Report, path: Path) -> Steps:
    """Write the plan's calendar to `path` atomically; yields progress, returns warnings."""
    yield 0, 2, "Calendar of the plan's open actions"
    data = build_calendar(report).to_ical()
    yield 1, 2, "Saving the calendar"
    with atomic_path(Path(path)) as tmp:
        tmp.write_bytes(data)
    yield 2, 2, f"Saved {Path(path).name}"
    warnings = []
    if not calendar_items(report):
        warnings.append("the plan has no open action with a due date: the calendar is empty")
    return warnings
