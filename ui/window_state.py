"""Where the window's size, layout and last selections are remembered (QSettings).

Not the consultant's settings: those are `vciso.settings`, shared with the command line. The accent
colour is also kept here, as a copy: the first frame is painted in it before those settings are loaded.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "vCISO Workbench"
APPLICATION = "vCISO Workbench"


def qsettings() -> QSettings:
    """The app's QSettings (an INI file in the user's configuration folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)


ACCENT_KEY = "theme/accent"


def cached_accent() -> str | None:
    """The accent colour the app last showed (a copy of the consultant's setting), if any."""
    value = qsettings().value(ACCENT_KEY)
    return value if isinstance(value, str) and value else None


def cache_accent(value: str) -> None:
    """Keep a copy of the accent colour for the next start (written only when it changed)."""
    store = qsettings()
    if store.value(ACCENT_KEY) != value:
        store.setValue(ACCENT_KEY, value)
