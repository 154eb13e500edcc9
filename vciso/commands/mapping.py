"""`vciso mapping import FILE [--dry-run]` and `vciso mapping list [--json]`: the crosswalk library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable

from vciso.commands import actions
from vciso.numbers import plural


def _library_dir() -> Path:
    from vciso.paths import user_library_dir

    return user_library_dir()


def load_mapping_library():  # type: ignore[no-untyped-def]
    """The mapping library (bundled + imported); each bad file is one warning line on stderr."""
    from vciso.crosswalk.store import load_mappings

    mappings = load_mappings(_library_dir())
    for problem in mappings.problems:
        print(f"vciso: warning: {problem.message}", file=sys.stderr)
    return mappings


def cmd_mapping_list(args: argparse.Namespace) -> int:
    from vciso.terminal import json_text

    mappings = load_mapping_library()
    if args.json:
        print(json_text({"mappings": [
            {"id": f.mapping.id, "title": f.mapping.title,
             "source": {"id": f.mapping.source_id, "version": f.mapping.source_version},
             "target": {"id": f.mapping.target_id, "version": f.mapping.target_version},
             "pairs": f.mapping.pair_count, "relationships": f.mapping.relationships(),
             "bundled": f.bundled, "path": str(f.path), "provenance": f.mapping.provenance}
            for f in mappings.files]}))
        return 0
    if not mappings.files:
        print("No mappings.")
    for f in mappings.files:
        kinds = ", ".join(f"{n} {k}" for k, n in f.mapping.relationships().items())
        origin = "bundled" if f.bundled else "imported"
        print(f"{f.mapping.id}  {f.mapping.source_id} → {f.mapping.target_id}  "
              f"{plural(f.mapping.pair_count, 'pair')} ({kinds}), {origin}")
    return 0


def cmd_mapping_import(args: argparse.Namespace) -> int:
    from vciso.crosswalk.store import apply_mapping_import, plan_mapping_import

    plan = plan_mapping_import(Path(args.file).expanduser(), _library_dir(), args.source, args.target)
    mapping = plan.mapping
    assert mapping is not None
    kinds = ", ".join(f"{n} {k}" for k, n in mapping.relationships().items())
    print(f"{plan.format_name}: {mapping.title}")
    print(f"  id {mapping.id}: {mapping.source_id} → {mapping.target_id}, {plural(mapping.pair_count, 'pair')} "
          f"({kinds}); {plural(len(mapping.source_ids()), 'source id')}, "
          f"{plural(len(mapping.target_ids()), 'target id')}")
    for note in plan.notes:
        print(f"  note: {note}")
    if plan.problems:
        from vciso.errors import MappingError

        raise MappingError(str(plan.source_path), list(plan.problems))
    if args.dry_run:
        print(f"Dry run: would write {plan.destination}; nothing was written")
        return 0
    written = apply_mapping_import(plan)
    print(f"Imported into {written}")
    return 0


def register(subparsers: Any, command: Callable) -> None:
    """Add `mapping list` and `mapping import` to the `vciso` parser."""
    cmds = actions(subparsers, "mapping", "crosswalks between questionnaires and frameworks")
    sub = command(cmds, "list", cmd_mapping_list, "list the mappings (bundled and imported)")
    sub.add_argument("--json", action="store_true")
    sub = command(cmds, "import", cmd_mapping_import,
                  "import a mapping: ours (YAML), OSCAL mapping-collection (JSON/YAML), NIST OLIR workbook "
                  "(.xlsx, sheet Relationships) or CISO Assistant mapping library (YAML); found from the content")
    sub.add_argument("file")
    sub.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    sub.add_argument("--source", help="the source framework or questionnaire id (default: read from the file)")
    sub.add_argument("--target", help="the target framework id (default: read from the file)")
