"""Plain-language sentences about a report: the executive summary and the methodology notes.

Pure text building (no reportlab, no Qt) so the PDF, the Excel workbook and the desktop dashboard all
say the same thing in the same words. Every function returns plain strings; callers escape them for
whatever markup they render into.
"""

from __future__ import annotations

from dataclasses import dataclass

from vciso import numbers as num
from vciso.numbers import plural  # noqa: F401 - the deliverables call it as narrative.plural
from vciso.questionnaire import Questionnaire, Scale
from vciso.report import FindingRow, Report, is_strength
from vciso.roadmap import CRITICALITY_LABELS, EFFORT_LABELS
from vciso.scope import Scope
from vciso.scoring import NodeScore

_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}

AGGREGATION_WORDS = {
    "mean": "the simple average of the answered questions",
    "weighted_mean": "the average of the answered questions, weighted by the importance of each "
                     "question and section",
    "min": "the weakest answered question (a section is only as strong as its weakest practice)",
    "staged": "the highest stage at which every question of that stage and all earlier stages meets "
              "the pass level",
}


def sentence_count(count: int, word: str, many: str) -> str:
    """A count that can open a sentence: 'Three answers are', '12 answers are'."""
    number = _NUMBERS.get(count, "one" if count == 1 else str(count))
    return f"{number[0].upper()}{number[1:]} {word if count == 1 else many}"


def scale_phrase(value: float | None, scale: Scale) -> str:
    """'2.2 of 4' on a scale starting at 0, '3.1 on the 1–5 scale' otherwise."""
    if scale.min_value == 0:
        return f"{num.score(value)} of {num.score(scale.max_value)}"
    return f"{num.score(value)} on the {num.score(scale.min_value)}–{num.score(scale.max_value)} scale"


def level_words(value: float | None, scale: Scale) -> str:
    """Where a (possibly fractional) score sits among the scale's named levels."""
    if value is None:
        return ""
    levels = scale.levels
    for level in levels:
        if abs(level.value - value) < 0.05:
            return f"at “{level.label}”"
    below = [lv for lv in levels if lv.value < value]
    above = [lv for lv in levels if lv.value > value]
    if below and above:
        return f"between “{below[-1].label}” and “{above[0].label}”"
    return f"at “{(below or above)[-1 if below else 0].label}”"


def finding_level(row: FindingRow) -> str:
    """'1 (Sometimes)' for an answered question, 'N/A' or 'unanswered' otherwise."""
    if row.status == "na":
        return "N/A"
    if row.status == "unanswered":
        return "unanswered"
    return f"{num.score(row.level_value)} ({row.level_label})" if row.level_label else num.score(row.level_value)


def finding_target(row: FindingRow) -> str:
    value = num.score(row.target_value)
    return f"{value} ({row.target_label})" if row.target_label else value


@dataclass(frozen=True)
class ExecutiveSummary:
    """The executive summary as sentences: a headline, context, gaps, strengths and next steps."""

    headline: str
    paragraphs: tuple[str, ...]
    gaps_intro: str
    gaps: tuple[str, ...]
    strengths_intro: str
    strengths: tuple[str, ...]
    next_steps: tuple[str, ...]
    top_actions: tuple[tuple[str, str, str], ...] = ()   # (action, owner or "Unassigned", due date)
    flagged: str = ""                                    # the flagged questions, named
    change: str = ""                                     # the change since the earlier assessment, for a tile


def planned_target(report: Report) -> float | None:
    """The overall target: the scored one, else the average target of the applicable questions (for a
    report made before anything was answered)."""
    if report.score.overall.target is not None:
        return report.score.overall.target
    targets = [f.target_value for f in report.findings if f.status != "na"]
    return sum(targets) / len(targets) if targets else None


def all_not_applicable(report: Report) -> bool:
    overall = report.score.overall
    return bool(overall.total) and overall.not_applicable == overall.total


def _distance_words(fraction: float) -> str:
    if fraction >= 0.995:
        return "meets the target it set"
    if fraction >= 0.85:
        return "is close to the target it set"
    if fraction >= 0.6:
        return "is well on the way to the target it set"
    if fraction >= 0.3:
        return "is part of the way to the target it set"
    return "is at an early stage on the way to the target it set"


