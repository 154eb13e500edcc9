"""The Library dialog's Mappings tab lists the mappings and imports one after showing what it read."""

from __future__ import annotations

import json

from pytestqt.qt_compat import qt_api  # noqa: F401 - pytest-qt loaded

from ui import prompts


def _mapping_file(tmp_path):
    path = tmp_path / "mini.json"
    path.write_text(json.dumps({"mapping-collection": {
        "uuid": "00000000-0000-4000-8000-000000000001",
        "metadata": {"title": "Mini map", "version": "1", "last-modified": "2026-01-01T00:00:00Z",
                     "oscal-version": "1.2.0"},
        "provenance": {"method": "human", "matching-rationale": "semantic", "status": "complete",
                       "mapping-descriptions": []},
        "mappings": [{"uuid": "00000000-0000-4000-8000-000000000002",
                      "source-resource": {"type": "catalog", "href": "#csf"},
                      "target-resource": {"type": "catalog", "href": "#tiny"},
                      "maps": [{"uuid": "00000000-0000-4000-8000-000000000003", "relationship": "equal",
                                "sources": [{"type": "control", "id-ref": "GV.OC-01"}],
                                "targets": [{"type": "control", "id-ref": "T-1"}]}]}]}}))
    return path


def test_the_mappings_tab_lists_the_bundled_mappings_and_imports_one(qtbot, ui_env, monkeypatch, tmp_path,
                                                                       qtmodeltester):
    from ui.dialogs.library_dialog import LibraryDialog
    from ui.operations import Operations

    ops = Operations()
    dialog = LibraryDialog(ops)
    qtbot.addWidget(dialog)
    panel = dialog.mappings
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 3, timeout=15000)
    qtmodeltester.check(panel.model)
    ids = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert any("nist-sp-800-53" in i for i in ids)
    assert dialog.tabs.tabText(1) == "Mappings"

    asked = []
    monkeypatch.setattr(prompts, "confirm", lambda parent, title, text, *a, **k: asked.append(text) or True)
    monkeypatch.setattr(prompts, "error", lambda *a, **k: asked.append(("error", a)))
    panel.import_file(_mapping_file(tmp_path))
    qtbot.waitUntil(lambda: "Imported" in panel.status.text() or any(isinstance(x, tuple) for x in asked),
                    timeout=15000)
    assert "Imported" in panel.status.text(), asked
    assert asked and "1 pairs" in asked[0] or "1 pair" in asked[0]
    qtbot.waitUntil(lambda: panel.model.rowCount() == len(ids) + 1, timeout=15000)
    assert "Imported" in panel.status.text()  # the listing that follows does not hide what was done
    ops.shutdown()
