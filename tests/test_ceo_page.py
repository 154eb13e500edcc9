"""The executive summary is a CEO page: plain words, the top three actions (the same the gap table leads
with), the change since the previous assessment, flagged items named, no question ids — on one page."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from exports.pdf_report import write_pdf
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.report import Branding, build_report
from vciso.workspace import Workspace


def _outline_pages(reader: PdfReader) -> dict[str, int]:
    pages = {}
    for entry in reader.outline:
        if isinstance(entry, list):
            continue
        pages[entry.title] = reader.get_destination_page_number(entry)
    return pages


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ceo")
    with create_demo(Workspace(folder / "ws"), load_library(None)) as client:
        return build_report(client, branding=Branding(consultant="Ada", firm_name="Northwind"))


@pytest.fixture(scope="module")
def csf_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("csf")
    csf = load_library(None).get("nist-csf-2.0")
    with Workspace(folder / "ws").create_client("CSF Full Ltd") as client:
        aid = client.create_assessment(csf, "Full").id
        for number, question in enumerate(csf.questions()):
            client.save_answer(aid, question.id, current=(number * 7) % 6, flagged=number % 17 == 0,
                               note="checked" if number % 5 == 0 else "")
        return build_report(client, aid)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
@pytest.mark.parametrize("which", ["demo_report", "csf_report"])
def test_the_executive_summary_is_one_page(which, paper, request, tmp_path):
    from dataclasses import replace

    report = request.getfixturevalue(which)
    report = replace(report, branding=replace(report.branding, paper_size=paper))
    write_pdf(report, tmp_path / "r.pdf")
    reader = PdfReader(str(tmp_path / "r.pdf"))
    pages = _outline_pages(reader)
    assert pages["Scorecard"] - pages["Executive summary"] == 1, pages
    text = reader.pages[pages["Executive summary"]].extract_text()
    assert not re.search(r"\b[A-Z]{2,3}-\d{2}\b|\b[A-Z]{2}\.[A-Z]{2}-\d{2}\b", text), "question ids on the CEO page"


def test_the_top_three_actions_lead_the_gap_table_and_name_owner_and_due(demo_report, tmp_path):
    from vciso import narrative as nv

    actions = demo_report.top_actions
    assert len(actions) == 3
    assert [a.question_id for a in actions] == [g.question_id for g in demo_report.top_gaps[:3]]
    rows = nv.executive_summary(demo_report).top_actions
    assert all(owner and due for _title, owner, due in rows)
    write_pdf(demo_report, tmp_path / "r.pdf")
    reader = PdfReader(str(tmp_path / "r.pdf"))
    page = " ".join(reader.pages[_outline_pages(reader)["Executive summary"]].extract_text().split())
    for action in actions:
        assert action.title in page
    assert "Unassigned" in page or all(a.owner for a in actions)
    summary = nv.executive_summary(demo_report)
    assert summary.change.startswith("+") and summary.change in page       # the change tile
    flagged = [f.title for f in demo_report.findings if f.flagged]
    assert flagged and all(title in page for title in flagged)            # flagged items named


def test_the_report_has_the_sections_consultants_expect(demo_report, csf_report, tmp_path):
    def text(report, name):
        write_pdf(report, tmp_path / name)
        return " ".join(" ".join(p.extract_text() for p in PdfReader(str(tmp_path / name)).pages).split())

    demo, csf = text(demo_report, "demo.pdf"), text(csf_report, "csf.pdf")
    for section in ("How the questions were answered", "Scope and limitations", "Document control",
                    "Classification Confidential"):
        assert section in demo and section in csf
    assert "Category heat map" in csf and "Category heat map" not in demo   # CSF has 22 categories
    assert "Licence: vCISO Workbench" not in demo                           # the tool's own licence text
