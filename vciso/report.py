"""The plain report object that the PDF and Excel writers (and the dashboard) render.

`build_report` reads a client file once and returns dataclasses only: no database handle, no Qt.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from vciso import numbers as num
from vciso.branding import DEFAULT_ACCENT, Branding  # noqa: F401 - re-exported for the writers
from vciso.client_records import is_final
from vciso.clientfile import Assessment, ClientFile, ClientProfile
from vciso.errors import UnknownTag
from vciso.evidence import EvidenceFile, list_evidence
from vciso.provenance import Provenance
from vciso.questionnaire import Questionnaire, format_value
from vciso.plan import PlanProgress, overdue_items, plan_progress
from vciso.roadmap import (DEFAULT_ACTIONS_PER_MONTH, DEFAULT_PHASES, Phase, plan_gaps, plan_order, plan_start,
                           priority_of, schedule, stagger)
from vciso.roadmap_store import RoadmapItem, roadmap_items
from vciso.scope import Scope, scope_for
from vciso.scoring import AssessmentScore, NodeScore, progress, questionnaire_for_tag, score_assessment
from vciso.trend import Trend, client_trend
from vciso.activity import Activity, build_activity

@dataclass(frozen=True)
class FindingRow:
    """One question as the deliverables show it."""

    domain_id: str
    domain_title: str
    section_id: str
    section_title: str
    section_path: tuple[str, ...]
    question_id: str
    title: str
    text: str
    guidance: str
    recommendation: str
    status: str  # "answered" | "na" | "unanswered"
    level_value: float | None
    level_label: str
    target_value: float
    target_label: str
    gap: float | None
    note: str
    na_reason: str
    evidence: str
    flagged: bool
    weight: float
    criticality: int
    effort: int
    references: tuple[str, ...] = ()
    established: str = ""        # how the answer was established (vciso.provenance.METHODS), or ""
    evidence_date: str = ""      # ISO date of its evidence, or ""
    evidence_stale: bool = False  # its evidence is dated more than a year before the assessment

    @property
    def provenance(self) -> Provenance:
        return Provenance(self.established, self.evidence_date)

    @property
    def level_text(self) -> str:
        if self.status == "na":
            return "N/A"
        if self.status == "unanswered":
            return "Unanswered"
        return f"{format_value(self.level_value)} – {self.level_label}"


@dataclass(frozen=True)
class SectionComparison:
    section_id: str
    title: str
    baseline: float | None
    current: float | None
    target: float | None

    @property
    def change(self) -> float | None:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    @property
    def progress(self) -> float | None:
        return progress(self.baseline, self.current, self.target)


@dataclass(frozen=True)
class Comparison:
    baseline: Assessment
    overall: SectionComparison
    sections: tuple[SectionComparison, ...]


STRENGTH_MIN_COMPLETION = 0.8


def is_strength(node: NodeScore) -> bool:
    """The one definition of a strength, used everywhere: every answered question meets its target (shown
    as 100% to target) and at least 80% of the questions are answered, so it is not judged on a few."""
    return (node.current is not None and node.percent_to_target is not None and node.completion is not None
            and num.rounded(node.percent_to_target * 100, 0) >= 100
            and node.completion >= STRENGTH_MIN_COMPLETION)


@dataclass(frozen=True)
class Report:
    client: ClientProfile
    assessment: Assessment
    questionnaire: Questionnaire
    score: AssessmentScore
    findings: tuple[FindingRow, ...]
    roadmap: tuple[RoadmapItem, ...]
    phases: tuple[Phase, ...]
    branding: Branding = Branding()
    comparison: Comparison | None = None
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().astimezone())
    coverage: object | None = None  # a vciso.crosswalk.Coverage chosen at export: the appendix and the sheet
    trend: Trend | None = None  # every assessment of this questionnaire up to this one (vciso.trend)
    activity: Activity | None = None  # what changed since the previous assessment (vciso.activity)
    evidence: tuple[EvidenceFile, ...] = ()  # the files attached to this assessment's answers
    # the questions covered when not all of them: `questionnaire` and everything above are then only about
    # the questions carrying the scope's tag (build_report's `tag`)
    scope: Scope | None = None

    @property
    def top_gaps(self) -> list[FindingRow]:
        """The five gaps that matter most (answered questions only), by the roadmap's own priority (gap ×
        weight × criticality ÷ effort), so the table of gaps leads with the plan's first actions."""
        gaps = [f for f in self.findings if f.status == "answered" and f.gap]
        order = {f.question_id: i for i, f in enumerate(self.findings)}
        return sorted(gaps, key=lambda f: (-priority_of(f.gap or 0, f.weight, f.criticality, f.effort),
                                           -f.criticality, order[f.question_id]))[:5]

    @property
    def top_actions(self) -> list[RoadmapItem]:
        """What to do first: the three open roadmap actions of highest priority."""
        order = {f.question_id: i for i, f in enumerate(self.findings)}
        # an item carried in the plan whose question has no gap in these answers (closed, awaiting
        # confirmation, N/A or not yet revisited) is not a next action
        gaps = {f.question_id for f in self.findings if f.status == "answered" and f.gap}
        open_items = [item for item in self.roadmap if item.status not in ("Done", "Deferred")
                      and item.proposed_in is None and (item.question_id is None or item.question_id in gaps)]
        # ties broken by question order, as in `top_gaps`: both lead with the same actions
        ranked = sorted(open_items, key=lambda item: (-item.priority, -item.criticality,
                                                      order.get(item.question_id or "", len(order))))
        return ranked[:3]

    @property
    def strengths(self) -> list[NodeScore]:
        """Top-level domains that are strengths (`is_strength`), else the three closest to it among those
        answered enough to judge, best first."""
        judged = [d for d in self.score.domains if d.current is not None and d.completion is not None
                  and d.completion >= STRENGTH_MIN_COMPLETION]
        ranked = sorted(judged, key=lambda d: (-(d.percent_to_target or 0), d.title))
        return [d for d in ranked if is_strength(d)] or ranked[:3]

    @property
    def draft(self) -> bool:
        """Whether the deliverables must say DRAFT: the assessment is not final."""
        return not is_final(self.assessment.status)

    def phase_name(self, index: int) -> str:
        return self.phases[index].name if 0 <= index < len(self.phases) else f"Phase {index + 1}"

    @property
    def plan_start(self) -> dt.date | None:
        """The day the plan's phases are counted from: the assessment date."""
        return plan_start(self.assessment.assessment_date)

    def phase_due(self, index: int) -> dt.date | None:
        """When phase `index` is due (its end counted from the assessment date), by `schedule`."""
        start = self.plan_start
        if start is None or not 0 <= index < len(self.phases):
            return None
        return schedule(self.phases, start)[index]

    @property
    def plan_progress(self) -> PlanProgress:
        """Where the plan stands on the day the report is made (done, in progress, overdue…)."""
        return plan_progress(self.roadmap, self.generated_at.date())

    @property
    def overdue(self) -> list[RoadmapItem]:
        """The open actions past their due date on the day the report is made, longest overdue first."""
        return overdue_items(self.roadmap, self.generated_at.date())


