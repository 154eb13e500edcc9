"""The progress report: a short PDF (2-4 pages) for a monthly or quarterly board update.

Built from the same plain `Report` as the full PDF, with its document template, fonts, palette, header,
"page X of Y" footer, DRAFT mark and atomic write. Its first page carries the cover's furniture (colour
band, confidentiality panel) with the headline figures under the title; then what changed, plan progress
and the overdue actions, the next 90 days' actions, and the open flags. Every figure goes through
`vciso.numbers`; `since` limits "what changed" to the changes made on or after that day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, NextPageTemplate, Spacer, Table

from exports.pdf_charts import TrendLine, trend_chart
from exports.pdf_flowables import Context, PageCounter
from exports.pdf_report import ReportDocument, _clip, layout_context
from exports.pdf_styles import CONTENT_WIDTH, data_table_style
from exports.progress import Steps, run_to_end
from vciso import numbers as num
from vciso.activity import Activity, Milestone
from vciso.narrative import scope_phrase
from vciso.plan import progress_sentence
from vciso.report import Report
from vciso.atomic import atomic_path

_STEPS = 6
HORIZON_DAYS = 90
LIST_LIMIT = 10  # rows of a list before "and N more": the report stays within four pages
UP, DOWN, SAME = "#2F855A", "#C53030", "#5F6B7A"


# --------------------------------------------------------------------------- sentences


def _when(milestone: Milestone) -> str:
    return f"{milestone.name} ({num.long_date(milestone.assessment_date)})"


def _movement(now: float | None, then: float | None) -> str:
    """'up 0.4 from 2.1', 'down 0.2 from 2.6', 'unchanged' in plain words (one rounding)."""
    if now is None or then is None:
        return "not comparable"
    change = num.rounded(now) - num.rounded(then)
    if abs(change) < 0.05:
        return f"unchanged at {num.score(now)}"
    return f"{'up' if change > 0 else 'down'} {num.score(abs(change))} from {num.score(then)}"


def headline_sentence(report: Report) -> str:
    """The overall score and percent-to-target now, against the previous assessment and the baseline."""
    overall = report.score.overall
    text = (f"The overall score is {num.score(overall.current)} against a target of {num.score(overall.target)}, "
            f"{num.percent(overall.percent_to_target)} of the way to target.")
    activity = report.activity
    if activity is None or activity.previous is None:
        return text + " This is the first assessment: later reports will show the change from it."
    text += f" Since the previous assessment, {_when(activity.previous)}, the score is " \
            f"{_movement(overall.current, activity.previous.overall)}"
    if activity.baseline is not None and activity.baseline.assessment_id != activity.previous.assessment_id:
        text += f"; since the baseline, {_when(activity.baseline)}, it is " \
                f"{_movement(overall.current, activity.baseline.overall)}"
    else:
        text += " (the previous assessment is also the baseline)"
    return text + "."


def changes_sentence(activity: Activity) -> str:
    """How much changed, in one line."""
    ups = sum(1 for m in activity.moves if m.up)
    downs = len(activity.moves) - ups
    scope = (f"Since {num.long_date(activity.since_day)}" if activity.since_day
             else "Since the previous assessment")
    if not (activity.moves or activity.closed or activity.added):
        return f"{scope}, no answer moved and no action was closed or added."
    return (f"{scope}: {num.plural(ups, 'question')} moved up, {num.plural(downs, 'question')} moved down, "
            f"{num.plural(len(activity.closed), 'action')} closed and {num.plural(len(activity.added), 'action')} "
            f"added to the plan.")


# --------------------------------------------------------------------------- sections


def _table(rows: list, widths: list[float], ctx: Context) -> Table:
    return Table(rows, colWidths=widths, repeatRows=1, style=data_table_style(ctx.palette))


def _more(count: int, ctx: Context, what: str) -> list:
    return [ctx.p(f"… and {count} more {what}.", ctx.styles.muted)] if count > 0 else []


def title_block(report: Report, ctx: Context) -> list:
    """The first page's title: what this is, for whom, as of which assessment."""
    s, a = ctx.styles, report.assessment
    kicker = "PROGRESS REPORT" + ("  ·  DRAFT — NOT FINAL" if report.draft else "")
    title_style = s.cover_title.clone("progress_title", fontSize=24, leading=29, spaceAfter=6)
    issued = f"Issued {num.long_date(report.generated_at.date())}"
    by = report.branding.consultant or report.branding.firm_name
    meta = f"As of the {a.name}, {num.long_date(a.assessment_date)} · {issued}" + (f" · {by}" if by else "")
    scope = [ctx.p(f"Scope: {scope_phrase(report)}; the scores and the plan are about these questions only.",
                   s.cover_small)] if report.scope else []
    return [Spacer(1, 2 * mm), ctx.p(kicker, s.cover_kicker), ctx.p(_clip(report.client.name, 120), title_style),
            ctx.p(meta, s.cover_small), *scope, Spacer(1, 6 * mm)]


