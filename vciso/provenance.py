"""How an answer was established, and how much confidence that gives.

A consultant can say, per answer, how the level was established — from an interview, a document, by
observing the practice, or by testing it — and when the evidence is dated. The reports show the confidence
this gives beside the level, and flag evidence dated more than a year before the assessment (a policy
reviewed in 2023 says little about practice in 2025).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vciso.numbers import parse_date

# The ways of establishing an answer, weakest first, with the confidence each gives.
METHODS: dict[str, tuple[str, str]] = {
    "interview": ("Interview", "Low"),
    "document": ("Document review", "Medium"),
    "observed": ("Observed", "High"),
    "tested": ("Tested", "High"),
}
STALE_AFTER_DAYS = 365


@dataclass(frozen=True)
class Provenance:
    """How one answer was established (`method`, "" when not said) and the evidence date (ISO or "")."""

    method: str = ""
    evidence_date: str = ""

    @property
    def label(self) -> str:
        """"Document review", or "" when not said."""
        return METHODS[self.method][0] if self.method in METHODS else ""

    @property
    def confidence(self) -> str:
        """"Low", "Medium" or "High", or "" when not said."""
        return METHODS[self.method][1] if self.method in METHODS else ""

    def describe(self) -> str:
        """"Medium (document review)" for a report cell; "" when not said."""
        return f"{self.confidence} ({self.label.lower()})" if self.method in METHODS else ""

    def is_stale(self, assessment_date: str | dt.date | None) -> bool:
        """Whether the evidence is dated more than a year before the assessment."""
        return evidence_age_days(self.evidence_date, assessment_date) > STALE_AFTER_DAYS


def evidence_age_days(evidence_date: str, assessment_date: str | dt.date | None) -> int:
    """Days from the evidence date to the assessment date (0 when either is missing or unreadable)."""
    if not evidence_date or not assessment_date:
        return 0
    try:
        evidence = dt.date.fromisoformat(evidence_date)
        assessed = assessment_date if isinstance(assessment_date, dt.date) else dt.date.fromisoformat(
            str(assessment_date)[:10])
    except ValueError:
        return 0
    return (assessed - evidence).days


def evidence_age_months(evidence_date: str, assessment_date: str | dt.date | None) -> int:
    """Whole calendar months from the evidence date to the assessment date (0 when either is missing)."""
    if evidence_age_days(evidence_date, assessment_date) <= 0:
        return 0
    evidence = dt.date.fromisoformat(evidence_date)
    assessed = assessment_date if isinstance(assessment_date, dt.date) else dt.date.fromisoformat(
        str(assessment_date)[:10])
    return (assessed.year - evidence.year) * 12 + assessed.month - evidence.month - (assessed.day < evidence.day)


def checked_method(value: object) -> str:
    """The stored form of how an answer was established: a method key (a label is accepted too), or ""."""
    text = "" if value is None else str(value).strip().lower()
    if text in ("", "-", "none"):
        return ""
    for key, (label, _confidence) in METHODS.items():
        if text in (key, label.lower()):
            return key
    raise ValueError(f"'{value}' is not a way of establishing an answer; use one of "
                     f"{', '.join(METHODS)}")


def checked_evidence_date(value: object) -> str:
    """The stored form of an evidence date: ISO (2025-03-14), from ISO or "14 Mar 2025"; "" when empty.
    A date in the future is refused: evidence cannot be dated after it was seen."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = parse_date(str(value))
        except ValueError:
            raise ValueError(f"evidence date '{value}' is not a date; write it as 2025-03-14") from None
    if day > dt.date.today():
        raise ValueError(f"evidence date {day.isoformat()} is in the future")
    return day.isoformat()
