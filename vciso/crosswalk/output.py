"""Coverage as data for `vciso coverage --json` (documented in the README) and as the figures every
screen shows: levels to one decimal and shares as whole percentages, rounded once by `vciso.numbers`."""

from __future__ import annotations

from typing import Any

from vciso import numbers as num
from vciso.crosswalk.coverage import Coverage, CoverageTotals, RequirementCoverage


def level(value: float | None) -> float | None:
    """A level as shown (one decimal, halves up); None when there is none."""
    return None if value is None else num.rounded(value, 1)


def share(value: float | None) -> float | None:
    """A share as shown (a whole percentage, as a fraction: 0.45); None when nothing is applicable."""
    return None if value is None else num.rounded_fraction(value)


def totals_json(totals: CoverageTotals) -> dict[str, Any]:
    return {"requirements": totals.total, "not_applicable": totals.not_applicable,
            "applicable": totals.applicable, "covered": totals.covered, "met": totals.met,
            "unmapped": totals.unmapped, "full_confidence": totals.full, "partial_confidence": totals.partial,
            "covered_share": share(totals.covered_share), "met_share": share(totals.met_share),
            "statuses": dict(totals.counts)}


def requirement_json(row: RequirementCoverage) -> dict[str, Any]:
    return {"id": row.id, "title": row.title, "status": row.status, "confidence": row.confidence,
            "level": level(row.level), "target": level(row.target),
            "sources": [{"question_id": s.question_id, "title": s.title, "status": s.status,
                         "level": s.level, "target": s.target, "level_label": s.level_label,
                         "na_reason": s.na_reason, "relationship": s.relationship, "via": list(s.path)}
                        for s in row.sources]}


def coverage_json(coverage: Coverage, client: str = "", assessment: dict | None = None) -> dict[str, Any]:
    """The stable JSON shape of a coverage (see README, `vciso coverage --json`)."""
    return {"client": client, "assessment": assessment or {},
            "source": {"id": coverage.source_id, "title": coverage.source_title, "version": coverage.source_version},
            "framework": {"id": coverage.framework_id, "title": coverage.framework_title},
            "mappings": list(coverage.mappings),
            "scale": {"min": coverage.scale_min, "max": coverage.scale_max},
            "totals": totals_json(coverage.totals),
            "sections": [{"id": s.id, "title": s.title, "totals": totals_json(s.totals),
                          "requirements": [requirement_json(r) for r in s.requirements]}
                         for s in coverage.sections],
            "notes": list(coverage.notes)}


def summary_line(totals: CoverageTotals) -> str:
    """One sentence of the totals, as every deliverable words it."""
    text = (f"{totals.covered} of {totals.applicable} applicable requirements covered "
            f"({num.percent(totals.covered_share)}), {totals.met} met ({num.percent(totals.met_share)})")
    if totals.not_applicable:
        text += f"; {totals.not_applicable} not applicable, excluded"
    return text