def headline(report: Report, ctx: Context) -> list:
    """Score and percent-to-target now, at the previous assessment and at the baseline."""
    s = ctx.styles
    overall, activity = report.score.overall, report.activity
    columns: list[tuple[str, float | None, float | None]] = [
        (f"Now ({num.short_date(report.assessment.assessment_date)})", overall.current, overall.percent_to_target)]
    previous = activity.previous if activity else None
    baseline = activity.baseline if activity else None
    if previous is not None:
        same = baseline is not None and baseline.assessment_id == previous.assessment_id
        label = "Previous = baseline" if same else "Previous"
        columns.append((f"{label} ({num.short_date(previous.assessment_date)})", previous.overall,
                        previous.percent_to_target))
    if baseline is not None and (previous is None or baseline.assessment_id != previous.assessment_id):
        columns.append((f"Baseline ({num.short_date(baseline.assessment_date)})", baseline.overall,
                        baseline.percent_to_target))
    rows = [[ctx.p("", s.head)] + [ctx.p(c[0], s.head_right) for c in columns],
            [ctx.p("Overall score", s.cell_bold)] + [ctx.p(num.score(c[1]), s.cell_right) for c in columns],
            [ctx.p("Percent to target", s.cell_bold)] + [ctx.p(num.percent(c[2]), s.cell_right) for c in columns]]
    if len(columns) > 1:
        rows[0].append(ctx.p("Change since previous", s.head_right))
        rows[1].append(ctx.p(num.score_change(_change(overall.current, columns[1][1])), s.cell_right))
        rows[2].append(ctx.p(_points(overall.percent_to_target, columns[1][2]), s.cell_right))
    fixed = [78.0] * (len(rows[0]) - 1)
    out: list = [ctx.heading(0, "Headline", toc=False), ctx.p(headline_sentence(report)),
                 _table(rows, [CONTENT_WIDTH - sum(fixed)] + fixed, ctx)]
    trend = report.trend
    if trend is not None and trend.shown:
        dates = [p.assessment_date for p in trend.points]
        chart = trend_chart(dates, [TrendLine("Overall score", trend.overall_series, ctx.palette.accent, 2.2,
                                              labelled=True)], trend.scale_min, trend.scale_max, ctx.fonts,
                            CONTENT_WIDTH, height=120)
        out += [Spacer(1, 8), chart]
    return out


def _change(now: float | None, then: float | None) -> float | None:
    return None if now is None or then is None else num.rounded(now) - num.rounded(then)


def _points(now: float | None, then: float | None) -> str:
    """A change of percent-to-target in percentage points, each side rounded as shown."""
    if now is None or then is None:
        return num.DASH
    change = int(num.rounded(now * 100, 0) - num.rounded(then * 100, 0))
    return f"{change:+d} pts" if change else "0 pts"


