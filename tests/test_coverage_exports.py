"""The coverage chosen at export: a "Coverage of <framework>" appendix in the PDF and Word reports and a
Coverage sheet in the workbook, with the figures of `vciso coverage --json` (read back from the files)."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from exports.progress import run_to_end
from exports.registry import ExportOptions, write
from vciso import numbers as num
from vciso.crosswalk import assessment_coverage, load_mappings
from vciso.crosswalk.output import coverage_json, summary_line
from vciso.library import load_library
from vciso.report import build_report


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from vciso.demo import create_demo
    from vciso.workspace import Workspace

    library, mappings = load_library(None), load_mappings(None)
    with create_demo(Workspace(tmp_path_factory.mktemp("ws")), library, today=dt.date(2026, 11, 20)) as client:
        coverage = assessment_coverage(client, None, "nist-csf-2.0", library, mappings)
        report = build_report(client)
    return report, coverage, json.loads(json.dumps(coverage_json(coverage)))


def _text(value: str) -> str:
    return " ".join(value.split())


def test_pdf_appendix_states_the_json_figures(demo, tmp_path):
    from pypdf import PdfReader

    report, coverage, data = demo
    path = tmp_path / "report.pdf"
    run_to_end(write("pdf", report, path, ExportOptions(coverage=coverage)))
    text = _text(" ".join(page.extract_text() for page in PdfReader(path).pages))
    assert "Coverage of NIST CSF 2.0 Maturity Assessment" in text
    totals = data["totals"]
    assert (f"{totals['covered']} of {totals['applicable']} applicable requirements covered "
            f"({num.percent(totals['covered_share'])}), {totals['met']} met ({num.percent(totals['met_share'])})"
            f"; 1 not applicable, excluded") in text
    assert "never counted as met" in text
    plain = tmp_path / "plain.pdf"
    run_to_end(write("pdf", report, plain, ExportOptions()))
    assert "Coverage of" not in " ".join(p.extract_text() for p in PdfReader(plain).pages)


def test_workbook_coverage_sheet_rows_equal_the_json(demo, tmp_path):
    from openpyxl import load_workbook

    report, coverage, data = demo
    path = tmp_path / "workbook.xlsx"
    run_to_end(write("xlsx", report, path, ExportOptions(coverage=coverage)))
    ws = load_workbook(path)["Coverage"]
    values = [tuple(row) for row in ws.iter_rows(values_only=True)]
    labels = {row[0]: row[1] for row in values if row and row[0]}
    assert labels["Covered share"] == data["totals"]["covered_share"]
    assert labels["Met share"] == data["totals"]["met_share"]
    assert labels["Applicable requirements"] == data["totals"]["applicable"]
    header = next(i for i, row in enumerate(values) if row[:2] == ("Section", "Requirement"))
    rows = {row[1]: row for row in values[header + 1:] if row[1]}
    expected = {r["id"]: r for s in data["sections"] for r in s["requirements"]}
    assert set(rows) == set(expected)
    for rid, requirement in expected.items():
        assert (rows[rid][3], rows[rid][4]) == (requirement["level"], requirement["target"])
    assert rows["PR.AA-03"][6] == "Below target" and rows["PR.AA-03"][7].startswith("ACC-04 1 (subset-of)")
    assert "Met" not in {row[6] for row in rows.values()}
    plain = tmp_path / "plain.xlsx"
    run_to_end(write("xlsx", report, plain, ExportOptions()))
    assert "Coverage" not in load_workbook(plain).sheetnames


def test_word_appendix_states_the_json_figures(demo, tmp_path):
    pytest.importorskip("docx")
    report, coverage, data = demo
    path = tmp_path / "report.docx"
    run_to_end(write("docx", report, path, ExportOptions(coverage=coverage)))
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    import re

    text = _text(re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", " ", xml)))
    assert "Coverage of NIST CSF 2.0 Maturity Assessment" in text
    assert summary_line(coverage.totals) in text
    assert "PR.AA-03" in text