def _risk_areas(report: Report) -> list[str]:
    """The areas of the gaps that matter most, in order, each named once."""
    areas: list[str] = []
    for row in report.top_gaps:
        if row.domain_title not in areas:
            areas.append(row.domain_title)
    return areas[:2]


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _headline(report: Report, scale: Scale) -> str:
    name = report.client.name
    overall = report.score.overall
    if all_not_applicable(report):
        return f"Every question in this assessment of {name} was marked not applicable, so there is no " \
               f"maturity score to report."
    if overall.current is None:
        target = planned_target(report)
        tail = f" The target is {scale_phrase(target, scale)}." if target is not None else ""
        return f"No questions have been answered yet for {name}, so there is no maturity score yet.{tail}"
    # what the result means for the business, in plain words; the figures follow in the tiles
    distance = overall.percent_to_target or 0.0
    sentence = f"{name}'s security {_distance_words(distance)}"
    if distance >= 0.995:
        return sentence + ": every answered question is at its target level."
    sentence += f" ({num.percent(overall.percent_to_target)} of the way)."
    areas = _risk_areas(report)
    if areas:
        sentence += f" The gaps that matter most are in {_and(areas)}; the three actions below close them first."
    return sentence


def _context(report: Report, scale: Scale) -> list[str]:
    overall = report.score.overall
    assessment = report.assessment
    q = report.questionnaire
    scope = report.scope
    questions = f"({plural(q.question_count, 'question')})" if scope is None else \
        f"limited to the {scope.questions} of its {scope.total} questions tagged {scope.label}"
    out = [f"This report covers the assessment “{assessment.name}” of "
           f"{num.long_date(assessment.assessment_date)}, made with the {q.title} questionnaire {questions}."]
    if overall.current is not None:
        rule = report.score.aggregation
        sentence = f"Overall, practice sits {level_words(overall.current, scale)}."
        if rule == "staged" and overall.stage is not None:
            sentence += f" Under the questionnaire's staged rule, stage {overall.stage} is fully achieved."
        elif rule == "min" and overall.minimum is not None:
            sentence += f" Scored by the weakest answer, as this questionnaire requires, the level is " \
                        f"{num.score(overall.minimum)}."
        out.append(sentence)
    complete = overall.answered + overall.not_applicable
    parts = [f"Of the {overall.total} questions, {complete} {'is' if complete == 1 else 'are'} complete "
             f"({num.percent(overall.completion)})"]
    detail = []
    if overall.answered:
        detail.append(f"{overall.answered} answered")
    if overall.not_applicable:
        detail.append(f"{overall.not_applicable} marked not applicable")
    text = parts[0] + (": " + " and ".join(detail) if detail else "") + "."
    if overall.unanswered:
        text += f" {sentence_count(overall.unanswered, 'question is', 'questions are')} still unanswered; " \
                f"unanswered questions lower completion, not the score, so the figures may move " \
                f"once they are answered."
    out.append(text)
    comparison = comparison_sentence(report)
    if comparison:
        out.append(comparison)
    return out


def comparison_sentence(report: Report) -> str | None:
    """How the overall level moved since the earlier assessment, and where it moved most."""
    comp = report.comparison
    if comp is None or comp.overall.baseline is None or comp.overall.current is None:
        return None
    when = f"the previous assessment (“{comp.baseline.name}”, {num.long_date(comp.baseline.assessment_date)})"
    change = comp.overall.change or 0.0
    if abs(change) < 0.05:
        text = f"Since {when}, the overall level is unchanged at {num.score(comp.overall.current)}."
    else:
        verb = "risen" if change > 0 else "fallen"
        text = f"Since {when}, the overall level has {verb} from {num.score(comp.overall.baseline)} to " \
               f"{num.score(comp.overall.current)}"
        if comp.overall.progress is not None and change > 0:
            text += f", closing {num.percent(comp.overall.progress)} of the distance to target"
        text += "."
    moved = [s for s in comp.sections if s.change is not None]
    if moved:
        best = max(moved, key=lambda s: s.change or 0.0)
        if (best.change or 0) >= 0.05:
            text += f" The largest improvement is in {best.title} ({num.score_change(best.change)})."
        worst = min(moved, key=lambda s: s.change or 0.0)
        if (worst.change or 0) <= -0.05:
            text += f" {worst.title} has slipped ({num.score_change(worst.change)})."
    return text


