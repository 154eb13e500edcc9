"""`vciso roadmap CLIENT [ASSESSMENT] [--json]`: the remediation roadmap, brought up to date and shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vciso.commands import Command, assessment_command, emit_json, open_for_writing

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    """Add `roadmap` to the `vciso` parser."""
    assessment_command(subparsers, command, "roadmap", cmd_roadmap, "update and show the roadmap (edits are kept)")


def cmd_roadmap(args: argparse.Namespace) -> int:
    from vciso.numbers import priority
    from vciso.roadmap_store import regenerate_roadmap, roadmap_items
    from vciso.settings import load_settings
    settings = load_settings()
    phases = settings.phases()
    with open_for_writing(args) as client:
        assessment = client.find_assessment(args.assessment)
        regenerate_roadmap(client, assessment.id, phases, actions_per_month=settings.capacity())
        items = roadmap_items(client, assessment.id)
        name = client.profile().name

    def phase_name(index: int) -> str:
        return phases[index].name if index < len(phases) else f"Phase {index + 1}"

    if args.json:
        emit_json({"client": name, "assessment": {"id": assessment.id, "name": assessment.name},
                    "phases": [{"index": p.index, "name": p.name, "start_days": p.start_days,
                                "end_days": p.end_days} for p in phases],
                    "items": [{"id": i.id, "question_id": i.question_id, "title": i.title,
                               "recommendation": i.recommendation, "phase": i.phase,
                               "phase_name": phase_name(i.phase), "priority": i.priority, "gap": i.gap,
                               "effort": i.effort, "criticality": i.criticality, "quick_win": i.quick_win,
                               "owner": i.owner, "due_date": i.due_date, "status": i.status, "notes": i.notes,
                               "origin": i.origin, "edited": list(i.edited)} for i in items]})
        return 0
    if not items:
        print("No gaps: every answered question is at or above its target.")
    current = None
    for item in items:
        if item.phase != current:
            current = item.phase
            print(f"\n{phase_name(item.phase)}")
        flag = " (quick win)" if item.quick_win else ""
        print(f"  [{item.question_id or 'own'}] {item.title}{flag} — priority {priority(item.priority)}, "
              f"due {item.due_date or '—'}, {item.status}" + (f", owner {item.owner}" if item.owner else ""))
    return 0
