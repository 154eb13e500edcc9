"""The scoring engine: questionnaire + responses in, scores out. Pure functions, no I/O.

Values are normalised to 0..1 by each question's scale and reported back on the questionnaire's
default scale, so a questionnaire mixing scales still rolls up. Rules (see docs/scoring.md):
- N/A (with a reason) is excluded from numerator and denominator but counts as complete;
- unanswered is excluded from means, lowers completion and counts as "not met" in the staged rule;
- gap = max(0, target - current); percent-to-target = 1 - sum(gap) / sum(target) over answered items.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Mapping

from vciso.errors import UnknownTag
from vciso.questionnaire import Questionnaire, QuestionLocation, Section
from vciso.responses import Response

NA_LABEL = "N/A"
UNANSWERED_LABEL = "Unanswered"


@dataclass(frozen=True)
class ItemScore:
    """One question's contribution: normalised values, or None when unanswered or N/A."""

    question_id: str
    current: float | None
    target: float
    current_norm: float | None
    target_norm: float
    gap: float | None
    gap_norm: float | None
    weight: float
    status: str  # "answered" | "na" | "unanswered"
    met: bool


@dataclass(frozen=True)
class NodeScore:
    """Scores of a section, a top-level domain or the whole assessment (id '' for overall)."""

    id: str
    title: str
    depth: int
    current: float | None
    target: float | None
    gap: float | None
    minimum: float | None
    score: float | None
    percent_to_target: float | None
    completion: float
    answered: int
    not_applicable: int
    unanswered: int
    total: int
    distribution: dict[str, int]
    stage: int | None = None
    current_norm: float | None = None
    target_norm: float | None = None
    children: tuple["NodeScore", ...] = ()

    @property
    def complete(self) -> int:
        return self.answered + self.not_applicable


@dataclass(frozen=True)
class AssessmentScore:
    overall: NodeScore
    domains: tuple[NodeScore, ...]
    items: dict[str, ItemScore] = field(repr=False)
    aggregation: str = "mean"
    scale_min: float = 0.0
    scale_max: float = 5.0

    def sections(self) -> list[NodeScore]:
        """Every section score, depth first (domains and their subsections)."""
        out: list[NodeScore] = []

        def walk(node: NodeScore) -> None:
            out.append(node)
            for child in node.children:
                walk(child)

        for domain in self.domains:
            walk(domain)
        return out

    def section(self, section_id: str) -> NodeScore | None:
        return next((s for s in self.sections() if s.id == section_id), None)


class _Accumulator:
    __slots__ = ("answered", "na", "total", "sum_cur", "sum_tgt", "sum_w", "sum_wcur", "sum_wtgt",
                 "sum_gap", "minimum", "distribution", "items")

    def __init__(self) -> None:
        self.answered = self.na = self.total = 0
        self.sum_cur = self.sum_tgt = self.sum_w = self.sum_wcur = self.sum_wtgt = self.sum_gap = 0.0
        self.minimum: float | None = None
        self.distribution: dict[str, int] = {}
        self.items: list[tuple[int | None, bool]] = []  # (stage, met) of applicable items

    def add(self, item: ItemScore, label: str, stage: int | None) -> None:
        self.total += 1
        self.distribution[label] = self.distribution.get(label, 0) + 1
        if item.status == "na":
            self.na += 1
            return
        self.items.append((stage, item.met))
        if item.status != "answered":
            return
        cur, tgt = item.current_norm, item.target_norm
        self.answered += 1
        self.sum_cur += cur  # type: ignore[operator]
        self.sum_tgt += tgt
        self.sum_gap += item.gap_norm  # type: ignore[operator]
        self.sum_w += item.weight
        self.sum_wcur += item.weight * cur  # type: ignore[operator]
        self.sum_wtgt += item.weight * tgt
        if self.minimum is None or cur < self.minimum:  # type: ignore[operator]
            self.minimum = cur


def _stage_achieved(items: list[tuple[int | None, bool]]) -> int | None:
    """Highest stage n such that every applicable item at stage <= n is met (unanswered = not met)."""
    stages = sorted({stage for stage, _ in items if stage is not None})
    if not stages:
        return None
    achieved = 0
    for stage in stages:
        if all(met for s, met in items if s is not None and s <= stage):
            achieved = stage
        else:
            break
    return achieved


def _score_item(questionnaire: Questionnaire, loc: QuestionLocation, response: Response | None,
                assessment_target: float | None) -> ItemScore:
    question = loc.question
    scale = questionnaire.scale_for(question)
    target = response.target if response and response.target is not None else \
        questionnaire.target_for(question, assessment_target)
    target_norm = scale.normalise(target)
    weight = loc.effective_weight
    if response is not None and response.is_na:
        return ItemScore(question.id, None, target, None, target_norm, None, None, weight, "na", False)
    if response is None or response.current is None:
        return ItemScore(question.id, None, target, None, target_norm, None, None, weight, "unanswered",
                         False)
    current = response.current
    current_norm = scale.normalise(current)
    gap = max(0.0, target - current)
    return ItemScore(question.id, current, target, current_norm, target_norm, gap,
                     max(0.0, target_norm - current_norm), weight, "answered", scale.meets_threshold(current))


