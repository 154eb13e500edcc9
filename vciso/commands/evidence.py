"""`vciso evidence add|list|remove|export` and `vciso export evidence`: files attached to answers."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vciso.commands import Command, actions, actor, emit_json, open_for_writing, run_steps, workspace

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    cmds = actions(subparsers, "evidence", "evidence files attached to answers (stored in the client file)")
    sub = command(cmds, "add", cmd_evidence_add, "attach files to an answer (all of them or none; the per-file "
                                                 "limit is in the settings, 25 MB unless changed)")
    sub.add_argument("client")
    sub.add_argument("assessment", help="an assessment id or name; '' for the latest")
    sub.add_argument("question_id")
    sub.add_argument("files", nargs="+", metavar="FILE")
    sub = command(cmds, "list", cmd_evidence_list, "list the files attached to a client's answers")
    sub.add_argument("client")
    sub.add_argument("assessment", nargs="?", help="default: every assessment")
    sub.add_argument("--history", action="store_true", help="list every attach and removal instead")
    sub.add_argument("--json", action="store_true")
    sub = command(cmds, "remove", cmd_evidence_remove, "detach a file from its answer (recorded in the history)")
    sub.add_argument("client")
    sub.add_argument("evidence_id", type=int, metavar="ID", help="as shown by 'evidence list'")
    sub = command(cmds, "export", cmd_evidence_export,
                  "write the attached files with a manifest (SHA-256s) to a new folder or a .zip")
    sub.add_argument("client")
    sub.add_argument("assessment", nargs="?", help="default: every assessment")
    sub.add_argument("-o", "--output", required=True, metavar="DIR|FILE.zip")


def cmd_evidence_add(args: argparse.Namespace) -> int:
    from vciso.evidence import attach_planned, plan_attach
    from vciso.settings import load_settings

    with open_for_writing(args) as client:
        assessment = client.find_assessment(args.assessment)
        plan = plan_attach(client, assessment.id, args.question_id, [Path(f) for f in args.files],
                           load_settings().evidence_limit())
        added = attach_planned(client, plan, actor())
    for item in plan.files:
        if item.already_attached:
            print(f"{item.name} is already attached to {args.question_id}")
    for item in added:
        print(f"Attached {item.name} ({item.size} bytes, sha256 {item.sha256}) to {item.question_id} as #{item.id}")
    return 0


def cmd_evidence_list(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from vciso.evidence import evidence_history, list_evidence

    with workspace(args).open_client(args.client) as client:
        assessment_id = client.find_assessment(args.assessment).id if args.assessment else None
        if args.history:
            ids = [assessment_id] if assessment_id is not None else [a.id for a in client.assessments()]
            events = [(aid, e) for aid in ids for e in evidence_history(client, aid)]
            if args.json:
                emit_json([dict(asdict(e), assessment_id=aid) for aid, e in events])
            for aid, e in [] if args.json else events:
                print(f"{e.at[:19]}  {e.event:<8} {aid}/{e.question_id}  {e.name}  {e.sha256[:12]}  {e.actor}")
            return 0
        items = list_evidence(client, assessment_id)
    if args.json:
        emit_json([asdict(item) for item in items])
        return 0
    if not items:
        print("No evidence attached")
    for item in items:
        print(f"#{item.id}  {item.assessment_id}/{item.question_id}  {item.name}  {item.size} bytes  "
              f"{item.sha256[:12]}  {item.added_at[:10]}  {item.added_by}")
    return 0


def cmd_evidence_remove(args: argparse.Namespace) -> int:
    from vciso.evidence import remove_evidence

    with open_for_writing(args) as client:
        item = remove_evidence(client, args.evidence_id, actor())
    print(f"Removed {item.name} from {item.question_id} (recorded in the evidence history)")
    return 0


def cmd_evidence_export(args: argparse.Namespace) -> int:
    from vciso.evidence import export_evidence

    output = Path(args.output).expanduser()
    with workspace(args).open_client(args.client) as client:
        assessment_id = client.find_assessment(args.assessment).id if args.assessment else None
        rows = run_steps(export_evidence(client, output, assessment_id))
    print(f"Wrote {len(rows)} evidence file{'s' if len(rows) != 1 else ''} and a manifest to {output}")
    if not rows:
        print("vciso: warning: no evidence is attached", file=sys.stderr)
    return 0
