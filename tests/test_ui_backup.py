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
        seen["folder_tip"] = dialog.backup_folder_label.toolTip()
        seen["kept"] = dialog.backups_spin.value()
        dialog.backups_spin.setValue(4)
        seen["evidence"] = dialog.evidence_spin.value()
        dialog.evidence_spin.setValue(5)
        return True

    monkeypatch.setattr(prompts, "run_dialog", edit)
    window.show_settings()
    assert str(automatic_backup_folder()) in seen["folder_tip"] and seen["kept"] == 10
    assert seen["folder"].startswith("Made on close in ")
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


# --------------------------------------------------------------------------- File > Back up workspace… and
# File > Restore from backup…

import datetime as _dt
import hashlib
import zipfile
from pathlib import Path

import pytest

PASSPHRASE = "orange staple battery"
OTHER_PASSPHRASE = "violet ladder kettle"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden scratch folders included) with its SHA-256; not the lock file the
    window holds on the client it shows."""
    return {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def _finished_box(monkeypatch) -> list[dict]:
    shown = []

    def finished(parent, title, text, informative="", warning=False):
        shown.append({"title": title, "text": text, "informative": informative, "warning": warning})
        return "ok"

    monkeypatch.setattr(prompts, "backup_finished", finished)
    return shown


def _no_error(monkeypatch) -> None:
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": pytest.fail(f"{title}: {text}"))


def test_the_file_menu_offers_backup_and_restore_with_their_own_access_keys(open_window):
    window = open_window()
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions() if not a.isSeparator()]
    assert "&Back up workspace…" in texts or any(t.replace("&", "") == "Back up workspace…" for t in texts)
    assert any(t.replace("&", "") == "Restore from backup…" for t in texts)

    def key(text):
        return text[text.index("&") + 1].lower() if "&" in text else None

    for action in (window.backup_workspace_action, window.restore_backup_action):
        letter = key(action.text())
        assert letter is not None
        others = [t for t in texts if t != action.text() and key(t) == letter]
        assert others == [], f"{action.text()} shares its access key with {others}"
    # the trash's restore stays what it was, beside the new one
    assert window.restore_client_action.text() == "&Restore a deleted client…"


def test_backing_up_from_the_app_writes_every_client_after_the_queued_answer_and_names_the_locked_one(
        open_window, demo_workspace, qtbot, monkeypatch, tmp_path):
    from client_dump import client_dump
    from vciso.backup import read_backup
    from vciso.crypto import encrypt_file, is_encrypted
    from vciso.workspace import Workspace

    ws = Workspace(demo_workspace)
    demo = ws.client_paths()[0]
    encrypt_file(demo, PASSPHRASE)                                  # unlocked in this run: backed up, encrypted
    ws.create_client("Plain Ltd").close()
    ws.create_client("Locked Ltd", key=OTHER_PASSPHRASE).close()    # never unlocked: left out, and named
    monkeypatch.setattr(prompts, "ask_passphrase", lambda parent, file_name, again=False: PASSPHRASE)
    window = open_window(demo_workspace)
    walkthrough = _open_demo_assessment(window, qtbot)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)

    target = tmp_path / "saved" / "my backup.zip"
    asked = []
    monkeypatch.setattr(prompts, "save_file", lambda parent, title, suggested, file_filter:
                        asked.append((title, suggested, file_filter)) or str(target))
    shown = _finished_box(monkeypatch)
    _no_error(monkeypatch)
    walkthrough.panel.setFocus()
    question = walkthrough.current_id
    qtbot.keyClick(walkthrough.panel, Qt.Key.Key_4)  # queued for writing: the backup must come after it
    window.backup_workspace_action.trigger()
    qtbot.waitUntil(lambda: bool(shown) and window.ops.idle, timeout=30000)

    [(title, suggested, file_filter)] = asked
    assert Path(suggested).name == f"vciso-backup-{_dt.date.today().isoformat()}.zip" and "*.zip" in file_filter
    created, entries = read_backup(target)
    assert created
    by_stem = {e.stem: e for e in entries}
    assert set(by_stem) == {demo.stem, "plain-ltd"}
    assert by_stem["plain-ltd"].name == "Plain Ltd" and by_stem[demo.stem].encrypted

    with zipfile.ZipFile(target) as archive:
        copy = tmp_path / "copy.vciso"
        copy.write_bytes(archive.read(by_stem[demo.stem].member))
    assert is_encrypted(copy)
    assert client_dump(copy, PASSPHRASE)["assessments"][-1]["responses"][question]["current"] == 4.0

    [box] = shown
    assert box["warning"] and "2 clients" in box["text"] and str(target) in box["text"]
    assert "locked-ltd.vciso" in box["informative"] and "passphrase" in box["informative"]
    assert demo.name not in box["informative"] and "plain-ltd" not in box["informative"]
    assert window.session is not None and window.session.path == demo  # the open client stayed open


def test_a_complete_backup_is_an_information_box(open_window, demo_workspace, qtbot, monkeypatch, tmp_path):
    from vciso.backup import read_backup

    window = open_window(demo_workspace)
    target = tmp_path / "backup"  # no suffix given: .zip is added
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    shown = _finished_box(monkeypatch)
    _no_error(monkeypatch)
    window.backup_workspace_action.trigger()
    qtbot.waitUntil(lambda: bool(shown) and window.ops.idle, timeout=30000)
    [box] = shown
    zipped = target.with_suffix(".zip")
    assert not box["warning"] and box["informative"] == ""
    assert box["text"].startswith("Backed up 1 client to") and str(zipped) in box["text"]
    assert [e.name for e in read_backup(zipped)[1]] == ["Bright Smile Dental Group"]


def test_cancelling_the_save_dialog_writes_no_backup(open_window, demo_workspace, qtbot, monkeypatch, tmp_path):
    window = open_window(demo_workspace)
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: None)
    monkeypatch.setattr(prompts, "backup_finished", lambda *a, **k: pytest.fail("a backup was reported"))
    window.backup_workspace_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert list(tmp_path.rglob("*.zip")) == []


def _listings(window) -> list:
    model = window.panel.clients
    return [model.listing(row) for row in range(model.rowCount())]


def _preview_rows(dialog) -> list[list[str]]:
    model = dialog.model
    return [[str(model.index(r, c).data() or "") for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_restoring_an_automatic_backup_adds_a_renamed_client_beside_the_untouched_one(
        open_window, demo_workspace, qtbot, monkeypatch):
    from vciso.backup import automatic_backup, automatic_backup_folder
    from vciso.workspace import Workspace

    [existing] = Workspace(demo_workspace).client_paths()
    copy = automatic_backup(existing, automatic_backup_folder())
    before = _sha256(existing)
    window = open_window(demo_workspace)
    _open_demo_assessment(window, qtbot)
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)

    asked, previews, told = [], [], []
    monkeypatch.setattr(prompts, "open_file", lambda parent, title, folder, file_filter:
                        asked.append((folder, file_filter)) or str(copy))

    def preview(dialog):
        previews.append({"rows": _preview_rows(dialog), "enabled": dialog.restore_button.isEnabled(),
                         "summary": dialog.summary.text(), "problems": dialog.problems.isVisible()})
        return True

    monkeypatch.setattr(prompts, "run_dialog", preview)
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text, details="": told.append(text))
    _no_error(monkeypatch)
    window.restore_backup_action.trigger()
    renamed = f"Bright Smile Dental Group (restored {_dt.date.today().isoformat()})"
    qtbot.waitUntil(lambda: bool(told) and window.ops.idle and window.profile is not None
                    and window.profile.name == renamed, timeout=30000)

    [(folder, file_filter)] = asked
    assert folder == str(automatic_backup_folder()) and "*.zip" in file_filter and "*.vciso" in file_filter
    [shown] = previews
    assert shown["enabled"] and not shown["problems"]
    [row] = shown["rows"]
    assert row[0] == renamed and row[1] == f"{existing.stem}-restored.vciso"
    assert row[2] == "Renamed: this name is taken"
    restored = demo_workspace / f"{existing.stem}-restored.vciso"
    assert restored.is_file() and _sha256(existing) == before          # never overwritten
    assert window.panel.current_listing().path == restored and window.open_path == restored
    assert {listing.name for listing in _listings(window)} == {"Bright Smile Dental Group", renamed}
    assert renamed in told[0] and restored.name in told[0]


def test_restoring_a_zip_into_an_empty_workspace_brings_back_every_client(
        open_window, ui_env, qtbot, monkeypatch, tmp_path):
    from vciso.backup import backup_workspace
    from vciso.crypto import is_encrypted
    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.workspace import Workspace

    source = Workspace(tmp_path / "elsewhere")
    with create_demo(source, load_library(None)):
        pass
    source.create_client("Plain Ltd").close()
    source.create_client("Locked Ltd", key=OTHER_PASSPHRASE).close()
    locked = source.path / "locked-ltd.vciso"
    generator = backup_workspace(source, tmp_path / "all.zip", {locked: OTHER_PASSPHRASE})
    try:
        while True:
            next(generator)
    except StopIteration:
        pass

    window = open_window(ui_env)  # the empty workspace: the welcome page
    previews, told = [], []
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(tmp_path / "all.zip"))

    def preview(dialog):
        previews.append((_preview_rows(dialog), dialog.summary.text()))
        return True

    monkeypatch.setattr(prompts, "run_dialog", preview)
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text, details="": told.append(text))
    monkeypatch.setattr(prompts, "ask_passphrase", lambda *a, **k: None)  # the encrypted one stays locked
    _no_error(monkeypatch)
    window.restore_backup_action.trigger()
    qtbot.waitUntil(lambda: bool(told) and window.ops.idle and len(_listings(window)) == 3,
                    timeout=30000)

    [(rows, summary)] = previews
    assert "3 clients" in summary
    by_file = {row[1]: row for row in rows}
    assert set(by_file) == {"bright-smile-dental-group.vciso", "plain-ltd.vciso", "locked-ltd.vciso"}
    assert "encrypted — opens with its own passphrase" in by_file["locked-ltd.vciso"][0]
    assert by_file["plain-ltd.vciso"][0] == "Plain Ltd" and by_file["plain-ltd.vciso"][2] == ""
    assert sorted(p.name for p in Workspace(ui_env).client_paths()) == sorted(by_file)
    assert is_encrypted(ui_env / "locked-ltd.vciso")
    assert "3 clients" in told[0] and "passphrase" in told[0]
    assert window.panel.current_listing() is not None


def _damaged_copy(tmp_path: Path) -> Path:
    """A backup whose client copy has the size its manifest says, but other bytes (a wrong SHA-256)."""
    from vciso.backup import backup_workspace
    from vciso.workspace import Workspace

    source = Workspace(tmp_path / "elsewhere")
    source.create_client("Plain Ltd").close()
    good = tmp_path / "good.zip"
    generator = backup_workspace(source, good, {})
    try:
        while True:
            next(generator)
    except StopIteration:
        pass
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith(".vciso"):
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            dst.writestr(info.filename, data)
    return bad


def _truncated(tmp_path: Path) -> Path:
    bad = _damaged_copy(tmp_path)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(bad.read_bytes()[: bad.stat().st_size // 2])
    return cut


@pytest.mark.parametrize("damage", [_damaged_copy, _truncated], ids=["wrong-sha256", "truncated"])
def test_a_damaged_backup_shows_its_problem_and_cannot_be_restored(open_window, demo_workspace, qtbot,
                                                                    monkeypatch, tmp_path, damage):
    bad = damage(tmp_path)
    before = _files(demo_workspace)
    window = open_window(demo_workspace)
    previews, told = [], []
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(bad))

    def preview(dialog):
        previews.append({"enabled": dialog.restore_button.isEnabled(), "problems": dialog.problems.text(),
                         "visible": not dialog.problems.isHidden()})
        return True  # even were Restore pressed, nothing may be written

    monkeypatch.setattr(prompts, "run_dialog", preview)
    monkeypatch.setattr(prompts, "inform", lambda *a, **k: told.append(a))
    monkeypatch.setattr(prompts, "error", lambda *a, **k: told.append(a))
    window.restore_backup_action.trigger()
    qtbot.waitUntil(lambda: bool(previews) and window.ops.idle, timeout=30000)
    qtbot.wait(200)
    [shown] = previews
    assert not shown["enabled"] and shown["visible"]
    assert "damaged" in shown["problems"] or "not a readable zip file" in shown["problems"]
    assert told == []
    assert _files(demo_workspace) == before
    assert "Nothing was restored" in window.statusBar().currentMessage()


def test_cancelling_the_restore_preview_writes_nothing(open_window, demo_workspace, qtbot, monkeypatch):
    from vciso.backup import automatic_backup, automatic_backup_folder
    from vciso.workspace import Workspace

    [existing] = Workspace(demo_workspace).client_paths()
    copy = automatic_backup(existing, automatic_backup_folder())
    before = _files(demo_workspace)
    window = open_window(demo_workspace)
    previews = []
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(copy))
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: previews.append(dialog.restore_button.isEnabled())
                        or False)
    monkeypatch.setattr(prompts, "inform", lambda *a, **k: pytest.fail("a restore was reported"))
    _no_error(monkeypatch)
    window.restore_backup_action.trigger()
    qtbot.waitUntil(lambda: bool(previews) and window.ops.idle, timeout=30000)
    qtbot.wait(200)
    assert previews == [True]
    assert _files(demo_workspace) == before
    assert "Nothing was restored" in window.statusBar().currentMessage()


def test_the_restore_preview_model_is_a_sound_table(qtmodeltester, qtbot, tmp_path):
    from ui.dialogs.backup_restore_dialog import BackupRestoreDialog
    from vciso.backup import plan_restore

    bad = _damaged_copy(tmp_path)  # one client, "Plain Ltd", into a workspace that has one of that name
    target = _workspace_with_plain(tmp_path / "target")
    plan = plan_restore(target, bad)
    dialog = BackupRestoreDialog(plan, None, target.path)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    renamed = f"Plain Ltd (restored {_dt.date.today().isoformat()})"
    assert _preview_rows(dialog) == [[renamed, "plain-ltd-restored.vciso", "Renamed: this name is taken"]]
    assert dialog.restore_button.isEnabled()  # the size matches: only the app's check (a task) finds the damage


def _workspace_with_plain(path: Path):
    from vciso.workspace import Workspace

    workspace = Workspace(path)
    workspace.create_client("Plain Ltd").close()
    return workspace


def test_an_encrypted_copy_restored_in_the_run_that_unlocked_it_is_renamed_and_opens_without_asking(
        open_window, demo_workspace, qtbot, monkeypatch):
    from vciso.backup import automatic_backup, automatic_backup_folder
    from vciso.crypto import encrypt_file, is_encrypted
    from vciso.workspace import Workspace

    passphrase = "orange battery staple"
    [existing] = Workspace(demo_workspace).client_paths()
    encrypt_file(existing, passphrase)
    copy = automatic_backup(existing, automatic_backup_folder(), key=passphrase)
    asked = []
    monkeypatch.setattr(prompts, "ask_passphrase", lambda parent, name, again=False: asked.append(name) or passphrase)
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.clients_loaded, timeout=20000)
    window.panel.select_client(existing.stem)
    qtbot.waitUntil(lambda: window.page is not None and window.profile is not None, timeout=20000)
    assert len(asked) == 1  # unlocked once in this run

    told = []
    monkeypatch.setattr(prompts, "open_file", lambda parent, title, folder, file_filter: str(copy))
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: True)
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text, details="": told.append(text))
    _no_error(monkeypatch)
    window.restore_backup_action.trigger()
    qtbot.waitUntil(lambda: bool(told) and window.ops.idle, timeout=30000)
    restored = demo_workspace / f"{existing.stem}-restored.vciso"
    renamed = f"Bright Smile Dental Group (restored {_dt.date.today().isoformat()})"
    assert is_encrypted(restored) and f"“{renamed}” as {restored.name} (encrypted)" in told[0]
    window.panel.select_client(restored.stem)
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == renamed, timeout=20000)
    assert len(asked) == 1, "the restored copy opened with the passphrase it was restored with"
