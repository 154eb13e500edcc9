"""Validation: loaded data (YAML, JSON, an importer's output) in, a `Questionnaire` out.

`questionnaire_from_dict` raises `QuestionnaireError` listing every problem with its place (line or
item id), so a consultant can fix a file in one pass.
"""

from __future__ import annotations

from typing import Any

from vciso.errors import QuestionnaireError
from vciso.questionnaire.model import (AGGREGATIONS, CRITICALITY_NAMES, EFFORT_NAMES, FORMAT_ID, LINE_KEY,
                                       Level, Question, Questionnaire, Scale, Section, TagDefinition,
                                       format_value)


class _Problems:
    """Collects located problems while walking the data."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)


def _where(data: Any, label: str) -> str:
    line = data.get(LINE_KEY) if isinstance(data, dict) else None
    return f"line {line}, {label}" if line else label


def _text(data: dict, key: str, where: str, problems: _Problems, required: bool = False) -> str:
    value = data.get(key)
    if value is None:
        if required:
            problems.add(where, f"'{key}' is required")
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = format_value(value) if isinstance(value, float) else str(value)
    if not isinstance(value, str):
        problems.add(where, f"'{key}' must be text, not {type(value).__name__}")
        return ""
    value = value.strip()
    if required and not value:
        problems.add(where, f"'{key}' must not be empty")
    return value


def _number(data: dict, key: str, where: str, problems: _Problems, default: float | None,
            minimum: float | None = None) -> float | None:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.add(where, f"'{key}' must be a number, not {value!r}")
        return default
    if minimum is not None and value < minimum:
        problems.add(where, f"'{key}' must be at least {format_value(minimum)}, not {format_value(value)}")
        return default
    return float(value)


def _named_int(data: dict, key: str, names: dict[str, int], where: str, problems: _Problems,
               default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, str) and value.strip().lower() in names:
        return names[value.strip().lower()]
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= max(names.values()):
        return value
    allowed = ", ".join(names)
    problems.add(where, f"'{key}' must be one of {allowed} (or 1-{max(names.values())}), not {value!r}")
    return default


def _string_list(data: dict, key: str, where: str, problems: _Problems) -> tuple[str, ...]:
    value = data.get(key, [])
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        problems.add(where, f"'{key}' must be a list of text")
        return ()
    return tuple(str(v) for v in value)


def _check_keys(data: dict, allowed: set[str], where: str, problems: _Problems) -> None:
    for key in data:
        if key != LINE_KEY and key not in allowed:
            problems.add(where, f"unknown field '{key}'")


def _parse_scale(data: Any, index: int, problems: _Problems) -> Scale | None:
    if not isinstance(data, dict):
        problems.add(f"scale #{index + 1}", "must be a mapping")
        return None
    scale_id = _text(data, "id", _where(data, f"scale #{index + 1}"), problems, required=True)
    where = _where(data, f"scale '{scale_id or index + 1}'")
    _check_keys(data, {"id", "name", "levels", "pass_threshold", "na_allowed"}, where, problems)
    raw_levels = data.get("levels")
    if not isinstance(raw_levels, list) or len(raw_levels) < 2:
        problems.add(where, "'levels' must list at least two levels")
        return None
    levels: list[Level] = []
    for position, raw in enumerate(raw_levels):
        level_where = _where(raw, f"scale '{scale_id}' level #{position + 1}")
        if not isinstance(raw, dict):
            problems.add(level_where, "must be a mapping with value, label and description")
            continue
        _check_keys(raw, {"value", "label", "description"}, level_where, problems)
        value = _number(raw, "value", level_where, problems, None)
        if value is None:
            problems.add(level_where, "'value' is required")
            continue
        label = _text(raw, "label", level_where, problems, required=True)
        levels.append(Level(value, label, _text(raw, "description", level_where, problems)))
    values = [level.value for level in levels]
    if values != sorted(values) or len(set(values)) != len(values):
        problems.add(where, "level values must be distinct and in increasing order")
    labels = [level.label.casefold() for level in levels]
    if len(set(labels)) != len(labels):
        problems.add(where, "level labels must be distinct")
    threshold = _number(data, "pass_threshold", where, problems, None)
    if threshold is not None and values and not (values[0] <= threshold <= values[-1]):
        problems.add(where, f"'pass_threshold' {format_value(threshold)} is outside the scale")
    na_allowed = data.get("na_allowed", True)
    if not isinstance(na_allowed, bool):
        problems.add(where, "'na_allowed' must be true or false")
        na_allowed = True
    if len(levels) < 2:
        return None
    return Scale(scale_id, _text(data, "name", where, problems) or scale_id, tuple(levels),
                 threshold, na_allowed)


_QUESTION_KEYS = {"id", "text", "title", "guidance", "recommendation", "levels", "weight", "criticality",
                  "effort", "tags", "references", "scale", "target", "stage"}
_SECTION_KEYS = {"id", "title", "description", "weight", "sections", "questions"}


class _Builder:
    def __init__(self, scales: dict[str, Scale], default_scale: str, problems: _Problems):
        self.scales = scales
        self.default_scale = default_scale
        self.problems = problems
        self.question_ids: set[str] = set()
        self.section_ids: set[str] = set()

    def _item(self, data: Any, label: str, kind: str, shape: str, keys: set[str],
              seen: set[str]) -> tuple[str, str] | None:
        """The id and place of a section or question mapping, keys and id checked; None if not a mapping."""
        if not isinstance(data, dict):
            self.problems.add(label, f"must be a mapping with {shape}")
            return None
        item_id = _text(data, "id", _where(data, label), self.problems, required=True)
        where = _where(data, f"{kind} '{item_id}'" if item_id else label)
        _check_keys(data, keys, where, self.problems)
        if item_id in seen:
            self.problems.add(where, f"{kind} id '{item_id}' is used twice")
        seen.add(item_id)
        return item_id, where

    def section(self, data: Any, label: str) -> Section | None:
        problems = self.problems
        found = self._item(data, label, "section", "id, title and questions or sections", _SECTION_KEYS,
                           self.section_ids)
        if found is None:
            return None
        section_id, where = found
        title = _text(data, "title", where, problems, required=True)
        children = self._list(data, "sections", where)
        questions_data = self._list(data, "questions", where)
        sections = tuple(s for i, raw in enumerate(children)
                         if (s := self.section(raw, f"{where} > section #{i + 1}")) is not None)
        questions = tuple(q for i, raw in enumerate(questions_data)
                          if (q := self.question(raw, f"{where} > question #{i + 1}")) is not None)
        if not children and not questions_data:
            problems.add(where, "has neither questions nor sections")
        weight = _number(data, "weight", where, problems, 1.0, minimum=0) or 0.0
        return Section(section_id, title, _text(data, "description", where, problems), weight,
                       sections, questions)

    def _list(self, data: dict, key: str, where: str) -> list:
        value = data.get(key) or []
        if not isinstance(value, list):
            self.problems.add(where, f"'{key}' must be a list")
            return []
        return value

    def question(self, data: Any, label: str) -> Question | None:
        problems = self.problems
        found = self._item(data, label, "question", "id and text", _QUESTION_KEYS, self.question_ids)
        if found is None:
            return None
        question_id, where = found
        scale_id = _text(data, "scale", where, problems) or self.default_scale
        scale = self.scales.get(scale_id)
        if scale is None:
            problems.add(where, f"unknown scale '{scale_id}'")
        descriptors: dict[float, str] = {}
        raw_levels = data.get("levels") or {}
        if not isinstance(raw_levels, dict):
            problems.add(where, "'levels' must map level values to descriptions")
            raw_levels = {}
        for key, text in raw_levels.items():
            if key == LINE_KEY:
                continue
            try:
                value = float(key)
            except (TypeError, ValueError):
                problems.add(where, f"level descriptor key {key!r} is not a level value")
                continue
            if scale and scale.level(value) is None:
                problems.add(where, f"level descriptor {format_value(value)} is not on scale '{scale.id}'")
            if not isinstance(text, str) or not text.strip():
                problems.add(where, f"level descriptor {format_value(value)} must be non-empty text")
                continue
            descriptors[value] = text.strip()
        target = _number(data, "target", where, problems, None)
        if target is not None and scale and scale.level(target) is None:
            problems.add(where, f"target {format_value(target)} is not a level of scale '{scale.id}'")
        stage = data.get("stage")
        if stage is not None and (isinstance(stage, bool) or not isinstance(stage, int) or stage < 0):
            problems.add(where, f"'stage' must be a whole number, not {stage!r}")
            stage = None
        return Question(
            id=question_id,
            text=_text(data, "text", where, problems, required=True),
            title=_text(data, "title", where, problems),
            guidance=_text(data, "guidance", where, problems),
            recommendation=_text(data, "recommendation", where, problems),
            descriptors=descriptors,
            weight=_number(data, "weight", where, problems, 1.0, minimum=0) or 0.0,
            criticality=_named_int(data, "criticality", CRITICALITY_NAMES, where, problems, 2),
            effort=_named_int(data, "effort", EFFORT_NAMES, where, problems, 2),
            tags=_string_list(data, "tags", where, problems),
            references=_string_list(data, "references", where, problems),
            scale_id=scale_id,
            target=target,
            stage=stage,
        )


_TOP_KEYS = {"format", "id", "title", "version", "description", "source", "licence", "license",
             "scales", "default_scale", "default_target", "aggregation", "sections", "tags"}


def _tag_definitions(data: dict, where: str, problems: _Problems) -> tuple[TagDefinition, ...]:
    """The optional top-level `tags`: a list of {id, name, description} naming the tags questions carry."""
    raw = data.get("tags")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(where, "'tags' must be a list of tags, each with an id (and a name, a description)")
        return ()
    out: list[TagDefinition] = []
    for index, item in enumerate(raw):
        tag_where = _where(item, f"tag #{index + 1}")
        if isinstance(item, str) and item.strip():
            item = {"id": item}
        if not isinstance(item, dict):
            problems.add(tag_where, "must be a mapping with id, name and description")
            continue
        _check_keys(item, {"id", "name", "description"}, tag_where, problems)
        tag_id = _text(item, "id", tag_where, problems, required=True)
        if tag_id and any(d.id == tag_id for d in out):
            problems.add(tag_where, f"tag '{tag_id}' is defined twice")
            continue
        if tag_id:
            out.append(TagDefinition(tag_id, _text(item, "name", tag_where, problems),
                                     _text(item, "description", tag_where, problems)))
    return tuple(out)


def questionnaire_from_dict(data: Any, source: str = "questionnaire") -> Questionnaire:
    """Validate loaded data and build a Questionnaire, or raise QuestionnaireError with every problem."""
    problems = _Problems()
    if not isinstance(data, dict):
        raise QuestionnaireError(source, ["the file must hold a mapping (id, title, scales, sections)"])
    where = _where(data, "top level")
    _check_keys(data, _TOP_KEYS, where, problems)
    fmt = data.get("format", FORMAT_ID)
    if fmt != FORMAT_ID:
        problems.add(where, f"'format' must be '{FORMAT_ID}', not {fmt!r}")
    questionnaire_id = _text(data, "id", where, problems, required=True)
    if questionnaire_id and not all(c.isalnum() or c in "-_." for c in questionnaire_id):
        problems.add(where, "'id' may hold only letters, digits, '-', '_' and '.'")
    title = _text(data, "title", where, problems, required=True)
    version = _text(data, "version", where, problems, required=True)

    raw_scales = data.get("scales")
    scales: dict[str, Scale] = {}
    if not isinstance(raw_scales, list) or not raw_scales:
        problems.add(where, "'scales' must list at least one answer scale")
    else:
        for index, raw in enumerate(raw_scales):
            scale = _parse_scale(raw, index, problems)
            if scale is not None:
                if scale.id in scales:
                    problems.add(_where(raw, f"scale '{scale.id}'"), "scale id is used twice")
                scales[scale.id] = scale
    default_scale = _text(data, "default_scale", where, problems) or next(iter(scales), "")
    if scales and default_scale not in scales:
        problems.add(where, f"'default_scale' names unknown scale '{default_scale}'")

    aggregation = _text(data, "aggregation", where, problems) or "mean"
    if aggregation not in AGGREGATIONS:
        problems.add(where, f"'aggregation' must be one of {', '.join(AGGREGATIONS)}, not '{aggregation}'")
    default_target = _number(data, "default_target", where, problems, None)
    if default_target is not None and default_scale in scales:
        if scales[default_scale].level(default_target) is None:
            problems.add(where, f"'default_target' {format_value(default_target)} is not a level of "
                                f"scale '{default_scale}'")

    builder = _Builder(scales, default_scale, problems)
    raw_sections = data.get("sections")
    sections: list[Section] = []
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.add(where, "'sections' must list at least one section")
    else:
        for index, raw in enumerate(raw_sections):
            section = builder.section(raw, f"section #{index + 1}")
            if section is not None:
                sections.append(section)
    if sections and not builder.question_ids:
        problems.add(where, "the questionnaire has no questions")
    if aggregation == "staged" and builder.question_ids:
        for section in sections:
            if any(q.stage is None for q in section.iter_questions()):
                problems.add(f"section '{section.id}'", "staged aggregation needs a 'stage' on every question")
                break
    tag_definitions = _tag_definitions(data, where, problems)
    if problems.items:
        raise QuestionnaireError(source, problems.items)
    return Questionnaire(
        id=questionnaire_id, title=title, version=version, scales=scales,
        default_scale_id=default_scale, sections=tuple(sections),
        description=_text(data, "description", where, problems),
        source=_text(data, "source", where, problems),
        licence=_text(data, "licence", where, problems) or _text(data, "license", where, problems),
        default_target=default_target, aggregation=aggregation, tag_definitions=tag_definitions,
    )
