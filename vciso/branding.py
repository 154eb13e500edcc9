"""The consultant's branding of the deliverables: accent colour and paper size, each read by one rule
(light: imported at start-up by the settings and the app's theme)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vciso import DEFAULT_ACCENT
from vciso.colours import normalise_accent, tint, valid_accent  # noqa: F401 - the branding's colour rules

PAPER_SIZES = ("A4", "Letter")
DEFAULT_PAPER = "A4"


def paper_size_or_default(value: object) -> str:
    """The paper size named by `value` ("A4" or "Letter", any case), or A4 when it names neither."""
    text = value.strip().lower() if isinstance(value, str) else ""
    return next((name for name in PAPER_SIZES if name.lower() == text), DEFAULT_PAPER)


@dataclass(frozen=True)
class Branding:
    firm_name: str = ""
    consultant: str = ""
    logo_path: Path | None = None
    accent_color: str = DEFAULT_ACCENT
    paper_size: str = DEFAULT_PAPER
