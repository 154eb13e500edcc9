"""The questionnaire model: scales, sections and questions as plain, immutable dataclasses.

Building one from a file's data is `validation.py`'s job; writing it back is `fileformat.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from vciso.numbers import format_value  # noqa: F401 - also re-exported by vciso.questionnaire

FORMAT_ID = "vciso-questionnaire/1"
AGGREGATIONS = ("mean", "weighted_mean", "min", "staged")
EFFORT_NAMES = {"low": 1, "medium": 2, "high": 3}
CRITICALITY_NAMES = {"low": 1, "medium": 2, "high": 3, "critical": 4}
LINE_KEY = "__line__"  # added by the YAML loader to every mapping, stripped by validation


@dataclass(frozen=True)
class Level:
    value: float
    label: str
    description: str = ""


@dataclass(frozen=True)
class Scale:
    id: str
    name: str
    levels: tuple[Level, ...]
    pass_threshold: float | None = None
    na_allowed: bool = True

    @property
    def min_value(self) -> float:
        return self.levels[0].value

    @property
    def max_value(self) -> float:
        return self.levels[-1].value

    def normalise(self, value: float) -> float:
        """Map a level value onto 0..1 so questionnaires with different scales compare."""
        span = self.max_value - self.min_value
        return 0.0 if span == 0 else (value - self.min_value) / span

    def denormalise(self, fraction: float) -> float:
        return self.min_value + fraction * (self.max_value - self.min_value)

    def level(self, value: float) -> Level | None:
        for level in self.levels:
            if level.value == value:
                return level
        return None

    def level_by_label(self, label: str) -> Level | None:
        wanted = label.strip().casefold()
        for level in self.levels:
            if level.label.casefold() == wanted:
                return level
        return None

    def label(self, value: float | None) -> str:
        if value is None:
            return ""
        level = self.level(value)
        return level.label if level else format_value(value)

    def meets_threshold(self, value: float) -> bool:
        threshold = self.pass_threshold if self.pass_threshold is not None else self.max_value
        return value >= threshold


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    guidance: str = ""
    recommendation: str = ""
    descriptors: dict[float, str] = field(default_factory=dict)
    weight: float = 1.0
    criticality: int = 2
    effort: int = 2
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    scale_id: str = ""
    target: float | None = None
    stage: int | None = None
    title: str = ""

    def descriptor(self, level: Level) -> str:
        """The description of a level for this question: its own descriptor, else the scale's."""
        return self.descriptors.get(level.value) or level.description


@dataclass(frozen=True)
class TagDefinition:
    """A tag the questionnaire names, e.g. an implementation group: IG1, "Basic cyber hygiene"."""

    id: str
    name: str = ""
    description: str = ""

    @property
    def label(self) -> str:
        return f"{self.id} — {self.name}" if self.name and self.name != self.id else self.id


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    description: str = ""
    weight: float = 1.0
    sections: tuple["Section", ...] = ()
    questions: tuple[Question, ...] = ()

    def iter_questions(self) -> Iterator[Question]:
        yield from self.questions
        for child in self.sections:
            yield from child.iter_questions()

    def iter_sections(self) -> Iterator["Section"]:
        yield self
        for child in self.sections:
            yield from child.iter_sections()


@dataclass(frozen=True)
class QuestionLocation:
    """Where a question sits: the path of sections from the top-level domain down."""

    question: Question
    path: tuple[Section, ...]

    @property
    def domain(self) -> Section:
        return self.path[0]

    @property
    def section(self) -> Section:
        return self.path[-1]

    @property
    def effective_weight(self) -> float:
        weight = self.question.weight
        for section in self.path:
            weight *= section.weight
        return weight


@dataclass(frozen=True)
class Questionnaire:
    id: str
    title: str
    version: str
    scales: dict[str, Scale]
    default_scale_id: str
    sections: tuple[Section, ...]
    description: str = ""
    source: str = ""
    licence: str = ""
    default_target: float | None = None
    aggregation: str = "mean"
    tag_definitions: tuple[TagDefinition, ...] = ()
    locations: tuple[QuestionLocation, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.locations:
            object.__setattr__(self, "locations", tuple(_locate(self.sections, ())))
        object.__setattr__(self, "_index", {loc.question.id: loc for loc in self.locations})

    @property
    def default_scale(self) -> Scale:
        return self.scales[self.default_scale_id]

    @property
    def question_count(self) -> int:
        return len(self.locations)

    def questions(self) -> list[Question]:
        return [loc.question for loc in self.locations]

    def location(self, question_id: str) -> QuestionLocation | None:
        return self._index.get(question_id)  # type: ignore[attr-defined]

    def question(self, question_id: str) -> Question | None:
        loc = self.location(question_id)
        return loc.question if loc else None

    def scale_for(self, question: Question) -> Scale:
        return self.scales.get(question.scale_id) or self.default_scale

    def target_for(self, question: Question, assessment_target: float | None = None) -> float:
        """A question's target: its own, else the assessment's, else the questionnaire's, else max."""
        scale = self.scale_for(question)
        for candidate in (question.target, assessment_target, self.default_target):
            if candidate is not None:
                return min(max(candidate, scale.min_value), scale.max_value)
        return scale.max_value

    def iter_sections(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.iter_sections()

    def tags(self) -> list[str]:
        """Every tag its questions carry: the defined ones first (in their order), then the rest A-Z."""
        used = {tag for loc in self.locations for tag in loc.question.tags}
        defined = [d.id for d in self.tag_definitions if d.id in used]
        return defined + sorted(used - set(defined), key=str.casefold)

    def tag_label(self, tag: str) -> str:
        """A tag as a person reads it: 'IG1 — Basic cyber hygiene' when the questionnaire names it."""
        for definition in self.tag_definitions:
            if definition.id == tag:
                return definition.label
        return tag


def _locate(sections: tuple[Section, ...], path: tuple[Section, ...]) -> Iterator[QuestionLocation]:
    for section in sections:
        here = path + (section,)
        for question in section.questions:
            yield QuestionLocation(question, here)
        yield from _locate(section.sections, here)