def gap_sentence(row: FindingRow) -> str:
    """'Backups — Offline copy (BAK-02): at 1 (Sometimes) against a target of 3 (Always).'"""
    title = row.title or row.text
    return f"{row.domain_title} — {title} ({row.question_id}): at {finding_level(row)} against a target " \
           f"of {finding_target(row)}."


def strength_sentence(node: NodeScore) -> str:
    if node.percent_to_target is not None and node.percent_to_target >= 0.999:
        return f"{node.title} meets its target ({num.score(node.current)} against {num.score(node.target)})."
    return f"{node.title} is {num.percent(node.percent_to_target)} of the way to target " \
           f"({num.score(node.current)} against {num.score(node.target)})."


def roadmap_sentences(report: Report) -> list[str]:
    """What to do first: the size of the plan, its quick wins and the first action."""
    items = report.roadmap
    if not items:
        if report.score.overall.answered:
            return ["No roadmap actions are needed: every answered question meets its target."]
        if all_not_applicable(report):
            return ["The roadmap is empty: no question applies, so there is nothing to plan."]
        return ["The roadmap is empty: answer questions to find the gaps worth closing."]
    last_phase = max(i.phase for i in items)
    horizon = report.phases[min(last_phase, len(report.phases) - 1)].end_days if report.phases else 0
    span = f"over the next {round(horizon / 30.4)} months" if horizon >= 90 else f"over {horizon} days"
    out = [f"The roadmap holds {plural(len(items), 'action')} {span}, ordered so that the most "
           f"valuable work comes first."]
    quick = [i for i in items if i.quick_win and i.status != "Done"]
    first = report.phase_name(0)
    if quick:
        share = "one of them" if len(quick) == 1 else f"{len(quick)} of them"
        out.append(f"Quick wins (low effort, real risk reduction) account for {share}; they are planned for "
                   f"{first}, starting with “{quick[0].title}”.")
    open_first = [i for i in items if i.phase == 0 and i.status != "Done"]
    if open_first and not quick:
        out.append(f"Start with “{open_first[0].title}” in {first}.")
    done = sum(1 for i in items if i.status == "Done")
    if done:
        out.append(f"{sentence_count(done, 'action is', 'actions are')} already done.")
    flagged = sum(1 for f in report.findings if f.flagged)
    if flagged:
        out.append(f"{sentence_count(flagged, 'answer is', 'answers are')} flagged for follow-up; they are "
                   f"marked in the findings.")
    return out


def top_action_rows(report: Report) -> tuple[tuple[str, str, str], ...]:
    """The first three actions of the plan: what, who ("Unassigned" when nobody is yet) and by when."""
    return tuple((item.title, item.owner or "Unassigned", num.short_date(item.due_date))
                 for item in report.top_actions)


def flagged_sentence(report: Report) -> str:
    """The questions flagged for follow-up, named by their titles ('' when none is)."""
    titles = [row.title or row.text for row in report.findings if row.flagged]
    if not titles:
        return ""
    shown = titles[:3]
    more = f" and {plural(len(titles) - 3, 'other')}" if len(titles) > 3 else ""
    verb = "is" if len(titles) == 1 else "are"
    quoted = [f"“{t}”" for t in shown]
    return f"Flagged for follow-up ({len(titles)}): {_and(quoted) if not more else ', '.join(quoted)}{more}; " \
           f"{'it' if len(titles) == 1 else 'they'} {verb} marked in the findings."


def change_tile(report: Report) -> str:
    """The change of the overall level since the earlier assessment ('+1.2'), or '' without one."""
    comp = report.comparison
    if comp is None or comp.overall.change is None:
        return ""
    return num.score_change(comp.overall.change)


