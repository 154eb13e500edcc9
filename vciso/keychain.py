"""Encrypted clients' passphrases remembered in the operating system's keyring (optional, off by default).

The OS keyring (macOS Keychain, Windows Credential Manager, the Secret Service on Linux) is reached
through the `keyring` package, imported on first use only: the app's start-up never pays for it. Each
client file is one entry of the service "vCISO Workbench", named by the file's resolved absolute path
(see `entry_name`). One more entry lists the names remembered, so that `forget_all` can find them again
(keyring offers no way to list a service's entries).

Every failure of the keyring (no backend, a locked or refused keyring, a D-Bus error) becomes one
`KeychainError` whose message names the kind of failure only: never the passphrase, never a traceback.
The caller then asks for the passphrase as if nothing were remembered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, TypeVar

from vciso.errors import VcisoError

SERVICE = "vCISO Workbench"
# the entry listing the remembered files; a resolved path always starts with "/" or a drive, never "("
INDEX_ENTRY = "(remembered client files)"

T = TypeVar("T")


class KeychainError(VcisoError):
    """The system keyring could not be used; nothing was stored or read."""


def entry_name(path: Path) -> str:
    """The keyring entry of a client file: its resolved absolute path. Stable across runs whichever way
    the workspace is reached (a relative path, `~`, a symlink), and different for two clients of the same
    file name in two workspaces. Moving the workspace only means the passphrase is asked once more."""
    return str(Path(path).expanduser().resolve())


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:
        raise KeychainError("the system keyring cannot be used: the keyring package is not installed") from None
    return keyring


def _guarded(what: str, action: Callable[[Any], T]) -> T:
    """Run `action(keyring)`, turning any failure into a one-line KeychainError (the exception's own text
    is left out: a backend could echo what it was given)."""
    keyring = _keyring()
    try:
        return action(keyring)
    except Exception as exc:  # noqa: BLE001 - backends raise their own types (D-Bus, Win32, …)
        raise KeychainError(f"the system keyring could not {what} ({type(exc).__name__})") from None


def recall(path: Path) -> str | None:
    """The passphrase remembered for the client file `path`, or None."""
    return _guarded("be read", lambda keyring: keyring.get_password(SERVICE, entry_name(path)))


def remember(path: Path, passphrase: str) -> None:
    """Remember `passphrase` for the client file `path` (replacing any earlier one)."""
    name = entry_name(path)

    def store(keyring: Any) -> None:
        keyring.set_password(SERVICE, name, passphrase)
        names = _index(keyring)
        if name not in names:
            keyring.set_password(SERVICE, INDEX_ENTRY, json.dumps(sorted([*names, name])))

    _guarded("store the passphrase", store)


def forget(path: Path) -> None:
    """Forget the passphrase of the client file `path` (nothing to do when none is remembered)."""
    name = entry_name(path)

    def delete(keyring: Any) -> None:
        _delete(keyring, name)
        names = _index(keyring)
        if name in names:
            names.remove(name)
            if names:
                keyring.set_password(SERVICE, INDEX_ENTRY, json.dumps(names))
            else:
                _delete(keyring, INDEX_ENTRY)

    _guarded("forget the passphrase", delete)


def forget_all() -> int:
    """Forget every passphrase this app remembered; returns how many."""
    def delete_all(keyring: Any) -> int:
        names = _index(keyring)
        for name in names:
            _delete(keyring, name)
        _delete(keyring, INDEX_ENTRY)
        return len(names)

    return _guarded("forget the passphrases", delete_all)


def _index(keyring: Any) -> list[str]:
    """The entry names listed as remembered (an unreadable list counts as empty)."""
    try:
        names = json.loads(keyring.get_password(SERVICE, INDEX_ENTRY) or "[]")
    except ValueError:
        return []
    return [name for name in names if isinstance(name, str)] if isinstance(names, list) else []


def _delete(keyring: Any, name: str) -> None:
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(SERVICE, name)
    except PasswordDeleteError:  # not there: already forgotten
        pass