def _findings(questionnaire: Questionnaire, score: AssessmentScore, responses: dict,
              assessment_date: str = "") -> tuple[FindingRow, ...]:
    rows = []
    for loc in questionnaire.locations:
        question = loc.question
        scale = questionnaire.scale_for(question)
        item = score.items[question.id]
        response = responses.get(question.id)
        rows.append(FindingRow(
            domain_id=loc.domain.id, domain_title=loc.domain.title,
            section_id=loc.section.id, section_title=loc.section.title,
            section_path=tuple(s.title for s in loc.path),
            question_id=question.id, title=question.title, text=question.text, guidance=question.guidance,
            recommendation=question.recommendation, status=item.status,
            level_value=item.current, level_label=scale.label(item.current) if item.current is not None else "",
            target_value=item.target, target_label=scale.label(item.target), gap=item.gap,
            note=response.note if response else "", na_reason=response.na_reason if response else "",
            evidence=response.evidence if response else "", flagged=bool(response and response.flagged),
            weight=loc.effective_weight, criticality=question.criticality, effort=question.effort,
            references=question.references,
            established=response.established if response else "",
            evidence_date=response.evidence_date if response else "",
            evidence_stale=bool(response and response.provenance.is_stale(assessment_date)),
        ))
    return tuple(rows)


