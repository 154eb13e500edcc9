"""The deliverables the app and the command line can write: one entry per kind, in menu order.

Each entry says what the kind is called, how its file is named and filtered in a save dialog, and how
it is written: a generator yielding (step, total, message) that returns the warnings. Importing this
module is cheap: a writer's module (and reportlab or openpyxl with it) is imported only when it writes.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from exports.progress import Steps
    from vciso.report import Report


@dataclass(frozen=True)
class ExportOptions:
    """Choices made for one file; the defaults are what the app does."""

    paper_size: str | None = None  # PDF: "A4" or "Letter" (any case); None = the branding's
    prefill: bool = True           # questionnaire: fill in the current answers


@dataclass(frozen=True)
class Exporter:
    """One kind of deliverable."""

    kind: str          # the name the command line takes: `vciso export KIND`
    label: str         # "PDF report": in menus, dialogs and messages
    file_name: str     # the default end of the file name ("report.pdf"); its suffix is the file's
    file_filter: str   # the save dialog's filter
    requires: tuple[str, ...]  # modules that must be importable: the writer's and its library
    write: Callable[[Report, Path, ExportOptions], Steps]

    @property
    def suffix(self) -> str:
        return Path(self.file_name).suffix

    def available(self) -> bool:
        """Whether this build can write the kind (its modules are there; nothing is imported)."""
        return all(module_available(name) for name in self.requires)


def module_available(name: str) -> bool:
    """Whether module `name` can be found (without importing it)."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _write_pdf(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.pdf_report import iter_write_pdf
    return list((yield from iter_write_pdf(report, path, options.paper_size)) or [])


def _write_workbook(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.excel_workbook import iter_write_workbook
    return list((yield from iter_write_workbook(report, path)) or [])


def _write_questionnaire(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.questionnaire_workbook import iter_write_questionnaire_workbook
    return list((yield from iter_write_questionnaire_workbook(report, path, prefill=options.prefill)) or [])


EXPORTERS: dict[str, Exporter] = {e.kind: e for e in (
    Exporter("pdf", "PDF report", "report.pdf", "PDF files (*.pdf)", ("exports.pdf_report", "reportlab"),
             _write_pdf),
    Exporter("xlsx", "Excel workbook", "workbook.xlsx", "Excel workbooks (*.xlsx)",
             ("exports.excel_workbook", "openpyxl"), _write_workbook),
    Exporter("questionnaire", "questionnaire workbook", "questionnaire.xlsx", "Excel workbooks (*.xlsx)",
             ("exports.questionnaire_workbook", "openpyxl"), _write_questionnaire),
)}
KINDS = tuple(EXPORTERS)


def exporter(kind: str) -> Exporter:
    """The entry of `kind` (one of KINDS); KeyError for any other."""
    return EXPORTERS[kind]


def write(kind: str, report: Report, path: Path, options: ExportOptions | None = None) -> Steps:
    """Write one deliverable: a generator yielding (step, total, message) and returning the warnings."""
    return exporter(kind).write(report, Path(path), options or ExportOptions())
