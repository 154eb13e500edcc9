"""Where things live: the default workspace and the user's questionnaire library."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "vciso-workbench"
WORKSPACE_ENV = "VCISO_WORKSPACE"
LIBRARY_ENV = "VCISO_LIBRARY"


def data_root() -> Path:
    """The app's folder in the user's data folder (platformdirs: loaded here, not at start-up)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def default_workspace() -> Path:
    """The workspace used when neither --workspace nor VCISO_WORKSPACE names one."""
    configured = os.environ.get(WORKSPACE_ENV)
    return Path(configured).expanduser() if configured else data_root() / "workspace"


def user_library_dir() -> Path:
    """The folder of questionnaires the user imported (VCISO_LIBRARY overrides it)."""
    configured = os.environ.get(LIBRARY_ENV)
    return Path(configured).expanduser() if configured else data_root() / "questionnaires"