def _unsaved_roadmap(questionnaire: Questionnaire, score: AssessmentScore, assessment: Assessment,
                     phases: tuple[Phase, ...], actions_per_month: int) -> tuple[RoadmapItem, ...]:
    """The plan the engine would generate, for a report made before the roadmap was ever saved."""
    start = plan_start(assessment.assessment_date) or dt.date.today()
    items = []
    for gap, due in stagger(plan_gaps(questionnaire, score, phases), phases, start, actions_per_month):
        items.append(RoadmapItem(0, assessment.id, gap.question_id, gap.title, gap.recommendation, gap.effort,
                                 gap.criticality, gap.gap, gap.priority, gap.quick_win, gap.phase, "",
                                 due.isoformat(), "Not started", "", (), "generated", "", ""))
    return tuple(sorted(items, key=lambda i: plan_order(i.phase, i.criticality, i.priority)))


def earlier_assessment(client: ClientFile, assessment: Assessment) -> Assessment | None:
    """The assessment to compare with: the one it follows up, else the latest earlier one of the same
    questionnaire."""
    candidates = [a for a in client.assessments() if a.id != assessment.id
                  and a.questionnaire_id == assessment.questionnaire_id
                  and (a.assessment_date, a.id) < (assessment.assessment_date, assessment.id)]
    by_id = {a.id: a for a in candidates}
    if assessment.based_on in by_id:
        return by_id[assessment.based_on]
    return candidates[-1] if candidates else None


def _comparison(client: ClientFile, assessment: Assessment, score: AssessmentScore,
                tag: str | None = None) -> Comparison | None:
    baseline = earlier_assessment(client, assessment)
    if baseline is None:
        return None
    try:  # with a tag, the earlier assessment on the same questions (as its own questionnaire tags them)
        old = score_assessment(client.questionnaire(baseline.id), client.responses(baseline.id),
                               baseline.default_target, tag=tag)
    except UnknownTag:  # no question of its version carried the tag: nothing to compare with
        return None
    old_by_id = {d.id: d for d in old.domains}
    sections = tuple(SectionComparison(d.id, d.title, old_by_id[d.id].current if d.id in old_by_id else None,
                                       d.current, d.target) for d in score.domains)
    overall = SectionComparison("", "Overall", old.overall.current, score.overall.current, score.overall.target)
    return Comparison(baseline, overall, sections)


def build_report(client: ClientFile, assessment_id: int | None = None, branding: Branding = Branding(),
                 phases: tuple[Phase, ...] = DEFAULT_PHASES,
                 actions_per_month: int = DEFAULT_ACTIONS_PER_MONTH, tag: str | None = None) -> Report:
    """Everything the deliverables need about one assessment, read from the client file.

    With `tag` (any case), only the questions carrying it: their findings, score and strengths, the earlier
    assessment and the trend on the same questions, their evidence, and the plan's actions for them plus
    the consultant's own actions (they belong to no question, and are part of the plan whatever the
    scope). UnknownTag, naming the tags there are, when no question carries it."""
    assessment = client.assessment(assessment_id)
    whole = client.questionnaire(assessment.id)
    scope = scope_for(whole, tag) if tag else None
    questionnaire = questionnaire_for_tag(whole, scope.tag) if scope else whole
    responses = client.responses(assessment.id)
    score = score_assessment(questionnaire, responses, assessment.default_target)
    # the plan is the whole questionnaire's (due dates and phases as for every question), then narrowed
    roadmap = tuple(roadmap_items(client, assessment.id)) or _unsaved_roadmap(
        whole, score if scope is None else score_assessment(whole, responses, assessment.default_target),
        assessment, phases, actions_per_month)
    evidence = tuple(list_evidence(client, assessment.id))
    comparison = _comparison(client, assessment, score, scope.tag if scope else None)
    activity = build_activity(client, assessment, comparison.baseline if comparison else None, questionnaire)
    if scope is not None:
        roadmap = tuple(item for item in roadmap
                        if item.question_id is None or questionnaire.location(item.question_id) is not None)
        evidence = tuple(item for item in evidence if questionnaire.location(item.question_id) is not None)
        planned = {item.plan_uid for item in roadmap}
        activity = replace(activity, closed=tuple(e for e in activity.closed if e.plan_uid in planned),
                           added=tuple(e for e in activity.added if e.plan_uid in planned))
    return Report(
        client=client.profile(), assessment=assessment, questionnaire=questionnaire, score=score,
        findings=_findings(questionnaire, score, responses, assessment.assessment_date), roadmap=roadmap,
        phases=phases, evidence=evidence,
        branding=branding, comparison=comparison,
        trend=client_trend(client, assessment.questionnaire_id, until=assessment, reference=questionnaire),
        activity=activity, scope=scope,
    )
