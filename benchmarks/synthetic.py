"""The synthetic 1,000-question questionnaire the export benchmarks share."""

from __future__ import annotations

from vciso.questionnaire import Questionnaire, questionnaire_from_dict


def synthetic(sections: int = 10, per_section: int = 100) -> Questionnaire:
    scale = {"id": "m", "name": "Maturity 0-5", "pass_threshold": 3,
             "levels": [{"value": v, "label": label, "description": f"Level {v}: {label.lower()} practice."}
                        for v, label in enumerate(("Not performed", "Initial", "Repeatable", "Defined",
                                                   "Managed", "Optimised"))]}
    return questionnaire_from_dict({
        "id": "bench-1000", "title": "Benchmark 1,000", "version": "1", "default_target": 3,
        "aggregation": "weighted_mean", "scales": [scale],
        "sections": [{"id": f"S{s:02d}", "title": f"Section {s}", "questions": [
            {"id": f"S{s:02d}-{i:03d}", "title": f"Control {s}.{i}",
             "text": f"Is control {s}.{i} defined, implemented and reviewed across the organisation?",
             "guidance": "Ask for the written procedure, the owner, and evidence of the last review.",
             "recommendation": f"Write down control {s}.{i}, name an owner, and review it twice a year.",
             "effort": 1 + i % 3, "criticality": 1 + i % 4} for i in range(per_section)]}
            for s in range(sections)]})
