"""The Coverage tab: the demo's follow-up against CSF 2.0 shows the figures of `vciso coverage --json`."""

from __future__ import annotations

import json
import os

from vciso import numbers as num


def _open_coverage(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    page = window.page
    page.tabs.setCurrentWidget(page.coverage)
    view = page.coverage
    qtbot.waitUntil(lambda: view.model.coverage is not None, timeout=15000)
    return window, view


def test_coverage_tab_equals_the_command_line_json(open_window, qtbot, demo_workspace, cli, monkeypatch,
                                                   qtmodeltester, tmp_path):
    window, view = _open_coverage(open_window, qtbot, demo_workspace)
    assert [view.framework.itemData(i) for i in range(view.framework.count())] == ["nist-csf-2.0",
                                                                                  "nist-sp-800-53-r5"]
    qtmodeltester.check(view.model)
    monkeypatch.setenv("VCISO_WORKSPACE", str(demo_workspace))
    code, out, err = cli("--workspace", str(demo_workspace), "coverage", "Bright Smile Dental Group",
                         "--framework", "nist-csf-2.0", "--json")
    assert code == 0, err
    data = json.loads(out[out.index("{"):])  # after the model tester's own line
    totals = data["totals"]
    assert f"{totals['covered']} of {totals['applicable']} applicable requirements covered " \
           f"({num.percent(totals['covered_share'])}), {totals['met']} met" in view.summary.text()
    assert "never counted as met" in view.summary.text()
    model = view.model
    assert model.rowCount() == len(data["sections"])
    for s_row, section in enumerate(data["sections"]):
        section_index = model.index(s_row, 0)
        assert model.rowCount(section_index) == len(section["requirements"])
        for r_row, requirement in enumerate(section["requirements"]):
            def cell(column, r_row=r_row, section_index=section_index):
                return model.index(r_row, column, section_index).data()
            assert cell(0).startswith(requirement["id"])
            assert cell(1) == num.score(requirement["level"]) and cell(2) == num.score(requirement["target"])
            assert cell(3) == requirement["confidence"].capitalize()
    # drill into PR.AA-03: its two source answers, the weakest first
    pr = next(i for i, s in enumerate(data["sections"]) if s["id"] == "PR")
    pr_index = model.index(pr, 0)
    row = next(r for r in range(model.rowCount(pr_index)) if model.index(r, 0, pr_index).data().startswith("PR.AA-03"))
    requirement = model.index(row, 0, pr_index)
    assert model.index(row, 4, pr_index).data() == "Below target"
    assert [model.index(i, 0, requirement).data()[:6] for i in range(model.rowCount(requirement))] == ["ACC-04",
                                                                                                    "ACC-03"]
    # nothing partial is labelled met
    statuses = {model.index(r, 4, model.index(s, 0)).data() for s in range(model.rowCount())
                for r in range(model.rowCount(model.index(s, 0)))}
    assert "Met" not in statuses and "At target, partial mapping" in statuses
    shot = os.environ.get("VCISO_COVERAGE_SHOT")
    if shot:
        window.resize(1366, 768)
        qtbot.wait(200)
        window.grab().save(shot)


def test_choosing_sp800_53_recomputes_through_the_chain(open_window, qtbot, demo_workspace):
    window, view = _open_coverage(open_window, qtbot, demo_workspace)
    view.framework.setCurrentIndex(view.framework.findData("nist-sp-800-53-r5"))
    qtbot.waitUntil(lambda: view.model.coverage.framework_id == "nist-sp-800-53-r5", timeout=15000)
    assert "SP 800-53" in view.summary.text() and view.model.rowCount() > 10
