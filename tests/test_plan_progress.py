"""Plan progress (done / in progress / not started / overdue), the plan's calendar (.ics) with stable UIDs,
and `vciso export ics`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from core_fixtures import worked_example_questionnaire
from exports.ics_calendar import build_calendar
from exports.progress import run_to_end
from exports.registry import write
from vciso.plan import overdue_items, plan_progress, progress_sentence
from vciso.report import build_report
from vciso.roadmap_store import add_roadmap_item, regenerate_roadmap, roadmap_items, update_roadmap_item
from vciso.workspace import Workspace


@pytest.fixture
def client(tmp_path: Path):
    with Workspace(tmp_path / "ws").create_client("Calendar Co") as client:
        aid = client.create_assessment(worked_example_questionnaire(), "Baseline", assessment_date="2026-01-10").id
        for qid, level in {"A1": 1, "A2": 1, "B1": 2, "B2": 0}.items():
            client.save_answer(aid, qid, current=level)
        regenerate_roadmap(client, aid)
        yield client


def _items(client):
    return {i.question_id or i.title: i for i in roadmap_items(client, client.assessment().id)}


def test_progress_counts_each_status_and_the_overdue(client):
    items = _items(client)
    update_roadmap_item(client, items["A1"].id, status="Done")
    update_roadmap_item(client, items["A2"].id, status="In progress", due_date="2026-01-20")
    update_roadmap_item(client, items["B1"].id, status="Deferred", due_date="2026-01-01")
    progress = plan_progress(roadmap_items(client, client.assessment().id), dt.date(2026, 2, 1))
    assert (progress.total, progress.done, progress.in_progress, progress.not_started, progress.deferred) == (
        4, 1, 1, 1, 1)
    assert progress.overdue == 1                 # A2: open and past due; deferred B1 is not overdue
    assert progress.percent_done == pytest.approx(1 / 3)
    assert progress_sentence(progress) == ("1 of 3 actions done (33%) · 1 in progress · 1 not started · "
                                           "1 deferred · 1 overdue")
    assert [i.question_id for i in overdue_items(roadmap_items(client, client.assessment().id),
                                                 dt.date(2026, 2, 1))] == ["A2"]


def _events(path: Path) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_calendar_has_one_event_per_open_dated_item_and_keeps_its_uids(client, tmp_path):
    items = _items(client)
    update_roadmap_item(client, items["A1"].id, status="Done")
    manual = add_roadmap_item(client, client.assessment().id, 'Board <b>briefing</b> = "Q1" 北京',
                              due_date="2026-03-31", owner="CEO")
    add_roadmap_item(client, client.assessment().id, "No date yet")
    path = tmp_path / "plan.ics"
    run_to_end(write("ics", build_report(client), path))
    events = _events(path)
    summaries = {str(e["SUMMARY"]): e for e in events.values()}
    assert set(summaries) == {items["A2"].title, items["B1"].title, items["B2"].title,
                              'Board <b>briefing</b> = "Q1" 北京'}   # done and undated items left out
    board = summaries['Board <b>briefing</b> = "Q1" 北京']
    assert board.decoded("DTSTART") == dt.date(2026, 3, 31) and "Owner: CEO" in str(board["DESCRIPTION"])
    # the due date moves: a re-export keeps every UID, so a calendar updates the event, never duplicates it
    update_roadmap_item(client, manual.id, due_date="2026-04-30")
    again = tmp_path / "plan-again.ics"
    run_to_end(write("ics", build_report(client), again))
    moved = _events(again)
    assert set(moved) == set(events)
    uid = str(board["UID"])
    assert moved[uid].decoded("DTSTART") == dt.date(2026, 4, 30)
    assert int(moved[uid]["SEQUENCE"]) >= int(board["SEQUENCE"])
    # the UIDs survive a regeneration and a follow-up too: they are the plan items' ids
    follow = client.create_assessment(worked_example_questionnaire(), "Q2", assessment_date="2026-04-10",
                                      based_on=client.assessment().id)
    regenerate_roadmap(client, follow.id)
    assert {str(e["UID"]) for e in build_calendar(build_report(client, follow.id)).walk("VEVENT")} == set(moved)


def test_vciso_export_ics(cli, tmp_path):
    cli("client", "new", "Acme")
    cli("assessment", "new", "Acme", "small-business-essentials")
    cli("answer", "Acme", "", "ACC-01", "1")
    cli("roadmap", "Acme")
    code, out, err = cli("export", "ics", "Acme", "-o", str(tmp_path / "acme.ics"))
    assert code == 0, err
    assert "Wrote" in out
    assert len(_events(tmp_path / "acme.ics")) == 1


def test_the_pdf_states_plan_progress_and_names_the_overdue(client, tmp_path):
    from pypdf import PdfReader

    items = _items(client)
    update_roadmap_item(client, items["A2"].id, due_date="2020-01-31", owner="Alice")
    update_roadmap_item(client, items["A1"].id, status="Done")
    for later in ("B1", "B2"):
        update_roadmap_item(client, items[later].id, due_date="2099-12-31")
    path = tmp_path / "r.pdf"
    run_to_end(write("pdf", build_report(client), path))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)
    assert "Plan progress: 1 of 4 actions done (25%)" in text and "1 overdue" in text
    assert f"Overdue: {items['A2'].title} (due 31 Jan 2020)" in text and "OVERDUE" in text


def test_the_workbook_summary_states_the_same_plan_progress(client, tmp_path):
    from openpyxl import load_workbook

    items = _items(client)
    update_roadmap_item(client, items["A2"].id, due_date="2020-01-31")
    update_roadmap_item(client, items["A1"].id, status="Done")
    update_roadmap_item(client, items["B1"].id, status="In progress", due_date="2099-12-31")
    update_roadmap_item(client, items["B2"].id, due_date="2099-06-30")
    path = tmp_path / "r.xlsx"
    report = build_report(client)
    run_to_end(write("xlsx", report, path))
    sheet = load_workbook(path)["Summary"]
    values = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)}
    assert any(str(label).startswith("Plan progress on") for label in values)
    assert (values["Actions in the plan"], values["Done"], values["In progress"], values["Not started"]) == \
        (4, 1, 1, 2)  # the overdue action is one of the two not started
    assert values["Overdue (open, past their due date)"] == 1 == report.plan_progress.overdue
    assert values["Done (share of the actions not deferred)"] == pytest.approx(0.25)
    assert values["Next due"].date() == dt.date(2020, 1, 31)


def test_an_action_awaiting_confirmation_is_neither_overdue_nor_next_due(client):
    import dataclasses

    items = sorted(roadmap_items(client, client.assessment().id), key=lambda i: i.id)
    late = dataclasses.replace(items[0], due_date="2020-01-31", proposed_in=items[0].assessment_id)
    later = dataclasses.replace(items[1], due_date="2026-03-01")
    progress = plan_progress([late, later], dt.date(2026, 2, 1))
    assert (progress.overdue, progress.next_due) == (0, "2026-03-01")
