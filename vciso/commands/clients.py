"""`vciso client list|new|show|delete|restore` and `vciso demo`: the clients of the workspace.

(`client encrypt|decrypt|rekey` are added to `client` by vciso/commands/crypto.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from vciso.commands import Command, actions, emit_json, questionnaire_library, workspace
from vciso.commands.assessments import assessment_json
from vciso.errors import VcisoError
from vciso.numbers import plural

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    """Add `demo` and `client list|new|show|delete|restore` to the `vciso` parser."""
    command(subparsers, "demo", cmd_demo, "create the demo client")
    client_cmds = actions(subparsers, "client", "list, create, show, delete or restore clients")
    sub = command(client_cmds, "list", cmd_client_list, "list the clients of the workspace")
    sub.add_argument("--json", action="store_true")
    sub = command(client_cmds, "new", cmd_client_new, "create a client")
    sub.add_argument("name")
    sub.add_argument("--industry")
    sub.add_argument("--employees", type=int)
    sub.add_argument("--contact")
    sub.add_argument("--notes")
    sub.add_argument("--allow-duplicate", action="store_true",
                     help="create the client even when another one already has this name")
    sub.add_argument("--encrypt", action="store_true",
                     help="create the client file encrypted (SQLCipher 4) with the passphrase from --passphrase-file, "
                          "$VCISO_PASSPHRASE or asked twice on the terminal")
    sub = command(client_cmds, "show", cmd_client_show, "show a client's profile and assessments")
    sub.add_argument("client")
    sub.add_argument("--json", action="store_true")
    sub = command(client_cmds, "delete", cmd_client_delete, "move a client's file to the workspace trash")
    sub.add_argument("client")
    sub = command(client_cmds, "restore", cmd_client_restore,
                  "list deleted clients, or move one back from the workspace trash")
    sub.add_argument("deleted", nargs="?", metavar="TRASH_FILE_OR_NAME",
                     help="a file of the trash (as listed) or a deleted client's name")
    sub.add_argument("--json", action="store_true")


def cmd_demo(args: argparse.Namespace) -> int:
    from vciso.demo import create_demo
    from vciso.settings import load_settings
    ws = workspace(args)
    with create_demo(ws, questionnaire_library(), phases=load_settings().phases()) as client:
        print(f"Created demo client '{client.profile().name}' ({client.path.stem}) in {ws.path}")
    return 0


def cmd_client_list(args: argparse.Namespace) -> int:
    from vciso.commands.crypto import given_passphrase
    from vciso.crypto import is_encrypted

    clients = workspace(args)
    given = given_passphrase(args)  # tried on every encrypted client: those it opens are listed by name
    if given:
        clients.passphrases.update({path: given for path in clients.client_paths() if is_encrypted(path)})
    listings = clients.list_clients()
    if args.json:
        emit_json([{"id": e.file_id, "name": e.profile.name if e.profile else None,
                     "industry": e.profile.industry if e.profile else None,
                     "employees": e.profile.employees if e.profile else None,
                     "assessments": e.assessment_count, "updated_at": e.last_updated or None,
                     "path": str(e.path), "error": e.error or None, "locked": e.locked} for e in listings])
        return 0
    if not listings:
        print("No clients yet. Create one with 'vciso client new NAME' or 'vciso demo'.")
    for entry in listings:
        if entry.ok:
            print(f"{entry.file_id:<32} {entry.name}  ({plural(entry.assessment_count, 'assessment')})")
        elif entry.locked:
            print(f"{entry.file_id:<32} LOCKED (encrypted; its name shows once it is opened with its passphrase)")
        else:
            print(f"{entry.file_id:<32} ERROR: {entry.error}")
    return 0


def cmd_client_new(args: argparse.Namespace) -> int:
    if args.employees is not None and args.employees < 0:
        raise VcisoError("--employees must be zero or more")
    ws = workspace(args)
    taken = [] if args.allow_duplicate else ws.clients_named(args.name)
    if taken:
        ids = ", ".join(entry.file_id for entry in taken)
        raise VcisoError(f"a client named '{taken[0].name}' already exists (id {ids}); "
                         "add --allow-duplicate to create another one")
    key = None
    if args.encrypt:
        from vciso.commands.crypto import current_passphrase
        from vciso.workspace import CLIENT_SUFFIX, safe_file_stem

        key = current_passphrase(args, Path(safe_file_stem(args.name) + CLIENT_SUFFIX), twice=True)
    with ws.create_client(args.name, key=key, industry=args.industry or "", employees=args.employees,
                                 contact=args.contact or "", notes=args.notes or "") as client:
        print(f"Created client '{client.profile().name}' with id {client.path.stem}"
              + (" (encrypted: its passphrase is needed to open it and cannot be recovered if lost)"
                 if key else ""))
    return 0


def cmd_client_show(args: argparse.Namespace) -> int:
    with workspace(args).open_client(args.client) as client:
        profile = client.profile()
        assessments = [assessment_json(client, a) for a in client.assessments()]
        if args.json:
            emit_json({"id": client.path.stem, "name": profile.name, "industry": profile.industry,
                        "employees": profile.employees, "contact": profile.contact, "notes": profile.notes,
                        "created_at": profile.created_at, "updated_at": profile.updated_at,
                        "path": str(client.path), "assessments": assessments})
            return 0
        print(f"{profile.name}  (id {client.path.stem})")
        for label, value in (("Industry", profile.industry), ("Employees", profile.employees),
                             ("Contact", profile.contact), ("Notes", profile.notes)):
            if value not in ("", None):
                print(f"  {label}: {value}")
        print(f"  File: {client.path}")
        for a in assessments:
            print(f"  [{a['id']}] {a['name']} — {a['questionnaire_id']} {a['questionnaire_version']}, "
                  f"{a['date']}, {a['status']}, {a['completion']:.0%} complete")
    return 0


def cmd_client_delete(args: argparse.Namespace) -> int:
    target = workspace(args).delete_client(args.client)
    print(f"Moved {args.client} to {target} (restore it with 'vciso client restore {target.name}')")
    return 0


def cmd_client_restore(args: argparse.Namespace) -> int:
    ws = workspace(args)
    if not args.deleted:
        deleted = ws.deleted_clients()
        if args.json:
            emit_json([{"file": d.path.name, "name": d.profile.name if d.profile else None,
                         "deleted_at": d.deleted_at.isoformat() if d.deleted_at else None,
                         "assessments": d.assessment_count, "path": str(d.path), "locked": d.locked,
                         "error": None if d.locked else d.error or None}
                        for d in deleted])
            return 0
        if not deleted:
            print(f"No deleted clients in {ws.trash_path}.")
        for d in deleted:
            what = (f"{d.name}  ({plural(d.assessment_count, 'assessment')})" if d.ok
                    else "encrypted — opens with its own passphrase" if d.locked else f"ERROR: {d.error}")
            print(f"{d.path.name:<48} {d.deleted_on or '—':<16}  {what}")
        if deleted:
            print("Restore one with 'vciso client restore FILE' (or its client name).")
        return 0
    entry = ws.find_deleted(args.deleted)
    restored = ws.restore_client(entry.path)
    print(f"Restored '{entry.name}' with id {restored.stem}")
    return 0
