"""Crosswalks: mapping files between questionnaires and frameworks, chains of them, and coverage.

- `model`: the mapping file format (docs/mapping-format.md) and its validation;
- `store`: the mapping library (bundled + imported), cycles refused, import planned then applied;
- `coverage`: an assessment's coverage of a framework through every chain of mappings;
- `output`: coverage as the stable JSON of `vciso coverage --json`, which every screen's figures equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from vciso.crosswalk.coverage import (STATUS_LABELS, Coverage, CoverageTotals, RequirementCoverage, SectionCoverage,
                                      SourceAnswer, compute_coverage, resolve_framework)
from vciso.crosswalk.model import FORMAT_ID, RELATIONSHIPS, Mapping, MappingEntry, load_mapping_file, mapping_from_dict
from vciso.crosswalk.store import MappingLibrary, load_mappings

if TYPE_CHECKING:
    from vciso.clientfile import ClientFile
    from vciso.library import Library

__all__ = ["FORMAT_ID", "RELATIONSHIPS", "STATUS_LABELS", "Coverage", "CoverageTotals", "Mapping", "MappingEntry",
           "MappingLibrary", "RequirementCoverage", "SectionCoverage", "SourceAnswer", "assessment_coverage",
           "compute_coverage", "load_mapping_file", "load_mappings", "mapping_from_dict", "resolve_framework",
           "frameworks_for"]


def assessment_coverage(client: ClientFile, assessment_id: int | None, framework: str, library: Library,
                        mappings: MappingLibrary, tag: str | None = None) -> Coverage:
    """The coverage of `framework` by one assessment of a client (its snapshotted questionnaire and answers);
    with `tag`, by the answers to the questions carrying it only, as in a report scoped to that tag."""
    assessment = client.assessment(assessment_id)
    questionnaire = client.questionnaire(assessment.id)
    if tag:
        from vciso.scoring import questionnaire_for_tag

        questionnaire = questionnaire_for_tag(questionnaire, tag)
    target = resolve_framework(framework, library, mappings)
    return compute_coverage(questionnaire, client.responses(assessment.id), target, mappings,
                            assessment.default_target)


def frameworks_for(questionnaire_id: str, library: Library | None, mappings: MappingLibrary) -> list[tuple[str, str]]:
    """(id, title) of every framework an assessment of `questionnaire_id` can be shown against: each one
    a chain of mappings reaches, and each library questionnaire read as a selection of one of them."""
    from vciso.crosswalk.coverage import chains

    reachable = [f for f in mappings.frameworks() if f != questionnaire_id
                 and chains(questionnaire_id, f, mappings.mappings)]
    out = [(f, mappings.framework_title(f)) for f in reachable]
    if library is not None:
        for q in library.questionnaires():
            if q.id == questionnaire_id or q.id in reachable:
                if q.id in reachable:
                    out = [(i, q.title if i == q.id else t) for i, t in out]
                continue
            if any(q.id.startswith(f + "-") for f in reachable):
                out.append((q.id, q.title))
    return out
