"""Shared test set-up: Qt runs offscreen; UI tests get private settings, library and window state."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_user_folders(tmp_path_factory, monkeypatch):
    """No test may read or write the real user's workspace, library or settings."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("VCISO_WORKSPACE", str(home / "workspace"))
    monkeypatch.setenv("VCISO_LIBRARY", str(home / "library"))
    monkeypatch.setenv("VCISO_SETTINGS", str(home / "settings.json"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    # nor the real keyring: a test that needs one sets an in-memory backend (tests/test_ui_encryption_actions.py)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")


@pytest.fixture(autouse=True)
def _no_password_asked(monkeypatch):
    """An app export of a PDF, Word or Excel file asks for an optional password in a modal dialog: answer
    "none" unless the test patches `ui.prompts.ask_password` itself (tests/test_protected_deliverables.py)."""
    from ui import prompts  # imports no Qt until a prompt is shown

    monkeypatch.setattr(prompts, "ask_password", lambda parent, label: "")
    monkeypatch.setattr(prompts, "ask_coverage", lambda parent, label, frameworks: "")


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run the command line in-process on the test's own workspace (tmp/ws), library and settings;
    returns (exit code, stdout, stderr)."""
    from vciso.cli import main

    monkeypatch.setenv("VCISO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.setenv("VCISO_LIBRARY", str(tmp_path / "lib"))
    monkeypatch.setenv("VCISO_SETTINGS", str(tmp_path / "settings.json"))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


@pytest.fixture
def ui_env(tmp_path, monkeypatch):
    """A private workspace folder (returned), settings file, user library and QSettings for one UI test."""
    monkeypatch.setenv("VCISO_SETTINGS", str(tmp_path / "settings.json"))
    monkeypatch.setenv("VCISO_LIBRARY", str(tmp_path / "library"))
    monkeypatch.delenv("VCISO_WORKSPACE", raising=False)
    from PySide6.QtCore import QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    return workspace


@pytest.fixture
def demo_workspace(ui_env):
    """The test's workspace holding the demo client (created through the core, not the UI)."""
    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.workspace import Workspace

    with create_demo(Workspace(ui_env), load_library(None)):
        pass
    return ui_env


@pytest.fixture
def open_window(qtbot, ui_env):
    """Open main windows on a workspace (the test's own by default), waiting until the clients are listed.

    Every window is closed at teardown, which stops its worker threads."""
    windows = []

    def open_(workspace=None):
        from ui.main_window import MainWindow

        window = MainWindow(workspace or ui_env)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.clients_loaded, timeout=15000)
        windows.append(window)
        return window

    yield open_
    for window in windows:
        window.close()
