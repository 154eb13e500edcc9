"""The roadmap engine: priorities, phases, quick wins, and regeneration that keeps the consultant's edits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from core_fixtures import worked_example_questionnaire
from vciso.errors import VcisoError
from vciso.roadmap import make_phases, plan_gaps, priority_of
from vciso.roadmap_store import (add_roadmap_item, regenerate_roadmap, roadmap_items, update_roadmap_item)
from vciso.scoring import score_assessment
from vciso.workspace import Workspace


@pytest.fixture
def client(tmp_path: Path):
    with Workspace(tmp_path / "ws").create_client("Roadmap Co") as client:
        yield client


def _answer(client, aid, answers):
    for qid, level in answers.items():
        client.save_answer(aid, qid, current=level)


def test_priority_is_gap_times_weight_times_criticality_over_effort():
    assert priority_of(2, 1, 3, 1) == 6
    assert priority_of(2, 1.5, 2, 3) == pytest.approx(2.0)


def test_gaps_become_items_quick_wins_first():
    q = worked_example_questionnaire()
    from vciso.responses import Response
    responses = {"A1": Response("A1", 1), "A2": Response("A2", 0), "B2": Response("B2", 1), "B1": Response("B1", 4)}
    plan = plan_gaps(q, score_assessment(q, responses))
    assert [g.question_id for g in plan] == ["A1", "A2", "B2"]  # B1 is above target: no item
    assert plan[0].quick_win and plan[0].phase == 0  # low effort, high criticality
    assert plan[0].priority == 2 * 1 * 3 / 1
    assert all(g.phase >= 1 for g in plan[1:])


def test_phases_are_configurable():
    phases = make_phases([14, 60, 120])
    assert [p.name for p in phases] == ["0–14 days", "14–60 days", "60–120 days"]
    with pytest.raises(ValueError):
        make_phases([30, 10])


def test_regenerate_keeps_edits_and_follows_the_answers(client):
    aid = client.create_assessment(worked_example_questionnaire()).id
    _answer(client, aid, {"A1": 1, "A2": 1, "B1": 2})
    start = dt.date(2026, 1, 1)
    changes = regenerate_roadmap(client, aid, start=start)
    assert sorted(changes.added) == ["A1", "A2", "B1"]
    items = {i.question_id: i for i in roadmap_items(client, aid)}
    assert items["A1"].due_date == "2026-01-31"
    update_roadmap_item(client, items["A2"].id, owner="Alice", status="In progress", due_date="2026-02-15",
                        notes="Budget approved")
    _answer(client, aid, {"A1": 3, "B2": 0})  # A1 closes (untouched), B2 opens
    changes = regenerate_roadmap(client, aid, start=start)
    assert changes.removed == ["A1"] and changes.added == ["B2"]
    items = {i.question_id: i for i in roadmap_items(client, aid)}
    assert set(items) == {"A2", "B1", "B2"}
    edited = items["A2"]
    assert (edited.owner, edited.status, edited.due_date, edited.notes) == \
        ("Alice", "In progress", "2026-02-15", "Budget approved")
    _answer(client, aid, {"A2": 4})  # the edited item's gap closes: kept, proposed as done (issue 14)
    changes = regenerate_roadmap(client, aid, start=start)
    assert changes.proposed == ["A2"] and changes.closed == []
    kept = {i.question_id: i for i in roadmap_items(client, aid)}["A2"]
    assert kept.status == "In progress" and kept.owner == "Alice" and kept.proposed_in == aid
    from vciso.plan import confirm_proposed
    [closed] = confirm_proposed(client, aid)
    assert (closed.status, closed.closed_in, closed.proposed_in, closed.owner) == ("Done", aid, None, "Alice")


def test_edits_survive_reopening_and_manual_items_are_left_alone(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    with workspace.create_client("Reopen") as client:
        aid = client.create_assessment(worked_example_questionnaire()).id
        _answer(client, aid, {"A2": 0})
        regenerate_roadmap(client, aid)
        item = roadmap_items(client, aid)[0]
        update_roadmap_item(client, item.id, owner="Bob", phase=3)
        add_roadmap_item(client, aid, "Hire a part-time security lead", owner="CEO", phase=2)
    with workspace.open_client("Reopen") as client:
        regenerate_roadmap(client, aid)
        items = roadmap_items(client, aid)
        assert {(i.title, i.owner, i.phase, i.origin) for i in items} >= {
            ("Hire a part-time security lead", "CEO", 2, "manual")}
        generated = [i for i in items if i.origin == "generated"][0]
        assert (generated.owner, generated.phase) == ("Bob", 3)
        assert set(generated.edited) == {"owner", "phase"}


def test_bad_edits_are_refused(client):
    aid = client.create_assessment(worked_example_questionnaire()).id
    _answer(client, aid, {"A2": 0})
    regenerate_roadmap(client, aid)
    item = roadmap_items(client, aid)[0]
    with pytest.raises(VcisoError, match="status must be one of"):
        update_roadmap_item(client, item.id, status="Finished-ish")
    with pytest.raises(VcisoError, match="due date"):
        update_roadmap_item(client, item.id, due_date="next week")
    assert roadmap_items(client, aid)[0].status == "Not started"


def test_due_dates_follow_one_schedule_from_the_assessment_date(tmp_path):
    from vciso.report import build_report
    from vciso.roadmap import DEFAULT_PHASES, schedule

    with Workspace(tmp_path / "ws").create_client("Acme") as client:
        aid = client.create_assessment(worked_example_questionnaire(), "On site last spring",
                                       assessment_date="2026-03-02").id
        for qid, level in (("A1", 1), ("B2", 2)):
            client.save_answer(aid, qid, current=level)
        unsaved = build_report(client, aid)          # before the roadmap is ever saved
        regenerate_roadmap(client, aid)              # no start given: the assessment date
        saved = build_report(client, aid)
    expected = schedule(DEFAULT_PHASES, dt.date(2026, 3, 2))
    assert expected[0] == dt.date(2026, 4, 1)
    start = dt.date(2026, 3, 2)
    assert {i.question_id: i.due_date for i in unsaved.roadmap} == {i.question_id: i.due_date for i in saved.roadmap}
    for report in (unsaved, saved):
        for item in report.roadmap:   # each due inside its phase's window, counted from the assessment date
            phase = DEFAULT_PHASES[item.phase]
            days = (dt.date.fromisoformat(item.due_date) - start).days
            assert phase.start_days < days <= phase.end_days
        assert [report.phase_due(i) for i in range(len(DEFAULT_PHASES))] == list(expected)


def test_within_a_phase_the_most_critical_come_first_and_due_months_keep_to_the_capacity(tmp_path):
    from collections import Counter

    from vciso.library import load_library

    csf = load_library(None).get("nist-csf-2.0")
    with Workspace(tmp_path / "ws").create_client("Acme") as client:
        aid = client.create_assessment(csf, "Everything low", assessment_date="2026-01-05").id
        for question in csf.questions():
            client.save_answer(aid, question.id, current=0)
        regenerate_roadmap(client, aid, actions_per_month=4)
        items = roadmap_items(client, aid)
    assert len(items) == 106
    for before, after in zip(items, items[1:]):
        if before.phase == after.phase:
            assert (before.criticality, before.priority) >= (after.criticality, after.priority) or \
                before.criticality > after.criticality
            assert before.criticality >= after.criticality
    quick_months = Counter(item.due_date[:7] for item in items if item.quick_win)
    all_months = Counter(item.due_date[:7] for item in items)
    assert max(quick_months.values()) <= 4
    assert max(all_months.values()) <= 4 or all_months.most_common(1)[0][0] == max(all_months)  # only the last month overflows
    assert len(set(item.due_date for item in items)) > 4        # not one date per phase any more