def executive_summary(report: Report) -> ExecutiveSummary:
    """The executive summary of a report in plain words."""
    scale = report.questionnaire.default_scale
    gaps = tuple(gap_sentence(row) for row in report.top_gaps)
    if gaps:
        gaps_intro = f"The {_NUMBERS.get(len(gaps), str(len(gaps)))} largest gaps, weighted by importance:" \
            if len(gaps) > 1 else "The one gap found:"
    elif report.score.overall.answered:
        gaps_intro = "No gaps: every answered question meets its target."
    elif all_not_applicable(report):
        gaps_intro = "There are no gaps to report: no question applies."
    else:
        gaps_intro = "Gaps will appear here once questions are answered."
    strengths_nodes = report.strengths
    strengths = tuple(strength_sentence(node) for node in strengths_nodes)
    if strengths_nodes and all(is_strength(n) for n in strengths_nodes):
        strengths_intro = "Areas that meet their target:"
    elif strengths_nodes:
        strengths_intro = "No area meets its target yet; these are the closest:"
    else:
        strengths_intro = ""
    headline = _headline(report, scale)
    if report.scope is not None:  # the CEO page is read alone: it says what the figures are about
        headline = f"On the {scope_phrase(report)}: {headline}"
    return ExecutiveSummary(headline, tuple(_context(report, scale)), gaps_intro, gaps,
                            strengths_intro, strengths, tuple(roadmap_sentences(report)),
                            top_action_rows(report), flagged_sentence(report), change_tile(report))


def methodology_paragraphs(report: Report) -> list[str]:
    """How the numbers in the report were produced, in plain words."""
    q: Questionnaire = report.questionnaire
    scale = q.default_scale
    rule = AGGREGATION_WORDS.get(report.score.aggregation, report.score.aggregation)
    out = [
        f"Each question was answered on the “{scale.name}” scale, from {num.score(scale.min_value)} "
        f"(“{scale.levels[0].label}”) to {num.score(scale.max_value)} (“{scale.levels[-1].label}”), "
        f"and given a target level. A section's score is {rule}. The overall score applies the same rule "
        f"to all the answered questions together; it is not an average of the section scores.",
        f"A question's gap is how far its current level falls short of its target (never below zero). "
        f"A section's shortfall is {num.SHORTFALL_EXPLAINED}. Percent-to-target is one minus the total "
        f"gap divided by the total target, over the answered questions: 100% means every answered "
        f"question meets its target. Every figure is rounded once, halves up: levels to one decimal, "
        f"percentages to whole numbers.",
        "Questions marked not applicable, always with a reason, are left out of every score but count "
        "as complete. Unanswered questions are not counted as zero: they lower completion, not the "
        "score.",
        "Roadmap priority is gap × weight × criticality ÷ effort. Quick wins (low effort, at least "
        "medium criticality) go in the first phase, critical items no later than the second, and the "
        "rest are spread over the later phases in priority order. Within a phase the most critical "
        "actions come first; due dates are spread month by month so that no month holds more actions "
        "than the capacity set for the plan.",
    ]
    if report.score.aggregation == "staged":
        out.append("This questionnaire is staged: a stage counts as achieved only when every question of "
                   "that stage and of all earlier stages is at or above the pass level, so a lower stage "
                   "always comes first in the roadmap.")
    if report.comparison is not None:
        baseline = report.comparison.baseline
        out.append(f"Progress compares this assessment with the assessment “{baseline.name}” of "
                   f"{num.long_date(baseline.assessment_date)}: progress is the share of "
                   f"the distance from the earlier level to the target that has been closed.")
    source = f"Questionnaire: {q.title}, version {q.version}."
    if q.source:
        source += f" Source: {q.source}."
    if q.licence and "vcisoworkbench" not in q.licence.casefold().replace(" ", ""):
        source += f" Licence: {q.licence}."   # a framework owner's terms; never the tool's own
    out.append(source.replace("..", "."))
    return out


def scope_phrase(report: Report) -> str:
    """'questions tagged IG1 — Basic cyber hygiene (56 of 153 questions)' for a report scoped to a tag, ''
    for one about every question: the words every deliverable gives its scope in."""
    scope = report.scope
    if scope is None:
        return ""
    return f"questions tagged {scope.label} ({scope.questions} of {plural(scope.total, 'question')})"


