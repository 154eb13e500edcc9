"""Nothing deleted is lost: deleted clients list and come back whole, duplicate names are caught before
they confuse the command line, and removed questionnaires wait in the library's trash."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from core_fixtures import TINY_QUESTIONNAIRE_YAML
from vciso.clientfile import ClientFile
from vciso.errors import ClientNotFound, QuestionnaireNotFound
from vciso.library import BUNDLED_DIR, load_library, remove_imported
from vciso.workspace import Workspace

TINY = TINY_QUESTIONNAIRE_YAML


@pytest.fixture
def demo(tmp_path):
    """A workspace with the demo client (two assessments, answers and a roadmap)."""
    from vciso.demo import create_demo

    workspace = Workspace(tmp_path / "ws")
    with create_demo(workspace, load_library(None)) as client:
        name, file_id = client.profile().name, client.path.stem
    return workspace, name, file_id


def _answers(path):
    with ClientFile(path) as client:
        return {a.name: dict(client.responses(a.id)) for a in client.assessments()}


# --------------------------------------------------------------------------- duplicate names


def test_clients_named_ignores_case_and_spaces(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    workspace.create_client("Acme Dental").close()
    workspace.create_client("Acme Dentistry").close()
    assert [c.name for c in workspace.clients_named("  acme DENTAL ")] == ["Acme Dental"]
    assert workspace.clients_named("Acme") == []
    assert workspace.clients_named("   ") == []


def test_cli_refuses_a_taken_name_unless_allowed(cli, tmp_path):
    assert cli("client", "new", "Acme Dental")[0] == 0
    code, out, err = cli("client", "new", "acme dental ")
    assert code == 1 and out == ""
    assert err.count("\n") == 1  # one line
    assert "a client named 'Acme Dental' already exists (id acme-dental)" in err
    assert "--allow-duplicate" in err
    assert len(Workspace(tmp_path / "ws").list_clients()) == 1

    code, out, _err = cli("client", "new", "Acme Dental", "--allow-duplicate")
    assert code == 0 and "id acme-dental-2" in out
    assert {c.file_id for c in Workspace(tmp_path / "ws").clients_named("Acme Dental")} == \
        {"acme-dental", "acme-dental-2"}


# --------------------------------------------------------------------------- deleted clients


def test_deleted_client_lists_with_name_and_date_and_restores_whole(demo):
    workspace, name, file_id = demo
    before = _answers(workspace.path / f"{file_id}.vciso")
    moment = dt.datetime.now().replace(microsecond=0)
    trash_file = workspace.delete_client(file_id)
    assert workspace.list_clients() == []

    [deleted] = workspace.deleted_clients()
    assert deleted.path == trash_file and deleted.name == name and deleted.assessment_count == 2
    assert abs((deleted.deleted_at - moment).total_seconds()) < 5
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", deleted.deleted_on)

    restored = workspace.restore_client(deleted.path)
    assert restored == workspace.path / f"{file_id}.vciso"
    [listing] = workspace.list_clients()
    assert listing.name == name and listing.assessment_count == 2
    assert _answers(restored) == before
    assert workspace.deleted_clients() == []


def test_restore_never_overwrites_a_client_of_the_same_name(demo):
    workspace, name, file_id = demo
    trash_file = workspace.delete_client(file_id)
    with workspace.create_client(name) as newer:  # a new client took the old file name meanwhile
        assert newer.path.stem == file_id
    restored = workspace.restore_client(trash_file)
    assert restored.stem == f"{file_id}-2"
    listings = {c.file_id: c.assessment_count for c in workspace.list_clients()}
    assert listings == {file_id: 0, f"{file_id}-2": 2}


def test_restore_refuses_files_outside_the_trash(demo, tmp_path):
    workspace, _name, file_id = demo
    with pytest.raises(ClientNotFound, match="not a file in the workspace's trash"):
        workspace.restore_client(workspace.path / f"{file_id}.vciso")
    assert (workspace.path / f"{file_id}.vciso").exists()


def test_find_deleted_by_file_or_name(demo):
    workspace, name, file_id = demo
    first = workspace.delete_client(file_id)
    assert workspace.find_deleted(first.name).path == first
    assert workspace.find_deleted(str(first)).path == first
    assert workspace.find_deleted(name.upper()).path == first
    # a second deletion of a client with the same name: the name alone is now ambiguous
    workspace.create_client(name).close()
    second = workspace.delete_client(file_id)
    second = second.rename(second.with_name(f"{file_id}-20990101-000000.vciso"))  # deleted "later"
    assert [d.path for d in workspace.deleted_clients()] == [second, first]  # newest first
    with pytest.raises(ClientNotFound, match="several deleted clients are named"):
        workspace.find_deleted(name)
    with pytest.raises(ClientNotFound, match="no deleted client 'Nobody'"):
        workspace.find_deleted("Nobody")


def test_a_damaged_file_in_the_trash_is_listed_with_its_error(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    workspace.ensure()
    (workspace.trash_path).mkdir()
    (workspace.trash_path / "broken-20240102-030405.vciso").write_bytes(b"not a database at all")
    [deleted] = workspace.deleted_clients()
    assert not deleted.ok and deleted.name == "broken" and deleted.deleted_on == "2024-01-02 03:04"
    assert "not a client file" in deleted.error


def test_cli_lists_and_restores_deleted_clients(cli, tmp_path):
    assert cli("client", "restore")[1].startswith("No deleted clients in")
    cli("client", "new", "Acme Dental")
    code, out, _ = cli("client", "delete", "Acme Dental")
    assert code == 0 and "vciso client restore acme-dental-" in out
    code, out, _ = cli("client", "restore")
    assert code == 0 and "Acme Dental  (0 assessments)" in out
    trash_name = out.split()[0]
    assert trash_name.startswith("acme-dental-") and trash_name.endswith(".vciso")

    code, out, _ = cli("client", "restore", "--json")
    assert code == 0 and '"name": "Acme Dental"' in out

    code, out, err = cli("client", "restore", "Somebody Else")
    assert code == 1 and "no deleted client 'Somebody Else'" in err

    code, out, _ = cli("client", "restore", "acme dental")
    assert code == 0 and out.strip() == "Restored 'Acme Dental' with id acme-dental"
    assert "Acme Dental" in cli("client", "list")[1]
    assert cli("client", "restore")[1].startswith("No deleted clients in")


def test_cli_lists_a_deleted_encrypted_client_as_encrypted_and_restores_it_whole(cli, tmp_path):
    from vciso.crypto import encrypt_file, is_encrypted

    cli("client", "new", "Acme Dental")
    code, out, _ = cli("client", "list", "--json")
    path = Path(json.loads(out)[0]["path"])
    encrypt_file(path, "a long passphrase")
    assert cli("client", "delete", "acme-dental")[0] == 0
    code, out, _ = cli("client", "restore")
    assert code == 0 and "encrypted — opens with its own passphrase" in out and "ERROR" not in out
    code, out, _ = cli("client", "restore", "--json")
    [entry] = json.loads(out)
    assert entry["locked"] is True and entry["error"] is None and entry["name"] is None
    assert cli("client", "restore", entry["file"])[0] == 0
    assert is_encrypted(path)


# --------------------------------------------------------------------------- removed questionnaires


def test_remove_imported_moves_the_file_to_the_library_trash(tmp_path):
    library_dir = tmp_path / "library"
    library_dir.mkdir()
    (library_dir / "tiny-check.yaml").write_text(TINY)
    assert "tiny-check" in {q.id for q in load_library(library_dir).questionnaires()}

    [moved] = remove_imported(library_dir, "tiny-check")
    assert moved.parent == library_dir / ".trash" and moved.read_text() == TINY
    assert not (library_dir / "tiny-check.yaml").exists()
    library = load_library(library_dir)
    assert "tiny-check" not in {q.id for q in library.questionnaires()}
    assert library.problems == ()  # the trash folder is not read as part of the library


def test_bundled_questionnaires_cannot_be_removed(tmp_path):
    bundled = sorted(BUNDLED_DIR.glob("*.yaml"))
    questionnaire_id = load_library(None).entries[0].questionnaire.id
    with pytest.raises(QuestionnaireNotFound, match="bundled questionnaires cannot be removed"):
        remove_imported(tmp_path / "library", questionnaire_id)
    assert sorted(BUNDLED_DIR.glob("*.yaml")) == bundled


# --------------------------------------------------------------------------- in the app


def _wait_idle(qtbot, window):
    qtbot.waitUntil(lambda: window.ops.idle, timeout=15000)


def _new_client_named(monkeypatch, name):
    from ui import prompts

    def fill(dialog):
        dialog.name_edit.setText(name)
        return True
    monkeypatch.setattr(prompts, "run_dialog", fill)


@pytest.mark.parametrize("answer", ["Open the existing client", "Create anyway", None])
def test_new_client_with_a_taken_name_warns_and_does_what_was_chosen(open_window, qtbot, monkeypatch, ui_env,
                                                                     answer):
    from ui import prompts

    Workspace(ui_env).create_client("Acme Dental", industry="Healthcare").close()
    Workspace(ui_env).create_client("Brightwater Legal").close()
    window = open_window()
    window.panel.select_client("brightwater-legal")
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Brightwater Legal",
                    timeout=15000)
    asked = []

    def choose(parent, title, text, choices, informative="", warning=False):
        asked.append((text, choices, informative, warning))
        return answer

    monkeypatch.setattr(prompts, "choose", choose)
    _new_client_named(monkeypatch, "  acme DENTAL ")
    window.new_client_action.trigger()
    qtbot.waitUntil(lambda: bool(asked), timeout=15000)
    text, choices, informative, warning = asked[0]
    assert text == "A client is already named “Acme Dental”."
    assert choices == ["Open the existing client", "Create anyway"] and warning
    assert "command line" in informative

    if answer == "Open the existing client":
        qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Acme Dental", timeout=15000)
        assert window.panel.current_listing().file_id == "acme-dental"
        assert len(Workspace(ui_env).list_clients()) == 2
    elif answer == "Create anyway":
        qtbot.waitUntil(lambda: window.panel.clients.rowCount() == 3, timeout=15000)
        qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "acme DENTAL", timeout=15000)
        assert len(Workspace(ui_env).clients_named("Acme Dental")) == 2
    else:
        _wait_idle(qtbot, window)
        assert len(Workspace(ui_env).list_clients()) == 2
        assert window.panel.clients.rowCount() == 2
        assert window.profile.name == "Brightwater Legal"  # nothing changed


def test_a_new_name_is_created_without_a_question(open_window, qtbot, monkeypatch, ui_env):
    from ui import prompts

    Workspace(ui_env).create_client("Acme Dental").close()
    monkeypatch.setattr(prompts, "choose", lambda *a, **k: pytest.fail("asked about a free name"))
    window = open_window()
    _new_client_named(monkeypatch, "Acme Dentistry")
    window.new_client_action.trigger()
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Acme Dentistry", timeout=15000)
    assert window.panel.clients.rowCount() == 2


def test_restore_a_deleted_client_from_the_file_menu(open_window, qtbot, monkeypatch, demo_workspace,
                                                     qtmodeltester):
    from ui import prompts
    from ui.dialogs.restore_dialog import RestoreDialog

    workspace = Workspace(demo_workspace)
    [listing] = workspace.list_clients()
    before = _answers(listing.path)
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    monkeypatch.setattr(prompts, "confirm", lambda *a, **k: True)
    window.delete_client_action.trigger()
    qtbot.waitUntil(lambda: window.panel.clients.rowCount() == 0, timeout=10000)
    assert window.restore_client_action in window.menuBar().actions()[0].menu().actions()

    shown = []
    [deleted] = workspace.deleted_clients()

    def pick(dialog):
        shown.append(dialog)
        qtbot.addWidget(dialog)
        qtmodeltester.check(dialog.model)
        return True

    monkeypatch.setattr(prompts, "run_dialog", pick)
    window.restore_client_action.trigger()
    qtbot.waitUntil(lambda: window.panel.clients.rowCount() == 1, timeout=15000)
    [dialog] = shown
    assert isinstance(dialog, RestoreDialog)
    assert dialog.model.index(0, 0).data() == "Bright Smile Dental Group"
    assert dialog.model.index(0, 1).data() == deleted.deleted_on
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", deleted.deleted_on)
    assert dialog.model.index(0, 2).data() == "2"
    assert dialog.restore_button.text() == "Restore" and dialog.restore_button.isEnabled()

    # it lists again, opens, and has all its assessments and answers
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Bright Smile Dental Group",
                    timeout=15000)
    qtbot.waitUntil(lambda: window.panel.assessments.rowCount() == 2, timeout=15000)
    assert window.panel.current_listing().file_id == listing.file_id
    assert "is back in the workspace" in window.statusBar().currentMessage()
    _wait_idle(qtbot, window)
    assert _answers(listing.path) == before
    assert workspace.deleted_clients() == []


def test_restore_with_an_empty_trash_says_so(open_window, qtbot, monkeypatch, ui_env):
    from ui import prompts

    told = []
    monkeypatch.setattr(prompts, "inform", lambda parent, title, text, details="": told.append(text))
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: pytest.fail("a dialog with nothing to pick"))
    window = open_window()
    window.restore_client_action.trigger()
    qtbot.waitUntil(lambda: bool(told), timeout=15000)
    assert told[0].startswith("There are no deleted clients") and str(ui_env / ".trash") in told[0]


def test_restore_dialog_cancel_restores_nothing(open_window, qtbot, monkeypatch, demo_workspace):
    from ui import prompts

    workspace = Workspace(demo_workspace)
    workspace.delete_client(workspace.list_clients()[0].file_id)
    picked = []
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: picked.append(dialog.chosen()) or False)
    window = open_window(demo_workspace)
    window.restore_client_action.trigger()
    qtbot.waitUntil(lambda: bool(picked), timeout=15000)
    _wait_idle(qtbot, window)
    assert picked[0].name == "Bright Smile Dental Group"  # the newest deleted client is preselected
    assert workspace.list_clients() == [] and len(workspace.deleted_clients()) == 1


def test_a_deleted_encrypted_client_is_offered_as_encrypted_not_as_unreadable(tmp_path, qtbot, qtmodeltester):
    from PySide6.QtCore import Qt

    from ui.dialogs.restore_dialog import RestoreDialog

    workspace = Workspace(tmp_path / "ws")
    workspace.create_client("Alpha Bank", key="alpha pass").close()
    workspace.delete_client("alpha-bank")
    [deleted] = workspace.deleted_clients()
    assert deleted.locked and deleted.profile is None and "Alpha Bank" not in deleted.name
    dialog = RestoreDialog([deleted], workspace.trash_path)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    assert dialog.model.index(0, 0).data() == "alpha-bank (encrypted — opens with its own passphrase)"
    assert dialog.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert dialog.restore_button.isEnabled()
    restored = workspace.restore_client(dialog.chosen().path)
    with ClientFile(restored, key="alpha pass") as client:
        assert client.profile().name == "Alpha Bank"
