"""The exports registry: every kind the command line takes, each writing a real file with progress, and
importing the registry loads no writer library."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from core_fixtures import demo_workspace_and_report
from exports import registry
from exports.registry import EXPORTERS, KINDS, ExportOptions
from vciso.cli import build_parser, main
from vciso.questionnaire_xlsx import COL_LEVEL, QUESTIONS_SHEET

ROOT = Path(__file__).resolve().parent.parent
CLIENT = "bright-smile-dental-group"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo client's workspace and a report of its latest assessment."""
    return demo_workspace_and_report(tmp_path_factory.mktemp("registry"))


def _run(steps):
    """All the progress a writer yields, and what it returns."""
    seen = []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration as done:
            return seen, done.value


def _export_choices() -> list[str]:
    parser = build_parser()
    commands = next(a for a in parser._actions if a.dest == "command")
    kind = next(a for a in commands.choices["export"]._actions if a.dest == "kind")
    return list(kind.choices)


def test_the_command_line_takes_exactly_the_registry_kinds(monkeypatch):
    assert {"pdf", "xlsx", "questionnaire", "ics"} <= set(KINDS)
    assert _export_choices() == [*KINDS, "evidence"]  # evidence: the attached files, written by the core
    monkeypatch.setattr(registry, "KINDS", KINDS + ("docx",))  # a new kind reaches the command line
    assert _export_choices() == [*KINDS, "docx", "evidence"]
    monkeypatch.undo()
    kinds = ("pdf", "xlsx", "questionnaire")
    assert [EXPORTERS[k].label for k in kinds] == ["PDF report", "Excel workbook", "questionnaire workbook"]
    assert [EXPORTERS[k].suffix for k in kinds] == [".pdf", ".xlsx", ".xlsx"]
    assert (EXPORTERS["ics"].label, EXPORTERS["ics"].suffix) == ("plan calendar", ".ics")


def test_every_kind_is_available_in_this_build_and_a_missing_module_is_not():
    assert all(EXPORTERS[k].available() for k in KINDS)
    assert not registry.module_available("exports.no_such_writer")
    missing = registry.Exporter("odt", "OpenDocument report", "report.odt", "(*.odt)",
                                ("exports.no_such_writer",), EXPORTERS["pdf"].write)
    assert not missing.available()


def test_importing_the_registry_loads_no_writer_or_library():
    code = ("import json, sys\nimport exports.registry\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('reportlab', 'openpyxl', 'PySide6') or m.startswith('exports.') and m != 'exports.registry')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("kind", KINDS)
def test_each_writer_reports_progress_and_writes_a_real_file(demo, tmp_path, kind):
    _, report = demo
    path = tmp_path / f"out{EXPORTERS[kind].suffix}"
    steps, warnings = _run(registry.write(kind, report, path))
    assert isinstance(warnings, list)
    assert len(steps) >= 3, steps
    assert all(isinstance(s, int) and isinstance(t, int) and m for s, t, m in steps)
    numbers = [s for s, _, _ in steps]
    assert numbers == sorted(numbers) and numbers[-1] == steps[-1][1] > 0  # ends at the total
    assert steps[-1][2] == f"Saved {path.name}"
    if kind == "pdf":
        reader = PdfReader(str(path))
        assert len(reader.pages) > 5
        assert "Bright Smile Dental Group" in reader.pages[0].extract_text()
    elif kind == "progress":  # the short board report
        reader = PdfReader(str(path))
        assert 2 <= len(reader.pages) <= 4
        assert "PROGRESS REPORT" in reader.pages[0].extract_text()
    elif kind == "ics":
        import icalendar
        assert icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    elif kind == "docx":
        import docx
        document = docx.Document(str(path))
        assert any(p.style.name == "Heading 1" and p.text == "Executive summary" for p in document.paragraphs)
    else:
        book = openpyxl.load_workbook(path)
        expected = ["Summary", "Responses", "Roadmap", "Method"] if kind == "xlsx" else [QUESTIONS_SHEET]
        assert set(expected) <= set(book.sheetnames)


def _levels(path: Path) -> list:
    ws = openpyxl.load_workbook(path)[QUESTIONS_SHEET]
    header = [c.value for c in ws[1]]
    column = header.index(COL_LEVEL) + 1
    return [ws.cell(row=r, column=column).value for r in range(2, ws.max_row + 1)]


def test_options_reach_the_writers(demo, tmp_path):
    """Paper size for the PDF; pre-filled (the app's default) or blank questionnaire."""
    _, report = demo
    assert report.branding.paper_size == "A4"
    _run(registry.write("pdf", report, tmp_path / "a4.pdf"))
    _run(registry.write("pdf", report, tmp_path / "letter.pdf", ExportOptions(paper_size="letter")))
    a4, letter = (PdfReader(str(tmp_path / n)).pages[0].mediabox for n in ("a4.pdf", "letter.pdf"))
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)

    _run(registry.write("questionnaire", report, tmp_path / "filled.xlsx"))
    _run(registry.write("questionnaire", report, tmp_path / "blank.xlsx", ExportOptions(prefill=False)))
    assert any(_levels(tmp_path / "filled.xlsx"))
    assert not any(_levels(tmp_path / "blank.xlsx"))


@pytest.mark.parametrize("kind", KINDS)
def test_the_command_line_writes_every_kind(demo, tmp_path, capsys, kind):
    workspace, _ = demo
    path = tmp_path / f"cli{EXPORTERS[kind].suffix}"
    assert main(["--workspace", str(workspace.path), "export", kind, CLIENT, "-o", str(path)]) == 0
    assert capsys.readouterr().out.strip() == f"Wrote {path}"
    assert path.stat().st_size > 1000