def what_changed(report: Report, ctx: Context, activity: Activity) -> list:
    """Questions whose level moved, actions closed and added (since the previous assessment or a day)."""
    s = ctx.styles
    out: list = [ctx.heading(0, "What changed", toc=False)]
    if activity.previous is None:
        return out + [ctx.p("This is the client's first assessment of this questionnaire: there is nothing "
                            "earlier to compare with.")]
    out.append(ctx.p(changes_sentence(activity)))
    scale = report.questionnaire.default_scale
    if activity.moves:
        moves = sorted(activity.moves, key=lambda m: (not m.up, -abs(m.after - m.before), m.title))
        rows = [[ctx.p(h, s.head if i < 2 else s.head_right)
                 for i, h in enumerate(("Question", "Moved", "Before", "Now"))]]
        for move in moves[:LIST_LIMIT]:
            colour = UP if move.up else DOWN
            rows.append([ctx.p(move.title, s.cell),
                         ctx.raw(f"<font color='{colour}'><b>{'Up' if move.up else 'Down'} "
                                 f"{num.score_change(move.after - move.before)}</b></font>", s.cell),
                         ctx.p(f"{num.format_value(move.before)} – {scale.label(move.before)}", s.cell_right),
                         ctx.p(f"{num.format_value(move.after)} – {scale.label(move.after)}", s.cell_right)])
        out += [ctx.heading(1, "Questions that moved", toc=False, style=s.h3),
                _table(rows, [CONTENT_WIDTH - 56 - 2 * 105, 56, 105, 105], ctx)]
        out += _more(len(moves) - LIST_LIMIT, ctx, "questions")
    for title, events in (("Actions closed", activity.closed), ("Actions added", activity.added)):
        if not events:
            continue
        rows = [[ctx.p("Action", s.head), ctx.p("Date", s.head_right)]]
        rows += [[ctx.p(e.title, s.cell), ctx.p(num.short_date(e.changed_at), s.cell_right)]
                 for e in events[:LIST_LIMIT]]
        out += [ctx.heading(1, title, toc=False, style=s.h3), _table(rows, [CONTENT_WIDTH - 70, 70], ctx)]
        out += _more(len(events) - LIST_LIMIT, ctx, "actions")
    return out


def plan_section(report: Report, ctx: Context) -> list:
    """The plan's progress line, its counts, and the overdue actions by name."""
    s = ctx.styles
    progress = report.plan_progress
    counts = [("Done", progress.done), ("In progress", progress.in_progress), ("Not started", progress.not_started),
              ("Overdue", progress.overdue),
              ("% done", num.percent(progress.percent_done) if progress.percent_done is not None else num.DASH)]
    rows = [[ctx.p(label, s.head_right) for label, _ in counts], [ctx.p(str(v), s.cell_right) for _, v in counts]]
    out: list = [ctx.heading(0, "Plan progress", toc=False), ctx.p(progress_sentence(progress)),
                 _table(rows, [CONTENT_WIDTH / len(counts)] * len(counts), ctx)]
    overdue = report.overdue
    if overdue:
        today = report.generated_at.date()
        rows = [[ctx.p(h, s.head if i < 2 else s.head_right)
                 for i, h in enumerate(("Overdue action", "Owner", "Due", "Days late"))]]
        for item in overdue[:LIST_LIMIT]:
            late = (today - item.due).days if item.due else 0
            rows.append([ctx.p(item.title, s.cell), ctx.p(item.owner or "Unassigned", s.cell),
                         ctx.p(num.short_date(item.due_date), s.cell_right),
                         ctx.raw(f"<font color='{DOWN}'><b>{late}</b></font>", s.cell_right)])
        out += [ctx.heading(1, "Overdue actions", toc=False, style=s.h3), _table(rows, [CONTENT_WIDTH - 120 - 120, 120, 64, 56], ctx)]
        out += _more(len(overdue) - LIST_LIMIT, ctx, "overdue actions")
    return out


def next_actions(report: Report) -> list:
    """The open actions due in the next 90 days (from the day the report is made), soonest first."""
    today = report.generated_at.date()
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    due = [item for item in report.roadmap if item.is_open and item.proposed_in is None and item.due is not None
           and today <= item.due <= horizon]
    return sorted(due, key=lambda item: (item.due, -item.priority, item.id))


