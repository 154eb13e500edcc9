"""The main window: client panel on the left, the open assessment (or a welcome / message page) on the right.

Start-up is kept light: the window is built and shown first; settings, the workspace listing and the core
modules are loaded right after the first show, and the library only when something needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QSplitter, QStackedWidget, QToolButton, QWidget

from ui import prompts
from ui.assessment_flows import AssessmentFlows
from ui.backup_flows import BackupFlows
from ui.client_flows import ClientFlows
from ui.client_panel import ClientPanel
from ui.encryption_flows import EncryptionFlows
from ui.pages import MessagePage
from ui.window_state import qsettings

if TYPE_CHECKING:
    from ui.session import ClientSession  # imported when a client opens: dataclasses stays out of start-up
    from ui.operations import Operations
    from ui.pages import AssessmentPage


# Room left around the window for the title bar and borders the window manager draws (not in our geometry).
WINDOW_FRAME_ALLOWANCE = (16, 48)


class MainWindow(ClientFlows, AssessmentFlows, EncryptionFlows, BackupFlows, QMainWindow):
    """The vCISO Workbench window."""

    firstPainted = Signal()  # the window is on screen: the rest of start-up runs from here

    def __init__(self, workspace: Path | None = None, ops: Operations | None = None) -> None:
        super().__init__()
        self.setWindowTitle("vCISO Workbench")
        self._ops = ops
        self._explicit_workspace = Path(workspace).expanduser() if workspace else None
        self.workspace_path: Path | None = None
        self._settings: Any = None
        self.started = False
        self._start_scheduled = False
        self.clients_loaded = False
        self.page: AssessmentPage | None = None   # built when the first assessment opens
        self.portfolio_view: Any = None             # built when the portfolio is first shown
        self.session: ClientSession | None = None  # the open client
        self._generation = 0
        self._build_actions()
        self._build_ui()
        self._build_menus()
        self._deliverables: Any = None
        from ui.auto_backup import AutoBackups
        self.auto_backups = AutoBackups()  # the clients changed while the window was open: backed up on close
        self._restore_window()
        self._update_actions()
        if ops is not None:
            self._connect_ops(ops)

    # ------------------------------------------------------------------ building

    def _action(self, text: str, slot: Any, shortcut: Any = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _build_actions(self) -> None:
        S = QKeySequence.StandardKey
        self.new_client_action = self._action("&New client…", self.new_client, S.New, "Create a client file")
        self.edit_client_action = self._action("&Edit client profile…", self.edit_client, "Ctrl+Shift+E")
        self.delete_client_action = self._action("&Delete client…", self.delete_client, None,
                                                 "Move the client file to the workspace's trash folder")
        self.restore_client_action = self._action("&Restore a deleted client…", self.restore_deleted_client, None,
                                                  "Move a client back from the workspace's trash folder")
        self.encrypt_client_action = self._action("E&ncrypt client file…", self.encrypt_client, None,
                                                  "Protect the client file with a passphrase, needed to open it")
        self.change_passphrase_action = self._action("&Change passphrase…", self.change_passphrase, None,
                                                     "Give the encrypted client file a new passphrase")
        self.decrypt_client_action = self._action("Decr&ypt client file…", self.decrypt_client, None,
                                                  "Remove the encryption: the file opens without a passphrase")
        self.new_assessment_action = self._action("New &assessment…", self.new_assessment, "Ctrl+Shift+N",
                                                  "Start an assessment from a questionnaire of the library")
        self.follow_up_action = self._action("&Follow-up of this assessment…", self.follow_up, None,
                                             "A new assessment pre-filled with this one's answers")
        self.rename_assessment_action = self._action("Assessment &properties…", self.assessment_properties, "F2",
                                                     "Name, date, assessor and status of the assessment")
        self.delete_assessment_action = self._action("De&lete assessment…", self.delete_assessment)
        self.finalise_action = self._action("&Finalise assessment…", self.finalise_assessment, None,
                                            "Mark the assessment final: no more DRAFT, read-only until reopened")
        self.reopen_action = self._action("Re&open assessment", self.reopen_assessment, None,
                                          "Make a final assessment editable again")
        self.export_pdf_action = self._action("Export &PDF report…", lambda: self.deliverables.export("pdf"),
                                              "Ctrl+Shift+P", "The client-ready PDF report")
        self.export_xlsx_action = self._action("Export &Excel workbook…", lambda: self.deliverables.export("xlsx"),
                                               "Ctrl+Shift+X", "Scores, responses and the roadmap in Excel")
        self.export_docx_action = self._action("Export &Word report…", lambda: self.deliverables.export("docx"),
                                               "Ctrl+Shift+W", "The report as a Word document to edit and tailor")
        self.export_questionnaire_action = self._action(
            "Export &questionnaire workbook…", lambda: self.deliverables.export("questionnaire"), None,
            "An Excel questionnaire the client can fill in and send back")
        self.export_ics_action = self._action(
            "Export plan &calendar (.ics)…", lambda: self.deliverables.export("ics"), None,
            "The plan's open actions with a due date, as calendar events (a re-export updates them)")
        self.export_progress_action = self._action(
            "Export progress &report…", lambda: self.deliverables.export("progress"), None,
            "A short PDF for a board update: scores then and now, what changed, the plan, the next 90 days")
        self.import_answers_action = self._action("&Import answers from workbook…", self.deliverables_import,
                                                  "Ctrl+I", "Read answers back from a filled-in questionnaire")
        self.undo_action = self._action("&Undo", self.undo, S.Undo, "Undo the last change (it is saved at once)")
        self.redo_action = self._action("&Redo", self.redo, None, "Redo the change just undone")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setEnabled(False)
        self.library_action = self._action("Questionnaire &library…", self.show_library, "Ctrl+L")
        self.settings_action = self._action("&Settings…", self.show_settings, S.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.backup_workspace_action = self._action("&Back up workspace…", self.back_up_workspace, None,
                                                    "Save a copy of every client of the workspace in one zip file")
        self.restore_backup_action = self._action("Res&tore from backup…", self.restore_from_backup, None,
                                                  "Bring clients back from a backup zip or an automatic backup, "
                                                  "beside the clients already here")
        self.open_folder_action = self._action("Open &workspace folder", self.open_workspace_folder)
        self.refresh_action = self._action("&Reload", self.reload_everything, S.Refresh,
                                           "Read the workspace, the client and the assessment again")
        if self.refresh_action.shortcut().isEmpty():
            self.refresh_action.setShortcut(QKeySequence("F5"))
        self.quit_action = self._action("&Quit", self.close, S.Quit)
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.view_actions = [self._action(name, lambda i=i: self.show_tab(i), f"Ctrl+{i + 1}")
                             for i, name in enumerate(("&Walkthrough", "&Dashboard", "&Roadmap"))]
        self.portfolio_action = self._action("&Portfolio", self.show_portfolio, "Ctrl+0",
                                             "Every client of the workspace: latest scores, open and overdue actions")
        self.shortcuts_action = self._action("&Keyboard shortcuts", self.show_shortcuts, S.HelpContents)
        self.about_action = self._action("&About vCISO Workbench", self.show_about)

    def _build_ui(self) -> None:
        self.panel = ClientPanel(
            [self._labelled(self.new_client_action, "+ New"), self.edit_client_action, self.delete_client_action,
             self._separator(), *self.encryption_actions()],
            [self._labelled(self.new_assessment_action, "+ New"), self.follow_up_action,
             self.rename_assessment_action, self.delete_assessment_action])
        self.panel.clientChosen.connect(self._client_chosen)
        self.panel.assessmentChosen.connect(self._assessment_chosen)
        self.stack = QStackedWidget()
        self.message = MessagePage()
        self.message.show_message("Opening the workspace…", "")
        self.stack.addWidget(self.message)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([240, 1000])
        self.setCentralWidget(self.splitter)
        self.workspace_label = QLabel("")
        self.workspace_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.workspace_label)

    def _separator(self) -> QAction:
        separator = QAction(self)
        separator.setSeparator(True)
        return separator

    def _update_export_button(self) -> None:
        self.export_button.setEnabled(any(action.isEnabled() for action in self.export_menu.actions()))

    def _labelled(self, action: QAction, text: str) -> QAction:
        """A second action with a short label for the panel's header, doing the same thing."""
        short = QAction(text, self)
        short.setToolTip(action.text().replace("&", "").rstrip("…"))
        short.triggered.connect(action.trigger)
        action.changed.connect(lambda: short.setEnabled(action.isEnabled()))
        return short

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_client_action, self.edit_client_action, self.delete_client_action,
                              self.restore_client_action])
        self.encryption_menu = file_menu.addMenu("Client file en&cryption")
        self.encryption_menu.addActions(self.encryption_actions())
        file_menu.addSeparator()
        file_menu.addActions([self.export_pdf_action, self.export_progress_action, self.export_xlsx_action,
                              self.export_docx_action, self.export_questionnaire_action, self.export_ics_action,
                              self.import_answers_action])
        file_menu.addSeparator()
        file_menu.addActions([self.backup_workspace_action, self.restore_backup_action])
        file_menu.addSeparator()
        file_menu.addActions([self.open_folder_action, self.settings_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.edit_menu = bar.addMenu("&Edit")
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        self.edit_menu.addSeparator()
        self.assessment_menu = bar.addMenu("&Assessment")
        self.assessment_menu.addActions([self.new_assessment_action, self.follow_up_action,
                                         self.rename_assessment_action, self.delete_assessment_action])
        self.assessment_menu.addSeparator()
        self.assessment_menu.addActions([self.finalise_action, self.reopen_action])
        self.assessment_menu.addSeparator()
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.portfolio_action)
        view_menu.addActions(self.view_actions)
        view_menu.addSeparator()
        view_menu.addActions([self.library_action, self.refresh_action])
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.shortcuts_action, self.about_action])

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self._labelled(self.new_client_action, "New client"))
        toolbar.addAction(self._labelled(self.new_assessment_action, "New assessment"))
        toolbar.addSeparator()
        toolbar.addAction(self._labelled(self.export_pdf_action, "Export PDF"))
        # every other deliverable behind one button: a row of them pushed Settings off a 150 % screen
        self.export_menu = QMenu("Export", self)
        self.export_menu.addActions([self.export_pdf_action, self.export_xlsx_action, self.export_docx_action,
                                     self.export_progress_action, self.export_questionnaire_action,
                                     self.export_ics_action])
        self.export_button = QToolButton()
        self.export_button.setText("Export ▾")
        self.export_button.setToolTip("The Excel workbook, the Word report, the progress report, the "
                                      "questionnaire workbook for the client and the plan's calendar")
        self.export_button.setMenu(self.export_menu)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0px; }")  # ▾ says it
        toolbar.addWidget(self.export_button)
        for action in self.export_menu.actions():  # the button is as available as what its menu holds
            action.changed.connect(self._update_export_button)
        self._update_export_button()
        toolbar.addAction(self._labelled(self.import_answers_action, "Import"))
        spacer = QWidget()
        from PySide6.QtWidgets import QSizePolicy
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self._labelled(self.library_action, "Library"))
        toolbar.addAction(self._labelled(self.settings_action, "Settings"))

    def _restore_window(self) -> None:
        store = qsettings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.fit_to_screen()
        state = store.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for key, splitter in (("window/splitter", self.splitter), ("window/panelSplitter", self.panel.splitter)):
            value = store.value(key)
            if isinstance(value, QByteArray):
                splitter.restoreState(value)

    def fit_to_screen(self) -> None:
        """Keep the window on its screen: never larger than the space the screen offers (a geometry saved at
        another scaling or on a larger monitor included), and never partly off it."""
        from PySide6.QtGui import QGuiApplication

        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        available = screen.availableGeometry()
        margin_w, margin_h = WINDOW_FRAME_ALLOWANCE
        width = min(self.width(), max(available.width() - margin_w, 320))
        height = min(self.height(), max(available.height() - margin_h, 240))
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        x = min(max(self.x(), available.left()), available.right() - width - margin_w + 1)
        y = min(max(self.y(), available.top()), available.bottom() - height - margin_h + 1)
        if (x, y) != (self.x(), self.y()):
            self.move(max(x, available.left()), max(y, available.top()))

    def _save_window(self) -> None:
        store = qsettings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.setValue("window/splitter", self.splitter.saveState())
        store.setValue("window/panelSplitter", self.panel.splitter.saveState())
        if self.page is not None:
            store.setValue("window/walkthroughSplitter", self.page.walkthrough.splitter.saveState())
            store.setValue("window/tab", self.page.tabs.currentIndex())
        store.sync()

    @property
    def ops(self) -> Operations:
        """The worker threads for client data (started on first use, after the first paint)."""
        if self._ops is None:
            from ui.operations import Operations
            self._ops = Operations(self)
            self._connect_ops(self._ops)
        return self._ops

    def _connect_ops(self, ops: Operations) -> None:
        ops.changed.connect(self._client_data_changed)
        stack = ops.undo_stack
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(self._undo_text_changed)
        stack.redoTextChanged.connect(self._redo_text_changed)

    def _undo_text_changed(self, text: str) -> None:
        self.undo_action.setText(f"&Undo {text}" if text else "&Undo")

    def _redo_text_changed(self, text: str) -> None:
        self.redo_action.setText(f"&Redo {text}" if text else "&Redo")

    def undo(self) -> None:
        """Undo the last edit (answer or roadmap) of the open assessment."""
        if self._ops is not None and not self.read_only:
            self._ops.undo_stack.undo()

    def redo(self) -> None:
        if self._ops is not None and not self.read_only:
            self._ops.undo_stack.redo()

    def forget_undo(self) -> None:
        """Another assessment or client is shown: the undo history of the previous one ends here."""
        if self._ops is not None:
            self._ops.undo_stack.clear()

    @property
    def deliverables(self) -> Any:
        """Export and import actions (their module is loaded on first use)."""
        if self._deliverables is None:
            from ui.deliverables import Deliverables
            self._deliverables = Deliverables(self)
        return self._deliverables

    # ------------------------------------------------------------------ start-up

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._start_scheduled:
            # load settings, the core and the workspace listing only once the window has been painted,
            # so that it appears as fast as an empty window (with a fallback should no paint come)
            self._start_scheduled = True
            self.installEventFilter(self)
            QTimer.singleShot(400, self._start)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        from PySide6.QtCore import QEvent
        if watched is self and event.type() == QEvent.Type.Paint and not self.started:
            self.removeEventFilter(self)
            self.firstPainted.emit()
            QTimer.singleShot(0, self._start)
        return super().eventFilter(watched, event)

    @property
    def settings(self) -> Any:
        """The consultant's settings (vciso.settings), read on first use."""
        if self._settings is None:
            from vciso.settings import load_settings
            self._settings = load_settings()
        return self._settings

    def _start(self) -> None:
        from vciso.paths import default_workspace

        if self.started:
            return
        self.started = True
        self._show_accent(self.settings.accent_color)
        configured = self.settings.workspace
        self.set_workspace(self._explicit_workspace or (Path(configured).expanduser() if configured
                                                         else default_workspace()))

    def _show_accent(self, accent: str) -> None:
        """Theme the app in the consultant's accent colour, unless it already is (the first frame uses the
        copy kept in the window state); keeps that copy up to date."""
        from PySide6.QtWidgets import QApplication

        from ui.theme import accent_color, apply_theme, current_accent
        from ui.window_state import cache_accent

        app = QApplication.instance()
        wanted = accent_color(accent)
        if isinstance(app, QApplication) and wanted != current_accent():
            apply_theme(app, wanted.name())
        cache_accent(wanted.name())

    def set_workspace(self, path: Path) -> None:
        self._close_client()
        self.workspace_path = Path(path)
        self.workspace_label.setText(f"Workspace: {self.workspace_path}")
        last = qsettings().value(f"session/lastClient/{self.workspace_path}")
        self.refresh_clients(select=str(last) if last else None)

    # ------------------------------------------------------------------ pages

    def show_message(self, title: str, text: str, detail: str = "", buttons: list | None = None) -> None:
        self.message.show_message(title, text, detail, buttons)
        self.stack.setCurrentWidget(self.message)

    def show_welcome(self) -> None:
        self.show_message(
            "Welcome to vCISO Workbench",
            "Your workspace has no clients yet. Each client lives in its own file in the workspace folder, so "
            "you can copy or back it up like any document.",
            f"The demo client is a 45-person dental group with a baseline assessment and a six-month follow-up: "
            f"the quickest way to see the walkthrough, dashboard, roadmap and deliverables.\n\n"
            f"Workspace: {self.workspace_path}",
            [("Create the demo client", self.create_demo, True), ("New client", self.new_client, False)])

    def show_tab(self, index: int) -> None:
        if self.page is not None and self.session is not None and self.portfolio_view is not None \
                and self.stack.currentWidget() is self.portfolio_view:
            self.stack.setCurrentWidget(self.page)  # back from the portfolio to the open client
        if self.page is not None and self.stack.currentWidget() is self.page:
            self.page.tabs.setCurrentIndex(index)

    def show_portfolio(self) -> None:
        """Show every client of the workspace (read again each time it is shown)."""
        from ui.operations import portfolio

        if self.workspace_path is None:
            return
        if self.portfolio_view is None:
            from ui.portfolio_view import PortfolioView
            self.portfolio_view = PortfolioView(self.ops)
            self.portfolio_view.openRequested.connect(self._open_from_portfolio)
            self.stack.addWidget(self.portfolio_view)
        self.portfolio_view.show_loading()
        self.stack.setCurrentWidget(self.portfolio_view)
        portfolio.read_portfolio(self.ops, self.workspace_path, self.portfolio_view.set_portfolio,
                                 self.portfolio_view.show_error)

    def _open_from_portfolio(self, row: Any) -> None:
        """Open the client of a portfolio row, as choosing it in the client list does."""
        if self.session is not None and self.session.path == row.path and self.page is not None:
            self.stack.setCurrentWidget(self.page)
        elif not self.panel.select_client(row.file_id):
            self.refresh_clients(select=row.file_id)

    def _ensure_page(self) -> AssessmentPage:
        if self.page is None:
            from ui.pages import AssessmentPage
            self.page = AssessmentPage(self.ops, lambda: self.settings)
            self.stack.addWidget(self.page)
            self.assessment_menu.addActions([a for a in self.page.walkthrough.actions_for_menu if a is not None])
            self.edit_menu.addAction(self.page.walkthrough.clear_action)
            store = qsettings()
            value = store.value("window/walkthroughSplitter")
            if isinstance(value, QByteArray):
                self.page.walkthrough.splitter.restoreState(value)
            tab = store.value("window/tab")
            if tab is not None and str(tab).isdigit():
                self.page.tabs.setCurrentIndex(int(tab))
        return self.page

    # ------------------------------------------------------------------ library, settings, help

    def show_library(self) -> None:
        from ui.dialogs.library_dialog import LibraryDialog
        prompts.run_dialog(LibraryDialog(self.ops, self))

    def show_settings(self) -> None:
        from vciso.errors import VcisoError
        from vciso.settings import save_settings

        from ui.dialogs.settings_dialog import SettingsDialog

        old = self.settings
        dialog = SettingsDialog(old, self)
        if not prompts.run_dialog(dialog):
            return
        new = dialog.result_settings()
        try:
            save_settings(new)
        except OSError as exc:
            prompts.error(self, "Settings", f"The settings could not be saved: {exc.strerror or exc}")
            return
        except VcisoError as exc:  # a full disk or a read-only folder, in words
            prompts.error(self, "Settings", f"The settings could not be saved: {exc}")
            return
        self._settings = new
        self._show_accent(new.accent_color)
        if new.remember_passphrases != old.remember_passphrases:
            self._keyring_setting_changed(old.remember_passphrases, new.remember_passphrases)
        if self._explicit_workspace is None and new.workspace != old.workspace:
            from vciso.paths import default_workspace
            self.set_workspace(Path(new.workspace).expanduser() if new.workspace else default_workspace())
        elif (new.phase_days, new.capacity()) != (old.phase_days, old.capacity()) and self.page is not None \
                and self.page.assessment is not None:
            self.page.roadmap.set_assessment(self.page.assessment, new.phases(), self.read_only, new.capacity())
            if self.page.tabs.currentIndex() == 2:
                self.page.roadmap.ensure_loaded()
        from vciso.changes import Changes
        self.ops.announce(Changes(settings=True), self)
        self.statusBar().showMessage("Settings saved", 4000)

    def open_workspace_folder(self) -> None:
        if self.workspace_path is not None:
            self.workspace_path.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.workspace_path)))

    def show_shortcuts(self) -> None:
        from ui.dialogs.shortcuts_dialog import ShortcutsDialog
        prompts.run_dialog(ShortcutsDialog(self))

    def show_about(self) -> None:
        from vciso import __version__
        prompts.inform(self, "About vCISO Workbench",
                       f"vCISO Workbench {__version__}\n\nMaturity assessments, roadmaps and client-ready "
                       "deliverables for virtual CISOs — fully offline.")

    # ------------------------------------------------------------------ state

    def _update_title(self, has_assessment: bool) -> None:
        """`Client — Assessment — vCISO Workbench`, so the taskbar and window switcher say what is open."""
        parts = []
        if self.profile is not None:
            parts.append(self.profile.name)
            if has_assessment and self.page is not None and self.page.assessment is not None:
                parts.append(self.page.assessment.name)
            if self.read_only:
                parts.append("read-only")
        self.setWindowTitle(" — ".join([*parts, "vCISO Workbench"]))

    def _update_actions(self) -> None:
        has_client = self.profile is not None
        listing = self.panel.current_listing()
        has_assessment = has_client and self.page is not None and self.page.assessment is not None \
            and self.stack.currentWidget() is self.page
        writable = not self.read_only
        self._update_title(has_assessment)
        self.edit_client_action.setEnabled(has_client and writable)
        self.delete_client_action.setEnabled(listing is not None and writable)
        self.new_assessment_action.setEnabled(has_client and writable)
        for action in (self.follow_up_action, self.rename_assessment_action, self.delete_assessment_action):
            action.setEnabled(has_assessment and writable)
        shown = self.page.assessment if has_assessment and self.page is not None else None
        if shown is not None:  # (not imported before an assessment is shown: start-up stays light)
            from vciso.client_records import is_final
        final = shown is not None and is_final(shown.status)
        self.finalise_action.setEnabled(has_assessment and writable and not final)
        self.reopen_action.setEnabled(has_assessment and writable and final)
        for action in (self.export_pdf_action, self.export_xlsx_action, self.export_docx_action,
                       self.export_questionnaire_action, self.export_ics_action, self.export_progress_action):
            action.setEnabled(has_assessment)
        self.import_answers_action.setEnabled(has_assessment and writable)
        self._update_encryption_actions()
        for action in self.view_actions:
            action.setEnabled(has_assessment)
        if self.page is not None:
            self.page.walkthrough.set_enabled(has_assessment)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.page is not None:
            self.page.walkthrough.panel.flush()
        self._save_window()
        session, self.session = self.session, None
        if self._ops is not None:
            self._ops.shutdown()  # writes whatever is still queued, then closes the client file
        if session is not None and session.lock is not None:
            session.lock.release()
        if self._ops is not None:  # after the worker wrote and closed every file
            self.auto_backups.back_up(self._ops.changed_paths, self.settings.backups_kept(),
                                      passphrases=self._ops.passphrases)
        super().closeEvent(event)
