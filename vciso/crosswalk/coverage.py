"""Coverage: how one assessment stands against another framework, through chains of mappings.

For every requirement of the target framework the answers that reach it through the mappings (every
chain from the assessment's questionnaire to the framework) give:

- the **level**: the weakest (lowest) of the answers that reach it, for every relationship — for
  `equal`/`subset-of` chains that is the weakest link, and for `superset-of` and `intersects-with` we
  cannot tell which part of a broader answer is the weak one, so the lowest is again the only figure that
  never overstates; `no-relationship` entries carry nothing. Levels are normalised 0..1 by each
  question's scale and shown on the assessment's own scale;
- the **target**: the highest target among those answers;
- the **confidence**: `full` when every chain to it is made of `equal`/`superset-of` steps, `partial`
  otherwise, `none` when nothing reaches it (unmapped);
- the **status**: `met` only with full confidence, every answer that reaches it answered, and the level
  at or above the target; `below` when the level is under the target; `partial` when the level is at
  target but the mapping is partial (never shown as met); `incomplete` when some answers are still
  unanswered; `unanswered`, `na` (every answer that reaches it is N/A: excluded from the shares, and
  said) and `unmapped`.

Totals per target section and overall: the share of applicable requirements covered (with a level),
and the share met.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Mapping as TMapping

from vciso.crosswalk.ids import key, section_of
from vciso.crosswalk.model import FULL_RELATIONSHIPS, Mapping
from vciso.errors import FrameworkNotFound
from vciso.scoring import ItemScore, score_items

if TYPE_CHECKING:
    from vciso.crosswalk.store import MappingLibrary
    from vciso.library import Library
    from vciso.questionnaire import Questionnaire
    from vciso.responses import Response

STATUSES = ("met", "below", "partial", "incomplete", "unanswered", "na", "unmapped")
STATUS_LABELS = {"met": "Met", "below": "Below target", "partial": "At target, partial mapping",
                 "incomplete": "Not all answered", "unanswered": "Not answered", "na": "Not applicable",
                 "unmapped": "Not mapped"}
CONFIDENCE_LABELS = {"full": "Full", "partial": "Partial", "none": "None"}
_EPSILON = 1e-9


@dataclass(frozen=True)
class SourceAnswer:
    """One answer of the assessment that reaches a requirement, and how it gets there."""

    question_id: str
    title: str
    status: str  # "answered" | "na" | "unanswered"
    level: float | None  # as answered, on the question's own scale
    target: float
    level_label: str
    na_reason: str
    relationship: str  # the relationship of the whole chain
    path: tuple[str, ...]  # the ids of the mappings it went through (empty: the question is the requirement)
    full: bool


@dataclass(frozen=True)
class RequirementCoverage:
    id: str
    title: str
    section_id: str
    section_title: str
    status: str
    confidence: str  # "full" | "partial" | "none"
    level: float | None  # on the coverage's scale
    target: float | None
    level_norm: float | None
    target_norm: float | None
    sources: tuple[SourceAnswer, ...] = ()

    @property
    def met(self) -> bool:
        return self.status == "met"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def na_sources(self) -> int:
        return sum(1 for s in self.sources if s.status == "na")


@dataclass(frozen=True)
class CoverageTotals:
    total: int
    not_applicable: int
    unmapped: int
    covered: int  # applicable requirements with a level
    full: int  # applicable requirements reached with full confidence
    partial: int  # applicable requirements reached with partial confidence
    counts: dict[str, int] = field(default_factory=dict)  # per status

    @property
    def applicable(self) -> int:
        return self.total - self.not_applicable

    @property
    def met(self) -> int:
        return self.counts.get("met", 0)

    @property
    def covered_share(self) -> float | None:
        return self.covered / self.applicable if self.applicable else None

    @property
    def met_share(self) -> float | None:
        return self.met / self.applicable if self.applicable else None


@dataclass(frozen=True)
class SectionCoverage:
    id: str
    title: str
    totals: CoverageTotals
    requirements: tuple[RequirementCoverage, ...]


@dataclass(frozen=True)
class Coverage:
    """An assessment's coverage of one framework."""

    framework_id: str
    framework_title: str
    source_id: str
    source_title: str
    source_version: str
    mappings: tuple[str, ...]  # the mappings of every chain used, in order of first use
    sections: tuple[SectionCoverage, ...]
    totals: CoverageTotals
    scale_min: float
    scale_max: float
    notes: tuple[str, ...] = ()

    def requirements(self) -> list[RequirementCoverage]:
        return [r for s in self.sections for r in s.requirements]

    def requirement(self, requirement_id: str) -> RequirementCoverage | None:
        return next((r for r in self.requirements() if r.id == requirement_id), None)

    @property
    def title(self) -> str:
        return f"Coverage of {self.framework_title}"


