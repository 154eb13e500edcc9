"""The command line split by noun: each module `register`s its commands on `vciso`'s parser.

`vciso/cli.py` keeps the top-level parser and its options, the error handling, the desktop app's launch
and `export` (the one command that loads the writers); it calls `register` once. Modules here are core
modules (no Qt, reportlab, `ui` or `exports`: a command that needs a writer reaches it through cli.py's
helpers), loaded when the parser is built.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    import argparse

    from vciso.workspace import Workspace

Command = Callable[[Any, str, Callable, str], "argparse.ArgumentParser"]


def register(subparsers: Any, command: Command) -> None:
    """Add every command of this package to `vciso`'s sub-commands, in the order `vciso --help` lists them
    (`command` is cli's helper)."""
    from vciso.commands import (answers, assessments, backup, clients, coverage, crypto, evidence, mapping,
                                portfolio, questionnaires, roadmap, score)

    for module in (clients, questionnaires, assessments, answers, score, roadmap, backup, evidence, mapping,
                   coverage, portfolio, crypto):  # crypto last: it adds encrypt, decrypt and rekey to `client`
        module.register(subparsers, command)


def actions(subparsers: Any, name: str, help_text: str) -> Any:
    """Add the command `name` made of actions (`vciso NAME ACTION …`, e.g. `client list`); returns what
    `command` adds each action to. The action chosen is in `NAME_command`."""
    parser = subparsers.add_parser(name, help=help_text)
    return parser.add_subparsers(dest=f"{name}_command", metavar="ACTION", required=True, parser_class=type(parser))


def assessment_command(subparsers: Any, command: Command, name: str, func: Callable, help_text: str) -> Any:
    """Add the command `vciso NAME CLIENT [ASSESSMENT] [--json]` (the latest assessment unless one is named);
    returns its parser for any further options."""
    sub = command(subparsers, name, func, help_text)
    sub.add_argument("client")
    sub.add_argument("assessment", nargs="?")
    sub.add_argument("--json", action="store_true")
    return sub


def workspace(args: argparse.Namespace) -> Workspace:
    """The workspace named by --workspace, VCISO_WORKSPACE or the default; an encrypted client it opens
    gets its passphrase from the command line's one source (`vciso.commands.crypto.passphrase_source`)."""
    from vciso.commands.crypto import passphrase_source
    from vciso.paths import default_workspace
    from vciso.workspace import Workspace

    return Workspace(Path(args.workspace).expanduser() if args.workspace else default_workspace(),
                     passphrase_source(args))


def questionnaire_library():  # type: ignore[no-untyped-def]
    """The questionnaire library (bundled + the user's); each bad file is one warning line on stderr."""
    from vciso.library import load_library
    from vciso.paths import user_library_dir

    library = load_library(user_library_dir())
    for problem in library.problems:
        print(f"vciso: warning: {problem.message}", file=sys.stderr)
    return library


def emit_json(data: Any) -> None:
    """Print `data` as the commands' JSON (vciso.terminal.json_text) on stdout."""
    from vciso.terminal import json_text

    print(json_text(data))


def run_steps(steps: Any, quiet: bool = False) -> Any:
    """Drive a core generator of (step, total, message) to its end, showing progress on a terminal;
    returns the generator's result."""
    show = not quiet and sys.stderr.isatty() and not os.environ.get("VCISO_NO_PROGRESS")
    while True:
        try:
            step, total, message = next(steps)
        except StopIteration as stop:
            if show:
                print("\r\x1b[K", end="", file=sys.stderr, flush=True)
            return stop.value
        if show:
            print(f"\r\x1b[K[{step + 1}/{total}] {message}", end="", file=sys.stderr, flush=True)


def open_for_writing(args: argparse.Namespace) -> Any:
    """Open the client named on the command line for a write, warning (one line) when an app window has it
    open: the write still goes through, SQLite serialises the two writers."""
    from vciso.locking import ClientLock

    ws = workspace(args)
    path = ws.resolve(args.client)
    owner = ClientLock(path).owner()
    if owner is not None:
        print(f"vciso: warning: {path.stem} is open in {owner.describe()}; this change is saved and the "
              "window shows it", file=sys.stderr)
    return ws.open_path(path)


def actor() -> str:
    """Who is making a change, for the history (`vciso.settings.actor_name`)."""
    from vciso.settings import actor_name

    return actor_name()
