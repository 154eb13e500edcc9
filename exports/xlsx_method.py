"""The Method sheet of the Excel deliverable: the answer scale, how scores, gaps and priorities are
computed, and the roadmap phases — in words a client's manager can follow."""

from __future__ import annotations

from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from exports.xlsx_common import TOP, WRAP, Book, Column, decimal_format
from vciso import numbers as num
from vciso.narrative import scope_phrase
from vciso.numbers import format_value
from vciso.questionnaire import Scale
from vciso.report import Report
from vciso.roadmap import CRITICALITY_LABELS, EFFORT_LABELS

RULES = {
    "mean": ("Mean", "A section's level is the average of the levels of its answered questions; the overall "
                     "level is the average over every answered question."),
    "weighted_mean": ("Weighted mean", "Like the mean, but each question counts in proportion to its weight "
                                       "(the question's weight times the weights of the sections it sits in)."),
    "min": ("Minimum", "A section scores its weakest answer: one low answer holds the whole section back. "
                       "The average is shown alongside."),
    "staged": ("Staged level", "A section reaches stage n only when every applicable question at stage n or "
                               "below meets the pass threshold; an unanswered question counts as not met. "
                               "This is how C2M2 and CMMI-style models award a level."),
}


def _used_scales(report: Report) -> list[Scale]:
    questionnaire = report.questionnaire
    seen: dict[str, Scale] = {}
    for question in questionnaire.questions():
        scale = questionnaire.scale_for(question)
        seen.setdefault(scale.id, scale)
    return list(seen.values()) or [questionnaire.default_scale]


def _rules(report: Report) -> list[tuple[str, str]]:
    questionnaire = report.questionnaire
    scale = questionnaire.default_scale
    threshold = scale.pass_threshold if scale.pass_threshold is not None else scale.max_value
    rule = report.score.aggregation
    name, text = RULES.get(rule, (rule, ""))
    default_target = questionnaire.default_target if questionnaire.default_target is not None else scale.max_value
    rows = [
        ("Levels", f"Each question is answered with a level of its scale. Levels are converted to a fraction "
                   f"of their scale (lowest level 0, highest 1) so that questions on different scales can be "
                   f"combined, and reported back on the {scale.name} scale ({format_value(scale.min_value)} "
                   f"to {format_value(scale.max_value)})."),
        (f"Scoring rule used: {name}", text),
    ]
    for key, (other, description) in RULES.items():
        if key != rule:
            rows.append((f"Other rule: {other}", description + " (not used in this assessment)"))
    rows += [
        ("Weakest answer", "The minimum is always shown beside the average, because an average of levels can "
                           "hide a weak spot."),
        ("Pass threshold", f"A question is met at {format_value(threshold)} ({scale.label(threshold)}) or above."),
        ("N/A", "A question marked not applicable needs a reason. It is left out of the scores (neither counted "
                "nor averaged) but counts as complete."),
        ("Unanswered", "An unanswered question is not scored as zero: it is left out of the averages and "
                       "lowers completion. In the staged rule it counts as not met."),
        ("Completion", "(answered questions + N/A questions) ÷ all questions."),
        ("Target", f"Each question has a target level: its own, else the assessment's, else the "
                   f"questionnaire's ({format_value(default_target)}), else the top of the scale."),
        ("Shortfall", "A question's shortfall (its gap) = target − current level, never below zero. A "
                      f"section's average shortfall is {num.SHORTFALL_EXPLAINED}."),
        ("Percent to target", "1 − (sum of gaps ÷ sum of targets) over answered, applicable questions, on the "
                              "0-to-1 scale: 100% means every answered question is at its target."),
        ("Priority", "priority = gap × weight × criticality ÷ effort. Criticality: "
                     + ", ".join(f"{k} {v}" for k, v in CRITICALITY_LABELS.items())
                     + "; effort: " + ", ".join(f"{k} {v}" for k, v in EFFORT_LABELS.items()) + "."),
        ("Quick wins", "Low-effort items of at least medium criticality: they go into the first phase."),
        ("Phases", "Critical items go no later than the second phase; the other items are spread over the "
                   "remaining phases in priority order. In staged questionnaires a lower stage always comes "
                   "first. Due dates are the assessment date plus the end of the item's phase, and can be "
                   "edited by the consultant."),
    ]
    return rows


