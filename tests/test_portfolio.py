"""The portfolio: each client file keeps its own summary, updated in the same transaction as the change that
alters it; `vciso portfolio` lists every client from those summaries, damaged and older files included."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from core_fixtures import worked_example_questionnaire
from vciso.clientfile import ClientFile
from vciso.portfolio import portfolio_row, read_portfolio
from vciso.roadmap_store import regenerate_roadmap, roadmap_items, update_roadmap_item
from vciso.summary import compute_summary
from vciso.workspace import Workspace

FIXTURES = Path(__file__).with_name("fixtures") / "clientfiles"


def _stored_row(path: Path) -> tuple | None:
    """The stored summary as another process sees it: a fresh read-only connection, after the call returned."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT data, updated_at FROM client_summary WHERE id = 1").fetchone()
    finally:
        conn.close()


def _stored(path: Path) -> dict:
    row = _stored_row(path)
    assert row is not None, "no summary stored"
    return json.loads(row[0])


def _stamp(path: Path) -> str:
    return _stored_row(path)[1]


def _client_with_assessment(workspace: Workspace, name: str, date: str = "2026-01-10") -> tuple[Path, int]:
    with workspace.create_client(name) as client:
        aid = client.create_assessment(worked_example_questionnaire(), "Baseline", assessment_date=date).id
        return client.path, aid


def test_an_answer_removes_the_stored_summary_in_its_own_commit_and_closing_writes_it_again(tmp_path):
    path, aid = _client_with_assessment(Workspace(tmp_path / "ws"), "Acme")
    assert _stored(path)["score"] is None
    with ClientFile(path) as client:
        client.save_answer(aid, "A1", current=2)
        assert _stored_row(path) is None              # never stale: gone in the same commit as the answer
        row = portfolio_row(path)                     # the portfolio computes it from the file meanwhile
        assert row.source == "computed" and row.score == pytest.approx(2.0)
        assert row.completion == pytest.approx(1 / 6)
        client.save_answer(aid, "A2", current=4)
        assert portfolio_row(path).score == pytest.approx(3.0)
        expected = compute_summary(client)
    assert _stored(path) == expected                  # written again on closing
    assert portfolio_row(path).source == "stored"
    stamp = _stamp(path)
    with ClientFile(path) as client:
        client.save_answer(aid, "A2", note="only a note: no figure of the summary changes")
        assert _stamp(path) == stamp                  # not removed or rewritten for nothing
    assert _stamp(path) == stamp


def test_a_summary_removed_by_a_crash_is_written_on_the_next_open(tmp_path):
    path, aid = _client_with_assessment(Workspace(tmp_path / "ws"), "Acme")
    client = ClientFile(path)
    client.save_answer(aid, "A1", current=3)
    client.db.conn.close()                            # the process dies without closing the file
    assert _stored_row(path) is None and portfolio_row(path).score == pytest.approx(3.0)
    with ClientFile(path):
        pass
    assert _stored(path)["score"] == pytest.approx(3.0)


def test_a_roadmap_edit_updates_the_open_and_overdue_actions(tmp_path):
    path, aid = _client_with_assessment(Workspace(tmp_path / "ws"), "Acme")
    with ClientFile(path) as client:
        for qid in ("A1", "A2", "B1"):
            client.save_answer(aid, qid, current=1)
        regenerate_roadmap(client, aid)
        items = roadmap_items(client, aid)
        assert portfolio_row(path).open_actions == len(items) == 3
        update_roadmap_item(client, items[0].id, status="Done", due_date="2026-02-01")
        update_roadmap_item(client, items[1].id, due_date="2020-01-01")
    stored = _stored(path)
    assert stored["plan"]["done"] == 1 and len(stored["plan"]["open"]) == 2
    row = portfolio_row(path, dt.date(2026, 6, 1))
    assert (row.open_actions, row.overdue_actions, row.next_due) == (2, 2, "2020-01-01")


def test_a_failed_write_leaves_the_summary_as_it_was(tmp_path):
    path, aid = _client_with_assessment(Workspace(tmp_path / "ws"), "Acme")
    with ClientFile(path) as client:
        client.save_answer(aid, "A1", current=2)
    before, stamp = _stored(path), _stamp(path)
    with ClientFile(path) as client:
        with pytest.raises(RuntimeError):
            with client.transaction():
                client.save_answer(aid, "A2", current=5)
                raise RuntimeError("killed before the commit")
        assert _stored(path) == before
    assert _stored(path) == before and _stamp(path) == stamp


def test_change_since_the_previous_assessment(tmp_path):
    path, aid = _client_with_assessment(Workspace(tmp_path / "ws"), "Acme")
    with ClientFile(path) as client:
        client.save_answer(aid, "A1", current=1)
        follow = client.create_assessment(worked_example_questionnaire(), "Follow-up", assessment_date="2026-07-01",
                                          based_on=aid).id
        client.save_answer(follow, "A1", current=3)
    row = portfolio_row(path, dt.date(2026, 7, 11))
    assert (row.assessment_name, row.previous_name, row.days_since) == ("Follow-up", "Baseline", 10)
    assert row.change == pytest.approx(2.0) and row.source == "stored"


