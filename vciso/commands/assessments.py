"""`vciso assessment list|new|finalise|reopen|set`: a client's assessments."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vciso.commands import Command, actions, emit_json, open_for_writing, questionnaire_library, workspace
from vciso.errors import VcisoError

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    """Add `assessment list|new|finalise|reopen|set` to the `vciso` parser."""
    a_cmds = actions(subparsers, "assessment", "list or start assessments")
    sub = command(a_cmds, "list", cmd_assessment_list, "list a client's assessments")
    sub.add_argument("client")
    sub.add_argument("--json", action="store_true")
    sub = command(a_cmds, "new", cmd_assessment_new, "start an assessment")
    sub.add_argument("client")
    sub.add_argument("questionnaire", metavar="QUESTIONNAIRE_ID")
    sub.add_argument("--name")
    sub.add_argument("--assessor")
    sub.add_argument("--from", dest="from_assessment", metavar="ASSESSMENT",
                     help="follow-up of this assessment, pre-filled with its answers")
    sub.add_argument("--date", help="the day of the assessment, e.g. 2026-11-20 (default: today)")
    for name, func, text in (("finalise", cmd_assessment_finalise, "mark an assessment final (no more DRAFT)"),
                             ("reopen", cmd_assessment_reopen, "make a final assessment editable again")):
        sub = command(a_cmds, name, func, text)
        sub.add_argument("client")
        sub.add_argument("assessment", nargs="?", default=None, help="default: the latest")
    sub = command(a_cmds, "set", cmd_assessment_set, "change an assessment's name, date, assessor or status")
    sub.add_argument("client")
    sub.add_argument("assessment")
    sub.add_argument("--name")
    sub.add_argument("--date")
    sub.add_argument("--assessor")
    sub.add_argument("--status", choices=("in progress", "final"))


def assessment_json(client: Any, assessment: Any) -> dict:
    """An assessment as `assessment list --json` and `client show --json` give it, with its completion."""
    questionnaire = client.questionnaire(assessment.id)
    responses = client.responses(assessment.id)
    complete = sum(1 for q in questionnaire.questions() if q.id in responses and responses[q.id].is_complete)
    return {"id": assessment.id, "name": assessment.name, "questionnaire_id": assessment.questionnaire_id,
            "questionnaire_version": assessment.questionnaire_version, "assessor": assessment.assessor,
            "date": assessment.assessment_date, "status": assessment.status, "based_on": assessment.based_on,
            "complete": complete, "total": questionnaire.question_count,
            "completion": round(complete / questionnaire.question_count, 4)}


def cmd_assessment_list(args: argparse.Namespace) -> int:
    with workspace(args).open_client(args.client) as client:
        rows = [assessment_json(client, a) for a in client.assessments()]
    if args.json:
        emit_json(rows)
        return 0
    if not rows:
        print("No assessments yet. Start one with 'vciso assessment new CLIENT QUESTIONNAIRE_ID'.")
    for a in rows:
        print(f"[{a['id']}] {a['name']} — {a['questionnaire_id']} {a['questionnaire_version']}, {a['date']}, "
              f"{a['completion']:.0%} complete")
    return 0


def cmd_assessment_new(args: argparse.Namespace) -> int:
    from vciso.settings import load_settings

    library = questionnaire_library()
    questionnaire = library.get(args.questionnaire)
    with open_for_writing(args) as client:
        based_on = client.find_assessment(args.from_assessment).id if args.from_assessment else None
        target = load_settings().default_target
        assessment = client.create_assessment(questionnaire, args.name or "", assessor=args.assessor or "",
                                              assessment_date=_iso_date(args.date), based_on=based_on,
                                              default_target=target)
        print(f"Started assessment [{assessment.id}] {assessment.name}")
    return 0


def _iso_date(text: str | None) -> str | None:
    """A date typed on the command line (2027-01-15 or 15 Jan 2027) as ISO; None when not given."""
    from vciso.numbers import parse_date

    if text is None:
        return None
    try:
        return parse_date(text).isoformat()
    except ValueError as exc:
        raise VcisoError(str(exc)) from None


def cmd_assessment_finalise(args: argparse.Namespace) -> int:
    return _set_final(args, True, "final: its deliverables no longer say DRAFT, and it is read-only until reopened")


def cmd_assessment_reopen(args: argparse.Namespace) -> int:
    return _set_final(args, False, "in progress again: it can be changed, and its deliverables say DRAFT")


def _set_final(args: argparse.Namespace, final: bool, outcome: str) -> int:
    """Finalise or reopen an assessment, recorded with the consultant of the settings."""
    from vciso.settings import load_settings

    by = load_settings().consultant
    with open_for_writing(args) as client:
        assessment_id = client.find_assessment(args.assessment).id
        change = client.finalise_assessment if final else client.reopen_assessment
        assessment = change(assessment_id, by=by)
        print(f"Assessment [{assessment.id}] {assessment.name} is {outcome}")
    return 0


def cmd_assessment_set(args: argparse.Namespace) -> int:
    changes = {key: value for key, value in (("name", args.name), ("assessment_date", _iso_date(args.date)),
                                             ("assessor", args.assessor), ("status", args.status))
               if value is not None}
    if not changes:
        raise VcisoError("nothing to change: give --name, --date, --assessor or --status")
    with open_for_writing(args) as client:
        assessment = client.update_assessment(client.find_assessment(args.assessment).id, **changes)
        print(f"Assessment [{assessment.id}] {assessment.name}: {assessment.assessment_date}, "
              f"{assessment.status}" + (f", assessed by {assessment.assessor}" if assessment.assessor else ""))
    return 0
