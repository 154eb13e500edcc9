"""`vciso score CLIENT [ASSESSMENT] [--tag TAG] [--json]`: an assessment's scores, overall and by section."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vciso.commands import Command, assessment_command, emit_json, workspace

if TYPE_CHECKING:
    import argparse


def register(subparsers: Any, command: Command) -> None:
    """Add `score` to the `vciso` parser."""
    sub = assessment_command(subparsers, command, "score", cmd_score, "score an assessment")
    sub.add_argument("--tag", help="score only the questions with this tag (e.g. an implementation group: IG1)")


def _node_json(node: Any) -> dict:
    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 4)
    out = {"id": node.id, "title": node.title, "current": r(node.current), "target": r(node.target),
           "gap": r(node.gap), "minimum": r(node.minimum), "score": r(node.score),
           "percent_to_target": r(node.percent_to_target), "completion": r(node.completion),
           "answered": node.answered, "not_applicable": node.not_applicable, "unanswered": node.unanswered,
           "total": node.total, "distribution": node.distribution, "stage": node.stage}
    if node.depth >= 0:
        out["sections"] = [_node_json(child) for child in node.children]
    return out


def cmd_score(args: argparse.Namespace) -> int:
    from vciso.numbers import percent, score_fixed
    from vciso.scoring import score_assessment
    with workspace(args).open_client(args.client) as client:
        assessment = client.find_assessment(args.assessment)
        questionnaire = client.questionnaire(assessment.id)
        score = score_assessment(questionnaire, client.responses(assessment.id), assessment.default_target,
                                 tag=args.tag)
        name = client.profile().name
    if args.tag:
        from vciso.scoring import matching_tag
        args.tag = matching_tag(questionnaire, args.tag)
    if args.json:
        overall = _node_json(score.overall)
        emit_json({"client": name, "assessment": {"id": assessment.id, "name": assessment.name},
                    "questionnaire": {"id": questionnaire.id, "version": questionnaire.version,
                                      "aggregation": questionnaire.aggregation},
                    "tag": args.tag or None,
                    "scale": {"min": score.scale_min, "max": score.scale_max},
                    "overall": overall, "domains": [_node_json(d) for d in score.domains]})
        return 0
    print(f"{name} — {assessment.name} ({questionnaire.title} {questionnaire.version}, "
          f"{questionnaire.aggregation})")
    if args.tag:
        print(f"Only the questions tagged {questionnaire.tag_label(args.tag)}: {score.overall.total} of "
              f"{questionnaire.question_count}")
    print(f"{'Section':<40} {'Current':>7} {'Target':>7} {'Short':>6} {'Min':>5} {'To target':>9} {'Complete':>8}")

    def show(node: Any, indent: int) -> None:
        def f(value: float | None, pct: bool = False) -> str:
            return percent(value, negative_zero=True) if pct else score_fixed(value, 2)
        title = ("  " * indent + node.title)[:40]
        print(f"{title:<40} {f(node.current):>7} {f(node.target):>7} {f(node.gap):>6} {f(node.minimum):>5} "
              f"{f(node.percent_to_target, True):>9} {f(node.completion, True):>8}")
        for child in node.children:
            show(child, indent + 1)

    for domain in score.domains:
        show(domain, 0)
    show(score.overall.__class__(**{**score.overall.__dict__, "children": ()}), 0)
    return 0
