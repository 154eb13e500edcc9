"""Word report benchmarks: the demo client, the fully answered NIST CSF 2.0 assessment (106 questions) and a
synthetic 1,000-question assessment, each against a same-run baseline: python-docx writing the same
paragraphs (question texts and notes) into a blank document, no tables, styles or charts. Prints medians
of 3, the file sizes and the ratios; the chart rendering (PDF Drawing -> PNG) is timed on its own.

Run: python benchmarks/bench_docx.py   (target: the 1,000-question report in seconds at most)
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import docx

from exports.docx_charts import png
from exports.docx_report import write_docx
from exports.pdf_charts import radar_chart
from exports.pdf_fonts import load_fonts
from exports.pdf_styles import make_palette, parse_accent
from vciso.demo import create_demo
from vciso.library import load_library
from vciso.report import Report, build_report
from vciso.workspace import Workspace

from bench_pdf import BRANDING, answered_report  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from synthetic import synthetic  # noqa: E402
from timing import median_seconds  # noqa: E402

RUNS = 3


def plain_docx(report: Report, path: Path) -> None:
    """The baseline: the same question texts and notes as plain paragraphs in python-docx's blank document."""
    document = docx.Document()
    for row in report.findings:
        document.add_paragraph(f"{row.question_id} {row.title}: {row.text}")
        if row.note:
            document.add_paragraph(row.note)
    document.save(str(path))


def bench(label: str, report: Report, folder: Path) -> None:
    ours, plain = folder / f"{label}.docx", folder / f"{label}-plain.docx"
    ours_s = median_seconds(lambda: write_docx(report, ours), RUNS)
    plain_s = median_seconds(lambda: plain_docx(report, plain), RUNS)
    paragraphs = len(docx.Document(str(plain)).paragraphs)
    print(f"{label:<34} {len(report.findings):>5} questions  report {ours_s:6.2f} s "
          f"({ours.stat().st_size / 1024:5.0f} KB)  plain {plain_s:6.2f} s ({paragraphs} paragraphs, "
          f"{plain.stat().st_size / 1024:4.0f} KB)  ratio {ours_s / plain_s:5.1f}x")


def bench_chart() -> None:
    fonts = load_fonts()
    palette = make_palette(parse_accent("#1F4E79")[0])
    titles = [f"Section {i}" for i in range(8)]
    chart = radar_chart(titles, [1.0 + i % 3 for i in range(8)], [3.0] * 8, 0, 4, [0, 1, 2, 3, 4], palette, fonts,
                        480, 330)
    seconds = median_seconds(lambda: png(chart), 5)
    data, width, height = png(chart)
    print(f"{'one chart (radar, 8 sections)':<34} {seconds * 1000:6.0f} ms to PNG at 220 dpi "
          f"({width:.0f} x {height:.0f} pt, {len(data) / 1024:.0f} KB)")


def main() -> None:
    load_fonts()  # font registration is once per process; keep it out of the timings
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo_dir, csf_dir, big_dir = folder / "demo", folder / "csf", folder / "big"
        for d in (demo_dir, csf_dir, big_dir):
            d.mkdir()
        with create_demo(Workspace(demo_dir / "ws"), load_library(demo_dir / "lib"),
                         today=dt.date(2025, 3, 14)) as client:
            demo = build_report(client, branding=BRANDING)
        csf = load_library(csf_dir / "lib").get("nist-csf-2.0")
        print(f"Word report, median of {RUNS} runs each (plain = python-docx, the same paragraphs, nothing else)")
        bench("Demo (Bright Smile Dental Group)", demo, demo_dir)
        bench("NIST CSF 2.0, fully answered", answered_report(csf_dir, csf, "CSF Manufacturing GmbH"), csf_dir)
        bench("Synthetic 10 x 100", answered_report(big_dir, synthetic(), "Benchmark Manufacturing Ltd"), big_dir)
        bench_chart()


if __name__ == "__main__":
    main()
