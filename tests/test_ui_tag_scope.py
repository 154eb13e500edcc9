"""The app's scope: a "Scope" combo on the dashboard of a questionnaire that defines tags (rescoring it), the
export actions asking the scope (the dashboard's preselected) — and no change for a questionnaire without
tags."""

from __future__ import annotations

from pypdf import PdfReader

from core_fixtures import OTHER_TITLES, make_tagged_client
from exports import registry
from ui import prompts
from ui.models import fmt, pct
from vciso.clientfile import ClientFile
from vciso.scoring import score_assessment
from walkthrough_helpers import open_dashboard

PHRASE = "questions tagged IG1 — Basic cyber hygiene (4 of 7 questions)"


def test_the_scope_combo_rescores_the_dashboard(open_window, qtbot, ui_env):
    path, aid = make_tagged_client(ui_env)
    window, dashboard = open_dashboard(open_window, qtbot, ui_env)
    combo = dashboard.scope_combo
    assert combo.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All questions", "IG1 — Basic cyber hygiene (4 questions)", "IG2 — Growing firms (6 questions)"]
    assert dashboard.model.rowCount() == 3 and dashboard.report.scope is None

    combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dashboard.report.scope is not None, timeout=15000)
    with ClientFile(path) as client:
        ig1 = score_assessment(client.questionnaire(aid), client.responses(aid), tag="IG1").overall
    assert dashboard.kpi_current.value.text() == fmt(ig1.current)
    assert dashboard.kpi_completion.value.text() == pct(ig1.completion)
    assert dashboard.kpi_completion.detail.text().startswith("4 of 4 done")
    assert [dashboard.model.index(r, 0).data() for r in range(dashboard.model.rowCount())] == ["Identify",
                                                                                               "Protect"]
    assert f"Scope: {PHRASE}" in dashboard.method_label.text()

    combo.setCurrentIndex(0)   # back to every question
    qtbot.waitUntil(lambda: dashboard.report.scope is None, timeout=15000)
    assert dashboard.model.rowCount() == 3 and "Scope:" not in dashboard.method_label.text()


def test_a_questionnaire_without_tags_has_no_scope_combo(open_window, qtbot, demo_workspace):
    _window, dashboard = open_dashboard(open_window, qtbot, demo_workspace)
    assert not dashboard.scope_combo.isVisible() and dashboard.report.scope is None


def test_the_export_asks_the_scope_with_the_dashboards_preselected(open_window, qtbot, ui_env, monkeypatch,
                                                                  tmp_path):
    make_tagged_client(ui_env)
    window, dashboard = open_dashboard(open_window, qtbot, ui_env)
    dashboard.scope_combo.setCurrentIndex(1)
    qtbot.waitUntil(lambda: dashboard.report.scope is not None, timeout=15000)
    asked, offered = [], []

    def ask_scope(parent, label, choices, current):
        asked.append((label, choices, current))
        return current

    target = tmp_path / "scoped.pdf"
    monkeypatch.setattr(prompts, "ask_scope", ask_scope)
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "ask_password", lambda parent, label: "")
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    window.export_pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=30000)
    label, choices, current = asked[0]
    assert label == "PDF report" and current == "IG1"
    assert choices == [("", "All questions"), ("IG1", "IG1 — Basic cyber hygiene (4 questions)"),
                       ("IG2", "IG2 — Growing firms (6 questions)")]
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(target)).pages)
    assert PHRASE in text and not any(title in text for title in OTHER_TITLES)

    # the questionnaire workbook is always the whole questionnaire: no scope asked
    asked.clear()
    offered.clear()
    monkeypatch.setattr(prompts, "choose", lambda *a, **k: "Blank")
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(tmp_path / "q.xlsx"))
    window.export_questionnaire_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=30000)
    assert asked == []


def test_a_questionnaire_without_tags_exports_without_asking_the_scope(open_window, qtbot, demo_workspace,
                                                                      monkeypatch, tmp_path):
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    written = {}

    def fake_write(kind, report, path, options=None):
        written["scope"] = report.scope
        yield (1, 1, "Done")
        return []

    offered = []
    monkeypatch.setattr(registry, "write", fake_write)
    monkeypatch.setattr(prompts, "ask_scope", lambda *a, **k: (_ for _ in ()).throw(AssertionError("asked")))
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(tmp_path / "r.pdf"))
    monkeypatch.setattr(prompts, "ask_password", lambda parent, label: "")
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    window.export_pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=15000)
    assert written == {"scope": None}
