"""The main window's encryption actions: encrypt a client file, change its passphrase, decrypt it, and the
optional memory of passphrases in the system keyring.

A mixin of `MainWindow`, kept apart so that each module stays small. The core (`vciso.crypto`) refuses to
rewrite a file that a window has open, so each action: writes what is still typed, closes the file on the
client worker once every queued write is done (this window keeps its lock, so no other window opens the
file meanwhile), runs the core function as the worker's next job behind a busy dialog, then opens the same
client again (with the new passphrase) at the same assessment and question. On failure the file is
unchanged: one message says why, and the client opens again as it was.

The passphrases given in this run live in `ops.passphrases` only. With "Remember passphrases in the system
keyring" on they also go to the OS keyring (`vciso.keychain`); any keyring failure only costs a one-line
status message and the passphrase being asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ui import prompts

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QProgressDialog

    from ui.client_panel import ClientPanel
    from ui.operations import Operations
    from ui.pages import AssessmentPage
    from ui.session import ClientSession

KEYRING_STATUS_MS = 8000


class EncryptionFlows:
    """Encryption actions of the main window (uses its panel, page, ops, settings and session)."""

    ops: Operations
    panel: ClientPanel
    page: AssessmentPage | None
    session: ClientSession | None
    settings: Any
    _generation: int
    encrypt_client_action: QAction
    change_passphrase_action: QAction
    decrypt_client_action: QAction

    # ------------------------------------------------------------------ actions

    def encryption_actions(self) -> list[QAction]:
        """The three actions, for the File menu's submenu and the client list's context menu."""
        return [self.encrypt_client_action, self.change_passphrase_action, self.decrypt_client_action]

    def _update_encryption_actions(self) -> None:
        """Encrypt applies to a plain client this window may write; change and decrypt to an encrypted one."""
        session = self.session
        writable = session is not None and session.profile is not None and not session.read_only
        encrypted = writable and session is not None and session.encrypted
        self.encrypt_client_action.setEnabled(writable and not encrypted)
        self.change_passphrase_action.setEnabled(encrypted)
        self.decrypt_client_action.setEnabled(encrypted)

    def encrypt_client(self) -> None:
        """Ask a new passphrase (twice) and encrypt the open client's file with it."""
        from ui.dialogs.passphrase_dialog import PassphraseDialog
        from vciso.crypto import encrypt_file

        session = self._writable_session()
        if session is None or session.encrypted:
            return
        path = session.path
        dialog = PassphraseDialog(session.profile.name, ask_current=False, parent=self)
        if not prompts.run_dialog(dialog) or dialog.new_passphrase() is None:
            return
        new_key = dialog.new_passphrase()
        self._rewrite_client("Encrypt client file", f"Encrypting {path.name}…", lambda: encrypt_file(path, new_key),
                             new_key, f"Encrypted {path.name}: its passphrase is now needed to open it")

    def change_passphrase(self) -> None:
        """Ask the current passphrase and a new one (twice), and re-key the open client's file."""
        from ui.dialogs.passphrase_dialog import PassphraseDialog
        from vciso.crypto import rekey_file

        session = self._writable_session()
        if session is None or not session.encrypted:
            return
        path = session.path
        dialog = PassphraseDialog(session.profile.name, ask_current=True, parent=self)
        if not prompts.run_dialog(dialog) or dialog.new_passphrase() is None:
            return
        current, new_key = dialog.current() or "", dialog.new_passphrase()
        self._rewrite_client("Change passphrase", f"Changing the passphrase of {path.name}…",
                             lambda: rekey_file(path, current, new_key), new_key,
                             f"Changed the passphrase of {path.name}")

    def decrypt_client(self) -> None:
        """After a confirmation, remove the encryption of the open client's file."""
        from vciso.crypto import decrypt_file

        session = self._writable_session()
        if session is None or not session.encrypted:
            return
        path = session.path
        if not prompts.confirm(self, "Decrypt client file",
                               f"Remove the encryption of “{session.profile.name}”?\n\n{path}\n\nThe file then "
                               "opens without a passphrase: anyone who can read it, or a copy of it, can read "
                               "its answers, notes and evidence.", "Decrypt", destructive=True):
            return
        key = self.ops.passphrases.get(path) or prompts.ask_passphrase(self, path.stem)
        if not key:
            return
        self._rewrite_client("Decrypt client file", f"Decrypting {path.name}…", lambda: decrypt_file(path, key),
                             None, f"Decrypted {path.name}: it opens without a passphrase")

    def _writable_session(self) -> ClientSession | None:
        session = self.session
        if session is None or session.profile is None or session.read_only:
            return None
        return session

    # ------------------------------------------------------------------ close, rewrite, reopen

    def _rewrite_client(self, title: str, busy: str, rewrite: Callable[[], None], new_key: str | None,
                        done_text: str) -> None:
        """Close the open client, run `rewrite()` on the client worker, and open the client again: with
        `new_key` when it succeeded (None: now a plain file), as it was when it failed."""
        session, listing = self.session, self.panel.current_listing()
        if session is None or listing is None or listing.path != session.path:
            return
        path, old_key = session.path, self.ops.passphrases.get(session.path)
        if self.page is not None:
            # what is typed is queued as a save; the walkthrough keeps its place to come back to it
            self.page.walkthrough.panel.flush()
        lock, session.lock = session.lock, None  # held on: no other window may open the file meanwhile
        self.session = None
        self._generation += 1
        self.forget_undo()
        self.show_message(busy, "The client opens again when this is done.", f"File: {path}")
        self._update_actions()
        progress = self._busy_dialog(busy)
        self.ops.close_client()  # after every write queued before it

        def reopen(key: str | None) -> None:
            progress.close()
            progress.deleteLater()
            if lock is not None:
                lock.release()  # and taken again at once by the opening
            self._open_client(listing, key)

        def done(_result: Any) -> None:
            self.ops.passphrases.pop(path, None)
            if new_key is not None:
                self.ops.passphrases[path] = new_key
            self._update_remembered(path, new_key)
            reopen(new_key)
            self.refresh_clients(path.stem)
            self.statusBar().showMessage(done_text, 8000)

        def failed(message: str) -> None:
            reopen(old_key)
            prompts.error(self, title, f"{message}\nNothing changed: the client file is as it was.")

        self.ops.call(lambda _ctx: rewrite(), done, failed)

    def _busy_dialog(self, text: str) -> QProgressDialog:
        """A busy indicator while the file is rewritten (the key derivation takes a few seconds)."""
        from ui.progress_box import busy_dialog

        return busy_dialog(self, text)

    # ------------------------------------------------------------------ the system keyring

    def _keyring_on(self) -> bool:
        return bool(self.settings.remember_passphrases)

    def _keyring_failed(self, error: Exception) -> None:
        self.statusBar().showMessage(f"{error}; the passphrase is asked instead", KEYRING_STATUS_MS)

    def _remembered_passphrase(self, path: Path) -> str | None:
        """The passphrase the system keyring holds for `path` (None when the setting is off, there is none,
        or the keyring cannot be used)."""
        if not self._keyring_on():
            return None
        from vciso.keychain import KeychainError, recall

        try:
            return recall(path)
        except KeychainError as exc:
            self._keyring_failed(exc)
            return None

    def _update_remembered(self, path: Path, key: str | None) -> None:
        """Store `key` as the passphrase of `path` in the keyring (None: forget it); only with the setting on."""
        if not self._keyring_on():
            return
        from vciso.keychain import KeychainError, forget, remember

        try:
            if key is None:
                forget(path)
            else:
                remember(path, key)
        except KeychainError as exc:
            outcome = "an old passphrase may stay there" if key is None else "it is kept for this run only"
            self.statusBar().showMessage(f"{exc}; {outcome}", KEYRING_STATUS_MS)

    def _remembered_passphrase_failed(self, listing: Any, message: str) -> bool:
        """A passphrase from the keyring did not open the file: forget it and ask (True), unless the file
        failed for another reason (False: shown as any other failure)."""
        if "wrong passphrase" not in message:  # vciso.crypto's words for WrongPassphrase
            return False
        self._update_remembered(listing.path, None)
        self.statusBar().showMessage(f"{listing.path.name}: the passphrase remembered in the system keyring no "
                                     "longer opens it and was forgotten", KEYRING_STATUS_MS)
        self._ask_passphrase_and_open(listing)
        return True

    def _keyring_setting_changed(self, was_on: bool, now_on: bool) -> None:
        """Turned on: remember the passphrases given in this run. Turned off: offer to forget every
        passphrase remembered."""
        from vciso.keychain import KeychainError, forget_all

        if now_on and not was_on:
            for path, key in list(self.ops.passphrases.items()):
                self._update_remembered(path, key)
        elif was_on and not now_on:
            if not prompts.confirm(self, "Remembered passphrases",
                                   "Also forget the passphrases already stored in the system keyring?\n\nKept, "
                                   "they stay in the keyring but are no longer used.", "Forget them"):
                return
            try:
                count = forget_all()
            except KeychainError as exc:
                prompts.error(self, "Remembered passphrases", f"{exc}: nothing was forgotten.")
                return
            self.statusBar().showMessage(f"Forgot {count} passphrase{'s' if count != 1 else ''} in the system "
                                         "keyring", KEYRING_STATUS_MS)