# --------------------------------------------------------------------------- target frameworks


@dataclass(frozen=True)
class TargetFramework:
    """What coverage is computed against: requirements grouped in sections, and the framework id the
    mappings know it by (`node`)."""

    id: str
    title: str
    node: str
    sections: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]  # (id, title, ((req id, title), ...))
    note: str = ""


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple:
    return tuple(int(p) if i % 2 else p for i, p in enumerate(_DIGITS.split(text)))


def _targets_of(mappings: Iterable[Mapping], node: str) -> list[str]:
    found: dict[str, str] = {}
    for mapping in mappings:
        if mapping.target_id == node:
            for target in mapping.target_ids():
                found.setdefault(key(target), target)
    return sorted(found.values(), key=_natural)


def resolve_framework(framework: str, library: Library | None, mappings: MappingLibrary) -> TargetFramework:
    """The framework asked for: a questionnaire of the library (its questions, by top-level section), or
    a framework known only through mappings (the ids they name, grouped by prefix). A questionnaire whose
    id extends a mapped framework's (`nist-sp-800-53-r5-moderate` of `nist-sp-800-53-r5`) is read as a
    selection of it. FrameworkNotFound otherwise, naming the frameworks there are."""
    from vciso.errors import QuestionnaireNotFound

    known = mappings.frameworks()
    questionnaire = None
    if library is not None:
        try:
            questionnaire = library.get(framework)
        except QuestionnaireNotFound:
            questionnaire = None
    if questionnaire is not None:
        node, note = questionnaire.id, ""
        if node not in known:
            base = max((f for f in known if node.startswith(f + "-")), key=len, default="")
            if base:
                ids = {key(t) for t in _targets_of(mappings.mappings, base)}
                if any(key(loc.question.id) in ids for loc in questionnaire.locations):
                    node = base
                    note = (f"{questionnaire.title} is read as a selection of {mappings.framework_title(base)} "
                            f"({base}): its {questionnaire.question_count} requirements are matched by id")
        sections: dict[str, tuple[str, list[tuple[str, str]]]] = {}
        for loc in questionnaire.locations:
            domain = loc.domain
            sections.setdefault(domain.id, (domain.title, []))[1].append(
                (loc.question.id, loc.question.title or loc.question.text.split("\n", 1)[0][:120]))
        return TargetFramework(questionnaire.id, questionnaire.title, node,
                               tuple((sid, title, tuple(reqs)) for sid, (title, reqs) in sections.items()), note)
    if framework in known:
        ids = _targets_of(mappings.mappings, framework)
        if not ids:
            raise FrameworkNotFound(f"'{framework}' is only ever the source of a mapping; coverage needs a "
                                    f"framework that mappings lead to")
        grouped: dict[str, list[tuple[str, str]]] = {}
        for ident in ids:
            grouped.setdefault(section_of(ident), []).append((ident, ""))
        return TargetFramework(framework, mappings.framework_title(framework), framework,
                               tuple((sid, sid, tuple(reqs)) for sid, reqs in grouped.items()))
    choices = sorted(set(known) | ({q.id for q in library.questionnaires()} if library else set()))
    raise FrameworkNotFound(f"no framework '{framework}' in the library or the mappings (known: "
                            f"{', '.join(choices) or 'none'})")


