"""Roadmap planning: gaps become prioritised, phased items. Pure functions, no I/O.

priority = gap x weight x criticality / effort (gap in levels of the questionnaire's default scale).
Quick wins (low effort, at least medium criticality) go to the first phase. Critical items go no later
than the second phase. The rest are spread over the remaining phases in priority order. For staged
questionnaires a lower stage always comes before a higher one (a hard ordering rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from vciso.questionnaire import Questionnaire
from vciso.scoring import AssessmentScore

STATUSES = ("Not started", "In progress", "Blocked", "Done", "Deferred")
EFFORT_LABELS = {1: "Low", 2: "Medium", 3: "High"}
CRITICALITY_LABELS = {1: "Low", 2: "Medium", 3: "High", 4: "Critical"}
DEFAULT_PHASE_DAYS = (30, 90, 180, 365)
DEFAULT_ACTIONS_PER_MONTH = 4   # how many roadmap actions a small firm can take on in a month
DAYS_PER_MONTH = 30


@dataclass(frozen=True)
class Phase:
    index: int
    name: str
    start_days: int
    end_days: int


def _days_name(start: int, end: int) -> str:
    if end >= 180 and start % 30 == 0 and (end % 30 == 0 or end == 365):
        return f"{round(start / 30)}–{round(end / 30.4)} months"
    return f"{start}–{end} days"


def make_phases(end_days: tuple[int, ...] | list[int] = DEFAULT_PHASE_DAYS) -> tuple[Phase, ...]:
    """Phases from their end days, e.g. (30, 90, 180, 365) -> 0–30 days ... 6–12 months."""
    ends = [int(d) for d in end_days]
    if not ends or any(d <= 0 for d in ends) or ends != sorted(set(ends)):
        raise ValueError("phase lengths must be increasing whole numbers of days, e.g. 30,90,180,365")
    phases, start = [], 0
    for index, end in enumerate(ends):
        phases.append(Phase(index, _days_name(start, end), start, end))
        start = end
    return tuple(phases)


DEFAULT_PHASES = make_phases()


def schedule(phases: tuple[Phase, ...], start: dt.date) -> tuple[dt.date, ...]:
    """The due date of each phase: the day its window ends, counted from `start` (the assessment date).

    The one rule for due dates, used by roadmap regeneration, the report and the PDF's phase headings.
    """
    return tuple(start + dt.timedelta(days=phase.end_days) for phase in phases)


def plan_order(phase: int, criticality: int, priority: float, tie: object = 0) -> tuple:
    """The order of the plan: by phase; within a phase the most critical first, then by priority."""
    return (phase, -criticality, -priority, tie)


def stagger(planned: list[PlannedGap], phases: tuple[Phase, ...], start: dt.date,
            actions_per_month: int = DEFAULT_ACTIONS_PER_MONTH) -> list[tuple[PlannedGap, dt.date]]:
    """Give every planned action a due date, month by month, never more than `actions_per_month` in a month.

    Actions are taken in plan order (quick wins first); each phase fills its own months from its first,
    and a phase with more actions than its months can hold spills into the next months, the action then
    belonging to the phase that month falls in. The due date is the end of the action's month (never past
    the end of its phase's window).
    """
    capacity = max(1, int(actions_per_month))
    load: dict[int, int] = {}
    out: list[tuple[PlannedGap, dt.date]] = []
    ordered = sorted(planned, key=lambda g: plan_order(g.phase, g.criticality, g.priority, g.order))
    last_month = max(1, -(-phases[-1].end_days // DAYS_PER_MONTH)) if phases else 12
    for gap in ordered:
        phase = phases[min(gap.phase, len(phases) - 1)]
        month = max(1, phase.start_days // DAYS_PER_MONTH + 1)
        while load.get(month, 0) >= capacity and month < last_month:
            month += 1
        load[month] = load.get(month, 0) + 1
        days = month * DAYS_PER_MONTH
        landed = next((p for p in phases if p.start_days < days <= p.end_days), phases[-1])
        days = min(days, landed.end_days)
        out.append((replace(gap, phase=landed.index) if landed.index != gap.phase else gap,
                    start + dt.timedelta(days=days)))
    return out


def plan_start(assessment_date: str) -> dt.date | None:
    """The day a plan is counted from: the assessment's date (None if it is not a date)."""
    try:
        return dt.date.fromisoformat(str(assessment_date)[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class PlannedGap:
    question_id: str
    title: str
    recommendation: str
    effort: int
    criticality: int
    weight: float
    gap: float
    priority: float
    quick_win: bool
    phase: int
    stage: int | None
    order: int


def priority_of(gap: float, weight: float, criticality: int, effort: int) -> float:
    return round(gap * weight * criticality / max(effort, 1), 4)


def plan_gaps(questionnaire: Questionnaire, score: AssessmentScore,
              phases: tuple[Phase, ...] = DEFAULT_PHASES) -> list[PlannedGap]:
    """One planned item per answered question whose current level is below its target, ordered."""
    span = questionnaire.default_scale.max_value - questionnaire.default_scale.min_value
    candidates: list[PlannedGap] = []
    for order, loc in enumerate(questionnaire.locations):
        item = score.items.get(loc.question.id)
        if item is None or item.status != "answered" or not item.gap_norm:
            continue
        question = loc.question
        gap = round(item.gap_norm * span, 4)
        priority = priority_of(gap, loc.effective_weight, question.criticality, question.effort)
        quick_win = question.effort == 1 and question.criticality >= 2
        title = question.title or _short(question.text)
        recommendation = question.recommendation or f"Raise '{title}' to the target level."
        candidates.append(PlannedGap(question.id, title, recommendation, question.effort, question.criticality,
                                     loc.effective_weight, gap, priority, quick_win, 0, question.stage, order))

    def rank(gap: PlannedGap) -> tuple:
        stage = gap.stage if gap.stage is not None else 0
        return (stage, not gap.quick_win, -gap.priority, gap.order)

    candidates.sort(key=rank)
    last = len(phases) - 1
    rest = [g for g in candidates if not g.quick_win]
    per_phase = max(1, -(-len(rest) // max(last, 1)))  # ceiling division over the later phases
    planned: list[PlannedGap] = []
    rest_index = 0
    for gap in candidates:
        if gap.quick_win or last == 0:
            phase = 0
        else:
            phase = min(last, 1 + rest_index // per_phase)
            rest_index += 1
            if gap.criticality >= 4:
                phase = min(phase, 1)
        planned.append(replace(gap, phase=phase))
    return planned


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
