"""What changed in a client's engagement: the figures of the baseline and the previous assessment, the
questions whose level moved since the previous assessment, and the plan items closed and added since.

Built from the client file once (`build_activity`), as plain dataclasses the progress report renders.
Every change carries the day it was made (answer history, plan status history), so the report can be
limited to the changes on or after a day (`Activity.since`) without reading the file again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from vciso.clientfile import Assessment, ClientFile
from vciso.questionnaire import Questionnaire
from vciso.roadmap_store import roadmap_items
from vciso.scoring import score_assessment
from vciso.trend import _on_scale


@dataclass(frozen=True)
class Milestone:
    """An earlier assessment's headline figures, scored on the current questionnaire (as the trend is)."""

    assessment_id: int
    name: str
    assessment_date: str
    overall: float | None
    percent_to_target: float | None


@dataclass(frozen=True)
class LevelMove:
    """A question whose level differs from the previous assessment's, and when it was last set."""

    question_id: str
    title: str
    before: float
    after: float
    changed_at: str  # ISO date-time of the answer that set the level now recorded

    @property
    def up(self) -> bool:
        return self.after > self.before


@dataclass(frozen=True)
class PlanEvent:
    """A plan item closed or added since the previous assessment, and when."""

    plan_uid: str
    title: str
    changed_at: str


@dataclass(frozen=True)
class Activity:
    """The engagement's changes as of one assessment; `since` is the day they are limited to (or None)."""

    previous: Milestone | None
    baseline: Milestone | None        # the first assessment of the trend, when it is not this one
    moves: tuple[LevelMove, ...] = ()
    closed: tuple[PlanEvent, ...] = ()
    added: tuple[PlanEvent, ...] = ()
    since_day: dt.date | None = None

    def since(self, day: dt.date | None) -> Activity:
        """The same activity limited to the changes made on or after `day` (all of them for None)."""
        if day is None:
            return self
        start = day.isoformat()

        def keep(changed_at: str) -> bool:
            return (changed_at or "")[:10] >= start

        return replace(self, moves=tuple(m for m in self.moves if keep(m.changed_at)),
                       closed=tuple(e for e in self.closed if keep(e.changed_at)),
                       added=tuple(e for e in self.added if keep(e.changed_at)), since_day=day)


def _milestone(client: ClientFile, assessment: Assessment, reference: Questionnaire) -> Milestone:
    responses = _on_scale(reference, client.responses(assessment.id))
    overall = score_assessment(reference, responses, assessment.default_target).overall
    return Milestone(assessment.id, assessment.name, assessment.assessment_date, overall.current,
                     overall.percent_to_target)


def _moves(client: ClientFile, assessment: Assessment, previous: Assessment,
           questionnaire: Questionnaire) -> tuple[LevelMove, ...]:
    before = client.responses(previous.id)
    after = client.responses(assessment.id)
    history: dict[str, list] = {}
    for entry in client.history(assessment.id):
        history.setdefault(entry.question_id, []).append(entry)
    moves = []
    for loc in questionnaire.locations:
        qid = loc.question.id
        old, new = before.get(qid), after.get(qid)
        if old is None or new is None or old.current is None or new.current is None or old.current == new.current:
            continue
        # the day the level now recorded was set: the last entry whose level differs from the one before it
        changed_at, level = new.updated_at, old.current
        for entry in history.get(qid, []):
            if entry.current != level:
                changed_at, level = entry.changed_at, entry.current
        moves.append(LevelMove(qid, loc.question.title or qid, float(old.current), float(new.current),
                               changed_at or ""))
    return tuple(moves)


def _plan_events(client: ClientFile, assessment: Assessment,
                 previous: Assessment | None) -> tuple[tuple[PlanEvent, ...], tuple[PlanEvent, ...]]:
    from vciso.plan import status_history

    items = roadmap_items(client, assessment.id)
    earlier = {item.plan_uid: item for item in roadmap_items(client, previous.id)} if previous else {}
    done_at: dict[str, str] = {}
    for change in status_history(client):
        if change.status == "Done":
            done_at[change.plan_uid] = change.changed_at
        else:
            done_at.pop(change.plan_uid, None)
    closed = tuple(PlanEvent(item.plan_uid, item.title, done_at.get(item.plan_uid, item.updated_at))
                   for item in items if item.status == "Done"
                   and (item.plan_uid not in earlier or earlier[item.plan_uid].status != "Done"))
    added = tuple(PlanEvent(item.plan_uid, item.title, item.created_at)
                  for item in items if previous is not None and item.plan_uid not in earlier)
    return closed, added


def build_activity(client: ClientFile, assessment: Assessment, previous: Assessment | None,
                   questionnaire: Questionnaire) -> Activity:
    """What changed as of `assessment`: against `previous` (the assessment it is compared with) and the
    first assessment of the same questionnaire (the baseline)."""
    same = sorted((a for a in client.assessments() if a.questionnaire_id == assessment.questionnaire_id
                   and (a.assessment_date, a.id) < (assessment.assessment_date, assessment.id)),
                  key=lambda a: (a.assessment_date, a.id))
    baseline = _milestone(client, same[0], questionnaire) if same else None
    prior = _milestone(client, previous, questionnaire) if previous is not None else None
    moves = _moves(client, assessment, previous, questionnaire) if previous is not None else ()
    closed, added = _plan_events(client, assessment, previous)
    return Activity(prior, baseline, moves, closed, added)
