"""`vciso backup -o FILE.zip` and `vciso restore FILE` (a backup zip or one client file)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vciso.commands import Command, run_steps, workspace

if TYPE_CHECKING:
    import argparse

# the zip was written, but some clients are not in it (each named in a warning): a script must not take
# such a backup for a complete one, nor for a failure (exit 1: nothing written)
EXIT_PARTIAL = 3


def register(subparsers: Any, command: Command) -> None:
    sub = command(subparsers, "backup", cmd_backup,
                  "write a consistent copy of every client of the workspace to a zip, with a manifest of SHA-256s; "
                  "an encrypted client is copied encrypted with its passphrase (the one given by --passphrase-file "
                  "or $VCISO_PASSPHRASE is tried on each, else each is asked on a terminal); exit code 3 when the "
                  "zip was written without some clients (each named)")
    sub.add_argument("-o", "--output", required=True, metavar="FILE.zip")
    sub = command(subparsers, "restore", cmd_restore,
                  "restore the clients of a backup zip (or one client file, e.g. an automatic backup) into the "
                  "workspace; an existing client is never overwritten (the restored copy gets a new name)")
    sub.add_argument("backup", metavar="FILE")
    sub.add_argument("--dry-run", action="store_true", help="show what would be restored; write nothing")


def _passphrases(args: argparse.Namespace, locked: list[Path]) -> dict[Path, str]:
    """Passphrases for the encrypted client files `locked`: the one given for this run tried on each, else
    each asked on the terminal (Enter, or no terminal, leaves that client out of the backup)."""
    from vciso.commands.crypto import ask_passphrase_or_skip, given_passphrase

    if not locked:
        return {}
    given = given_passphrase(args)
    if given is not None:
        return {path: given for path in locked}
    found = {}
    for path in locked:
        asked = ask_passphrase_or_skip(path)
        if asked is not None:
            found[path] = asked
    return found


def cmd_backup(args: argparse.Namespace) -> int:
    from vciso.backup import backup_workspace
    from vciso.commands.crypto import PASSPHRASE_ENV
    from vciso.crypto import is_encrypted

    ws = workspace(args)
    locked = [path for path in ws.client_paths() if is_encrypted(path)]
    passphrases = _passphrases(args, locked)
    result = run_steps(backup_workspace(ws, Path(args.output), passphrases))
    for skipped in result.skipped:
        print(f"vciso: warning: {skipped}", file=sys.stderr)
    if len(passphrases) < len(locked):
        print(f"vciso: warning: a locked client's passphrase can be given with --passphrase-file FILE or "
              f"${PASSPHRASE_ENV}", file=sys.stderr)
    count, left = len(result.entries), len(result.skipped)
    done = f"Backed up {count} client{'s' if count != 1 else ''} to {result.path}"
    if not left:
        print(done)
        return 0
    print(f"{done}; {left} client{'s are' if left != 1 else ' is'} not in it (see the "
          f"warning{'s' if left != 1 else ''} above)")
    return EXIT_PARTIAL


def cmd_restore(args: argparse.Namespace) -> int:
    from vciso.backup import apply_restore, plan_restore

    ws = workspace(args)
    plan = plan_restore(ws, Path(args.backup))
    for problem in plan.problems:
        print(f"vciso: {problem}", file=sys.stderr)
    for item in plan.items:
        why = f" ({'; '.join(item.notes)})" if item.notes else ""
        print(f"{'Would restore' if args.dry_run else 'Restoring'} {item.label} as {item.target_stem}.vciso{why}")
    if args.dry_run or plan.problems:
        return 1 if plan.problems else 0
    from vciso.commands.crypto import given_passphrase

    given = given_passphrase(args)  # names an encrypted copy it opens, renaming it if its name is taken
    restored = run_steps(apply_restore(ws, plan, [given] if given else ()))
    for client in restored:
        if client.encrypted and client.name:
            print(f"{client.path.name}: “{client.name}” (encrypted, opened with the passphrase given)")
    print(f"Restored {len(restored)} client{'s' if len(restored) != 1 else ''} into {ws.path}")
    return 0
