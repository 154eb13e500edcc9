"""Encrypting, decrypting and changing the passphrase of a client file in the app, creating a client encrypted,
and the optional memory of passphrases in the system keyring (tested on an in-memory keyring backend: the
real user keyring is never touched)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from ui import prompts
from vciso.clientfile import ClientFile
from vciso.crypto import SQLITE_HEADER, encrypt_file, is_encrypted
from vciso.demo import DEMO_NAME
from vciso.errors import WrongPassphrase
from vciso.settings import AppSettings, load_settings, save_settings, settings_path
from vciso.workspace import Workspace

from tests.client_dump import client_dump

PASSPHRASE = "orange staple battery"
NEW_PASSPHRASE = "purple kettle engine"
SERVICE = "vCISO Workbench"


# --------------------------------------------------------------------------- keyring backends for tests


class MemoryKeyring(KeyringBackend):
    """A keyring kept in a dict: what the app stores can be looked at, and nothing reaches the real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("no such password")


class LockedKeyring(KeyringBackend):
    """A keyring that refuses everything, as a locked or broken one does."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("the keyring is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("the keyring is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("the keyring is locked")


def _use_keyring(backend: KeyringBackend):
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(fail.Keyring())  # what conftest gives every test: never the real keyring


@pytest.fixture
def memory_keyring():
    yield from _use_keyring(MemoryKeyring())


@pytest.fixture
def locked_keyring():
    yield from _use_keyring(LockedKeyring())


def _remember_passphrases() -> None:
    save_settings(AppSettings(remember_passphrases=True))


def _entry(path: Path) -> tuple[str, str]:
    return SERVICE, str(path.resolve())


# --------------------------------------------------------------------------- helpers


def _page_loaded(window) -> bool:
    return window.page is not None and window.stack.currentWidget() is window.page \
        and window.page.walkthrough.current_id is not None and window.session is not None \
        and window.session.profile is not None


def _wait_open(qtbot, window) -> None:
    qtbot.waitUntil(lambda: _page_loaded(window) and window.ops.idle, timeout=30000)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _open_demo(open_window, qtbot, workspace, monkeypatch, passphrase: str | None = None):
    """A window showing the demo client at its fourth question; (window, path, assessment id, question id)."""
    path = Workspace(workspace).client_paths()[0]
    if passphrase is not None:
        monkeypatch.setattr(prompts, "ask_passphrase", lambda parent, name, again=False: passphrase)
    window = open_window(workspace)
    window.panel.select_client(path.stem)
    _wait_open(qtbot, window)
    walkthrough = window.page.walkthrough
    walkthrough.go_to(walkthrough.order[3])
    return window, path, window.page.assessment.id, walkthrough.current_id


def _type_new(dialog, text: str, again: str | None = None) -> None:
    dialog.new_fields.passphrase_edit.setText(text)
    dialog.new_fields.confirm_edit.setText(text if again is None else again)


def _answer_dialog(monkeypatch, qtbot, new: str, current: str | None = None, seen: list | None = None) -> None:
    """Fill the next passphrase dialog with `new` (twice) and `current`, and accept it."""
    def run(dialog):
        qtbot.addWidget(dialog)
        if current is not None:
            dialog.current_edit.setText(current)
        _type_new(dialog, new)
        if seen is not None:
            seen.append(dialog)
        assert dialog.ok_button().isEnabled(), dialog.new_fields.problem.text()
        return True

    monkeypatch.setattr(prompts, "run_dialog", run)


def _no_error_expected(monkeypatch) -> None:
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": pytest.fail(f"error: {text}"))


# --------------------------------------------------------------------------- encrypt, rekey, decrypt


def test_encrypting_in_the_app_reopens_the_same_question_and_keeps_saving_encrypted(open_window, qtbot,
                                                                                  demo_workspace, monkeypatch):
    window, path, aid, qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch)
    before = client_dump(path)
    assert window.encrypt_client_action.isEnabled()
    assert not window.change_passphrase_action.isEnabled() and not window.decrypt_client_action.isEnabled()
    panel = window.page.walkthrough.panel
    panel.notes.setFocus()
    panel.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.notes, " Typed just before encrypting")  # still waiting to be saved: not lost
    seen: list = []
    _answer_dialog(monkeypatch, qtbot, PASSPHRASE, seen=seen)
    _no_error_expected(monkeypatch)

    window.encrypt_client_action.trigger()
    assert window.stack.currentWidget() is window.message and "Encrypting" in window.message.title.text()
    _wait_open(qtbot, window)

    assert "cannot be recovered" in seen[0].warning.text()
    assert path.read_bytes()[:16] != SQLITE_HEADER and is_encrypted(path)
    assert window.ops.passphrases[path] == PASSPHRASE
    assert (window.page.assessment.id, window.page.walkthrough.current_id) == (aid, qid)
    assert window.profile.name == DEMO_NAME
    assert window.change_passphrase_action.isEnabled() and window.decrypt_client_action.isEnabled()
    assert not window.encrypt_client_action.isEnabled()
    assert "Encrypted" in window.statusBar().currentMessage()

    panel.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.notes, " and after")
    panel.flush()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)
    window.close()
    after = client_dump(path, key=PASSPHRASE)
    shown = next(i for i, a in enumerate(after["assessments"]) if a["assessment"]["id"] == aid)
    note = after["assessments"][shown]["responses"][qid]["note"]
    assert note.endswith(" Typed just before encrypting and after")
    before["assessments"][shown]["responses"].pop(qid, None)
    after["assessments"][shown]["responses"].pop(qid)
    for data in (before, after):
        for assessment in data["assessments"]:
            assessment["assessment"].pop("updated_at", None)
            assessment.pop("history")
    assert after == before


def test_a_new_passphrase_shorter_than_eight_characters_or_typed_differently_is_refused_inline(qtbot):
    from ui.dialogs.passphrase_dialog import PassphraseDialog

    dialog = PassphraseDialog("acme.vciso", ask_current=True)
    qtbot.addWidget(dialog)
    ok = dialog.ok_button()
    dialog.current_edit.setText(PASSPHRASE)
    _type_new(dialog, "short7!")
    assert not ok.isEnabled() and "at least 8 characters" in dialog.new_fields.problem.text()
    _type_new(dialog, NEW_PASSPHRASE, again=NEW_PASSPHRASE + "s")
    assert not ok.isEnabled() and "differ" in dialog.new_fields.problem.text()
    _type_new(dialog, PASSPHRASE)
    assert not ok.isEnabled() and "same as the current" in dialog.new_fields.problem.text()
    _type_new(dialog, NEW_PASSPHRASE)
    assert ok.isEnabled() and dialog.new_fields.problem.text() == ""
    assert (dialog.current(), dialog.new_passphrase()) == (PASSPHRASE, NEW_PASSPHRASE)


def test_changing_the_passphrase_refuses_the_old_one_and_opens_with_the_new(open_window, qtbot, demo_workspace,
                                                                          monkeypatch):
    encrypt_file(Workspace(demo_workspace).client_paths()[0], PASSPHRASE)
    window, path, aid, qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    before = client_dump(path, key=PASSPHRASE)
    _answer_dialog(monkeypatch, qtbot, NEW_PASSPHRASE, current=PASSPHRASE)
    _no_error_expected(monkeypatch)

    window.change_passphrase_action.trigger()
    _wait_open(qtbot, window)

    assert window.ops.passphrases[path] == NEW_PASSPHRASE
    assert (window.page.assessment.id, window.page.walkthrough.current_id) == (aid, qid)
    window.close()
    with pytest.raises(WrongPassphrase):
        ClientFile(path, key=PASSPHRASE)
    assert client_dump(path, key=NEW_PASSPHRASE) == before


def test_decrypting_in_the_app_leaves_a_plain_file_with_identical_answers(open_window, qtbot, demo_workspace,
                                                                         monkeypatch):
    encrypt_file(Workspace(demo_workspace).client_paths()[0], PASSPHRASE)
    window, path, aid, qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    before = client_dump(path, key=PASSPHRASE)
    asked = []

    def confirm(parent, title, text, action="OK", destructive=False):
        asked.append((title, text, action, destructive))
        return True

    monkeypatch.setattr(prompts, "confirm", confirm)
    monkeypatch.setattr(prompts, "ask_passphrase", lambda *args, **kwargs: pytest.fail("known this run"))
    _no_error_expected(monkeypatch)

    window.decrypt_client_action.trigger()
    _wait_open(qtbot, window)

    assert asked and asked[0][2] == "Decrypt" and asked[0][3], "a confirmation, the safe answer by default"
    assert path.read_bytes()[:16] == SQLITE_HEADER
    assert path not in window.ops.passphrases
    assert (window.page.assessment.id, window.page.walkthrough.current_id) == (aid, qid)
    assert window.encrypt_client_action.isEnabled() and not window.decrypt_client_action.isEnabled()
    window.close()
    assert client_dump(path) == before


def test_a_wrong_current_passphrase_changes_nothing_and_the_client_stays_open(open_window, qtbot, demo_workspace,
                                                                             monkeypatch):
    encrypt_file(Workspace(demo_workspace).client_paths()[0], PASSPHRASE)
    window, path, aid, qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    digest = _sha256(path)
    errors = []
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": errors.append((title, text)))
    _answer_dialog(monkeypatch, qtbot, NEW_PASSPHRASE, current="not the passphrase")

    window.change_passphrase_action.trigger()
    qtbot.waitUntil(lambda: bool(errors), timeout=30000)
    _wait_open(qtbot, window)

    title, text = errors[0]
    assert title == "Change passphrase" and "wrong passphrase" in text and path.name in text
    assert len(errors) == 1 and NEW_PASSPHRASE not in text and "not the passphrase" not in text
    assert _sha256(path) == digest
    assert window.ops.passphrases[path] == PASSPHRASE
    assert (window.page.assessment.id, window.page.walkthrough.current_id) == (aid, qid)
    assert window.profile.name == DEMO_NAME and window.change_passphrase_action.isEnabled()


def test_the_actions_apply_only_to_a_client_this_window_may_write(open_window, qtbot, demo_workspace, monkeypatch):
    path = Workspace(demo_workspace).client_paths()[0]
    other_window = {"pid": 1, "host": "another-computer", "since": "2024-01-01T09:00:00"}
    path.with_name(path.name + ".lock").write_text(json.dumps(other_window), encoding="utf-8")
    monkeypatch.setattr(prompts, "choose", lambda *args, **kwargs: "Open read-only")
    window = open_window(demo_workspace)
    assert not window.encrypt_client_action.isEnabled()  # nothing open
    window.panel.select_client(path.stem)
    _wait_open(qtbot, window)
    assert window.read_only
    for action in (window.encrypt_client_action, window.change_passphrase_action, window.decrypt_client_action):
        assert not action.isEnabled()


def test_a_client_can_be_created_encrypted_from_new_client(open_window, qtbot, ui_env, monkeypatch):
    def fill(dialog):
        qtbot.addWidget(dialog)
        dialog.name_edit.setText("Globex Dental")
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not dialog.passphrase_fields.passphrase_edit.isVisibleTo(dialog)
        dialog.encrypt_box.setChecked(True)
        assert dialog.passphrase_fields.passphrase_edit.isVisibleTo(dialog)
        assert dialog.warning.isVisibleTo(dialog) and "cannot be recovered" in dialog.warning.text()
        assert not ok.isEnabled(), "encrypting needs a passphrase"
        dialog.passphrase_fields.passphrase_edit.setText("short")
        dialog.passphrase_fields.confirm_edit.setText("short")
        assert not ok.isEnabled() and "8" in dialog.passphrase_fields.problem.text()
        dialog.passphrase_fields.passphrase_edit.setText(PASSPHRASE)
        dialog.passphrase_fields.confirm_edit.setText(PASSPHRASE)
        assert ok.isEnabled()
        return True

    monkeypatch.setattr(prompts, "run_dialog", fill)
    monkeypatch.setattr(prompts, "ask_passphrase", lambda *args, **kwargs: pytest.fail("just given"))
    window = open_window()
    window.new_client_action.trigger()
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Globex Dental", timeout=20000)

    path = ui_env / "globex-dental.vciso"
    assert is_encrypted(path) and b"Globex" not in path.read_bytes()
    assert window.ops.passphrases[path] == PASSPHRASE
    assert window.decrypt_client_action.isEnabled()
    with ClientFile(path, key=PASSPHRASE, read_only=True) as client:
        assert client.profile().name == "Globex Dental"


# --------------------------------------------------------------------------- the system keyring


def test_the_keyring_setting_is_off_by_default_and_read_strictly(tmp_path):
    assert AppSettings().remember_passphrases is False
    path = tmp_path / "settings.json"
    for value in ("yes", 1, None):
        path.write_text(json.dumps({"remember_passphrases": value, "consultant": "Jane"}), encoding="utf-8")
        assert load_settings(path).remember_passphrases is False and load_settings(path).consultant == "Jane"
    save_settings(AppSettings(remember_passphrases=True), path)
    assert load_settings(path).remember_passphrases is True


def test_with_the_keyring_off_nothing_is_stored(open_window, qtbot, demo_workspace, monkeypatch, memory_keyring):
    encrypt_file(Workspace(demo_workspace).client_paths()[0], PASSPHRASE)
    window, path, _aid, _qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    _answer_dialog(monkeypatch, qtbot, NEW_PASSPHRASE, current=PASSPHRASE)
    window.change_passphrase_action.trigger()
    _wait_open(qtbot, window)
    assert memory_keyring.entries == {}


def test_with_the_keyring_on_a_second_run_opens_without_asking_and_no_file_holds_the_passphrase(
        open_window, qtbot, demo_workspace, monkeypatch, memory_keyring, tmp_path):
    encrypt_file(Workspace(demo_workspace).client_paths()[0], PASSPHRASE)
    _remember_passphrases()
    first, path, _aid, _qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    assert memory_keyring.entries[_entry(path)] == PASSPHRASE
    first.close()

    monkeypatch.setattr(prompts, "ask_passphrase", lambda *args, **kwargs: pytest.fail("remembered"))
    second = open_window(demo_workspace)
    assert second.ops is not first.ops
    second.panel.select_client(path.stem)
    _wait_open(qtbot, second)
    assert second.profile.name == DEMO_NAME
    second.close()

    secret = PASSPHRASE.encode()
    holding = [p for p in tmp_path.rglob("*") if p.is_file() and (secret in p.read_bytes()
                                                                  or secret.hex().encode() in p.read_bytes())]
    assert holding == [], "settings, window state, workspace, backups"
    assert secret not in settings_path().read_bytes() and load_settings().remember_passphrases


def test_encrypting_and_rekeying_update_the_remembered_passphrase_and_decrypting_forgets_it(
        open_window, qtbot, demo_workspace, monkeypatch, memory_keyring):
    _remember_passphrases()
    window, path, _aid, _qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch)
    _no_error_expected(monkeypatch)
    _answer_dialog(monkeypatch, qtbot, PASSPHRASE)
    window.encrypt_client_action.trigger()
    _wait_open(qtbot, window)
    assert memory_keyring.entries[_entry(path)] == PASSPHRASE

    _answer_dialog(monkeypatch, qtbot, NEW_PASSPHRASE, current=PASSPHRASE)
    window.change_passphrase_action.trigger()
    _wait_open(qtbot, window)
    assert memory_keyring.entries[_entry(path)] == NEW_PASSPHRASE

    monkeypatch.setattr(prompts, "confirm", lambda *args, **kwargs: True)
    window.decrypt_client_action.trigger()
    _wait_open(qtbot, window)
    assert _entry(path) not in memory_keyring.entries


def test_a_wrong_remembered_passphrase_is_forgotten_and_asked(open_window, qtbot, demo_workspace, monkeypatch,
                                                              memory_keyring):
    path = Workspace(demo_workspace).client_paths()[0]
    encrypt_file(path, PASSPHRASE)
    _remember_passphrases()
    memory_keyring.entries[_entry(path)] = "an old passphrase"
    asked = []

    def ask(parent, name, again=False):
        asked.append(again)
        return PASSPHRASE

    monkeypatch.setattr(prompts, "ask_passphrase", ask)
    window = open_window(demo_workspace)
    window.panel.select_client(path.stem)
    _wait_open(qtbot, window)
    assert asked == [False] and window.profile.name == DEMO_NAME
    assert memory_keyring.entries[_entry(path)] == PASSPHRASE


def test_a_failing_keyring_falls_back_to_asking_with_a_one_line_status(open_window, qtbot, demo_workspace,
                                                                       monkeypatch, locked_keyring):
    path = Workspace(demo_workspace).client_paths()[0]
    encrypt_file(path, PASSPHRASE)
    _remember_passphrases()
    statuses = []
    asked = []

    def ask(parent, name, again=False):
        asked.append(name)
        return PASSPHRASE

    monkeypatch.setattr(prompts, "ask_passphrase", ask)
    window = open_window(demo_workspace)
    window.statusBar().messageChanged.connect(statuses.append)
    window.panel.select_client(path.stem)
    _wait_open(qtbot, window)
    assert asked == [path.stem] and window.profile.name == DEMO_NAME
    said = [text for text in statuses if "keyring" in text]
    assert said and all("\n" not in text and PASSPHRASE not in text for text in statuses)


def test_the_keychain_names_a_file_by_its_resolved_path_and_reports_failures_without_the_passphrase(
        tmp_path, monkeypatch, memory_keyring):
    from vciso import keychain

    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    keychain.remember(Path("link/acme.vciso"), PASSPHRASE)
    assert keychain.recall(tmp_path / "real" / "acme.vciso") == PASSPHRASE
    assert memory_keyring.entries[(SERVICE, str((tmp_path / "real").resolve() / "acme.vciso"))] == PASSPHRASE
    keychain.forget(tmp_path / "real" / "acme.vciso")
    keychain.forget(tmp_path / "real" / "acme.vciso")  # already gone: nothing to do
    assert keychain.recall(tmp_path / "real" / "acme.vciso") is None

    import keyring

    keyring.set_keyring(LockedKeyring())
    for call in (lambda: keychain.recall(tmp_path / "a.vciso"),
                 lambda: keychain.remember(tmp_path / "a.vciso", PASSPHRASE),
                 lambda: keychain.forget(tmp_path / "a.vciso")):
        with pytest.raises(keychain.KeychainError) as caught:
            call()
        assert "keyring" in str(caught.value) and PASSPHRASE not in str(caught.value)
        assert "\n" not in str(caught.value)


def test_forget_all_forgets_every_remembered_passphrase(tmp_path, memory_keyring):
    from vciso import keychain

    for name in ("a", "b", "c"):
        keychain.remember(tmp_path / f"{name}.vciso", PASSPHRASE + name)
    memory_keyring.entries[("another app", "x")] = "theirs"
    assert keychain.forget_all() == 3
    assert memory_keyring.entries == {("another app", "x"): "theirs"}


def test_turning_the_setting_off_offers_to_forget_the_remembered_passphrases(open_window, qtbot, demo_workspace,
                                                                           monkeypatch, memory_keyring):
    path = Workspace(demo_workspace).client_paths()[0]
    encrypt_file(path, PASSPHRASE)
    _remember_passphrases()
    window, _path, _aid, _qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    assert memory_keyring.entries[_entry(path)] == PASSPHRASE
    offered = []

    def untick(dialog):
        qtbot.addWidget(dialog)
        assert dialog.keyring_box.isChecked()
        dialog.keyring_box.setChecked(False)
        return True

    def confirm(parent, title, text, action="OK", destructive=False):
        offered.append((title, text, action))
        return True

    monkeypatch.setattr(prompts, "run_dialog", untick)
    monkeypatch.setattr(prompts, "confirm", confirm)
    window.settings_action.trigger()
    assert offered and offered[0][2] == "Forget them"
    assert load_settings().remember_passphrases is False
    assert memory_keyring.entries == {}


def test_turning_the_setting_on_remembers_the_passphrases_given_in_this_run(open_window, qtbot, demo_workspace,
                                                                          monkeypatch, memory_keyring):
    path = Workspace(demo_workspace).client_paths()[0]
    encrypt_file(path, PASSPHRASE)
    window, _path, _aid, _qid = _open_demo(open_window, qtbot, demo_workspace, monkeypatch, PASSPHRASE)
    assert memory_keyring.entries == {}

    def tick(dialog):
        qtbot.addWidget(dialog)
        assert not dialog.keyring_box.isChecked()
        dialog.keyring_box.setChecked(True)
        return True

    monkeypatch.setattr(prompts, "run_dialog", tick)
    window.settings_action.trigger()
    assert load_settings().remember_passphrases is True
    assert memory_keyring.entries[_entry(path)] == PASSPHRASE
