"""The consultant's branding of the deliverables (light: imported at start-up by the settings)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from vciso import DEFAULT_ACCENT


@dataclass(frozen=True)
class Branding:
    firm_name: str = ""
    consultant: str = ""
    logo_path: Path | None = None
    accent_color: str = DEFAULT_ACCENT