def _scoped_paragraph(report: Report, scope: Scope) -> str:
    """What a report scoped to a tag covers, leaves out and keeps (the consultant's own actions)."""
    q, a = report.questionnaire, report.assessment
    who = f" with {a.assessor}" if a.assessor else ""
    left_out = scope.total - scope.questions
    text = (f"Scope: {scope_phrase(report)}. This report covers {report.client.name} against those questions of "
            f"the {q.title} questionnaire, in {plural(len(report.score.domains), 'area')}, as answered{who} on "
            f"{num.long_date(a.assessment_date)}; every figure, the comparison with the earlier assessment and "
            f"the trend are computed on them only, and the other {plural(left_out, 'question')} "
            f"{'is' if left_out == 1 else 'are'} left out.")
    own = sum(1 for item in report.roadmap if item.question_id is None)
    if own:
        text += (f" The roadmap holds the actions for these questions and {plural(own, 'action')} added by the "
                 f"consultant, which {'belongs' if own == 1 else 'belong'} to no question and "
                 f"{'is' if own == 1 else 'are'} part of the plan whatever the scope.")
    return text


def scope_paragraphs(report: Report) -> list[str]:
    """What the assessment covers and what it cannot tell, in plain words."""
    q, a, overall = report.questionnaire, report.assessment, report.score.overall
    areas = len(report.score.domains)
    who = f" with {a.assessor}" if a.assessor else ""
    covers = _scoped_paragraph(report, report.scope) if report.scope is not None else (
        f"Scope: this assessment covers {report.client.name} against the {q.title} questionnaire "
        f"({plural(q.question_count, 'question')} in {plural(areas, 'area')}), as answered{who} on "
        f"{num.long_date(a.assessment_date)}.")
    out = [covers,
           "Limitations: the levels come from the answers given and the evidence offered, not from "
           "technical testing, so they show how practice is organised rather than proving that every "
           "control works. They describe one point in time; things may have changed since."]
    out += [text for text in (provenance_sentence(report), stale_evidence_sentence(report)) if text]
    if overall.unanswered:
        out.append(f"{sentence_count(overall.unanswered, 'question was', 'questions were')} not answered and "
                   f"{'is' if overall.unanswered == 1 else 'are'} left out of every score, which may "
                   f"therefore be higher or lower once {'it is' if overall.unanswered == 1 else 'they are'} "
                   f"answered.")
    if overall.not_applicable:
        out.append(f"{sentence_count(overall.not_applicable, 'question was', 'questions were')} marked not "
                   f"applicable, each with a reason recorded in the findings.")
    return out


def finding_fields(row: FindingRow) -> list[tuple[str, str]]:
    """What a finding shows under its heading, labelled: notes, why not applicable, evidence, and the
    recommendation of an answered question with a gap."""
    fields = []
    if row.note:
        fields.append(("Notes", row.note))
    if row.status == "na" and row.na_reason:
        fields.append(("Why not applicable", row.na_reason))
    if row.evidence:
        fields.append(("Evidence", row.evidence))
    if row.established:
        fields.append(("How established", f"{row.provenance.label} — {row.provenance.confidence.lower()} "
                                          "confidence"))
    if row.evidence_date:
        fields.append(("Evidence date", evidence_date_text(row)))
    if row.status == "answered" and row.gap and row.recommendation:
        fields.append(("Recommendation", row.recommendation))
    return fields


def key_figure_tiles(report: Report, change: str = "") -> list[tuple[str, str]]:
    """The CEO page's figures as (value, caption): current level, target, way to target, completion and,
    with an earlier assessment, the `change` since it."""
    overall = report.score.overall
    scale = report.questionnaire.default_scale
    tiles = [
        (num.score(overall.current), f"current level (of {num.score(scale.max_value)})"),
        (num.score(planned_target(report)), "target level"),
        (num.percent(overall.percent_to_target), "of the way to target"),
        (num.percent(overall.completion), f"complete ({overall.complete} of {overall.total} questions)"),
    ]
    if change and report.comparison is not None:
        tiles.append((change, f"since {report.comparison.baseline.name}"))
    return tiles


def section_line(node: NodeScore) -> str:
    """'4 questions · current 1.5 against target 3.0 · gap 1.5 · 50% complete' under a section's heading."""
    parts = [plural(node.total, "question")]
    if node.current is not None:
        parts.append(f"current {num.score(node.current)} against target {num.score(node.target)}")
        parts.append(f"gap {num.score(node.gap)}")
    parts.append(f"{num.percent(node.completion)} complete")
    return " · ".join(parts)


