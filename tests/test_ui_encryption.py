"""The app and encrypted clients: listed locked with the name hidden, unlocked by a passphrase asked once per
run (kept in memory only), a wrong passphrase refused with the file unchanged and a way to try again."""

from __future__ import annotations

import hashlib

from ui import prompts
from vciso.crypto import encrypt_file
from vciso.demo import DEMO_NAME
from vciso.workspace import Workspace

PASSPHRASE = "orange staple battery"


def _encrypted_demo_beside_a_plain_client(workspace) -> str:
    ws = Workspace(workspace)
    demo = ws.client_paths()[0]
    encrypt_file(demo, PASSPHRASE)
    ws.create_client("Plain Client Ltd").close()
    return demo.stem


def _page_loaded(window) -> bool:
    return window.page is not None and window.stack.currentWidget() is window.page \
        and window.page.walkthrough.current_id is not None


def test_a_locked_client_is_unlocked_once_per_run_and_then_listed_by_name(open_window, qtbot, demo_workspace,
                                                                         monkeypatch):
    demo = _encrypted_demo_beside_a_plain_client(demo_workspace)
    asked = []

    def ask(parent, file_name, again=False):
        asked.append((file_name, again))
        return PASSPHRASE

    monkeypatch.setattr(prompts, "ask_passphrase", ask)
    window = open_window(demo_workspace)
    model = window.panel.clients
    row = model.row_of(demo)
    assert model.index(row).data() == f"{demo}.vciso"
    assert "Locked" in model.index(row).data(0x0100 + 1)
    assert DEMO_NAME not in [model.index(r).data() for r in range(model.rowCount())]

    window.panel.select_client(demo)
    qtbot.waitUntil(lambda: _page_loaded(window), timeout=20000)
    assert window.profile.name == DEMO_NAME
    assert asked == [(demo, False)]
    qtbot.waitUntil(lambda: model.index(model.row_of(demo)).data() == DEMO_NAME, timeout=10000)

    window.panel.select_client("plain-client-ltd")
    qtbot.waitUntil(lambda: window.profile is not None and window.profile.name == "Plain Client Ltd", timeout=15000)
    window.panel.select_client(demo)
    qtbot.waitUntil(lambda: _page_loaded(window) and window.profile.name == DEMO_NAME, timeout=20000)
    assert asked == [(demo, False)], "asked once while the app runs"


def test_a_wrong_passphrase_is_refused_leaving_the_file_unchanged_and_can_be_tried_again(open_window, qtbot,
                                                                                       demo_workspace, monkeypatch):
    demo = _encrypted_demo_beside_a_plain_client(demo_workspace)
    path = demo_workspace / f"{demo}.vciso"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    answers = ["not it", PASSPHRASE]
    asked = []

    def ask(parent, file_name, again=False):
        asked.append(again)
        return answers.pop(0)

    monkeypatch.setattr(prompts, "ask_passphrase", ask)
    window = open_window(demo_workspace)
    window.panel.select_client(demo)
    qtbot.waitUntil(lambda: "Try again…" in window.message.button_widgets, timeout=15000)
    assert "wrong passphrase" in window.message.text.text()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert path not in window.ops.passphrases
    window.message.button_widgets["Try again…"].click()
    qtbot.waitUntil(lambda: _page_loaded(window), timeout=20000)
    assert window.profile.name == DEMO_NAME and asked == [False, True]


def test_cancelling_the_passphrase_leaves_the_client_locked(open_window, qtbot, demo_workspace, monkeypatch):
    demo = _encrypted_demo_beside_a_plain_client(demo_workspace)
    monkeypatch.setattr(prompts, "ask_passphrase", lambda parent, file_name, again=False: None)
    window = open_window(demo_workspace)
    window.panel.select_client(demo)
    assert window.message.title.text() == "This client is locked"
    assert "Unlock…" in window.message.button_widgets
    assert window.page is None or window.stack.currentWidget() is not window.page


def test_the_portfolio_shows_a_client_unlocked_in_this_run_by_name_and_others_locked(open_window, qtbot,
                                                                                     demo_workspace, monkeypatch):
    demo = _encrypted_demo_beside_a_plain_client(demo_workspace)
    monkeypatch.setattr(prompts, "ask_passphrase", lambda parent, file_name, again=False: PASSPHRASE)
    window = open_window(demo_workspace)
    window.portfolio_action.trigger()
    view = window.portfolio_view
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 2, timeout=15000)
    rows = {row.file_id: row for row in _portfolio_rows(view)}
    assert not rows[demo].ok and "locked" in rows[demo].error and rows[demo].locked
    from ui.portfolio_view import COLUMNS
    row = next(r for r in range(view.model.rowCount()) if view.model.row_at(r).file_id == demo)
    shown = view.model.index(row, COLUMNS.index("Latest assessment"))
    assert shown.data() == "Locked (encrypted): open it once in this run to see its figures"
    from PySide6.QtCore import Qt
    from ui import theme
    assert shown.data(Qt.ItemDataRole.ForegroundRole).color().name().lower() == theme.MUTED.lower()

    window.panel.select_client(demo)
    qtbot.waitUntil(lambda: _page_loaded(window), timeout=20000)
    window.portfolio_action.trigger()
    qtbot.waitUntil(lambda: any(row.ok and row.name == DEMO_NAME for row in _portfolio_rows(view)), timeout=15000)


def _portfolio_rows(view) -> list:
    return [view.model.row_at(r) for r in range(view.model.rowCount())]


def test_a_locked_client_is_listed_plainly_not_in_the_colour_of_an_error(open_window, qtbot, demo_workspace):
    from ui.models import ErrorRole

    demo = _encrypted_demo_beside_a_plain_client(demo_workspace)
    window = open_window(demo_workspace)
    model = window.panel.clients
    index = model.index(model.row_of(demo))
    assert "Locked" in index.data(0x0100 + 1) and not index.data(ErrorRole)
    assert index.data(0x0009) is None  # Qt.ForegroundRole: the list's own colours, not the error red
