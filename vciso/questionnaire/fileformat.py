"""Our file format: a `Questionnaire` as plain data; `questionnaire_from_dict` reads it back.

The dict is what assessments snapshot into client files and what importers write as YAML.
"""

from __future__ import annotations

from typing import Any

from vciso.questionnaire.model import FORMAT_ID, Question, Questionnaire, Scale, Section


def plain_number(value: float) -> int | float:
    """A number as a file should hold it: 3 rather than 3.0, 0.25 as is."""
    return int(value) if float(value).is_integer() else value


def _scale_to_dict(scale: Scale) -> dict:
    out: dict[str, Any] = {"id": scale.id, "name": scale.name, "levels": [
        {"value": plain_number(level.value), "label": level.label, "description": level.description}
        for level in scale.levels]}
    if scale.pass_threshold is not None:
        out["pass_threshold"] = plain_number(scale.pass_threshold)
    if not scale.na_allowed:
        out["na_allowed"] = False
    return out


def _question_to_dict(question: Question, default_scale: str) -> dict:
    out: dict[str, Any] = {"id": question.id, "text": question.text}
    if question.title:
        out["title"] = question.title
    for key in ("guidance", "recommendation"):
        if getattr(question, key):
            out[key] = getattr(question, key)
    if question.descriptors:
        out["levels"] = {plain_number(k): v for k, v in question.descriptors.items()}
    if question.weight != 1.0:
        out["weight"] = plain_number(question.weight)
    out["criticality"] = question.criticality
    out["effort"] = question.effort
    if question.tags:
        out["tags"] = list(question.tags)
    if question.references:
        out["references"] = list(question.references)
    if question.scale_id and question.scale_id != default_scale:
        out["scale"] = question.scale_id
    if question.target is not None:
        out["target"] = plain_number(question.target)
    if question.stage is not None:
        out["stage"] = question.stage
    return out


def _section_to_dict(section: Section, default_scale: str) -> dict:
    out: dict[str, Any] = {"id": section.id, "title": section.title}
    if section.description:
        out["description"] = section.description
    if section.weight != 1.0:
        out["weight"] = plain_number(section.weight)
    if section.questions:
        out["questions"] = [_question_to_dict(q, default_scale) for q in section.questions]
    if section.sections:
        out["sections"] = [_section_to_dict(s, default_scale) for s in section.sections]
    return out


def questionnaire_to_dict(questionnaire: Questionnaire) -> dict:
    """The questionnaire as plain data in our file format; questionnaire_from_dict reads it back."""
    out: dict[str, Any] = {
        "format": FORMAT_ID,
        "id": questionnaire.id,
        "title": questionnaire.title,
        "version": questionnaire.version,
        "description": questionnaire.description,
        "source": questionnaire.source,
        "licence": questionnaire.licence,
        "aggregation": questionnaire.aggregation,
        "default_scale": questionnaire.default_scale_id,
        "scales": [_scale_to_dict(s) for s in questionnaire.scales.values()],
        "sections": [_section_to_dict(s, questionnaire.default_scale_id) for s in questionnaire.sections],
    }
    if questionnaire.default_target is not None:
        out["default_target"] = plain_number(questionnaire.default_target)
    if questionnaire.tag_definitions:
        out["tags"] = [{k: v for k, v in (("id", d.id), ("name", d.name), ("description", d.description)) if v}
                       for d in questionnaire.tag_definitions]
    return out