def write_method(book: Book, ws: Worksheet, report: Report) -> None:
    """Fill the Method sheet."""
    questionnaire = report.questionnaire
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 95
    ws.sheet_view.showGridLines = False
    book.text(ws, 1, 1, "Method: how this assessment was scored", alignment=None, font=book.title_font)
    row = 3
    for label, value in (("Questionnaire", f"{questionnaire.title} (version {questionnaire.version}, "
                                           f"id {questionnaire.id})"),
                         # a scoped report: which questions of how many, in the scope's words
                         ("Scope", scope_phrase(report)) if report.scope else
                         ("Questions", str(questionnaire.question_count)),
                         ("Source", questionnaire.source), ("Licence", questionnaire.licence),
                         ("About", questionnaire.description)):
        if not value:
            continue
        ws.cell(row=row, column=2, value=label).font = book.label_font
        ws.cell(row=row, column=2).alignment = TOP
        book.text(ws, row, 3, value, item=label)
        row += 1
    for scale in _used_scales(report):
        row += 1
        book.text(ws, row, 1, f"Answer scale: {scale.name}", alignment=None, font=book.subtitle_font)
        header = row + 1
        book.header_row(ws, header, [Column("Value", 10), Column("Level", 30, wrap=True),
                                     Column("What it means", 95, wrap=True)])
        for offset, level in enumerate(scale.levels, start=1):
            r = header + offset
            book.number(ws, r, 1, level.value, decimal_format(level.value),
                        alignment=Alignment(horizontal="center", vertical="top"))
            book.text(ws, r, 2, level.label)
            book.text(ws, r, 3, level.description)
        row = header + len(scale.levels)
        if scale.na_allowed:
            row += 1
            book.text(ws, row, 1, "N/A", alignment=Alignment(horizontal="center", vertical="top"))
            book.text(ws, row, 2, "Not applicable")
            book.text(ws, row, 3, "The question does not apply to this organisation; a reason is required.")
        book.table(ws, "Scale", header, row, 1, 3)
        row += 1

    row += 1
    book.text(ws, row, 1, "How scores are computed", alignment=None, font=book.subtitle_font)
    header = row + 1
    book.header_row(ws, header, [Column("#", 10), Column("Topic", 30, wrap=True),
                                 Column("How it works", 95, wrap=True)])
    rules = _rules(report)
    for offset, (topic, text) in enumerate(rules, start=1):
        r = header + offset
        book.number(ws, r, 1, offset, "0", alignment=Alignment(horizontal="center", vertical="top"))
        book.text(ws, r, 2, topic, font=book.label_font)
        book.text(ws, r, 3, text)
    row = header + len(rules)
    book.table(ws, "Rules", header, row, 1, 3)

    row += 2
    book.text(ws, row, 1, "Roadmap phases", alignment=None, font=book.subtitle_font)
    header = row + 1
    book.header_row(ws, header, [Column("#", 10), Column("Phase", 30, wrap=True),
                                 Column("Time frame", 95, wrap=True)])
    for offset, phase in enumerate(report.phases, start=1):
        r = header + offset
        book.number(ws, r, 1, offset, "0", alignment=Alignment(horizontal="center", vertical="top"))
        book.text(ws, r, 2, phase.name)
        book.text(ws, r, 3, f"From day {phase.start_days} to day {phase.end_days} after the assessment date",
                  alignment=WRAP)
    book.table(ws, "Phases", header, header + len(report.phases), 1, 3)
    book.fit_columns(ws)
    book.fit_rows(ws, 1, ws.max_row)
    # the title (and the empty row under it) repeats on every page
    book.print_setup(ws, "1:2", footer_left=f"{report.client.name} — confidential")
