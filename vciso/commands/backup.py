"""`vciso backup -o FILE.zip` and `vciso restore FILE` (a backup zip or one client file)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vciso.commands import Command, run_steps, workspace

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    sub = command(subparsers, "backup", cmd_backup,
                  "write a consistent copy of every client of the workspace to a zip, with a manifest of SHA-256s")
    sub.add_argument("-o", "--output", required=True, metavar="FILE.zip")
    sub = command(subparsers, "restore", cmd_restore,
                  "restore the clients of a backup zip (or one client file, e.g. an automatic backup) into the "
                  "workspace; an existing client is never overwritten (the restored copy gets a new name)")
    sub.add_argument("backup", metavar="FILE")
    sub.add_argument("--dry-run", action="store_true", help="show what would be restored; write nothing")


def cmd_backup(args: argparse.Namespace) -> int:
    from vciso.backup import backup_workspace

    result = run_steps(backup_workspace(workspace(args), Path(args.output)))
    for skipped in result.skipped:
        print(f"vciso: warning: {skipped}", file=sys.stderr)
    count = len(result.entries)
    print(f"Backed up {count} client{'s' if count != 1 else ''} to {result.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from vciso.backup import apply_restore, plan_restore

    ws = workspace(args)
    plan = plan_restore(ws, Path(args.backup))
    for problem in plan.problems:
        print(f"vciso: {problem}", file=sys.stderr)
    for item in plan.items:
        notes = []
        if item.renamed_file:
            notes.append(f"{item.entry.stem} is taken")
        if item.renamed_client:
            notes.append("a client of that name exists")
        why = f" ({'; '.join(notes)})" if notes else ""
        print(f"{'Would restore' if args.dry_run else 'Restoring'} {item.restored_name} as "
              f"{item.target_stem}.vciso{why}")
    if args.dry_run or plan.problems:
        return 1 if plan.problems else 0
    restored = run_steps(apply_restore(ws, plan))
    print(f"Restored {len(restored)} client{'s' if len(restored) != 1 else ''} into {ws.path}")
    return 0
