"""The consultant's branding of the deliverables (light: imported at start-up by settings and the app)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_ACCENT = "#1F4E79"


@dataclass(frozen=True)
class Branding:
    firm_name: str = ""
    consultant: str = ""
    logo_path: Path | None = None
    accent_color: str = DEFAULT_ACCENT