# --------------------------------------------------------------------------- chains


def compose(first: str, second: str) -> str:
    """The relationship of a chain of two steps (source → middle → target)."""
    if first == "equal":
        return second
    if second == "equal" or first == second:
        return first
    return "intersects-with"


@dataclass(frozen=True)
class _Reach:
    question_id: str
    relationship: str
    path: tuple[str, ...]


def _step(reached: dict[str, list[_Reach]], mapping: Mapping) -> dict[str, list[_Reach]]:
    out: dict[str, list[_Reach]] = {}
    for entry in mapping.entries:
        if entry.relationship == "no-relationship":
            continue
        for reach in reached.get(key(entry.source), ()):
            out.setdefault(key(entry.target), []).append(
                _Reach(reach.question_id, compose(reach.relationship, entry.relationship),
                       reach.path + (mapping.id,)))
    return out


def chains(start: str, goal: str, mappings: tuple[Mapping, ...]) -> list[tuple[Mapping, ...]]:
    """Every chain of mappings from `start` to `goal` (none visits a framework twice)."""
    by_source: dict[str, list[Mapping]] = {}
    for mapping in mappings:
        by_source.setdefault(mapping.source_id, []).append(mapping)
    found: list[tuple[Mapping, ...]] = []

    def walk(node: str, path: tuple[Mapping, ...], visited: frozenset[str]) -> None:
        if node == goal:
            found.append(path)
            return
        for mapping in by_source.get(node, ()):
            if mapping.target_id not in visited:
                walk(mapping.target_id, path + (mapping,), visited | {mapping.target_id})

    walk(start, (), frozenset({start}))
    return found


# --------------------------------------------------------------------------- coverage


def compute_coverage(questionnaire: Questionnaire, responses: TMapping[str, Response], target: TargetFramework,
                     mappings: MappingLibrary, assessment_target: float | None = None) -> Coverage:
    """The assessment's coverage of `target` (see the module docstring for the rules)."""
    found = chains(questionnaire.id, target.node, mappings.mappings)
    if not found:
        raise FrameworkNotFound(f"no chain of mappings leads from {questionnaire.title} ({questionnaire.id}) to "
                                f"{target.title} ({target.node}); mappings known: "
                                f"{', '.join(m.id for m in mappings.mappings) or 'none'}")
    start = {key(loc.question.id): [_Reach(loc.question.id, "equal", ())] for loc in questionnaire.locations}
    reached: dict[str, list[_Reach]] = {}
    used: dict[str, None] = {}
    notes: list[str] = []
    for chain in found:
        here = start
        for mapping in chain:
            used[mapping.id] = None
            here = _step(here, mapping)
        for target_key, reaches in here.items():
            reached.setdefault(target_key, []).extend(reaches)
    for chain in found:
        first = chain[0] if chain else None
        if first and first.source_version and not questionnaire.version.startswith(first.source_version):
            notes.append(f"{first.title} was written for version {first.source_version} of {questionnaire.id}; "
                         f"this assessment uses version {questionnaire.version}")
        if first:
            unknown = [s for s in first.source_ids() if questionnaire.question(s) is None
                       and not any(key(s) == key(loc.question.id) for loc in questionnaire.locations)]
            if unknown:
                notes.append(f"{len(unknown)} source id(s) of {first.id} are not questions of this assessment "
                             f"(e.g. {', '.join(unknown[:3])}) and reach nothing")
    if target.note:
        notes.insert(0, target.note)
    items = score_items(questionnaire, responses, assessment_target)
    scale = questionnaire.default_scale
    sections = []
    for section_id, section_title, requirements in target.sections:
        rows = tuple(_requirement(rid, title, section_id, section_title, reached.get(key(rid), ()), questionnaire,
                                  items, responses, scale)
                     for rid, title in requirements)
        sections.append(SectionCoverage(section_id, section_title, _totals(rows), rows))
    all_rows = [r for s in sections for r in s.requirements]
    totals = _totals(all_rows)
    na_answers = sum(1 for item in items.values() if item.status == "na")
    if totals.not_applicable or na_answers:
        from vciso.numbers import plural

        note = f"{plural(na_answers, 'answer')} marked N/A left out of every level"
        if totals.not_applicable:
            note += (f"; {plural(totals.not_applicable, 'requirement')} reached only by N/A answers excluded from "
                     f"the shares")
        notes.append(note)
    return Coverage(target.id, target.title, questionnaire.id, questionnaire.title, questionnaire.version,
                    tuple(used), tuple(sections), totals, scale.min_value, scale.max_value,
                    tuple(dict.fromkeys(notes)))