def findings_intro(report: Report) -> str:
    """The paragraph that opens the findings, with how many answers are flagged for follow-up."""
    intro = ("Every question of the assessment, section by section: the answer given, the target, the "
             "consultant's notes and, where there is a gap, the recommendation. The coloured bar beside "
             "each question shows the size of its gap.")
    flagged = sum(1 for f in report.findings if f.flagged)
    if flagged:
        intro += f" {plural(flagged, 'answer is', 'answers are')} flagged for follow-up (⚑)."
    return intro


def phase_title(report: Report, index: int) -> str:
    """'Phase 1 — Quick wins — by 31 Jan 2027': a roadmap phase's heading with its due date."""
    title = report.phase_name(index)
    due = report.phase_due(index)
    return f"{title} — by {num.short_date(due.isoformat())}" if due is not None else title


def phase_summary(items: list) -> str:
    """'5 actions · 2 quick wins · 1 done · 3 without an owner yet': the line under a phase's heading."""
    quick = sum(1 for i in items if i.quick_win)
    done = sum(1 for i in items if i.status == "Done")
    unassigned = sum(1 for i in items if not i.owner)
    line = [plural(len(items), "action")]
    if quick:
        line.append(plural(quick, "quick win"))
    if done:
        line.append(f"{done} done")
    line.append("all have an owner" if not unassigned else f"{unassigned} without an owner yet")
    return " · ".join(line)


def finding_confidence(row: FindingRow) -> str:
    """'Medium confidence' beside an answered level when it says how it was established, else ''."""
    confidence = row.provenance.confidence
    return f"{confidence} confidence" if confidence and row.status != "unanswered" else ""


def evidence_date_text(row: FindingRow) -> str:
    """'14 Mar 2025', flagged when it is over a year before the assessment."""
    text = num.long_date(row.evidence_date)
    return f"{text} — over a year before the assessment" if row.evidence_stale else text


def provenance_sentence(report: Report) -> str:
    """How the answered levels were established, counted ('' when no answer says)."""
    from vciso.provenance import METHODS

    answered = [row for row in report.findings if row.status == "answered"]
    counts = {key: sum(1 for row in answered if row.established == key) for key in METHODS}
    said = sum(counts.values())
    if not said:
        return ""
    parts = [f"{count} {METHODS[key][0].lower()}" for key, count in reversed(list(counts.items())) if count]
    rest = len(answered) - said
    return (f"How the levels were established: {', '.join(parts)}"
            + (f"; {rest} answered {'level does' if rest == 1 else 'levels do'} not say." if rest else ".")
            + " Tested and observed answers give high confidence, documents medium, interviews low.")


def stale_evidence_sentence(report: Report) -> str:
    """A sentence for the scope: how many answers rest on evidence over a year old ('' when none)."""
    stale = [row for row in report.findings if row.evidence_stale and row.status != "unanswered"]
    if not stale:
        return ""
    verb = "rests" if len(stale) == 1 else "rest"
    return (f"{sentence_count(len(stale), 'answer', 'answers')} {verb} on evidence dated more than a year "
            f"before the assessment ({', '.join(row.question_id for row in stale[:6])}"
            f"{', …' if len(stale) > 6 else ''}); {'its' if len(stale) == 1 else 'their'} level may no "
            "longer describe current practice.")


@dataclass(frozen=True)
class EvidenceIndexRow:
    """One line of the evidence index: an attached file, or an answer's evidence without a file."""

    question_id: str
    title: str
    file_name: str        # "" for evidence without a file
    description: str      # the answer's evidence text
    sha256: str
    size: int
    date: str             # the answer's evidence date, else the day the file was attached (ISO)
    date_is_added: bool   # `date` is when the file was attached, not a date the consultant gave
    confidence: str       # 'Medium (document review)' or ''
    stale: bool


def evidence_index(report: Report) -> list[EvidenceIndexRow]:
    """Every attached file and every answer with evidence, how established or an evidence date, in
    questionnaire order: what the PDF's and the workbook's evidence index list."""
    files: dict[str, list] = {}
    for item in report.evidence:
        files.setdefault(item.question_id, []).append(item)
    out = []
    for row in report.findings:
        attached = sorted(files.get(row.question_id, []), key=lambda item: (item.name.casefold(), item.id))
        if not (attached or row.evidence or row.established or row.evidence_date):
            continue
        common = dict(question_id=row.question_id, title=row.title or row.text, description=row.evidence,
                      confidence=row.provenance.describe(), stale=row.evidence_stale)
        for item in attached:
            out.append(EvidenceIndexRow(**common, file_name=item.name, sha256=item.sha256, size=item.size,
                                        date=row.evidence_date or item.added_at[:10],
                                        date_is_added=not row.evidence_date))
        if not attached:
            out.append(EvidenceIndexRow(**common, file_name="", sha256="", size=0, date=row.evidence_date,
                                        date_is_added=False))
    return out


