"""What a change to client data touched, so each screen decides for itself what to refresh.

Every write of a `ClientFile` records a `Changes` when its transaction commits (Anki's `OpChanges`). The
operations layer of the app takes them after each job and announces them once; the CLI ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True)
class Changes:
    """The kinds of data a write changed. `answers` holds each answer saved one by one (its `AnswerChange`);
    `all_answers` says many answers of `assessment_ids` changed at once (an import, a follow-up, another
    process) and views should reload them. `library` and `settings` come from the app itself (a
    questionnaire imported, the consultant's settings saved)."""

    answers: tuple[Any, ...] = ()
    all_answers: bool = False
    roadmap: bool = False
    assessments: bool = False
    profile: bool = False
    library: bool = False
    settings: bool = False
    evidence: bool = False  # evidence files attached to or removed from answers of `assessment_ids`
    assessment_ids: frozenset[int] = field(default_factory=frozenset)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            answers=self.answers + other.answers,
            all_answers=self.all_answers or other.all_answers,
            roadmap=self.roadmap or other.roadmap,
            assessments=self.assessments or other.assessments,
            profile=self.profile or other.profile,
            library=self.library or other.library,
            settings=self.settings or other.settings,
            evidence=self.evidence or other.evidence,
            assessment_ids=self.assessment_ids | other.assessment_ids,
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def answers_changed(self) -> bool:
        """Any answer changed (one by one or in bulk): scores and the roadmap's gaps may differ."""
        return bool(self.answers) or self.all_answers

    def touches(self, assessment_id: int | None) -> bool:
        """Whether this change may concern the given assessment (an unknown scope concerns every one)."""
        return not self.assessment_ids or assessment_id in self.assessment_ids


NO_CHANGES = Changes()
