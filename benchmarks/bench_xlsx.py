"""Excel benchmarks: the deliverable workbook and the questionnaire workbook for a 1,000-question
assessment, and reading the questionnaire back, against a same-run baseline of a plain openpyxl workbook
holding the same cell values. Prints medians of 3 and ratios.

Run: python benchmarks/bench_xlsx.py   (target: each export of 1,000 questions in seconds at most)
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

from exports.excel_workbook import write_workbook
from exports.questionnaire_workbook import write_questionnaire_workbook
from vciso.answer_import import plan_import
from vciso.questionnaire_xlsx import level_choice, read_questionnaire_workbook
from vciso.report import Report, build_report
from vciso.responses import Response
from vciso.roadmap_store import regenerate_roadmap
from vciso.workspace import Workspace

from synthetic import synthetic  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from timing import median_seconds  # noqa: E402

RUNS = 3




def answered_report(folder: Path) -> Report:
    questionnaire = synthetic()
    workspace = Workspace(folder / "ws")
    with workspace.create_client("Benchmark Manufacturing Ltd") as client:
        assessment = client.create_assessment(questionnaire, "Annual review", assessment_date="2025-01-15")
        responses = []
        for index, question in enumerate(questionnaire.questions()):
            if index % 37 == 5:
                responses.append(Response(question.id, na_reason=f"Not used at this site ({index})."))
            elif index % 23 != 7:  # a few left unanswered
                responses.append(Response(question.id, float(index % 6), None,
                                          f"Observed during the walkthrough of {question.id}: partly documented, "
                                          f"owner named, last reviewed {2020 + index % 5}.",
                                          flagged=index % 11 == 0))
        client.save_answers(assessment.id, responses, source="benchmark")
        regenerate_roadmap(client, assessment.id, start=dt.date(2025, 1, 15))
        return build_report(client, assessment.id)




def plain_deliverable(report: Report, path: Path) -> None:
    """The same cell values, written by plain openpyxl with no styles, tables, charts or checks."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    for domain in report.score.domains:
        summary.append([domain.title, domain.current, domain.target, domain.gap, domain.minimum,
                        domain.percent_to_target, domain.completion, domain.answered, domain.not_applicable,
                        domain.unanswered, domain.total])
    responses = wb.create_sheet("Responses")
    for f in report.findings:
        responses.append([" › ".join(f.section_path), f.question_id, f.text, f.level_label, f.level_value,
                          f.target_value, f.gap, f.note, f.na_reason, f.evidence, "Yes" if f.flagged else "",
                          f.recommendation])
    roadmap = wb.create_sheet("Roadmap")
    for number, item in enumerate(report.roadmap, start=1):
        roadmap.append([number, report.phase_name(item.phase), item.priority, item.title, item.question_id,
                        item.recommendation, item.effort, item.criticality, item.quick_win, item.owner,
                        item.due, item.status, item.notes])
    wb.save(path)


def plain_questionnaire(report: Report, path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    scale = report.questionnaire.default_scale
    for f in report.findings:
        level = level_choice(f.level_value, scale.label(f.level_value)) if f.level_value is not None else None
        ws.append([" › ".join(f.section_path), f.question_id, f.text, f.guidance, level, None, f.note,
                   f.na_reason])
    wb.save(path)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        report = answered_report(folder)
        print(f"setup: 1,000-question assessment, {len(report.roadmap)} roadmap items "
              f"({time.perf_counter() - start:.2f} s including the client file)")

        deliverable = median_seconds(lambda: write_workbook(report, folder / "deliverable.xlsx"), RUNS)
        baseline = median_seconds(lambda: plain_deliverable(report, folder / "plain.xlsx"), RUNS)
        print(f"deliverable workbook (median of {RUNS}):")
        print(f"  write_workbook           {deliverable * 1000:8.0f} ms   "
              f"{(folder / 'deliverable.xlsx').stat().st_size / 1024:7.0f} KB")
        print(f"  plain openpyxl baseline  {baseline * 1000:8.0f} ms   "
              f"{(folder / 'plain.xlsx').stat().st_size / 1024:7.0f} KB")
        print(f"  ratio                    {deliverable / baseline:8.2f}x")

        questionnaire = median_seconds(
            lambda: write_questionnaire_workbook(report, folder / "questionnaire.xlsx"), RUNS)
        baseline_q = median_seconds(lambda: plain_questionnaire(report, folder / "plain-q.xlsx"), RUNS)
        print(f"questionnaire workbook, pre-filled (median of {RUNS}):")
        print(f"  write_questionnaire_workbook {questionnaire * 1000:8.0f} ms   "
              f"{(folder / 'questionnaire.xlsx').stat().st_size / 1024:7.0f} KB")
        print(f"  plain openpyxl baseline      {baseline_q * 1000:8.0f} ms")
        print(f"  ratio                        {questionnaire / baseline_q:8.2f}x")

        path = folder / "questionnaire.xlsx"
        reading = median_seconds(lambda: read_questionnaire_workbook(path, report.questionnaire), RUNS)
        raw_read = median_seconds(lambda: list(load_workbook(path, read_only=True, data_only=True)["Questions"]
                                                .iter_rows(values_only=True)), RUNS)
        with Workspace(folder / "ws").open_client("Benchmark Manufacturing Ltd") as client:
            rows = read_questionnaire_workbook(path, report.questionnaire)
            planning = median_seconds(lambda: plan_import(client, report.assessment.id, rows, path.name), RUNS)
        print(f"reading the questionnaire back (median of {RUNS}):")
        print(f"  read_questionnaire_workbook  {reading * 1000:8.0f} ms   ({len(rows)} rows)")
        print(f"  plain openpyxl read-only     {raw_read * 1000:8.0f} ms")
        print(f"  ratio                        {reading / raw_read:8.2f}x")
        print(f"  plan_import (validate, preview) {planning * 1000:5.0f} ms")


if __name__ == "__main__":
    main()
