"""The app backs up each client it changed when it closes, into the user data folder Settings names."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui import prompts


def _open_demo_assessment(window, qtbot):
    if window.panel.current_listing() is None or "bright-smile" not in window.panel.current_listing().file_id:
        window.panel.select_client("bright-smile-dental-group")
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    return window.page.walkthrough


def test_closing_the_app_backs_up_the_client_it_changed_and_only_that_one(open_window, demo_workspace, qtbot):
    from client_dump import client_dump
    from vciso.backup import automatic_backup_folder, automatic_backups
    from vciso.workspace import Workspace

    Workspace(demo_workspace).create_client("Untouched Ltd").close()
    window = open_window(demo_workspace)
    walkthrough = _open_demo_assessment(window, qtbot)
    path = window.open_path
    assert "bright-smile" in path.name
    walkthrough.panel.setFocus()
    question = walkthrough.current_id
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_4)
    window.panel.select_client("untouched-ltd")  # at once: the save lands after the other client is shown
    qtbot.waitUntil(lambda: window.ops.idle and not window.ops.saving and window.profile is not None
                    and window.profile.name == "Untouched Ltd", timeout=15000)
    assert not automatic_backup_folder().exists()  # nothing before the window closes

    window.close()
    made = window.auto_backups.made
    assert len(made) == 1 and made[0].parent.parent == automatic_backup_folder()
    assert automatic_backups(made[0].parent) == made
    backup = client_dump(made[0])
    assert backup == client_dump(path)
    assert backup["assessments"][-1]["responses"][question]["current"] == 4.0  # the last answer given is in it
    assert not any("untouched" in p.name for p in automatic_backup_folder().iterdir())


def test_closing_without_changing_anything_makes_no_backup(open_window, demo_workspace, qtbot):
    from vciso.backup import automatic_backup_folder

    window = open_window(demo_workspace)
    _open_demo_assessment(window, qtbot)
    window.close()
    assert window.auto_backups.made == [] and not automatic_backup_folder().exists()


def test_settings_show_where_backups_go_and_how_many_are_kept(open_window, qtbot, monkeypatch):
    from vciso.backup import automatic_backup_folder
    from vciso.settings import load_settings

    window = open_window()
    seen = {}

    def edit(dialog):
        seen["folder"] = dialog.backup_folder_label.text()
        seen["kept"] = dialog.backups_spin.value()
        dialog.backups_spin.setValue(4)
        seen["evidence"] = dialog.evidence_spin.value()
        dialog.evidence_spin.setValue(5)
        return True

    monkeypatch.setattr(prompts, "run_dialog", edit)
    window.show_settings()
    assert str(automatic_backup_folder()) in seen["folder"] and seen["kept"] == 10
    assert load_settings().backups_to_keep == 4
    assert seen["evidence"] == 25 and load_settings().evidence_limit() == 5 * 1024 * 1024


def test_closing_the_app_backs_up_a_changed_encrypted_client_encrypted_with_the_passphrase_given(
        open_window, demo_workspace, qtbot, monkeypatch):
    from client_dump import client_dump
    from vciso.backup import automatic_backup_folder
    from vciso.crypto import encrypt_file, is_encrypted
    from vciso.workspace import Workspace

    passphrase = "orange staple battery"
    path = Workspace(demo_workspace).client_paths()[0]
    encrypt_file(path, passphrase)
    monkeypatch.setattr(prompts, "ask_passphrase", lambda parent, file_name, again=False: passphrase)
    window = open_window(demo_workspace)
    walkthrough = _open_demo_assessment(window, qtbot)
    walkthrough.panel.setFocus()
    question = walkthrough.current_id
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: window.ops.idle and not window.ops.saving, timeout=15000)

    window.close()
    assert window.auto_backups.failures == []
    [made] = window.auto_backups.made
    assert made.parent.parent == automatic_backup_folder()
    assert is_encrypted(made) and b"Bright Smile" not in made.read_bytes()
    backup = client_dump(made, passphrase)
    assert backup == client_dump(path, passphrase)
    assert backup["assessments"][-1]["responses"][question]["current"] == 4.0
