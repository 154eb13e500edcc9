"""How an answer was established (interview, document, observed, tested) and the evidence date: stored with
the answer and its history (migration 0006), shown as confidence beside the level in the reports, evidence
over a year older than the assessment flagged, and an evidence index in the PDF and the workbook."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from exports.excel_workbook import write_workbook
from exports.pdf_report import write_pdf
from vciso.backup import sha256_of
from vciso.cli import main
from vciso.clientfile import ClientFile
from vciso.errors import InvalidAnswer
from vciso.evidence import attach_files, list_evidence
from vciso.library import load_library
from vciso.report import build_report
from vciso.workspace import Workspace

FIXTURES = Path(__file__).with_name("fixtures") / "clientfiles"


@pytest.fixture
def client_path(tmp_path) -> Path:
    ws = Workspace(tmp_path / "ws")
    with ws.create_client("Acme Ltd") as client:
        client.create_assessment(load_library(None).get("small-business-essentials"), name="Baseline",
                                 assessment_date="2026-06-01")
        return client.path


def _aid(client: ClientFile) -> int:
    return client.assessments()[0].id


def _flat(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def test_how_an_answer_was_established_and_its_date_are_stored_with_the_answer_and_its_history(client_path):
    with ClientFile(client_path) as client:
        aid = _aid(client)
        client.save_answer(aid, "BAK-01", current=2, established="Document review", evidence_date="14 Mar 2025")
        client.save_answer(aid, "BAK-01", established="tested")
    with ClientFile(client_path) as client:
        response = client.response(aid, "BAK-01")
        assert (response.established, response.evidence_date) == ("tested", "2025-03-14")
        assert response.provenance.describe() == "High (tested)"
        assert [(h.established, h.evidence_date) for h in client.history(aid, "BAK-01")] == [
            ("document", "2025-03-14"), ("tested", "2025-03-14")]


@pytest.mark.parametrize("field, value, message", [
    ("established", "gut feeling", "not a way of establishing an answer"),
    ("evidence_date", "last spring", "is not a date"),
    ("evidence_date", (dt.date.today() + dt.timedelta(days=3)).isoformat(), "in the future"),
])
def test_an_unknown_method_or_a_bad_date_is_refused_and_nothing_is_written(client_path, field, value, message):
    before = sha256_of(client_path)
    with ClientFile(client_path) as client:
        with pytest.raises(InvalidAnswer, match=message):
            client.save_answer(_aid(client), "BAK-01", current=2, **{field: value})
        assert client.response(_aid(client), "BAK-01") is None
    assert sha256_of(client_path) == before


def test_undo_puts_back_how_the_answer_was_established(client_path):
    with ClientFile(client_path) as client:
        aid = _aid(client)
        first = client.save_answer(aid, "BAK-01", current=2, established="interview").after
        client.save_answer(aid, "BAK-01", established="observed", evidence_date="2026-05-01")
        client.restore_answer(aid, "BAK-01", first, source="undo")
        assert (client.response(aid, "BAK-01").established, client.response(aid, "BAK-01").evidence_date) == (
            "interview", "")


def test_a_file_from_the_previous_release_upgrades_keeping_answers_history_and_evidence(tmp_path):
    path = tmp_path / "ws" / "bright-smile-dental-group.vciso"
    path.parent.mkdir()
    shutil.copyfile(FIXTURES / "release-0.3-demo.vciso", path)

    def rows(sql: str) -> list[tuple]:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    kept = {table: rows(f"SELECT * FROM {table} ORDER BY rowid") for table in
            ("responses", "answer_history", "evidence", "evidence_blobs", "roadmap_items", "assessments")}
    assert "0006_answer_provenance" not in {r[0] for r in rows("SELECT name FROM _sqlite_migrations")}
    with ClientFile(path) as client:
        assert [e.name for e in list_evidence(client)] == ["policy.txt"]
        assert all(r.established == "" and r.evidence_date == "" for r in client.responses(2).values())
    assert "0006_answer_provenance" in {r[0] for r in rows("SELECT name FROM _sqlite_migrations")}
    for table, before in kept.items():
        after = rows(f"SELECT * FROM {table} ORDER BY rowid")
        width = len(before[0]) if before else 0
        assert [row[:width] for row in after] == before, table  # new columns are added at the end


@pytest.fixture
def substantiated(client_path, tmp_path) -> Path:
    """Three answers: tested with a file, a document over a year older than the assessment, an interview."""
    policy = tmp_path / "backup-policy <v2>.pdf"
    policy.write_bytes(b"%PDF-1.4 the backup policy\n")
    with ClientFile(client_path) as client:
        aid = _aid(client)
        client.save_answer(aid, "BAK-01", current=3, established="tested", evidence_date="2026-05-20",
                           evidence="Restore test of the file server")
        attach_files(client, aid, "BAK-01", [policy], actor="Dana")
        client.save_answer(aid, "ACC-01", current=1, established="document", evidence_date="2024-11-02",
                           evidence="Access policy & procedures")
        client.save_answer(aid, "ACC-02", current=2, established="interview")
    return client_path


def test_the_pdf_shows_confidence_beside_the_level_flags_old_evidence_and_indexes_the_files(substantiated, tmp_path):
    with ClientFile(substantiated) as client:
        report = build_report(client)
    sha = sha256_of(tmp_path / "backup-policy <v2>.pdf")
    out = tmp_path / "report.pdf"
    write_pdf(report, out)
    text = _flat(PdfReader(out))
    assert "High confidence" in text and "Medium confidence" in text and "Low confidence" in text
    assert "How established Document review — medium confidence" in text
    assert "Evidence date 2 November 2024 — over a year before the assessment" in text
    assert "rests on evidence dated more than a year before the assessment (ACC-01)" in text
    assert "How the levels were established: 1 tested, 1 document review, 1 interview" in text
    index = text[text.index("Evidence index The evidence behind"):]
    assert "backup-policy <v2>.pdf" in index and sha[:32] in index and sha[32:] in index
    assert "High (tested)" in index and "Medium (document review)" in index and "over a year old" in index
    assert "Access policy & procedures" in index


def test_the_workbook_has_confidence_and_evidence_date_columns_and_an_evidence_sheet(substantiated, tmp_path):
    with ClientFile(substantiated) as client:
        report = build_report(client)
    out = tmp_path / "report.xlsx"
    write_workbook(report, out)
    wb = openpyxl.load_workbook(out)
    responses = wb["Responses"]
    header = [c.value for c in responses[1]]
    by_id = {row[header.index("ID")].value: row for row in responses.iter_rows(min_row=2)}
    acc = by_id["ACC-01"]
    assert acc[header.index("Confidence")].value == "Medium (document review)"
    assert acc[header.index("Evidence date")].value.date() == dt.date(2024, 11, 2)
    assert acc[header.index("Evidence date")].font.color.rgb.endswith("9C0006")  # over a year old: red
    sheet = wb["Evidence"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    head, body = rows[0], rows[1:]
    files = [r for r in body if r[head.index("File")]]
    assert [r[head.index("Question")] for r in files] == ["BAK-01"]
    assert files[0][head.index("SHA-256")] == sha256_of(tmp_path / "backup-policy <v2>.pdf")
    assert files[0][head.index("Confidence")] == "High (tested)"
    stale = [r for r in body if r[head.index("Over a year old")] == "Yes"]
    assert [r[head.index("Question")] for r in stale] == ["ACC-01"]
    assert "Evidence" in wb.sheetnames and wb.sheetnames[:4] == ["Summary", "Responses", "Roadmap", "Method"]


def test_reports_without_any_evidence_have_no_index(client_path, tmp_path):
    with ClientFile(client_path) as client:
        client.save_answer(_aid(client), "BAK-01", current=3)
        report = build_report(client)
    write_pdf(report, tmp_path / "r.pdf")
    write_workbook(report, tmp_path / "r.xlsx")
    assert "Evidence index" not in _flat(PdfReader(tmp_path / "r.pdf"))
    assert "Evidence" not in openpyxl.load_workbook(tmp_path / "r.xlsx").sheetnames


def test_the_cli_and_a_json_import_set_how_an_answer_was_established(client_path, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VCISO_WORKSPACE", str(client_path.parent))
    assert main(["answer", "Acme Ltd", "", "BAK-01", "3", "--established", "observed",
                 "--evidence-date", "2026-04-30", "--evidence", "Saw the nightly job"]) == 0
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": [{"question_id": "ACC-01", "level": 2, "established": "Tested",
                                                "evidence_date": "2026-05-02"}]}), encoding="utf-8")
    assert main(["answers", "import", "Acme Ltd", "", str(answers)]) == 0
    answers.write_text(json.dumps([{"question_id": "ACC-02", "level": 2, "established": "rumour"}]),
                       encoding="utf-8")
    assert main(["answers", "import", "Acme Ltd", "", str(answers)]) != 0
    assert "'rumour' is not a way of establishing an answer" in capsys.readouterr().err
    with ClientFile(client_path) as client:
        responses = client.responses(_aid(client))
    assert (responses["BAK-01"].established, responses["BAK-01"].evidence_date,
            responses["BAK-01"].evidence) == ("observed", "2026-04-30", "Saw the nightly job")
    assert (responses["ACC-01"].established, responses["ACC-01"].evidence_date) == ("tested", "2026-05-02")
    assert "ACC-02" not in responses
