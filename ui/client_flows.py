"""The main window's client actions: list the workspace, open and close a client, create, edit, delete.

A mixin of `MainWindow`, kept apart so that each module stays small; every read and write goes through
the named operations of `ui.operations`, and what is open is one typed `ClientSession`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from ui import prompts
from ui.window_state import qsettings

OPEN_EXISTING = "Open the existing client"
CREATE_ANYWAY = "Create anyway"

if TYPE_CHECKING:
    from ui.session import ClientSession  # imported when a client opens: dataclasses stays out of start-up
    from ui.client_panel import ClientPanel
    from ui.operations import Operations
    from ui.pages import AssessmentPage


class ClientFlows:
    """Client actions of the main window (uses its panel, page, ops, settings and session)."""

    ops: Operations
    panel: ClientPanel
    page: AssessmentPage | None
    session: ClientSession | None
    workspace_path: Path | None
    clients_loaded: bool
    _generation: int

    # ------------------------------------------------------------------ the open client

    @property
    def profile(self) -> Any:
        """The open client's profile (None while none is open)."""
        return self.session.profile if self.session is not None else None

    @property
    def open_path(self) -> Path | None:
        return self.session.path if self.session is not None else None

    @property
    def read_only(self) -> bool:
        """True when the open client is held by another window: it is shown but never written."""
        return self.session.read_only if self.session is not None else False

    # ------------------------------------------------------------------ workspace

    def refresh_clients(self, select: str | None = None) -> None:
        """List the workspace in the background (it opens each file briefly in that thread)."""
        from ui.operations import clients

        if self.workspace_path is None:
            return
        clients.list_clients(self.ops, self.workspace_path, lambda listings: self._clients_listed(listings, select),
                             lambda message: self.show_message("The workspace cannot be read", message))

    def _clients_listed(self, listings: list[Any], select: str | None) -> None:
        self.clients_loaded = True
        self.panel.set_listings(listings, select)
        if not listings:
            self._close_client()
            self.show_welcome()
        elif self.panel.current_listing() is None and len(listings) == 1 and listings[0].ok:
            self.panel.select_client(listings[0].file_id)
        elif self.panel.current_listing() is None and not self._portfolio_shown():
            self._close_client()
            self.show_message("Choose a client", "Select a client on the left to see its assessments, or create "
                              "a new one.", buttons=[("New client", self.new_client, True)])
        self._update_actions()

    def _portfolio_shown(self) -> bool:
        view = getattr(self, "portfolio_view", None)
        return view is not None and self.stack.currentWidget() is view

    # ------------------------------------------------------------------ open and close

    def _client_chosen(self, listing: Any) -> None:
        if listing is None:
            return
        if listing.ok and self.session is not None and self.session.path == listing.path:
            self.session.profile = listing.profile
            return
        self._close_client()
        if self.workspace_path is not None:
            qsettings().setValue(f"session/lastClient/{self.workspace_path}", listing.file_id)
        if getattr(listing, "locked", False):
            self._unlock_client(listing)
            return
        if not listing.ok:
            self.show_message(
                "This client file cannot be opened", listing.error,
                f"File: {listing.path}\n\nThe other clients are not affected. If you have a backup of this file, "
                "copy it into the workspace folder; otherwise move this one to the trash.",
                [("Show in folder", lambda: self._reveal(listing.path), False),
                 ("Move to trash…", self.delete_client, False)])
            self._update_actions()
            return
        self._open_client(listing)

    def _unlock_client(self, listing: Any, again: bool = False) -> None:
        """Open an encrypted client with the passphrase remembered in the system keyring (when that setting is
        on), else ask for it once per run (kept in memory by the operations layer once it opened the file;
        asked again only when it was wrong)."""
        if not again:
            remembered = self._remembered_passphrase(listing.path)
            if remembered is not None:
                self._open_client(listing, remembered, from_keyring=True)
                return
        self._ask_passphrase_and_open(listing, again)

    def _ask_passphrase_and_open(self, listing: Any, again: bool = False) -> None:
        key = prompts.ask_passphrase(self, listing.file_id, again)
        if key is None:
            self.show_message("This client is locked", f"{listing.path.name} is encrypted: its name and "
                              "answers show once it is opened with its passphrase.", f"File: {listing.path}",
                              [("Unlock…", lambda: self._unlock_client(listing), True)])
            self._update_actions()
            return
        self._open_client(listing, key)

    def _open_client(self, listing: Any, key: str | None = None, from_keyring: bool = False) -> None:
        from ui.session import ClientSession
        from vciso.locking import ClientLock

        lock = ClientLock(listing.path)
        owner = lock.acquire()
        read_only = False
        if owner is not None:
            choice = prompts.choose(
                self, "Client file in use", f"“{listing.name}” is open in {owner.describe()}.",
                ["Open read-only"],
                "Two windows writing the same client could overwrite each other's answers. Open it read-only to "
                "look at it here, or cancel and use the other window.")
            if choice != "Open read-only":
                self.show_message("Not opened", f"“{listing.name}” is open in {owner.describe()}.",
                                  buttons=[("Try again", lambda: self._open_client(listing, key), True)])
                return
            read_only = True
        self._generation += 1
        session = ClientSession(listing.path, self._generation, read_only, None if read_only else lock)
        self.session = session
        self.show_message(f"Opening {listing.name}…", "")
        key = key if key is not None else self.ops.passphrases.get(listing.path)
        unlocking = getattr(listing, "locked", False)

        def opened(result: Any) -> None:
            if unlocking and key is not None and not from_keyring:
                self._update_remembered(listing.path, key)  # in the system keyring, when that setting is on
            self._client_opened(session, result, unlocking)

        self.ops.open_client(listing.path, opened,
                             lambda message: self._client_failed(session, listing, message, key is not None,
                                                                 from_keyring),
                             key=key)

    def _client_opened(self, session: ClientSession, result: Any, unlocked: bool = False) -> None:
        if session is not self.session:
            return
        if unlocked:  # the listing shows the client's name now that its passphrase is known
            self.refresh_clients(session.path.stem)
        session.profile, assessments, why_read_only = result
        from vciso.crypto import is_encrypted

        session.encrypted = is_encrypted(session.path)
        if why_read_only:  # a file from a newer version: shown, never written
            session.read_only, session.read_only_reason = True, why_read_only
            if session.lock is not None:
                session.lock.release()
                session.lock = None
        remembered = qsettings().value(f"session/lastAssessment/{session.path}")
        select = int(remembered) if remembered is not None and str(remembered).isdigit() else None
        self.panel.set_assessments(assessments, select)
        self._update_actions()

    def _client_failed(self, session: ClientSession, listing: Any, message: str, with_key: bool = False,
                       from_keyring: bool = False) -> None:
        if session is not self.session:
            return
        self._close_client()
        if from_keyring and self._remembered_passphrase_failed(listing, message):
            return
        buttons = [("Show in folder", lambda: self._reveal(listing.path), False)]
        if with_key:  # most likely a wrong passphrase: the file is unchanged, ask again
            self.ops.passphrases.pop(listing.path, None)
            buttons.insert(0, ("Try again…", lambda: self._unlock_client(listing, again=True), True))
        self.show_message("This client file cannot be opened", message, f"File: {listing.path}", buttons)

    def _close_client(self) -> None:
        """Forget the open client: flush typed text, close the worker's connection, release the lock."""
        if self.page is not None:
            self.page.walkthrough.clear()
        session, self.session = self.session, None
        self._generation += 1
        self.forget_undo()
        if session is not None:
            self.ops.close_client()
            if session.lock is not None:
                lock = session.lock
                # released after the worker closed the file: the close job runs before this callback
                self.ops.call(lambda ctx: None, lambda _r: lock.release())
        self.panel.clear_assessments()
        self._update_actions()

    def _reveal(self, path: Path) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))

    # ------------------------------------------------------------------ create, edit, delete

    def new_client(self) -> None:
        from ui.dialogs.client_dialog import ClientDialog
        from ui.operations import clients

        if self.workspace_path is None:
            return
        dialog = ClientDialog(self)
        if not prompts.run_dialog(dialog):
            return
        workspace, values, key = self.workspace_path, dialog.values(), dialog.passphrase()

        def created(file_id: str) -> None:
            if key is not None:  # known from now on: the new client is listed by name and opens unasked
                from vciso.workspace import CLIENT_SUFFIX

                path = workspace / f"{file_id}{CLIENT_SUFFIX}"
                self.ops.passphrases[path] = key
                self._update_remembered(path, key)
            self.refresh_clients(select=file_id)

        def create() -> None:
            clients.create_client(self.ops, workspace, values, created,
                                  lambda message: prompts.error(self, "New client", message), key=key)

        def checked(taken: list[Any]) -> None:
            if workspace != self.workspace_path:
                return
            if not taken:
                create()
                return
            # two clients of one name cannot be told apart in the list, and the command line refuses the name
            existing = taken[0]
            others = f"{len(taken)} clients are" if len(taken) > 1 else "A client is"
            choice = prompts.choose(
                self, "New client", f"{others} already named “{existing.name}”.", [OPEN_EXISTING, CREATE_ANYWAY],
                "Two clients with the same name are hard to tell apart, and the command line then needs the "
                "client's id instead of its name. Open the existing client, or create another one anyway.",
                warning=True)
            if choice == OPEN_EXISTING and not self.panel.select_client(existing.file_id):
                self.refresh_clients(select=existing.file_id)
            elif choice == CREATE_ANYWAY:
                create()

        clients.clients_named(self.ops, workspace, values["name"], checked,
                              lambda message: prompts.error(self, "New client", message))

    def create_demo(self) -> None:
        from ui.operations import clients

        if self.workspace_path is None:
            return
        workspace_path, phases = self.workspace_path, self.settings.phases()
        self.show_message("Creating the demo client…", "")

        def failed(message: str) -> None:
            prompts.error(self, "Demo client", f"The demo client could not be created: {message}")
            self.refresh_clients()

        self.ops.library(lambda library: clients.create_demo(
            self.ops, workspace_path, library, phases, lambda file_id: self.refresh_clients(select=file_id),
            failed), failed)

    def edit_client(self) -> None:
        from ui.dialogs.client_dialog import ClientDialog
        from ui.operations import clients

        session = self.session
        if session is None or session.profile is None or session.read_only:
            return
        dialog = ClientDialog(self, session.profile)
        if not prompts.run_dialog(dialog):
            return

        def done(profile: Any) -> None:
            session.profile = profile  # the `changed` signal that follows shows it everywhere

        clients.update_profile(self.ops, dialog.values(), done,
                               lambda message: prompts.error(self, "Client profile", message), self)

    def delete_client(self) -> None:
        from ui.operations import clients

        listing = self.panel.current_listing()
        if listing is None or self.workspace_path is None:
            return
        if not prompts.confirm(self, "Delete client",
                               f"Move “{listing.name}” to the workspace's trash folder?\n\nAll its assessments, "
                               f"answers and roadmap go with it. The file can be recovered from\n"
                               f"{self.workspace_path / '.trash'}.", "Move to trash", destructive=True):
            return
        self._close_client()

        def done(_target: Path) -> None:
            self.statusBar().showMessage(f"“{listing.name}” moved to the trash folder", 6000)
            self.refresh_clients()

        clients.delete_client(self.ops, self.workspace_path, listing.file_id, done,
                              lambda message: prompts.error(self, "Delete client", message))

    # ------------------------------------------------------------------ restore

    def restore_deleted_client(self) -> None:
        """List the workspace's trash, let the consultant pick a client, and move it back (never over an
        existing client); the restored client is then selected."""
        from ui.operations import clients

        workspace = self.workspace_path
        if workspace is None:
            return
        clients.deleted_clients(self.ops, workspace, lambda deleted: self._choose_deleted(workspace, deleted),
                                lambda message: prompts.error(self, "Restore a deleted client", message))

    def _choose_deleted(self, workspace: Path, deleted: list[Any]) -> None:
        from ui.dialogs.restore_dialog import RestoreDialog
        from ui.operations import clients
        from vciso.workspace import TRASH_DIR

        if workspace != self.workspace_path:
            return
        if not deleted:
            prompts.inform(self, "Restore a deleted client",
                           f"There are no deleted clients: the trash folder {workspace / TRASH_DIR} is empty.")
            return
        dialog = RestoreDialog(deleted, workspace / TRASH_DIR, self)
        entry = dialog.chosen() if prompts.run_dialog(dialog) else None
        if entry is None:
            return

        def restored(path: Path) -> None:
            self.statusBar().showMessage(f"“{entry.name}” is back in the workspace", 6000)
            self.refresh_clients(select=path.stem)

        clients.restore_client(self.ops, workspace, entry.path, restored,
                               lambda message: prompts.error(self, "Restore a deleted client", message))

    # ------------------------------------------------------------------ changes

    def _client_data_changed(self, changes: Any, initiator: Any) -> None:
        """The open client's profile or assessments changed: update the header and both lists. A change
        made elsewhere (another process, F5) is read again first."""
        session = self.session
        if session is None or not (changes.profile or changes.assessments):
            return
        if initiator is None:
            from ui.operations import clients

            clients.load_client(self.ops, lambda result: self._client_reloaded(session, *result))
        elif changes.profile and self.page is not None and session.profile is not None:
            self.page.set_client_name(session.profile.name)
        self.refresh_clients()

    def _client_reloaded(self, session: ClientSession, profile: Any, assessments: list[Any]) -> None:
        if session is not self.session:
            return
        session.profile = profile
        if self.page is not None:
            self.page.set_client_name(profile.name)
        def shown(items: list[Any]) -> list[tuple]:  # what the list shows; every saved answer touches updated_at
            return [(a.id, a.name, a.assessment_date, a.status, a.assessor) for a in items]

        if shown(assessments) != shown(self.panel.assessments.assessments()):  # reselecting reloads the page
            current = self.current_assessment()
            self.panel.set_assessments(assessments, current.id if current is not None else None)

    def reload_everything(self) -> None:
        """F5: list the workspace again and read the open client and assessment anew (and the portfolio,
        when it is shown: other programs may have changed any client)."""
        from vciso.changes import Changes

        self.refresh_clients()
        if self._portfolio_shown():
            self.show_portfolio()
        if self.session is not None:
            self.ops.announce(Changes(all_answers=True, roadmap=True, assessments=True, profile=True))
