"""Reading .xlsx workbooks safely: what the template importer and the answers reader share.

`open_workbook` refuses a zip bomb before openpyxl unpacks anything and raises `UnreadableWorkbook`,
a neutral error each reader turns into its own (`QuestionnaireError` or `ImportProblem`) with its own
wording. `cell_text`, `norm`, `sheet` and `rows` read cells the same way in both readers.

openpyxl is imported inside `open_workbook`, so loading this module costs nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any, Iterator

from vciso.questionnaire import format_value

ZIP_MAGIC = b"PK\x03\x04"  # every .xlsx is a zip archive and starts with these bytes
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
# A sheet is read while it streams and refused as soon as it passes these: a small file can unpack to
# millions of rows, which must be stopped before they are all read (in seconds, not minutes).
MAX_SHEET_ROWS = 25_000
MAX_COLUMNS = 64


class UnreadableWorkbook(Exception):
    """A workbook cannot be read; `kind` says why ("damaged", "too_large" or "unreadable").

    The message has no file name, so each reader can place it in its own error.
    """

    DAMAGED = "damaged"
    TOO_LARGE = "too_large"
    UNREADABLE = "unreadable"

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


def open_workbook(raw: bytes) -> Any:
    """An openpyxl workbook (read-only, cached values) from the bytes of an .xlsx file.

    Raises UnreadableWorkbook when the bytes are not a zip archive, unpack to more than
    MAX_UNZIPPED_BYTES, or are a zip openpyxl cannot read (a .docx, a damaged part).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableWorkbook(UnreadableWorkbook.DAMAGED, "not an Excel workbook (.xlsx); the file is "
                                 "damaged, truncated or of another kind") from None
    if unpacked > MAX_UNZIPPED_BYTES:
        raise UnreadableWorkbook(UnreadableWorkbook.TOO_LARGE, f"the workbook unpacks to "
                                 f"{unpacked // 1024 // 1024} MB; the limit is "
                                 f"{MAX_UNZIPPED_BYTES // 1024 // 1024} MB")
    _refuse_long_sheets(raw)
    from openpyxl import load_workbook  # only workbooks pay for openpyxl

    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError for a .docx, InvalidFileException...)
        raise UnreadableWorkbook(UnreadableWorkbook.UNREADABLE, f"not an Excel workbook that can be read "
                                 f"({type(exc).__name__}: {exc})") from None


def _refuse_long_sheets(raw: bytes) -> None:
    """Count each sheet's rows while it streams, before openpyxl sees it: openpyxl reads a whole sheet to
    size it when the sheet does not state its size, which for millions of rows takes minutes."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        for info in archive.infolist():
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            count, tail = 0, b""
            with archive.open(info) as stream:
                while chunk := stream.read(256 * 1024):
                    text = tail + chunk
                    count += text.count(b"<row") + text.count(b":row ") + text.count(b":row>")
                    tail = text[-5:]
                    count -= tail.count(b"<row") + tail.count(b":row ") + tail.count(b":row>")
                    if count > MAX_SHEET_ROWS:
                        raise UnreadableWorkbook(UnreadableWorkbook.TOO_LARGE, f"a sheet of the workbook has "
                                                 f"more than {MAX_SHEET_ROWS:,} rows; the limit is "
                                                 f"{MAX_SHEET_ROWS:,}")


def cell_text(value: Any) -> str | None:
    """A cell as text, or None when it is empty or blank: numbers as typed (3, not 3.0), booleans as
    yes/no, dates as ISO dates. Text is returned as written (not stripped)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return format_value(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


def norm(value: Any, underscore_is_space: bool = False) -> str:
    """A cell as a key to compare: whitespace collapsed, case folded ("" for an empty cell)."""
    if value is None:
        return ""
    text = str(value).replace("_", " ") if underscore_is_space else str(value)
    return " ".join(text.split()).casefold()


def sheet(workbook: Any, name: str) -> Any:
    """The sheet with this name (case and surrounding spaces ignored), or None."""
    for candidate in workbook.sheetnames:
        if candidate.strip().casefold() == name.casefold():
            return workbook[candidate]
    return None


def rows(worksheet: Any, limit: int = MAX_SHEET_ROWS) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, values) of every row that holds something, read lazily.

    Raises UnreadableWorkbook (too large) as soon as the sheet passes `limit` rows, blank ones included;
    only the first MAX_COLUMNS columns are read.
    """
    worksheet.reset_dimensions()  # some writers record wrong dimensions, which would cut rows off
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        if number > limit:
            raise UnreadableWorkbook(UnreadableWorkbook.TOO_LARGE, f"the sheet '{worksheet.title}' has more "
                                     f"than {limit:,} rows; the limit is {limit:,}")
        values = tuple(values[:MAX_COLUMNS])
        if any(cell_text(v) is not None for v in values):
            yield number, values