def evidence_index_intro(rows: list[EvidenceIndexRow], marks: tuple[str, str] = ("in italics", "in red")) -> str:
    """The paragraph above the evidence index; `marks` name how an attach date and old evidence look."""
    files = sum(1 for row in rows if row.file_name)
    stale = sum(1 for row in rows if row.stale)
    text = (f"The evidence behind the answers: {plural(files, 'file')} attached to the assessment and the "
            "evidence noted for each answer. Each file's SHA-256 identifies its exact content; the date is the "
            f"evidence date given with the answer, or ({marks[0]}) the day the file was attached. Confidence "
            "follows how the answer was established: tested or observed high, a document medium, an "
            "interview low.")
    if stale:
        text += (f" {sentence_count(stale, 'entry is', 'entries are')} dated more than a year before the "
                 f"assessment ({marks[1]}).")
    return text


def about_pairs(report: Report) -> list[tuple[str, str]]:
    """The "about this assessment" table: client, assessment, questionnaire, who and when (empty ones left out)."""
    c, a, q, b = report.client, report.assessment, report.questionnaire, report.branding
    pairs = [("Client", c.name), ("Industry", c.industry),
             ("Employees", str(c.employees) if c.employees is not None else ""), ("Contact", c.contact),
             ("Assessment", a.name), ("Assessment date", num.long_date(a.assessment_date)),
             ("Status", a.status), ("Questionnaire", f"{q.title} (version {q.version})"),
             ("Scope", scope_phrase(report)), ("Assessor", a.assessor),
             ("Prepared by", ", ".join(x for x in (b.consultant, b.firm_name) if x)),
             ("Report generated", num.long_date(report.generated_at.date()))]
    if report.comparison is not None:
        pairs.insert(7, ("Compared with", f"{report.comparison.baseline.name} "
                                          f"({num.long_date(report.comparison.baseline.assessment_date)})"))
    return [(k, v) for k, v in pairs if v]


def running_title(report: Report) -> str:
    """The assessment as every page's footer names it: 'Follow-up', or 'Follow-up · IG1 questions only' for
    a report scoped to a tag, so that a page read alone still says what it covers."""
    name = report.assessment.name
    return name if report.scope is None else f"{name} · {report.scope.tag} questions only"


def cover_pairs(report: Report) -> list[tuple[str, str]]:
    """The cover page's details (PDF and Word): date, questionnaire, scope, who, when, status."""
    a, b = report.assessment, report.branding
    pairs = [("Assessment date", num.long_date(a.assessment_date)),
             ("Questionnaire", f"{a.questionnaire_title} (version {a.questionnaire_version})"),
             ("Scope", scope_phrase(report)),
             ("Prepared by", b.consultant), ("Firm", b.firm_name),
             ("Issued", num.long_date(report.generated_at.date())),
             ("Status", "Draft: the assessment is still in progress; figures may change" if report.draft
              else "Final")]
    return [(k, v) for k, v in pairs if v]


def document_control(report: Report) -> list[tuple[str, str]]:
    """The document-control table: version, date, author, reviewer, distribution, classification."""
    b, a = report.branding, report.assessment
    version = "Draft — the assessment is in progress" if report.draft else "Final"
    author = ", ".join(x for x in (b.consultant, b.firm_name) if x) or (a.assessor or "—")
    return [("Document", f"Security maturity assessment report — {a.name}"),
            ("Version", version),
            ("Date", num.long_date(report.generated_at.date())),
            ("Author", author),
            ("Reviewer", "—"),
            ("Distribution", report.client.contact or f"{report.client.name}: management only"),
            ("Classification", "Confidential")]


def effort_label(effort: int) -> str:
    return EFFORT_LABELS.get(effort, str(effort))


def criticality_label(criticality: int) -> str:
    return CRITICALITY_LABELS.get(criticality, str(criticality))
