"""PDF report benchmarks: the fully answered NIST CSF 2.0 assessment (106 questions) and a synthetic
1,000-question assessment, each against a same-run baseline: a plain reportlab SimpleDocTemplate holding
the same paragraphs (question texts and notes). Prints medians of 3, page counts and ratios.

Run: python benchmarks/bench_pdf.py   (target: the 1,000-question report in seconds at most)
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from pypdf import PdfReader
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate

from exports.pdf_fonts import load_fonts
from exports.pdf_report import write_pdf
from vciso.library import load_library
from vciso.questionnaire import Questionnaire
from vciso.report import Branding, Report, build_report
from vciso.responses import Response
from vciso.roadmap_store import regenerate_roadmap
from vciso.workspace import Workspace

from synthetic import synthetic  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from timing import median_seconds  # noqa: E402

RUNS = 3
BRANDING = Branding("Northwind Advisory", "Jane Consultant")




def answered_report(folder: Path, questionnaire: Questionnaire, name: str) -> Report:
    """Every question answered with a deterministic level and a note; roadmap generated."""
    with Workspace(folder / "ws").create_client(name, industry="Manufacturing", employees=220) as client:
        assessment = client.create_assessment(questionnaire, "Annual review", assessment_date="2025-01-15")
        responses = [Response(q.id, float((index * 7) % 6) if len(questionnaire.default_scale.levels) > 5
                              else float(index % len(questionnaire.default_scale.levels)), None,
                              f"Observed during the walkthrough of {q.id}: partly documented, owner named, "
                              f"last reviewed more than a year ago; evidence seen for two of three sites.")
                     for index, q in enumerate(questionnaire.questions())]
        client.save_answers(assessment.id, responses, source="benchmark")
        regenerate_roadmap(client, assessment.id)
        return build_report(client, assessment.id, BRANDING)


def plain_pdf(report: Report, path: Path) -> None:
    """The baseline: the same question texts and notes as plain paragraphs, no charts or tables."""
    fonts = load_fonts()
    style = getSampleStyleSheet()["BodyText"]
    style.fontName = fonts.regular
    story = []
    for row in report.findings:
        story.append(Paragraph(escape(f"{row.question_id} {row.title}: {row.text}"), style))
        if row.note:
            story.append(Paragraph(escape(row.note), style))
    SimpleDocTemplate(str(path)).build(story)




def bench(label: str, report: Report, folder: Path) -> None:
    ours, plain = folder / f"{label}.pdf", folder / f"{label}-plain.pdf"
    ours_s = median_seconds(lambda: write_pdf(report, ours), RUNS)
    plain_s = median_seconds(lambda: plain_pdf(report, plain), RUNS)
    ours_pages, plain_pages = len(PdfReader(str(ours)).pages), len(PdfReader(str(plain)).pages)
    print(f"{label:<34} {len(report.findings):>5} questions  report {ours_s:6.2f} s ({ours_pages} pages)  "
          f"plain {plain_s:6.2f} s ({plain_pages} pages)  ratio {ours_s / plain_s:5.1f}x  "
          f"per page {ours_s / ours_pages * 1000:5.1f} ms vs {plain_s / plain_pages * 1000:5.1f} ms")


def main() -> None:
    load_fonts()  # font registration is once per process; keep it out of the timings
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csf = load_library().get("nist-csf-2.0")
        csf_dir, big_dir = folder / "csf", folder / "big"
        csf_dir.mkdir()
        big_dir.mkdir()
        print(f"PDF report, median of {RUNS} runs each (plain = SimpleDocTemplate, same paragraphs)")
        bench("NIST CSF 2.0, fully answered", answered_report(csf_dir, csf, "CSF Manufacturing GmbH"), csf_dir)
        bench("Synthetic 10 x 100", answered_report(big_dir, synthetic(), "Benchmark Manufacturing Ltd"),
              big_dir)


if __name__ == "__main__":
    main()
