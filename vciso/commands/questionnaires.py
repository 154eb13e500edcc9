"""`vciso questionnaire list|validate|import|template`: the questionnaire library."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vciso.commands import Command, actions, emit_json, questionnaire_library
from vciso.errors import QuestionnaireError
from vciso.numbers import plural
from vciso.paths import user_library_dir

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    """Add `questionnaire list|validate|import|template` to the `vciso` parser."""
    q_cmds = actions(subparsers, "questionnaire", "the questionnaire library")
    sub = command(q_cmds, "list", cmd_questionnaire_list, "list the questionnaires of the library")
    sub.add_argument("--json", action="store_true")
    for name, func, text in (("validate", cmd_questionnaire_validate, "check a questionnaire file"),
                             ("import", cmd_questionnaire_import, "import a questionnaire into the library")):
        sub = command(q_cmds, name, func, text + " (our YAML, OSCAL catalog JSON/YAML, CISO Assistant library "
                                                 "YAML or Excel template; the format is found from the content)")
        sub.add_argument("file")
        sub.add_argument("--scale", default=None,
                         help="answer scale for OSCAL catalogs and templates without one (default maturity-0-5) "
                              "and CISO Assistant frameworks without scores (default implementation-4): "
                              "maturity-0-5, implementation-4 or yes-no")
        sub.add_argument("--id", help="questionnaire id to use (default: from the file, or readable from the "
                                      "catalog's or library's own name)")
        sub.add_argument("--assess", choices=("auto", "leaves", "all"), default="auto",
                         help="OSCAL controls holding controls: auto decides from the catalog (default), leaves "
                              "asks only the innermost controls, all asks every control")
        if name == "import":
            sub.add_argument("--dry-run", action="store_true",
                             help="show what would be imported (id, title, source, licence, sections, first "
                                  "questions) and write nothing")
    sub = command(q_cmds, "template", cmd_questionnaire_template, "write the Excel authoring template")
    sub.add_argument("-o", "--output", required=True)


def cmd_questionnaire_list(args: argparse.Namespace) -> int:
    library = questionnaire_library()
    rows = [{"id": q.id, "title": q.title, "version": q.version, "source": q.source, "licence": q.licence,
             "questions": q.question_count} for q in library.questionnaires()]
    if args.json:
        emit_json(rows)
        return 0
    for row in rows:
        print(f"{row['id']:<28} {row['version']:<8} {row['questions']:>5} questions  {row['title']}")
        print(f"{'':<28} source: {row['source']}")
        print(f"{'':<28} licence: {row['licence']}")
    return 0


def _not_imported(exc: QuestionnaireError, path: Path) -> int:
    from vciso.cli import EXIT_ERROR

    for problem in exc.problems:
        print(f"{exc.source}: {problem}", file=sys.stderr)
    print(f"vciso: {path}: not imported ({plural(len(exc.problems), 'problem')}); the library is unchanged",
          file=sys.stderr)
    return EXIT_ERROR


def cmd_questionnaire_validate(args: argparse.Namespace) -> int:
    from vciso.cli import EXIT_ERROR
    from vciso.importers import read_import_file
    from vciso.questionnaire import questionnaire_from_dict
    path = Path(args.file)
    try:
        converted = read_import_file(path, args.scale, args.id, args.assess)
        questionnaire = questionnaire_from_dict(converted.data, str(path))
    except QuestionnaireError as exc:
        for problem in exc.problems:
            print(f"{exc.source}: {problem}", file=sys.stderr)
        print(f"vciso: {path}: {plural(len(exc.problems), 'problem')}", file=sys.stderr)
        return EXIT_ERROR
    print(f"{path}: valid {converted.format_name} — {questionnaire.id} {questionnaire.version}, "
          f"{questionnaire.question_count} questions")
    return 0


def cmd_questionnaire_import(args: argparse.Namespace) -> int:
    from vciso.cli import EXIT_ERROR
    from vciso.importers.plan import apply_import, plan_import
    path = Path(args.file)
    library_dir = user_library_dir()
    try:
        plan = plan_import(path, library_dir, args.scale, args.id, args.assess)
    except QuestionnaireError as exc:
        return _not_imported(exc, path)
    if args.dry_run:
        print(f"{path}: would import into {plan.target}")
        for line in plan.summary():
            print(line)
        print("Dry run: nothing was written.")
        if plan.clash:
            print(f"vciso: {path}: {plan.clash_message()}", file=sys.stderr)
            return EXIT_ERROR
        return 0
    if plan.clash:
        print(f"vciso: {path}: {plan.clash_message()}", file=sys.stderr)
        return EXIT_ERROR
    try:
        questionnaire = apply_import(plan)
    except QuestionnaireError as exc:
        return _not_imported(exc, path)
    print(f"Read {path.name} as {plan.format_name}")
    print(f"Imported {questionnaire.id} {questionnaire.version} ({questionnaire.question_count} questions) "
          f"into {library_dir}")
    return 0


def cmd_questionnaire_template(args: argparse.Namespace) -> int:
    from vciso.importers.excel_template import write_template
    write_template(Path(args.output))
    print(f"Wrote the questionnaire authoring template to {args.output}")
    return 0
