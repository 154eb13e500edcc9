"""`vciso client encrypt|decrypt|rekey CLIENT`, and where the command line gets a client's passphrase.

Every command that opens a client asks `passphrase_source(args)` for the passphrase of an encrypted file,
in this order: `--passphrase-file FILE` (its first line), the `VCISO_PASSPHRASE` environment variable,
then a prompt on the terminal (not echoed). A file or the environment is less safe than the prompt: other
programs of the same user can read them (and the environment may end up in shell history or crash
reports); use them for scripts, with a file readable only by you. The passphrase is never printed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from vciso.commands import Command, workspace
from vciso.errors import ClientFileEncrypted, VcisoError

if TYPE_CHECKING:
    import argparse

PASSPHRASE_ENV = "VCISO_PASSPHRASE"
NEW_PASSPHRASE_ENV = "VCISO_NEW_PASSPHRASE"
LESS_SAFE = ("less safe than the prompt: other programs of yours can read it; for scripts, with a file "
             "readable only by you")


def register(subparsers: Any, command: Command) -> None:
    """Add encrypt, decrypt and rekey to `vciso client` (built in vciso/commands/clients.py)."""
    client = subparsers.choices["client"]
    # argparse offers no public way back to a parser's sub-commands; `client_command` is the dest `actions` gives
    actions = next(action for action in client._actions if action.dest == "client_command")
    sub = command(actions, "encrypt", cmd_client_encrypt,
                  "encrypt a client's file with a passphrase (SQLCipher 4); it is then needed to open it")
    sub.add_argument("client", help="the client's id (or name)")
    sub = command(actions, "decrypt", cmd_client_decrypt, "remove a client file's encryption (asks its passphrase)")
    sub.add_argument("client", help="the client's id")
    sub = command(actions, "rekey", cmd_client_rekey, "change the passphrase of an encrypted client file")
    sub.add_argument("client", help="the client's id")
    sub.add_argument("--new-passphrase-file", metavar="FILE",
                     help=f"read the new passphrase from FILE (or ${NEW_PASSPHRASE_ENV}; {LESS_SAFE}); "
                          "default: asked twice on the terminal")


def add_passphrase_option(parser: Any) -> None:
    """The global `--passphrase-file` option (vciso/cli.py's parser)."""
    parser.add_argument("--passphrase-file", metavar="FILE",
                        help=f"read encrypted clients' passphrase from FILE's first line (or ${PASSPHRASE_ENV}; "
                             f"{LESS_SAFE}); default: asked on the terminal")


def _read_passphrase_file(name: str) -> str:
    path = Path(name).expanduser()
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.readline().rstrip("\r\n")
    except OSError as exc:
        raise VcisoError(f"{path}: the passphrase file cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise VcisoError(f"{path}: the passphrase file is not UTF-8 text") from None
    if not text:
        raise VcisoError(f"{path}: the passphrase file's first line is empty")
    if os.name == "posix" and path.stat().st_mode & 0o077:
        print(f"vciso: warning: {path} can be read by other users; make it private (chmod 600)", file=sys.stderr)
    return text


def _prompt(question: str, *, twice: bool = False, optional: bool = False) -> str | None:
    """Ask on the terminal without echo; None when there is no terminal to ask on (or, when `optional`, when
    nothing was typed)."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    import getpass

    text = getpass.getpass(question)
    if optional and not text:
        return None
    if twice and getpass.getpass("Repeat it: ") != text:
        raise VcisoError("the two passphrases differ; nothing changed")
    if not text:
        raise VcisoError("no passphrase given; nothing changed")
    return text


def given_passphrase(args: argparse.Namespace) -> str | None:
    """The passphrase given for this run by --passphrase-file or $VCISO_PASSPHRASE (in that order), or None."""
    name = getattr(args, "passphrase_file", None)
    if name:
        return _read_passphrase_file(name)
    return os.environ.get(PASSPHRASE_ENV) or None


def ask_passphrase_or_skip(path: Path) -> str | None:
    """Ask on the terminal for the passphrase of the locked client file `path`; None when there is no
    terminal to ask on or Enter was pressed (the caller leaves that client out)."""
    return _prompt(f"Passphrase for locked client {path.name} (Enter to skip): ", optional=True)


def current_passphrase(args: argparse.Namespace, path: Path, *, twice: bool = False) -> str:
    """The passphrase for `path` from --passphrase-file, $VCISO_PASSPHRASE or the terminal (in that order)."""
    given = given_passphrase(args)
    if given is not None:
        return given
    asked = _prompt(f"Passphrase for {path.stem}: ", twice=twice)
    if asked is None:
        raise ClientFileEncrypted(f"{path.name} is encrypted: give its passphrase with --passphrase-file FILE "
                                  f"or ${PASSPHRASE_ENV} (no terminal to ask on)")
    return asked


def passphrase_source(args: argparse.Namespace) -> Callable[[Path], str]:
    """What the CLI's workspace asks when it opens an encrypted client (see `current_passphrase`)."""
    return lambda path: current_passphrase(args, path)


def _new_passphrase(args: argparse.Namespace, path: Path) -> str:
    name = getattr(args, "new_passphrase_file", None)
    if name:
        return _read_passphrase_file(name)
    from_env = os.environ.get(NEW_PASSPHRASE_ENV)
    if from_env:
        return from_env
    asked = _prompt(f"New passphrase for {path.stem}: ", twice=True)
    if asked is None:
        raise VcisoError(f"give the new passphrase with --new-passphrase-file FILE or ${NEW_PASSPHRASE_ENV} "
                         "(no terminal to ask on)")
    return asked


def cmd_client_encrypt(args: argparse.Namespace) -> int:
    from vciso.crypto import encrypt_file, is_encrypted

    path = workspace(args).resolve(args.client)
    if is_encrypted(path):
        raise VcisoError(f"{path.name}: the client file is already encrypted (use 'vciso client rekey')")
    encrypt_file(path, current_passphrase(args, path, twice=True))
    print(f"Encrypted {path.stem}: its passphrase is now needed to open it (it cannot be recovered if lost)")
    return 0


def cmd_client_decrypt(args: argparse.Namespace) -> int:
    from vciso.crypto import decrypt_file

    path = workspace(args).resolve(args.client)
    decrypt_file(path, current_passphrase(args, path))
    print(f"Decrypted {path.stem}: it opens without a passphrase")
    return 0


def cmd_client_rekey(args: argparse.Namespace) -> int:
    from vciso.crypto import is_encrypted, rekey_file

    path = workspace(args).resolve(args.client)
    if not is_encrypted(path):
        raise VcisoError(f"{path.name}: the client file is not encrypted (use 'vciso client encrypt')")
    old = current_passphrase(args, path)
    rekey_file(path, old, _new_passphrase(args, path))
    print(f"Changed the passphrase of {path.stem}")
    return 0