def score_items(questionnaire: Questionnaire, responses: Mapping[str, Response],
                assessment_target: float | None = None) -> dict[str, ItemScore]:
    """Per-question scores, keyed by question id."""
    return {loc.question.id: _score_item(questionnaire, loc, responses.get(loc.question.id), assessment_target)
            for loc in questionnaire.locations}


def matching_tag(questionnaire: Questionnaire, tag: str) -> str:
    """The questionnaire's own spelling of a tag (matched without regard to case); UnknownTag if no
    question carries it, naming the tags there are."""
    tags = questionnaire.tags()
    for known in tags:
        if known.casefold() == tag.strip().casefold():
            return known
    shown = ", ".join(tags[:20]) + (" …" if len(tags) > 20 else "") if tags else "it has no tags"
    raise UnknownTag(f"no question of {questionnaire.title} carries the tag '{tag}' "
                     f"({'tags: ' + shown if tags else shown})")


def questionnaire_for_tag(questionnaire: Questionnaire, tag: str) -> Questionnaire:
    """The questionnaire narrowed to the questions that carry `tag` (e.g. "IG1"), sections left without
    a question dropped; raises UnknownTag when no question carries it."""
    wanted = matching_tag(questionnaire, tag)

    def narrow(section: Section) -> Section | None:
        questions = tuple(q for q in section.questions if wanted in q.tags)
        children = tuple(s for s in (narrow(child) for child in section.sections) if s is not None)
        if not questions and not children:
            return None
        return dataclasses.replace(section, questions=questions, sections=children)

    sections = tuple(s for s in (narrow(section) for section in questionnaire.sections) if s is not None)
    return dataclasses.replace(questionnaire, sections=sections, locations=())


def score_assessment(questionnaire: Questionnaire, responses: Mapping[str, Response],
                     assessment_target: float | None = None, tag: str | None = None) -> AssessmentScore:
    """Score every section, every top-level domain and the whole assessment; with `tag`, only the
    questions that carry it (UnknownTag when none does)."""
    if tag:
        questionnaire = questionnaire_for_tag(questionnaire, tag)
    items = score_items(questionnaire, responses, assessment_target)
    accumulators: dict[str, _Accumulator] = {}
    overall = _Accumulator()
    for loc in questionnaire.locations:
        item = items[loc.question.id]
        scale = questionnaire.scale_for(loc.question)
        if item.status == "na":
            label = NA_LABEL
        elif item.status == "unanswered":
            label = UNANSWERED_LABEL
        else:
            label = scale.label(item.current)
        stage = loc.question.stage
        overall.add(item, label, stage)
        for section in loc.path:
            acc = accumulators.get(section.id)
            if acc is None:
                acc = accumulators[section.id] = _Accumulator()
            acc.add(item, label, stage)

    scale = questionnaire.default_scale
    rule = questionnaire.aggregation

    def node(acc: _Accumulator, node_id: str, title: str, depth: int,
             children: tuple[NodeScore, ...]) -> NodeScore:
        span = scale.max_value - scale.min_value
        weighted = rule == "weighted_mean"
        if acc.answered:
            if weighted and acc.sum_w > 0:
                cur_n, tgt_n = acc.sum_wcur / acc.sum_w, acc.sum_wtgt / acc.sum_w
            else:
                cur_n, tgt_n = acc.sum_cur / acc.answered, acc.sum_tgt / acc.answered
            current, target = scale.denormalise(cur_n), scale.denormalise(tgt_n)
            gap = acc.sum_gap / acc.answered * span
            minimum = scale.denormalise(acc.minimum)  # type: ignore[arg-type]
            percent = 1.0 if acc.sum_tgt <= 0 else max(0.0, 1.0 - acc.sum_gap / acc.sum_tgt)
        else:
            cur_n = tgt_n = current = target = gap = minimum = percent = None
        stage = _stage_achieved(acc.items) if rule == "staged" else None
        score = {"min": minimum, "staged": float(stage) if stage is not None else None}.get(rule, current)
        return NodeScore(
            id=node_id, title=title, depth=depth, current=current, target=target, gap=gap,
            minimum=minimum, score=score, percent_to_target=percent,
            completion=(acc.answered + acc.na) / acc.total if acc.total else 1.0,
            answered=acc.answered, not_applicable=acc.na, unanswered=acc.total - acc.answered - acc.na,
            total=acc.total, distribution=dict(acc.distribution), stage=stage,
            current_norm=cur_n, target_norm=tgt_n, children=children,
        )

    def build(section, depth: int) -> NodeScore:  # type: ignore[no-untyped-def]
        children = tuple(build(child, depth + 1) for child in section.sections
                         if child.id in accumulators)
        return node(accumulators.get(section.id) or _Accumulator(), section.id, section.title, depth,
                    children)

    domains = tuple(build(section, 0) for section in questionnaire.sections)
    return AssessmentScore(
        overall=node(overall, "", "Overall", -1, domains), domains=domains, items=items,
        aggregation=rule, scale_min=scale.min_value, scale_max=scale.max_value,
    )


def progress(baseline: float | None, current: float | None, target: float | None) -> float | None:
    """Progress between two assessments: (current - baseline) / (target - baseline)."""
    if baseline is None or current is None or target is None or target <= baseline:
        return None
    return (current - baseline) / (target - baseline)
