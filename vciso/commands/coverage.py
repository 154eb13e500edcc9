"""`vciso coverage CLIENT [ASSESSMENT] --framework ID [--json]`: an assessment against another framework."""

from __future__ import annotations

import argparse
from typing import Any, Callable


def compute_for_cli(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """(client name, assessment, coverage) for the client and framework named on the command line."""
    from vciso.commands import questionnaire_library, workspace
    from vciso.commands.mapping import load_mapping_library
    from vciso.crosswalk import assessment_coverage

    library, mappings = questionnaire_library(), load_mapping_library()
    with workspace(args).open_client(args.client) as client:
        assessment = client.find_assessment(args.assessment)
        coverage = assessment_coverage(client, assessment.id, args.framework, library, mappings)
        name = client.profile().name
    return name, assessment, coverage


def cmd_coverage(args: argparse.Namespace) -> int:
    from vciso import numbers as num
    from vciso.crosswalk.output import coverage_json, summary_line

    name, assessment, coverage = compute_for_cli(args)
    if args.json:
        from vciso.terminal import json_text

        print(json_text(coverage_json(coverage, name, {"id": assessment.id, "name": assessment.name})))
        return 0
    print(f"{name} — {assessment.name}: {coverage.title} (from {coverage.source_title}, via "
          f"{' + '.join(coverage.mappings)})")
    print(f"Overall: {summary_line(coverage.totals)}")
    for note in coverage.notes:
        print(f"Note: {note}")
    print(f"{'Requirement':<14} {'Level':>5} {'Target':>6} {'Confidence':<10} Status")
    for section in coverage.sections:
        print(f"\n{section.title} — {summary_line(section.totals)}")
        for row in section.requirements:
            print(f"{row.id:<14} {num.score(row.level):>5} {num.score(row.target):>6} {row.confidence:<10} "
                  f"{row.status_label}")
    return 0


def register(subparsers: Any, command: Callable) -> None:
    """Add `coverage` to the `vciso` parser."""
    sub = command(subparsers, "coverage", cmd_coverage,
                  "show an assessment's coverage of another framework through the mappings")
    sub.add_argument("client")
    sub.add_argument("assessment", nargs="?")
    sub.add_argument("--framework", required=True, metavar="ID",
                     help="a questionnaire of the library or a framework the mappings name (vciso mapping list)")
    sub.add_argument("--json", action="store_true")



def export_coverage(args: argparse.Namespace, client: Any, assessment_id: int):  # type: ignore[no-untyped-def]
    """The coverage `vciso export --coverage FRAMEWORK` adds to a deliverable (None without the option)."""
    framework = getattr(args, "coverage", None)
    if not framework:
        return None
    from vciso.commands import questionnaire_library
    from vciso.commands.mapping import load_mapping_library
    from vciso.crosswalk import assessment_coverage

    return assessment_coverage(client, assessment_id, framework, questionnaire_library(), load_mapping_library(),
                               tag=getattr(args, "tag", None))  # a scoped deliverable: the same questions
