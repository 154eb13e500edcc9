"""The branding logo's checks, shared by the PDF and Word reports: a missing, oversized or unreadable logo
is left out with one warning, never a failed report."""

from __future__ import annotations

from pathlib import Path

MAX_LOGO_BYTES = 20 * 1024 * 1024


def logo_file(path: str | Path | None, warnings: list[str]) -> Path | None:
    """The logo file to read, or None (with a warning when one was set but is missing or over 20 MB)."""
    if not path:
        return None
    path = Path(path).expanduser()
    try:
        if not path.is_file():
            warnings.append(f"logo file {path.name} was not found; the report was made without it")
            return None
        if path.stat().st_size > MAX_LOGO_BYTES:
            warnings.append(f"logo file {path.name} is larger than 20 MB; the report was made without it")
            return None
    except OSError:
        unreadable_logo(path, warnings)
        return None
    return path


def unreadable_logo(path: Path, warnings: list[str]) -> None:
    """Say the logo could not be read (any decoding failure is the same problem for the consultant)."""
    warnings.append(f"logo file {path.name} could not be read; the report was made without it")
