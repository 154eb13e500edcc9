"""A response to one question, as stored and as scored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vciso.provenance import Provenance


@dataclass(frozen=True)
class Response:
    """The answer to one question of an assessment.

    `current` and `target` are level values of the question's scale. A non-empty `na_reason` marks the
    question not applicable, whatever `current` says. No current level and no N/A means unanswered.
    """

    question_id: str
    current: float | None = None
    target: float | None = None
    note: str = ""
    na_reason: str = ""
    flagged: bool = False
    evidence: str = ""
    updated_at: str = ""
    established: str = ""      # how the level was established: a key of vciso.provenance.METHODS, or ""
    evidence_date: str = ""    # ISO date of the evidence, or ""

    @property
    def provenance(self) -> "Provenance":
        from vciso.provenance import Provenance

        return Provenance(self.established, self.evidence_date)

    @property
    def is_na(self) -> bool:
        return bool(self.na_reason.strip())

    @property
    def is_answered(self) -> bool:
        """Answered with a level (N/A does not count as a level)."""
        return self.current is not None and not self.is_na

    @property
    def is_complete(self) -> bool:
        """Counts towards completion: a level was given, or N/A with a reason."""
        return self.is_na or self.current is not None
