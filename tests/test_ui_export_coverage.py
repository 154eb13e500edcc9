"""An export from the app offers a coverage appendix for the frameworks the answers reach, chosen at export."""

from __future__ import annotations

from pypdf import PdfReader

from exports import registry
from ui import prompts


def test_a_pdf_exported_from_the_app_carries_the_coverage_chosen(open_window, qtbot, demo_workspace, monkeypatch,
                                                                  tmp_path):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    offered, finished = [], []
    target = tmp_path / "report.pdf"

    def choose(parent, label, frameworks):
        offered.append(frameworks)
        return next(ident for ident, _title in frameworks if ident == "nist-csf-2.0")

    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "ask_coverage", choose)
    monkeypatch.setattr(prompts, "export_finished", lambda *a, **k: finished.append(a) or "ok")
    window.export_pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(finished), timeout=60000)
    assert offered and ("nist-csf-2.0" in [ident for ident, _ in offered[0]])
    text = " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert "Coverage of" in text and "NIST CSF 2.0" in text


def test_without_a_choice_there_is_no_appendix(open_window, qtbot, demo_workspace, monkeypatch, tmp_path):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    finished = []
    target = tmp_path / "report.pdf"
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "export_finished", lambda *a, **k: finished.append(a) or "ok")
    window.export_pdf_action.trigger()      # conftest answers "no coverage appendix"
    qtbot.waitUntil(lambda: bool(finished), timeout=60000)
    assert "Coverage of" not in " ".join(page.extract_text() for page in PdfReader(str(target)).pages)
    assert registry.ExportOptions().coverage is None