def _requirement(rid: str, title: str, section_id: str, section_title: str, reaches: Iterable[_Reach],
                 questionnaire: Questionnaire, items: dict[str, ItemScore], responses: TMapping[str, Response],
                 scale) -> RequirementCoverage:  # type: ignore[no-untyped-def]
    sources: dict[tuple[str, tuple[str, ...]], SourceAnswer] = {}
    norms: list[tuple[SourceAnswer, ItemScore]] = []
    for reach in reaches:
        ident = (reach.question_id, reach.path)
        if ident in sources:
            continue
        item = items[reach.question_id]
        question = questionnaire.question(reach.question_id)
        qscale = questionnaire.scale_for(question)  # type: ignore[arg-type]
        response = responses.get(reach.question_id)
        answer = SourceAnswer(reach.question_id, question.title or question.text.split("\n", 1)[0][:120],  # type: ignore[union-attr]
                              item.status, item.current, item.target, qscale.label(item.current),
                              response.na_reason if response is not None and item.status == "na" else "",
                              reach.relationship, reach.path, reach.relationship in FULL_RELATIONSHIPS)
        sources[ident] = answer
        norms.append((answer, item))
    if not norms:
        return RequirementCoverage(rid, title, section_id, section_title, "unmapped", "none", None, None, None, None)
    applicable = [(a, i) for a, i in norms if i.status != "na"]
    judged = applicable or norms
    confidence = "full" if all(a.full for a, _ in judged) else "partial"
    ordered = tuple(a for a, _ in sorted(norms, key=lambda pair: (pair[1].status != "answered",
                                                                   pair[1].current_norm or 0.0)))
    if not applicable:
        return RequirementCoverage(rid, title, section_id, section_title, "na", confidence, None, None, None, None,
                                   ordered)
    answered = [i for _, i in applicable if i.status == "answered"]
    target_norm = max(i.target_norm for _, i in applicable)
    if not answered:
        return RequirementCoverage(rid, title, section_id, section_title, "unanswered", confidence, None,
                                   scale.denormalise(target_norm), None, target_norm, ordered)
    level_norm = min(i.current_norm for i in answered)  # type: ignore[type-var]
    if level_norm + _EPSILON < target_norm:
        status = "below"
    elif len(answered) < len(applicable):
        status = "incomplete"
    elif confidence != "full":
        status = "partial"
    else:
        status = "met"
    return RequirementCoverage(rid, title, section_id, section_title, status, confidence,
                               scale.denormalise(level_norm), scale.denormalise(target_norm), level_norm,
                               target_norm, ordered)


def _totals(rows: Iterable[RequirementCoverage]) -> CoverageTotals:
    rows = list(rows)
    counts = {status: 0 for status in STATUSES}
    for row in rows:
        counts[row.status] += 1
    applicable = [r for r in rows if r.status != "na"]
    return CoverageTotals(
        total=len(rows), not_applicable=counts["na"], unmapped=counts["unmapped"],
        covered=sum(1 for r in applicable if r.level is not None),
        full=sum(1 for r in applicable if r.confidence == "full"),
        partial=sum(1 for r in applicable if r.confidence == "partial"),
        counts=counts)
