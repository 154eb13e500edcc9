"""The main window's backup actions: back up the whole workspace to a zip, and restore a backup (a workspace
zip, or one client file such as an automatic backup).

A mixin of `MainWindow`, kept apart so that each module stays small. A backup starts once the client worker
has written every answer queued before it (the open client stays open: SQLite's backup API copies its last
committed state); encrypted clients are copied with the passphrases given in this run, and a client left
out is named with its reason. A restore is planned and every copy's SHA-256 checked first, then shown in a
preview (`ui.dialogs.backup_restore_dialog`); only Restore writes, and the core never replaces a client.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ui import prompts
from ui.progress_box import ProgressBox

if TYPE_CHECKING:
    from ui.client_panel import ClientPanel
    from ui.operations import Operations
    from ui.pages import AssessmentPage

BACKUP_TITLE = "Back up workspace"
RESTORE_TITLE = "Restore from backup"
RESTORE_FILTER = ("Backups and client files (*.zip *.vciso);;Workspace backups (*.zip);;"
                  "Client files, such as automatic backups (*.vciso);;All files (*)")
STATUS_MS = 8000


def _documents() -> Path:
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


class BackupFlows:
    """Backup actions of the main window (uses its panel, page, ops and workspace)."""

    ops: Operations
    panel: ClientPanel
    page: AssessmentPage | None
    workspace_path: Path | None

    # ------------------------------------------------------------------ back up

    def back_up_workspace(self) -> None:
        """Ask where to save the zip, then back up every client of the workspace in the background."""
        from ui.operations import backups
        from ui.window_state import qsettings

        workspace = self.workspace_path
        if workspace is None:
            return
        if self.panel.clients.rowCount() == 0:
            prompts.inform(self, BACKUP_TITLE, f"There is no client to back up in\n{workspace}")
            return
        folder = qsettings().value("backups/folder")
        folder = Path(str(folder)) if folder and Path(str(folder)).is_dir() else _documents()
        suggested = folder / f"vciso-backup-{dt.date.today().isoformat()}.zip"
        chosen = prompts.save_file(self, BACKUP_TITLE, str(suggested), "Workspace backups (*.zip)")
        if not chosen:
            return
        output = Path(chosen)
        if output.suffix.lower() != ".zip":
            output = output.with_name(f"{output.name}.zip")
        qsettings().setValue("backups/folder", str(output.parent))
        if self.page is not None:
            self.page.walkthrough.panel.flush()  # what is being typed is queued, and so in the backup
        self._backup_progress.start("Backing up the workspace…")
        backups.back_up_workspace(self.ops, workspace, output, self._backed_up,
                                  lambda message: self._backup_failed("The backup was not written", message),
                                  self._backup_progress.step)

    def _backed_up(self, result: Any) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from vciso.numbers import plural

        self._backup_progress.end()
        count, left = len(result.entries), len(result.skipped)
        self.statusBar().showMessage(f"Backed up {plural(count, 'client')} to {result.path}", STATUS_MS)
        informative = ""
        if left:
            lines = "\n".join(f"• {reason}" for reason in result.skipped)
            informative = f"{plural(left, 'client')} {'is' if left == 1 else 'are'} not in the backup:\n{lines}"
            if any("passphrase" in reason for reason in result.skipped):
                informative += ("\n\nAn encrypted client is backed up once it has been opened with its passphrase "
                                "since the app started: open it, then back up again.")
        choice = prompts.backup_finished(self, BACKUP_TITLE, f"Backed up {plural(count, 'client')} to\n{result.path}",
                                         informative, warning=bool(left))
        if choice == "folder":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.path.parent)))

    # ------------------------------------------------------------------ restore

    def restore_from_backup(self) -> None:
        """Choose a backup zip or a client file, preview what it restores, and restore it when confirmed."""
        from ui.operations import backups
        from vciso.backup import automatic_backup_folder

        workspace = self.workspace_path
        if workspace is None:
            return
        automatic = automatic_backup_folder()
        folder = automatic if automatic.is_dir() else _documents()
        chosen = prompts.open_file(self, RESTORE_TITLE, str(folder), RESTORE_FILTER)
        if not chosen:
            return
        source = Path(chosen)
        self._backup_progress.start(f"Checking {source.name}…")
        backups.plan_restore(self.ops, workspace, source, lambda preview: self._preview_restore(workspace, preview),
                             lambda message: self._backup_failed(RESTORE_TITLE, message),
                             self._backup_progress.step)

    def _preview_restore(self, workspace: Path, preview: Any) -> None:
        from ui.dialogs.backup_restore_dialog import BackupRestoreDialog
        from ui.operations import backups

        self._backup_progress.end()
        if workspace != self.workspace_path:
            return
        plan = preview.plan
        dialog = BackupRestoreDialog(plan, preview.made, workspace, self)
        accepted = prompts.run_dialog(dialog)
        if not accepted or plan.problems or not plan.items:
            self.statusBar().showMessage(f"Nothing was restored from {plan.source.name}", STATUS_MS)
            return
        self._backup_progress.start(f"Restoring from {plan.source.name}…")
        backups.apply_restore(self.ops, workspace, plan, lambda restored: self._restored(workspace, restored),
                              lambda message: self._backup_failed(RESTORE_TITLE, message),
                              self._backup_progress.step)

    def _restored(self, workspace: Path, restored: list[Any]) -> None:
        from vciso.backup import ENCRYPTED_NOTE
        from vciso.numbers import plural

        self._backup_progress.end()
        self.statusBar().showMessage(f"Restored {plural(len(restored), 'client')} into {workspace}", STATUS_MS)
        lines = [f"• {client.path.name} ({ENCRYPTED_NOTE})" if client.encrypted and not client.name else
                 f"• “{client.name}” as {client.path.name}" + (" (encrypted)" if client.encrypted else "")
                 for client in restored]
        prompts.inform(self, RESTORE_TITLE, f"Restored {plural(len(restored), 'client')} into\n{workspace}\n\n"
                       + "\n".join(lines))
        if workspace != self.workspace_path or not restored:
            return
        # an encrypted one would ask its passphrase at once: show a plain one when there is one
        first = next((client for client in restored if not client.encrypted), restored[0])
        self.refresh_clients(select=first.path.stem)

    # ------------------------------------------------------------------ progress

    @property
    def _backup_progress(self) -> ProgressBox:
        """The backup and restore progress dialog (made on first use)."""
        box: ProgressBox | None = getattr(self, "_backup_box", None)
        if box is None:
            box = self._backup_box = ProgressBox(self, min_width=360)
        return box

    def _backup_failed(self, title: str, message: str) -> None:
        self._backup_progress.end()
        prompts.error(self, title, message)
