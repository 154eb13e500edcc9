"""One `changed(changes, initiator)` signal: after an answer, a roadmap edit and an import, the dashboard and
the roadmap refresh themselves; no view sets another view's flags."""

from __future__ import annotations

import json

from ui import prompts
from ui.roadmap_model import ItemRole, RoadmapTableModel


def _open(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    page = window.page
    window.view_actions[2].trigger()                       # load the roadmap ...
    qtbot.waitUntil(lambda: page.roadmap.loaded, timeout=15000)
    window.view_actions[1].trigger()                       # ... and the dashboard once
    qtbot.waitUntil(lambda: page.dashboard is not None and page.dashboard.report is not None, timeout=15000)
    window.view_actions[0].trigger()
    assert not page.dashboard.stale and page.roadmap.banner.isHidden()
    return window, page


def _record(window):
    seen = []
    window.ops.changed.connect(lambda changes, initiator: seen.append((changes, initiator)))
    return seen


def test_an_answer_refreshes_the_dashboard_and_flags_the_roadmap(open_window, qtbot, demo_workspace):
    window, page = _open(open_window, qtbot, demo_workspace)
    seen = _record(window)
    walkthrough = page.walkthrough
    walkthrough.next_unanswered()
    question = walkthrough.current_id
    walkthrough.panel.choose_key("4")
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    changes, initiator = seen[0]
    assert [c.after.question_id for c in changes.answers] == [question] and initiator is walkthrough
    assert page.dashboard.stale                        # refreshed the next time it is shown
    assert not page.roadmap.banner.isHidden()          # "answers changed since this roadmap was generated"
    before = page.dashboard.kpi_completion.value.text()
    window.view_actions[1].trigger()
    qtbot.waitUntil(lambda: page.dashboard.kpi_completion.value.text() != before, timeout=10000)


def test_a_roadmap_edit_refreshes_the_dashboard(open_window, qtbot, demo_workspace):
    window, page = _open(open_window, qtbot, demo_workspace)
    seen = _record(window)
    window.view_actions[2].trigger()
    view = page.roadmap
    column = RoadmapTableModel.COLUMNS.index("owner")
    assert view.proxy.setData(view.proxy.index(0, column), "Sam Lee (IT)")
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    changes, initiator = seen[0]
    assert changes.roadmap and not changes.answers_changed and initiator is view
    assert page.dashboard.stale
    assert view.proxy.index(0, column).data() == "Sam Lee (IT)"


def test_an_import_refreshes_the_walkthrough_dashboard_and_roadmap(open_window, qtbot, demo_workspace,
                                                                   monkeypatch, tmp_path):
    window, page = _open(open_window, qtbot, demo_workspace)
    seen = _record(window)
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"questionnaire_id": "small-business-essentials", "answers": [
        {"question_id": "DAT-03", "level": 3, "note": "Locked cabinet"}]}))
    monkeypatch.setattr(prompts, "open_file", lambda *a, **k: str(answers))
    monkeypatch.setattr(prompts, "run_dialog", lambda dialog: True)
    window.import_answers_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=15000)
    changes, _initiator = seen[0]
    assert changes.all_answers and changes.touches(page.assessment.id)
    qtbot.waitUntil(lambda: page.walkthrough.model.response("DAT-03") is not None
                    and page.walkthrough.model.response("DAT-03").current == 3.0, timeout=10000)
    assert page.dashboard.stale and not page.roadmap.banner.isHidden()


def test_a_regenerated_roadmap_shown_elsewhere_is_read_again(open_window, qtbot, demo_workspace):
    window, page = _open(open_window, qtbot, demo_workspace)
    assessment_id = page.assessment.id
    from ui.operations import roadmap

    titles = []
    # an edit made by someone other than the roadmap view (here: the operations layer directly)
    roadmap.add_item(window.ops, assessment_id, "Buy a fire safe", {"phase": 0}, titles.append)
    qtbot.waitUntil(lambda: bool(titles), timeout=10000)
    window.view_actions[2].trigger()
    qtbot.waitUntil(lambda: any(page.roadmap.proxy.index(r, 0).data(ItemRole).title == "Buy a fire safe"
                                for r in range(page.roadmap.proxy.rowCount())), timeout=10000)