def test_portfolio_json_lists_a_damaged_file_with_its_error_and_every_other_client(tmp_path, cli):
    workspace = Workspace(tmp_path / "ws")
    for name in ("Alpha Ltd", "Beta Ltd", "Gamma Ltd"):
        _client_with_assessment(workspace, name, "2025-01-01")
    (workspace.path / "damaged.vciso").write_bytes(b"SQLite format 3\x00" + b"\x00" * 300)
    code, out, err = cli("portfolio", "--json")
    assert code == 0, err
    data = json.loads(out)
    names = [c["name"] for c in data["clients"]]
    assert names[:3] == ["Alpha Ltd", "Beta Ltd", "Gamma Ltd"]
    damaged = data["clients"][3]
    assert damaged["file"] == "damaged.vciso" and "damaged.vciso" in damaged["error"]
    assert "\n" not in damaged["error"] and data["unreadable"] == 1
    alpha = data["clients"][0]
    assert alpha["latest_assessment"]["name"] == "Baseline" and alpha["stale"] is True
    assert alpha["completion"] == 0 and alpha["error"] is None
    code, out, _ = cli("portfolio")
    assert code == 0 and "Gamma Ltd" in out and "damaged.vciso" in out


def test_a_file_of_the_previous_release_lists_correctly_and_is_not_changed(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    workspace.ensure()
    old = workspace.path / "release-0.2-demo.vciso"
    shutil.copy(FIXTURES / "release-0.2-demo.vciso", old)
    original = old.read_bytes()
    row = portfolio_row(old)
    assert row.ok, row.error
    assert row.source == "computed" and old.read_bytes() == original     # listed read-only
    with ClientFile(old) as client:                                     # opened for writing: summarised once
        expected = compute_summary(client)
    upgraded = portfolio_row(old)
    assert upgraded.source == "stored" and _stored(old) == expected
    assert (row.name, row.assessment_name, row.score, row.open_actions) == \
        (upgraded.name, upgraded.assessment_name, upgraded.score, upgraded.open_actions)
    assert row.name == "Bright Smile Dental Group" and row.change is not None


def test_the_portfolio_reads_each_file_once_and_sorts_by_name(tmp_path):
    workspace = Workspace(tmp_path / "ws")
    _client_with_assessment(workspace, "zeta")
    _client_with_assessment(workspace, "Alpha")
    with workspace.create_client("No assessments yet"):
        pass
    portfolio = read_portfolio(workspace, dt.date(2026, 1, 20))
    assert [row.name for row in portfolio.rows] == ["Alpha", "No assessments yet", "zeta"]
    empty = portfolio.rows[1]
    assert empty.ok and empty.assessment_id is None and empty.days_since is None


def test_a_summary_older_than_the_schema_is_computed_on_the_fly_then_rewritten_once_on_open(tmp_path):
    path, aid = _client_with_assessment(Workspace(tmp_path / "ws"), "Acme")
    with ClientFile(path) as client:
        client.save_answer(aid, "A1", current=4)
    conn = sqlite3.connect(path)
    with conn:  # as a file last summarised before its latest migration would look
        conn.execute("UPDATE client_summary SET schema = '0003_living_plan', data = '{\"format\": 1}'")
    conn.close()
    row = portfolio_row(path)
    assert row.source == "computed" and row.score == pytest.approx(4.0)   # the stale summary is not used
    with ClientFile(path):
        pass
    stamp = _stamp(path)
    assert portfolio_row(path).source == "stored" and _stored(path)["score"] == pytest.approx(4.0)
    with ClientFile(path):
        pass
    assert _stamp(path) == stamp                                          # summarised once, not at every open


def test_the_portfolio_workbook_has_one_row_per_client_in_a_native_table(tmp_path):
    from openpyxl import load_workbook

    from exports.portfolio_workbook import write_portfolio_workbook

    workspace = Workspace(tmp_path / "ws")
    path, aid = _client_with_assessment(workspace, "Alpha Ltd", "2026-01-10")
    with ClientFile(path) as client:
        for qid, level in (("A1", 2), ("A2", 2), ("A3", 3)):   # a mean of 2.333…, shown 2.3
            client.save_answer(aid, qid, current=level)
    _client_with_assessment(workspace, "Beta Ltd", "2025-01-10")
    (workspace.path / "damaged.vciso").write_bytes(b"nothing")
    output = tmp_path / "portfolio.xlsx"
    write_portfolio_workbook(read_portfolio(workspace, dt.date(2026, 2, 9)), output)
    ws = load_workbook(output)["Portfolio"]
    assert list(ws.tables) == ["Portfolio"] and ws.tables["Portfolio"].ref == "A1:O4"
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.fitToWidth == 1
    header = [c.value for c in ws[1]]
    rows = {r[0].value: dict(zip(header, (c.value for c in r))) for r in ws.iter_rows(min_row=2)}
    alpha = rows["Alpha Ltd"]
    assert alpha["Score"] == 2.3 and alpha["Date"] == dt.datetime(2026, 1, 10) and alpha["Days since assessment"] == 30
    assert rows["Beta Ltd"]["Days since assessment"] == 395
    assert "damaged.vciso" in rows["damaged"]["Error"] and rows["damaged"]["Score"] is None


def test_vciso_portfolio_writes_the_workbook_and_refuses_a_client_file_as_output(tmp_path, cli):
    from openpyxl import load_workbook

    workspace = Workspace(tmp_path / "ws")
    path, _ = _client_with_assessment(workspace, "Alpha Ltd", "2025-01-01")
    original = path.read_bytes()
    code, out, err = cli("portfolio", "-o", str(tmp_path / "portfolio.xlsx"))
    assert code == 0, err
    assert "portfolio.xlsx" in out and "1 client" in out
    sheet = load_workbook(tmp_path / "portfolio.xlsx").active
    assert sheet.cell(2, 1).value == "Alpha Ltd"
    code, _, err = cli("portfolio", "-o", str(path))
    assert code != 0 and "acme" not in err.lower() and err.strip()
    assert path.read_bytes() == original


def test_encrypted_clients_are_read_with_their_passphrase_and_listed_locked_without_it(tmp_path):
    from vciso.crypto import encrypt_file

    ws = Workspace(tmp_path / "ws")
    known, _ = _client_with_assessment(ws, "Alpha Bank")
    unknown, _ = _client_with_assessment(ws, "Beta Clinic")
    stale, aid = _client_with_assessment(ws, "Gamma Mills")
    with ClientFile(known) as client:
        client.save_answer(client.assessments()[0].id, "A1", current=2)
    with ClientFile(stale) as client:
        client.save_answer(aid, "A1", current=4)
    conn = sqlite3.connect(stale)  # no stored summary (as after a crash): computed from a private copy
    conn.execute("DELETE FROM client_summary")
    conn.commit()
    conn.close()
    for path, key in ((known, "alpha pass"), (unknown, "beta pass"), (stale, "gamma pass")):
        encrypt_file(path, key)
    before = {path: path.read_bytes() for path in (known, unknown, stale)}

    portfolio = read_portfolio(ws, dt.date(2026, 2, 1), {known: "alpha pass", stale: "gamma pass"})
    rows = {row.file_id: row for row in portfolio.rows}
    assert rows["alpha-bank"].ok and rows["alpha-bank"].name == "Alpha Bank" and rows["alpha-bank"].score == 2
    assert rows["gamma-mills"].ok and rows["gamma-mills"].score == 4 and rows["gamma-mills"].source == "computed"
    assert not rows["beta-clinic"].ok and "locked" in rows["beta-clinic"].error
    assert "Beta Clinic" not in json.dumps([row.error for row in portfolio.rows])  # a locked name stays hidden
    assert {path: path.read_bytes() for path in before} == before  # read only: nothing written, nothing decrypted
    assert sorted(p.name for p in ws.path.iterdir()) == ["alpha-bank.vciso", "beta-clinic.vciso",
                                                         "gamma-mills.vciso"]
    wrong = read_portfolio(ws, dt.date(2026, 2, 1), {known: "not it"})
    assert "wrong passphrase" in {row.file_id: row for row in wrong.rows}["alpha-bank"].error


def test_vciso_portfolio_reads_encrypted_clients_with_the_given_passphrase(tmp_path, cli, monkeypatch):
    from vciso.crypto import encrypt_file

    workspace = Workspace(tmp_path / "ws")
    for name in ("Alpha Ltd", "Beta Ltd"):
        path, _ = _client_with_assessment(workspace, name, "2025-01-01")
        encrypt_file(path, "shared pass" if name == "Alpha Ltd" else "other pass")
    code, out, err = cli("portfolio", "--json")
    assert code == 0, err
    assert [c["error"] is not None and "locked" in c["error"] for c in json.loads(out)["clients"]] == [True, True]
    monkeypatch.setenv("VCISO_PASSPHRASE", "shared pass")
    code, out, err = cli("portfolio", "--json")
    clients = {c["file"]: c for c in json.loads(out)["clients"]}
    assert clients["alpha-ltd.vciso"]["name"] == "Alpha Ltd" and clients["alpha-ltd.vciso"]["error"] is None
    assert "wrong passphrase" in clients["beta-ltd.vciso"]["error"]
    assert "shared pass" not in out + err
