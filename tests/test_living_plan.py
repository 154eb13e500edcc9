"""The living roadmap: one plan per client that follow-ups continue, proposals to close, reopening, the
status history, and client files of earlier releases linked into the plan."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from core_fixtures import worked_example_questionnaire
from vciso.clientfile import ClientFile
from vciso.errors import VcisoError
from vciso.plan import confirm_proposed, proposed_items, status_history
from vciso.roadmap_store import add_roadmap_item, regenerate_roadmap, restore_roadmap, roadmap_items, update_roadmap_item
from vciso.workspace import Workspace

FIXTURES = Path(__file__).with_name("fixtures") / "clientfiles"


@pytest.fixture
def client(tmp_path: Path):
    with Workspace(tmp_path / "ws").create_client("Plan Co") as client:
        yield client


def _answer(client, aid, answers):
    for qid, level in answers.items():
        client.save_answer(aid, qid, current=level)


def _by_question(client, aid):
    return {item.question_id or item.title: item for item in roadmap_items(client, aid)}


def _follow_up(client, earlier, name, date):
    return client.create_assessment(worked_example_questionnaire(), name, assessment_date=date, based_on=earlier).id


def _baseline(client):
    aid = client.create_assessment(worked_example_questionnaire(), "Baseline", assessment_date="2026-01-10").id
    _answer(client, aid, {"A1": 1, "A2": 1, "B1": 2, "B2": 0})
    regenerate_roadmap(client, aid)
    items = _by_question(client, aid)
    update_roadmap_item(client, items["A2"].id, owner="Alice", status="In progress", due_date="2026-02-15",
                        notes="Budget <b>approved</b> = \"yes\" 北京", by="Ada")
    add_roadmap_item(client, aid, "Hire a part-time security lead", owner="CEO", phase=2)
    return aid


def test_a_follow_up_continues_the_plan_with_every_edit(client):
    base = _baseline(client)
    before = _by_question(client, base)
    follow = _follow_up(client, base, "Q2 follow-up", "2026-04-10")
    carried = _by_question(client, follow)
    assert set(carried) == set(before)
    a2 = carried["A2"]
    assert (a2.owner, a2.status, a2.due_date, a2.notes) == ("Alice", "In progress", "2026-02-15",
                                                            'Budget <b>approved</b> = "yes" 北京')
    assert a2.plan_uid == before["A2"].plan_uid and a2.raised_in == base and a2.id != before["A2"].id
    regenerate_roadmap(client, follow)              # answers copied unchanged: nothing discarded
    after = _by_question(client, follow)
    assert (after["A2"].owner, after["A2"].status, after["A2"].notes) == (a2.owner, a2.status, a2.notes)
    assert after["Hire a part-time security lead"].owner == "CEO"
    # the baseline keeps its own copy: editing the follow-up's plan leaves it as delivered
    update_roadmap_item(client, a2.id, owner="Bob")
    assert _by_question(client, base)["A2"].owner == "Alice"


def test_a_closed_gap_is_proposed_and_one_action_confirms_every_proposal(client):
    base = _baseline(client)
    follow = _follow_up(client, base, "Q2 follow-up", "2026-04-10")
    _answer(client, follow, {"A1": 3, "A2": 4})     # both gaps close; A1 was never edited, but carried
    changes = regenerate_roadmap(client, follow)
    assert sorted(changes.proposed) == ["A1", "A2"] and not changes.removed
    items = _by_question(client, follow)
    assert items["A2"].status == "In progress" and items["A2"].proposed_in == follow   # not closed yet
    assert {i.question_id for i in proposed_items(client, follow)} == {"A1", "A2"}
    closed = confirm_proposed(client, follow, by="Ada")
    assert {(i.question_id, i.status, i.closed_in, i.raised_in) for i in closed} == {
        ("A1", "Done", follow, base), ("A2", "Done", follow, base)}
    assert proposed_items(client, follow) == []
    last = status_history(client, items["A2"].plan_uid)[-1]
    assert (last.before, last.status, last.actor, last.source, last.assessment_id) == (
        "In progress", "Done", "Ada", "gap closed in Q2 follow-up", follow)


def test_a_gap_that_reopens_reopens_the_item(client):
    base = _baseline(client)
    follow = _follow_up(client, base, "Q2", "2026-04-10")
    _answer(client, follow, {"A2": 4})
    regenerate_roadmap(client, follow)
    confirm_proposed(client, follow)
    third = _follow_up(client, follow, "Q3", "2026-07-10")
    assert _by_question(client, third)["A2"].status == "Done"
    _answer(client, third, {"A2": 1})               # the control slipped back
    changes = regenerate_roadmap(client, third)
    assert changes.reopened == ["A2"]
    item = _by_question(client, third)["A2"]
    assert (item.status, item.closed_in, item.owner, item.raised_in) == ("Not started", None, "Alice", base)
    assert status_history(client, item.plan_uid)[-1].source == "gap reopened in Q3"


def test_a_gap_that_returns_before_confirmation_withdraws_the_proposal(client):
    base = _baseline(client)
    follow = _follow_up(client, base, "Q2", "2026-04-10")
    _answer(client, follow, {"A2": 4})
    regenerate_roadmap(client, follow)
    _answer(client, follow, {"A2": 2})
    regenerate_roadmap(client, follow)
    item = _by_question(client, follow)["A2"]
    assert item.proposed_in is None and item.status == "In progress"


def test_a_manual_item_survives_two_follow_ups_and_new_gaps_add_items(client):
    base = _baseline(client)
    first = _follow_up(client, base, "Q2", "2026-04-10")
    regenerate_roadmap(client, first)
    second = _follow_up(client, first, "Q3", "2026-07-10")
    _answer(client, second, {"A1": 4, "B1": 4, "B2": 4})
    regenerate_roadmap(client, second)
    items = _by_question(client, second)
    manual = items["Hire a part-time security lead"]
    assert (manual.origin, manual.owner, manual.phase, manual.raised_in) == ("manual", "CEO", 2, base)
    assert manual.status == "Not started" and manual.proposed_in is None   # regeneration never touches it
    assert items["A2"].owner == "Alice"


def test_an_unanswered_question_in_the_follow_up_keeps_its_item_open(client):
    base = _baseline(client)
    follow = _follow_up(client, base, "Q2", "2026-04-10")
    client.save_answer(follow, "A1", current=None)  # not revisited yet
    regenerate_roadmap(client, follow)
    item = _by_question(client, follow)["A1"]
    assert item.proposed_in is None and item.status == "Not started"


def test_the_status_history_is_append_only(client):
    base = _baseline(client)
    item = _by_question(client, base)["A2"]
    update_roadmap_item(client, item.id, status="Blocked", by="Ada")
    history = status_history(client, item.plan_uid)
    assert [(h.before, h.status) for h in history] == [(None, "Not started"), ("Not started", "In progress"),
                                                       ("In progress", "Blocked")]
    assert history[1].actor == "Ada" and history[1].changed_at
    conn = sqlite3.connect(client.path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE roadmap_status_history SET status = 'Done'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM roadmap_status_history")
    finally:
        conn.close()


def test_undo_puts_the_plan_back_and_records_the_status(client):
    base = _baseline(client)
    before = roadmap_items(client, base)
    a2 = _by_question(client, base)["A2"]
    update_roadmap_item(client, a2.id, status="Done")
    restore_roadmap(client, base, before)
    assert roadmap_items(client, base) == before
    last = status_history(client, a2.plan_uid)[-1]
    assert (last.before, last.status, last.source) == ("Done", "In progress", "undo")


def test_a_final_assessments_plan_cannot_be_confirmed(client):
    base = _baseline(client)
    client.finalise_assessment(base)
    with pytest.raises(VcisoError, match="final"):
        confirm_proposed(client, base)


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / "ws" / "bright-smile-dental-group.vciso"
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(FIXTURES / name, target)
    return target


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


ORIGINAL_COLUMNS = ("id, assessment_id, question_id, title, recommendation, effort, criticality, gap, priority,"
                    " quick_win, phase, owner, due_date, status, notes, edited, origin, created_at, updated_at")


@pytest.mark.parametrize("fixture", ["release-0.1-demo.vciso", "release-0.2-demo.vciso"])
def test_files_of_earlier_releases_keep_every_item_and_join_the_plan(fixture, tmp_path):
    path = _copy(fixture, tmp_path)
    before = _rows(path, f"SELECT {ORIGINAL_COLUMNS} FROM roadmap_items ORDER BY id")
    assert before
    with ClientFile(path) as client:
        baseline, follow_up = client.assessments()
        assert _rows(path, f"SELECT {ORIGINAL_COLUMNS} FROM roadmap_items ORDER BY id") == before
        base_items = _by_question(client, baseline.id)
        items = roadmap_items(client, follow_up.id)
        assert all(item.plan_uid and item.raised_in for item in items)
        for item in items:                               # the follow-up's items continue the baseline's
            if item.question_id in base_items:
                assert item.plan_uid == base_items[item.question_id].plan_uid
                assert item.raised_in == baseline.id
        # every existing item's status is in the history, recorded as found at the upgrade
        assert {h.plan_uid for h in status_history(client) if h.source == "upgrade"} >= {i.plan_uid for i in items}


def test_the_release_0_2_file_keeps_its_edits_and_manual_items(tmp_path):
    path = _copy("release-0.2-demo.vciso", tmp_path)
    with ClientFile(path) as client:
        baseline, follow_up = client.assessments()
        base = _by_question(client, baseline.id)
        assert (base["ACC-03"].owner, base["ACC-03"].status, base["ACC-03"].notes) == (
            "Sam Lee (IT)", "Done", "MFA rolled out <b>&amp;</b> 北京")
        assert base["ACC-03"].closed_in == baseline.id
        assert base["Appoint a security lead"].notes == '= "board" approves'
        items = _by_question(client, follow_up.id)
        safe = items["Buy a fire safe for the backup disks"]
        assert (safe.origin, safe.due_date, safe.status, safe.notes) == ("manual", "2026-03-31", "In progress",
                                                                         "+49 supplier quote 🙂")
        assert (items["BAK-04"].due_date, items["BAK-04"].status) == ("2026-02-28", "Blocked")
        assert items["BAK-02"].owner == "Priya Shah (Office manager)"
        # the upgraded file works like a new one: a next follow-up carries everything, manual items included
        third = client.create_assessment(client.questionnaire(follow_up.id), "Next quarter",
                                         assessment_date="2026-04-15", based_on=follow_up.id)
        carried = _by_question(client, third.id)
        assert carried["Buy a fire safe for the backup disks"].plan_uid == safe.plan_uid
        assert carried["BAK-04"].status == "Blocked"
