"""`vciso answer` (one question) and `vciso answers import` (a file of answers): answering an assessment."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vciso.commands import Command, actions, open_for_writing
from vciso.errors import VcisoError
from vciso.numbers import plural

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    """Add `answer` and `answers import` to the `vciso` parser."""
    sub = command(subparsers, "answer", cmd_answer, "answer one question")
    sub.add_argument("client")
    sub.add_argument("assessment")
    sub.add_argument("question_id")
    sub.add_argument("level", help="a level value or label; 'none' clears it")
    sub.add_argument("--target")
    sub.add_argument("--note")
    sub.add_argument("--na", metavar="REASON", help="mark not applicable, with the reason")
    sub.add_argument("--flag", action="store_true", help="flag for follow-up")
    sub.add_argument("--unflag", action="store_true")
    sub.add_argument("--evidence", metavar="TEXT", help="the evidence seen (a document, a system, a person)")
    sub.add_argument("--established", metavar="HOW",
                     help="how the level was established: interview, document, observed or tested ('' clears)")
    sub.add_argument("--evidence-date", metavar="DATE", help="the date of the evidence, e.g. 2025-03-14")
    ans_cmds = actions(subparsers, "answers", "import answers from a file")
    sub = command(ans_cmds, "import", cmd_answers_import, "import answers (.json or questionnaire .xlsx)")
    sub.add_argument("client")
    sub.add_argument("assessment")
    sub.add_argument("file")
    sub.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    sub.add_argument("--skip-problems", action="store_true",
                     help="import the valid answers and skip the rows with problems (listed on stderr)")


def _parse_level(text: str | None) -> float | None:
    if text is None or text.strip().lower() in ("", "none", "-", "na", "n/a"):
        return None
    try:
        return float(text)
    except ValueError:
        return None


def cmd_answer(args: argparse.Namespace) -> int:
    from vciso.questionnaire import format_value

    with open_for_writing(args) as client:
        assessment = client.find_assessment(args.assessment)
        questionnaire = client.questionnaire(assessment.id)
        question = questionnaire.question(args.question_id)
        if question is None:
            raise VcisoError(f"question '{args.question_id}' is not in {questionnaire.title}")
        scale = questionnaire.scale_for(question)

        def level(text: str) -> float | None:
            value = _parse_level(text)
            if value is None and text.strip().lower() not in ("none", "-", "na", "n/a", ""):
                found = scale.level_by_label(text)
                if found is None:
                    raise VcisoError(f"'{text}' is not a level of the scale "
                                     f"({', '.join(f'{format_value(l.value)}={l.label}' for l in scale.levels)})")
                value = found.value
            return value

        changes: dict[str, Any] = {"current": level(args.level)}
        if args.na is not None:
            if not args.na.strip():
                raise VcisoError(f"{question.id}: N/A needs a reason (--na \"why it does not apply\")")
            changes["na_reason"] = args.na
            changes["current"] = None
        elif changes["current"] is not None:
            changes["na_reason"] = ""
        if args.target is not None:
            changes["target"] = level(args.target)
        if args.note is not None:
            changes["note"] = args.note
        for name in ("evidence", "established", "evidence_date"):
            if getattr(args, name) is not None:
                changes[name] = getattr(args, name)
        if args.flag:
            changes["flagged"] = True
        if args.unflag:
            changes["flagged"] = False
        change = client.save_answer(assessment.id, question.id, source="cli", **changes)
        after = change.after
        state = "N/A" if after.is_na else scale.label(after.current) or "unanswered"
        print(f"Saved {question.id}: {state}")
    return 0


def cmd_answers_import(args: argparse.Namespace) -> int:
    from vciso.answer_import import apply_import, changed_fields, plan_import, read_answer_file
    from vciso.cli import EXIT_ERROR
    path = Path(args.file)
    with open_for_writing(args) as client:
        assessment = client.find_assessment(args.assessment)
        rows = read_answer_file(path, client.questionnaire(assessment.id))
        plan = plan_import(client, assessment.id, rows, path.name)
        for problem in plan.problems:
            print(f"{path.name}: {problem}", file=sys.stderr)
        print(f"{path.name}: {plan.summary()}")
        for old, new in plan.changed:
            fields = ", ".join(changed_fields(old, new))
            print(f"  changed {new.question_id}: {_state(old)} -> {_state(new)} ({fields})")
        for new in plan.new:
            print(f"  new     {new.question_id}: {_state(new)}")
        if not plan.ok and not args.skip_problems:
            print(f"vciso: {path.name}: nothing was imported; fix the problems above, or import the "
                  f"{plural(len(plan.to_write), 'valid answer')} with --skip-problems", file=sys.stderr)
            return EXIT_ERROR
        if args.dry_run:
            print("Dry run: nothing was written.")
            return 0
        written = apply_import(client, assessment.id, plan, skip_problems=args.skip_problems)
        skipped = f", skipped {plural(len(plan.rejected), 'row')} with problems" if plan.rejected else ""
        print(f"Imported {plural(written, 'answer')} into [{assessment.id}] {assessment.name}{skipped}")
    return 0


def _state(response: Any) -> str:
    from vciso.questionnaire import format_value

    if response.is_na:
        return f"N/A ({response.na_reason})"
    return format_value(response.current) if response.current is not None else "unanswered"
