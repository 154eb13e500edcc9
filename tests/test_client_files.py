"""Client files: migrations, safe names, privacy, snapshots, history, corrupt and foreign files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from core_fixtures import worked_example_questionnaire
from vciso.clientfile import ClientFile
from vciso.errors import ClientFileCorrupt, ClientNotFound, InvalidAnswer, InvalidClientName, VcisoError
from vciso.questionnaire import questionnaire_from_dict, questionnaire_to_dict
from vciso.schema import known_migrations, migrations
from vciso.workspace import Workspace, safe_file_stem


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def test_migrations_build_the_schema_from_an_empty_file(tmp_path):
    path = tmp_path / "empty.vciso"
    path.touch()
    with ClientFile(path, create=True) as client:
        tables = {r[0] for r in client.db.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"client", "assessments", "questionnaire_snapshots", "responses", "answer_history",
                "roadmap_items", "file_info", "_sqlite_migrations"} <= tables
        assert [m.name for m in migrations.applied(client.db)][:3] == ["0001_initial", "0002_assessment_events",
                                                                      "0003_living_plan"]
        client.initialise("Acme")
    with ClientFile(path) as client:  # re-opening applies nothing twice
        assert len(migrations.applied(client.db)) == len(known_migrations())
        assert client.profile().name == "Acme"


@pytest.mark.parametrize("name", [
    '../../x/Acme: "Müller" & Co', "/etc/passwd", "..", "a\\b\\..\\c", "CON", "Ромашка ООО", "北京牙科诊所",
    "x" * 400, "   spaced   name  ", "emoji 🦷 clinic", "שיניים בע\"מ",
])
def test_any_client_name_stays_inside_the_workspace_and_round_trips(workspace, name):
    with workspace.create_client(name) as client:
        assert client.path.parent.resolve() == workspace.path.resolve()
        assert client.path.suffix == ".vciso"
        assert len(client.path.name.encode()) < 255
    listing = workspace.list_clients()
    assert [entry.name for entry in listing] == [name.strip()]
    with workspace.open_client(name.strip()) as client:
        assert client.profile().name == name.strip()


def test_the_acme_example_in_full(workspace):
    name = '../../x/Acme: "Müller" & Co'
    with workspace.create_client(name) as client:
        stem = client.path.stem
    assert stem == "x-acme-müller-co"
    assert not (workspace.path.parent / "x").exists()
    with workspace.open_client(stem) as client:
        assert client.profile().name == name


def test_same_name_twice_gets_two_files(workspace):
    workspace.create_client("Acme").close()
    workspace.create_client("ACME").close()
    assert sorted(p.name for p in workspace.client_paths()) == ["acme-2.vciso", "acme.vciso"]
    with pytest.raises(ClientNotFound, match="several clients"):
        workspace.resolve("acme ")


def test_empty_name_is_refused(workspace):
    with pytest.raises(InvalidClientName):
        workspace.create_client("   ")
    assert safe_file_stem("../..") == "client"


def test_files_are_private_to_the_user(workspace):
    with workspace.create_client("Private") as client:
        mode = stat.S_IMODE(client.path.stat().st_mode)
    assert mode == 0o600
    assert stat.S_IMODE(workspace.path.stat().st_mode) == 0o700


def test_snapshot_keeps_old_assessments_scoring_identically(workspace):
    original = worked_example_questionnaire()
    with workspace.create_client("Snap") as client:
        assessment = client.create_assessment(original, "First")
        client.save_answer(assessment.id, "A1", current=1)
    changed = questionnaire_to_dict(original)
    changed["version"] = "2"
    changed["sections"][0]["questions"] = changed["sections"][0]["questions"][1:]  # A1 removed
    with workspace.open_client("Snap") as client:
        client.create_assessment(questionnaire_from_dict(changed), "Second")
        snapshot = client.questionnaire(assessment.id)
        assert snapshot.question("A1") is not None and snapshot.version == "1"


def test_answers_are_validated(workspace):
    with workspace.create_client("Valid") as client:
        assessment = client.create_assessment(worked_example_questionnaire())
        with pytest.raises(InvalidAnswer, match="not on the scale"):
            client.save_answer(assessment.id, "A1", current=9)
        with pytest.raises(InvalidAnswer, match="not in"):
            client.save_answer(assessment.id, "nope", current=1)
        assert client.responses(assessment.id) == {}


def test_every_change_is_in_the_append_only_history(workspace):
    with workspace.create_client("History") as client:
        aid = client.create_assessment(worked_example_questionnaire()).id
        client.save_answer(aid, "A1", current=1, note="first <b>&</b>")
        client.save_answer(aid, "A1", current=2)
        client.save_answer(aid, "A1", na_reason="out of scope")
        history = client.history(aid, "A1")
        assert [(h.current, h.na_reason) for h in history] == [(1, ""), (2, ""), (2, "out of scope")]
        assert history[0].note == "first <b>&</b>"
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            client.db.conn.execute("UPDATE answer_history SET current = 5")
        client.db.conn.rollback()


def test_follow_up_is_prefilled_from_the_earlier_assessment(workspace):
    with workspace.create_client("Follow") as client:
        q = worked_example_questionnaire()
        first = client.create_assessment(q, "First")
        client.save_answer(first.id, "A1", current=2, note="kept")
        second = client.create_assessment(q, "Second", based_on=first.id)
        assert client.responses(second.id)["A1"].note == "kept"
        assert second.based_on == first.id
        assert "follow-up" in client.history(second.id)[0].source


def _write_other_clients(workspace: Workspace) -> None:
    with workspace.create_client("Healthy Client") as client:
        client.create_assessment(worked_example_questionnaire())


def test_truncated_and_foreign_files_give_clear_errors_while_others_work(workspace):
    _write_other_clients(workspace)
    with workspace.create_client("Broken") as client:
        client.create_assessment(worked_example_questionnaire())
    broken = workspace.path / "broken.vciso"
    data = broken.read_bytes()
    broken.write_bytes(data[: len(data) // 3])  # truncated mid-file
    (workspace.path / "notes.vciso").write_text("this is a text file, not a database")
    foreign = workspace.path / "foreign.vciso"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.close()

    listing = {entry.file_id: entry for entry in workspace.list_clients()}
    assert listing["healthy-client"].ok and listing["healthy-client"].assessment_count == 1
    assert "not a SQLite database" in listing["notes"].error
    assert "not a vCISO client file" in listing["foreign"].error
    with pytest.raises(ClientFileCorrupt, match="broken.vciso"):
        with workspace.open_client("broken") as client:
            client.responses(client.assessment().id)
    with pytest.raises(ClientFileCorrupt, match="not a SQLite database"):
        workspace.open_client("notes")
    with pytest.raises(ClientFileCorrupt, match="not a vCISO client file"):
        workspace.open_client("foreign")
    with workspace.open_client("Healthy Client") as client:
        aid = client.assessment().id
        client.save_answer(aid, "A1", current=3)
        assert client.integrity_check() == "ok"


def test_delete_moves_to_trash_and_lists_no_more(workspace):
    _write_other_clients(workspace)
    target = workspace.delete_client("Healthy Client")
    assert target.exists() and target.parent.name == ".trash"
    assert workspace.list_clients() == []


def test_assessment_fields_are_checked_and_a_follow_up_keeps_the_assessor(workspace):
    with workspace.create_client("Acme") as client:
        first = client.create_assessment(worked_example_questionnaire(), "First", assessor="Dana",
                                         assessment_date="2026-03-02")
        follow_up = client.create_assessment(worked_example_questionnaire(), "Second", based_on=first.id)
        assert follow_up.assessor == "Dana"
        for bad in ({"assessment_date": "02/03/2026"}, {"status": "done-ish"}, {"name": "  "}):
            with pytest.raises(VcisoError):
                client.update_assessment(first.id, **bad)
        assert client.update_assessment(first.id, status="final", assessment_date="2026-03-01").status == "final"