def next_90_days(report: Report, ctx: Context) -> list:
    s = ctx.styles
    items = next_actions(report)
    out: list = [ctx.heading(0, f"Next {HORIZON_DAYS} days", toc=False)]
    if not items:
        return out + [ctx.p(f"No open action is due in the next {HORIZON_DAYS} days.")]
    out.append(ctx.p(f"{num.plural(len(items), 'open action')} due by "
                     f"{num.long_date(report.generated_at.date() + dt.timedelta(days=HORIZON_DAYS))}."))
    rows = [[ctx.p(h, s.head if i < 3 else s.head_right)
             for i, h in enumerate(("Action", "Owner", "Status", "Due"))]]
    for item in items[:LIST_LIMIT]:
        rows.append([ctx.p(item.title, s.cell), ctx.p(item.owner or "Unassigned", s.cell),
                     ctx.p(item.status, s.cell), ctx.p(num.short_date(item.due_date), s.cell_right)])
    out.append(_table(rows, [CONTENT_WIDTH - 120 - 64 - 64, 120, 64, 64], ctx))
    return out + _more(len(items) - LIST_LIMIT, ctx, "actions")


def open_flags(report: Report, ctx: Context) -> list:
    s = ctx.styles
    flagged = [f for f in report.findings if f.flagged]
    out: list = [ctx.heading(0, "Open flags", toc=False)]
    if not flagged:
        return out + [ctx.p("No question is flagged for follow-up.")]
    out.append(ctx.p(f"{num.plural(len(flagged), 'question')} flagged for follow-up."))
    rows = [[ctx.p(h, s.head) for h in ("Flagged question", "Section", "Level")]]
    for f in flagged[:LIST_LIMIT]:
        rows.append([ctx.p(f.title or f.question_id, s.cell), ctx.p(f.section_title, s.cell),
                     ctx.p(f.level_text, s.cell)])
    out.append(_table(rows, [CONTENT_WIDTH - 130 - 110, 130, 110], ctx))
    return out + _more(len(flagged) - LIST_LIMIT, ctx, "flagged questions")


# --------------------------------------------------------------------------- writing


def _group(flowables: list) -> list:
    """A section's heading kept with what follows it."""
    return [KeepTogether(flowables[:3])] + flowables[3:] if len(flowables) > 3 else [KeepTogether(flowables)]


def iter_write_progress_pdf(report: Report, path: Path | str, paper_size: str | None = None,
                            since: dt.date | None = None) -> Steps:
    """Write the progress report to `path` atomically, yielding (step, total, message); returns the warnings.

    `since` limits "what changed" to the changes made on or after that day."""
    path = Path(path)
    yield 0, _STEPS, "Preparing fonts"
    ctx = layout_context(report, paper_size)
    warnings = ctx.warnings

    yield 1, _STEPS, "Headline figures"
    activity = (report.activity or Activity(None, None)).since(since)
    story: list = [NextPageTemplate("body")] + title_block(report, ctx) + headline(report, ctx)
    yield 2, _STEPS, "What changed and the plan"
    for section in (what_changed(report, ctx, activity), plan_section(report, ctx), next_90_days(report, ctx),
                    open_flags(report, ctx)):
        story += [Spacer(1, 6)] + _group(section)
    counter = PageCounter()
    story.append(counter)

    with atomic_path(path) as tmp:
        doc = ReportDocument(str(tmp), report, ctx, counter)
        doc.subject = (f"Progress report for {report.client.name}: {report.assessment.questionnaire_title}, "
                       f"{num.long_date(report.assessment.assessment_date)}")
        doc.keywords = "security, progress report, board update, confidential"
        for number in doc.iter_build(story):
            yield min(2 + number, _STEPS - 1), _STEPS, f"Laying out pages (pass {number})"
    warnings += [w for w in ctx.fonts.text_warnings if w not in warnings]
    yield _STEPS, _STEPS, f"Saved {path.name}"
    return warnings


def write_progress_pdf(report: Report, path: Path | str, paper_size: str | None = None,
                       since: dt.date | None = None) -> list[str]:
    """Write the progress report to `path` (atomically); returns warnings for the person exporting."""
    return run_to_end(iter_write_progress_pdf(report, path, paper_size, since))
