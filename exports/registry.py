"""The deliverables the app and the command line can write: one entry per kind, in menu order.

Each entry says what the kind is called, how its file is named and filtered in a save dialog, and how
it is written: a generator yielding (step, total, message) that returns the warnings. Importing this
module is cheap: a writer's module (and reportlab or openpyxl with it) is imported only when it writes.
Every export goes through `write`, which first refuses a path that would replace a client file.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from vciso.errors import OutputRefused, ProtectionError, StorageError

if TYPE_CHECKING:
    from exports.progress import Steps
    from vciso.report import Report


@dataclass(frozen=True)
class ExportOptions:
    """Choices made for one file; the defaults are what the app does."""

    paper_size: str | None = None  # PDF and Word: "A4" or "Letter" (any case); None = the branding's
    prefill: bool = True           # questionnaire: fill in the current answers
    coverage: object | None = None  # a vciso.crosswalk.Coverage: PDF/Word appendix and workbook sheet
    since: object | None = None    # progress report: a datetime.date; "what changed" from that day on
    # PDF, Word, Excel: open only with this password (exports/protection.py); None = unprotected. Kept out
    # of repr so that no message or log that shows the options can show it.
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Exporter:
    """One kind of deliverable."""

    kind: str          # the name the command line takes: `vciso export KIND`
    label: str         # "PDF report": in menus, dialogs and messages
    file_name: str     # the default end of the file name ("report.pdf"); its suffix is the file's
    file_filter: str   # the save dialog's filter
    requires: tuple[str, ...]  # modules that must be importable: the writer's and its library
    write: Callable[[Report, Path, ExportOptions], Steps]
    protection: str | None = None  # how a password protects it: "pdf" or "office"; None = it cannot be
    # whether it can be limited to the questions of one tag (`vciso export KIND --tag IG1`, the app's scope);
    # the questionnaire workbook and the plan calendar always cover everything
    scopable: bool = False

    @property
    def protectable(self) -> bool:
        """Whether this kind can be protected with a password."""
        return self.protection is not None

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


def _write_progress(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.progress_report import iter_write_progress_pdf
    return list((yield from iter_write_progress_pdf(report, path, options.paper_size, options.since)) or [])


def _write_workbook(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.excel_workbook import iter_write_workbook
    return list((yield from iter_write_workbook(report, path, options.paper_size)) or [])


def _write_docx(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.docx_report import iter_write_docx
    return list((yield from iter_write_docx(report, path, options.paper_size)) or [])


def _write_questionnaire(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.questionnaire_workbook import iter_write_questionnaire_workbook
    return list((yield from iter_write_questionnaire_workbook(report, path, prefill=options.prefill)) or [])


def _write_ics(report: Report, path: Path, options: ExportOptions) -> Steps:
    from exports.ics_calendar import iter_write_ics
    return list((yield from iter_write_ics(report, path)) or [])


EXPORTERS: dict[str, Exporter] = {e.kind: e for e in (
    Exporter("pdf", "PDF report", "report.pdf", "PDF files (*.pdf)", ("exports.pdf_report", "reportlab"),
             _write_pdf, "pdf", scopable=True),
    Exporter("xlsx", "Excel workbook", "workbook.xlsx", "Excel workbooks (*.xlsx)",
             ("exports.excel_workbook", "openpyxl"), _write_workbook, "office", scopable=True),
    Exporter("docx", "Word report", "report.docx", "Word documents (*.docx)",
             ("exports.docx_report", "docx", "reportlab", "pypdfium2"), _write_docx, "office", scopable=True),
    Exporter("questionnaire", "questionnaire workbook", "questionnaire.xlsx", "Excel workbooks (*.xlsx)",
             ("exports.questionnaire_workbook", "openpyxl"), _write_questionnaire),
    Exporter("ics", "plan calendar", "plan.ics", "Calendar files (*.ics)", ("exports.ics_calendar", "icalendar"),
             _write_ics),
    Exporter("progress", "Progress report", "progress.pdf", "PDF files (*.pdf)",
             ("exports.progress_report", "reportlab"), _write_progress, "pdf", scopable=True),
)}
KINDS = tuple(EXPORTERS)


def exporter(kind: str) -> Exporter:
    """The entry of `kind` (one of KINDS); KeyError for any other."""
    return EXPORTERS[kind]


# A client file and the files SQLite and the lock keep beside it (acme.vciso-journal, acme.vciso.lock)
_CLIENT_FILE_NAME = re.compile(r"\.vciso(-journal|-wal|-shm|\.lock)?$", re.IGNORECASE)


def check_output(path: Path) -> None:
    """Refuse, before anything is written, an output path that would destroy a client's data.

    An export replaces whatever file has its name: a client file (by its `.vciso` name, or any SQLite
    database already there) would be gone for good, and the workspace's `.trash` is where deleted
    clients wait to be restored. Raises OutputRefused with one line saying so.
    """
    from vciso.workspace import TRASH_DIR

    path = Path(path).expanduser()
    if _CLIENT_FILE_NAME.search(path.name):
        raise OutputRefused(f"{path} is named like a client file; an export never writes over a client file, "
                            f"choose another name (nothing was written)")
    if _is_database(path):
        raise OutputRefused(f"{path} is a database (a client file?); an export never writes over it, choose "
                            f"another name (nothing was written)")
    if TRASH_DIR in path.resolve().parent.parts:
        raise OutputRefused(f"{path} is inside a workspace's trash folder ({TRASH_DIR}), where deleted clients "
                            f"are kept; choose another folder (nothing was written)")


def _is_database(path: Path) -> bool:
    """Whether an existing regular file at `path` starts like a SQLite database, as client files do."""
    from vciso.clientfile import SQLITE_HEADER

    try:
        if not path.is_file():
            return False
        with open(path, "rb") as existing:
            return existing.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # unreadable: not ours to judge; the write itself will say what is wrong
        return False


def write(kind: str, report: Report, path: Path, options: ExportOptions | None = None) -> Steps:
    """Write one deliverable: a generator yielding (step, total, message) and returning the warnings.

    Raises OutputRefused at once (before the first step) for a path that is a client file or in a trash,
    and ProtectionError for a password given to a kind that cannot be protected or an empty one. With a
    password the file appears under its name only once encrypted (see `_protected`)."""
    check_output(Path(path))
    options = options or ExportOptions()
    entry = exporter(kind)
    if options.password is not None:
        if not entry.protectable:
            raise ProtectionError(f"a {entry.label} cannot be protected with a password (only "
                                  f"{', '.join(e.label for e in EXPORTERS.values() if e.protectable)})")
        if not options.password:
            raise ProtectionError("an empty password protects nothing; give a password or none")
    if options.coverage is not None:
        report = replace(report, coverage=options.coverage)
    if options.password is None:
        return entry.write(report, Path(path), options)
    return _protected(entry, report, Path(path), options)


def _protected(entry: Exporter, report: Report, path: Path, options: ExportOptions) -> Steps:
    """The writer of `entry` writing into a temporary file, which is then encrypted in place and only then
    renamed to `path`: the atomic and disk-full guarantees of vciso.atomic hold for the whole, and the
    unprotected deliverable never exists under its name, nor is left behind on a failure.

    The writer (and the encryption) see the temporary file's name; what they say is said with the
    deliverable's name, as an unprotected export says it."""
    from exports.protection import protect
    from vciso.atomic import atomic_path

    password, plain = options.password or "", replace(options, password=None)  # the writer never sees it
    with atomic_path(path) as tmp:
        def named(text: str) -> str:
            return text.replace(tmp.name, path.name)

        try:
            steps = entry.write(report, tmp, plain)
            total = 1
            while True:
                try:
                    step, total, message = next(steps)
                except StopIteration as done:
                    warnings = [named(w) for w in (done.value or [])]
                    break
                yield step, total + 1, named(message)
            yield total, total + 1, "Protecting with the password"
            protect(tmp, password, entry.protection or "")
        except (StorageError, ProtectionError) as exc:  # said of the deliverable, not of its temporary file
            raise type(exc)(named(str(exc))) from exc.__cause__
    yield total + 1, total + 1, f"Saved {path.name} (password-protected)"
    return warnings

