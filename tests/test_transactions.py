"""The client file's one transaction API: nesting, rollback as a unit, errors that keep their cause, and
the changes each committed write reports."""

from __future__ import annotations

import sqlite3

import pytest

from core_fixtures import worked_example_questionnaire
from vciso.changes import Changes
from vciso.clientfile import ClientFile, open_connection, read_summary
from vciso.errors import ClientFileCorrupt, VcisoError
from vciso.roadmap_store import add_roadmap_item, roadmap_items, update_roadmap_item
from vciso.workspace import Workspace


@pytest.fixture
def client(tmp_path):
    with Workspace(tmp_path / "ws").create_client("Acme") as opened:
        yield opened


@pytest.fixture
def assessment_id(client) -> int:
    return client.create_assessment(worked_example_questionnaire(), "Baseline").id


def _reopened(client: ClientFile) -> ClientFile:
    return ClientFile(client.path)


def test_nested_blocks_commit_together(client, assessment_id):
    with client.transaction():
        client.save_answer(assessment_id, "A1", current=1)
        with client.transaction():
            client.save_answer(assessment_id, "A2", current=3)
            add_roadmap_item(client, assessment_id, "Buy a safe")
    with _reopened(client) as other:
        assert {qid: r.current for qid, r in other.responses(assessment_id).items()} == {"A1": 1.0, "A2": 3.0}
        assert [item.title for item in roadmap_items(other, assessment_id)] == ["Buy a safe"]


def test_an_error_in_the_outer_block_rolls_back_the_inner_ones_too(client, assessment_id):
    with pytest.raises(RuntimeError):
        with client.transaction():
            client.save_answer(assessment_id, "A1", current=1)   # itself a nested block
            add_roadmap_item(client, assessment_id, "Buy a safe")
            raise RuntimeError("the consultant's import failed half-way")
    with _reopened(client) as other:
        assert other.responses(assessment_id) == {}
        assert other.history(assessment_id) == []
        assert roadmap_items(other, assessment_id) == []


def test_a_failed_inner_block_rolls_back_alone_and_the_outer_block_still_commits(client, assessment_id):
    with client.transaction():
        client.save_answer(assessment_id, "A1", current=1)
        with pytest.raises(VcisoError):
            with client.transaction():
                client.save_answer(assessment_id, "A2", current=3)
                update_roadmap_item(client, 999, owner="nobody")   # no such item
        client.save_answer(assessment_id, "B1", current=4)
    with _reopened(client) as other:
        assert set(other.responses(assessment_id)) == {"A1", "B1"}
        assert [h.question_id for h in other.history(assessment_id)] == ["A1", "B1"]


def test_an_sqlite_error_inside_keeps_its_cause(client, assessment_id):
    client.save_answer(assessment_id, "A1", current=1)
    with pytest.raises(VcisoError) as caught:
        with client.transaction() as conn:
            conn.execute("UPDATE answer_history SET note = 'rewritten'")
    assert "answer history is append-only" in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlite3.IntegrityError)
    assert [h.note for h in client.history(assessment_id)] == [""]
    client.save_answer(assessment_id, "A2", current=2)  # the file is still usable
    assert set(client.responses(assessment_id)) == {"A1", "A2"}


def test_a_full_disk_is_reported_as_such_not_as_a_failed_rollback(client, assessment_id):
    client.save_answer(assessment_id, "A1", current=1, note="kept")
    pages = client.rows("PRAGMA page_count")[0][0]
    client.rows(f"PRAGMA max_page_count = {pages}")   # the file may not grow: as good as a full disk
    with pytest.raises(VcisoError) as caught:
        client.save_answer(assessment_id, "A2", current=2, note="x" * 200_000)
    assert "full" in str(caught.value) and "rollback" not in str(caught.value)
    assert isinstance(caught.value.__cause__, sqlite3.OperationalError)
    with _reopened(client) as other:
        assert {qid: r.note for qid, r in other.responses(assessment_id).items()} == {"A1": "kept"}


def test_committed_writes_report_what_they_changed(client, assessment_id):
    client.take_changes()
    change = client.save_answer(assessment_id, "A1", current=1)
    item = add_roadmap_item(client, assessment_id, "Buy a safe")
    changes = client.take_changes()
    assert changes.answers == (change,) and changes.roadmap and changes.assessment_ids == {assessment_id}
    assert not changes.assessments and not changes.profile
    assert client.take_changes() == Changes()  # taken once
    client.update_profile(industry="Dental")
    client.update_assessment(assessment_id, assessor="Dana")
    changes = client.take_changes()
    assert changes.profile and changes.assessments and not changes.answers_changed
    update_roadmap_item(client, item.id, owner="Dana")
    assert client.take_changes().roadmap


def test_changes_of_a_rolled_back_block_are_not_reported(client, assessment_id):
    client.take_changes()
    with client.transaction():
        client.save_answer(assessment_id, "A1", current=1)
        with pytest.raises(RuntimeError):
            with client.transaction():
                add_roadmap_item(client, assessment_id, "Buy a safe")
                raise RuntimeError("undone")
    changes = client.take_changes()
    assert changes.answers_changed and not changes.roadmap


def test_a_read_only_connection_cannot_write(client):
    conn = open_connection(client.path, read_only=True)
    try:
        assert conn.execute("SELECT name FROM client").fetchone() == ("Acme",)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("UPDATE client SET name = 'Hacked'")
    finally:
        conn.close()


def test_the_listing_summary_and_the_open_file_read_the_same_profile(client, assessment_id):
    summary = read_summary(client.path)
    assert summary.profile == client.profile() and summary.assessment_count == 1


def test_a_foreign_database_is_named_as_such_in_the_listing(tmp_path):
    path = tmp_path / "other.vciso"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ClientFileCorrupt, match="not a vCISO client file"):
        read_summary(path)
