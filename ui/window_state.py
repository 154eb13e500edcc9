"""Where the window's size, layout and last selections are remembered (QSettings).

Not the consultant's settings: those are `vciso.settings`, shared with the command line.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "vCISO Workbench"
APPLICATION = "vCISO Workbench"


def qsettings() -> QSettings:
    """The app's QSettings (an INI file in the user's configuration folder)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
