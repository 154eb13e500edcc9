"""Small questionnaires and helpers shared by the core tests (no Qt)."""

from __future__ import annotations

from vciso.questionnaire import Questionnaire, questionnaire_from_dict


def scale_0_5(scale_id: str = "m", threshold: float | None = 3) -> dict:
    scale = {"id": scale_id, "name": "Maturity 0-5",
             "levels": [{"value": v, "label": f"L{v}", "description": f"level {v}"} for v in range(6)]}
    if threshold is not None:
        scale["pass_threshold"] = threshold
    return scale


def worked_example_questionnaire(aggregation: str = "mean") -> Questionnaire:
    """docs/scoring.md's worked example: scale 0..5, target 3, section A (4 questions) and B (2)."""
    return questionnaire_from_dict({
        "id": "worked", "title": "Worked example", "version": "1", "default_target": 3,
        "aggregation": aggregation, "scales": [scale_0_5()],
        "sections": [
            {"id": "A", "title": "Section A", "questions": [
                {"id": "A1", "text": "a1", "effort": "low", "criticality": "high"},
                {"id": "A2", "text": "a2"}, {"id": "A3", "text": "a3"}, {"id": "A4", "text": "a4"}]},
            {"id": "B", "title": "Section B", "questions": [
                {"id": "B1", "text": "b1"}, {"id": "B2", "text": "b2", "effort": "high"}]},
        ],
    })


def synthetic_questionnaire(sections: int, per_section: int, subsections: int = 1) -> Questionnaire:
    """A large questionnaire for benchmarks and scale tests."""
    def questions(prefix: str, count: int) -> list[dict]:
        return [{"id": f"{prefix}-{i:04d}", "text": f"Question {prefix} {i}", "guidance": "g",
                 "recommendation": "r", "effort": 1 + i % 3, "criticality": 1 + i % 4} for i in range(count)]
    per_sub = per_section // subsections
    data = {"id": "synthetic", "title": "Synthetic", "version": "1", "default_target": 3,
            "aggregation": "weighted_mean", "scales": [scale_0_5()],
            "sections": [{"id": f"S{s}", "title": f"Section {s}", "sections": [
                {"id": f"S{s}.{u}", "title": f"Subsection {s}.{u}", "questions": questions(f"S{s}.{u}", per_sub)}
                for u in range(subsections)]} for s in range(sections)]}
    return questionnaire_from_dict(data)
