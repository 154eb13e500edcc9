"""What both Excel writers share: safe text cells, styles, tables, print set-up and atomic saving.

Every piece of user text goes through `Book.text`, which
- stores it as text, never as a formula (data type 's', plus Excel's quote prefix for text that starts
  like a formula, so that editing the cell in Excel keeps it text);
- replaces characters XML cannot carry with a visible placeholder, and says so in the warnings;
- never truncates silently: text longer than a cell holds keeps its start in the cell, followed by
  OVERFLOW_MARKER, and the rest goes to an Overflow sheet, also reported in the warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from vciso import branding
from vciso.atomic import atomic_path
from vciso.questionnaire_xlsx import OVERFLOW_HEADERS, OVERFLOW_MARKER, OVERFLOW_SHEET

if TYPE_CHECKING:
    from vciso.report import Report

EXCEL_CELL_LIMIT = 32_767  # characters (UTF-16 code units) an Excel cell holds
OVERFLOW_CHUNK = 32_000
PLACEHOLDER = "\ufffd"  # "�": visible where a character could not be stored
# Characters XML 1.0 cannot carry (openpyxl's ILLEGAL_CHARACTERS_RE, plus lone surrogates and U+FFFE/F).
ILLEGAL_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
HEADER_FOOTER_LIMIT = 250  # Excel refuses header/footer text above 255 characters

THIN = Side(style="thin", color="BFBFBF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HAIRLINE = Side(style="thin", color="D9D9D9")
RULES = Border(left=HAIRLINE, right=HAIRLINE, bottom=HAIRLINE)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER_TOP = Alignment(horizontal="center", vertical="top")
FONT_NAME = "Calibri"  # openpyxl's default body font, so headings and cells match
BOLD = Font(name=FONT_NAME, bold=True)
# The one number format of every date in the deliverable workbook: the app's and the PDF's short date
# (vciso.numbers.short_date: "5 Mar 2026"); Excel shows the month in the reader's language.
DATE_FORMAT = "d mmm yyyy"
PAPER_SIZES = {"A4": 9, "Letter": 1}  # Excel's paperSize codes (ECMA-376 §18.3.1.63)
# Column widths are in widths of Calibri's "0". Letters are a little narrower in Calibri but wider in the
# DejaVu Sans LibreOffice falls back to where Calibri (or its metric twin Carlito) is missing: these
# factors keep a value inside its column in both.
_CHAR_WIDTH = 1.1
_BOLD_CHAR_WIDTH = 1.2
_CELL_PADDING = 1.5
_FILTER_BUTTON = 2.5  # a table's header cell also holds the filter drop-down
_HEADER_SLACK = 5.0  # how much wider than its values a column may grow to keep its header on one line
_MAX_FITTED_WIDTH = 60


def excel_colour(color: str) -> str:
    """'#1f4e79' -> '1F4E79', the form openpyxl's styles take."""
    return color.lstrip("#").upper()


def accent_hex(color: str | None) -> str:
    """The branding accent in Excel's form ('1F4E79'), read by the one rule (vciso.branding.valid_accent);
    anything that is not a colour gives the default accent."""
    return excel_colour(branding.normalise_accent(color))


def utf16_len(text: str) -> int:
    if len(text) * 2 <= EXCEL_CELL_LIMIT:
        return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2
    return len(text.encode("utf-16-le")) // 2


def split_utf16(text: str, size: int) -> list[str]:
    """Split text into pieces of at most `size` UTF-16 code units, never inside a character."""
    pieces, start, used = [], 0, 0
    for index, char in enumerate(text):
        cost = 2 if ord(char) > 0xFFFF else 1
        if used + cost > size:
            pieces.append(text[start:index])
            start, used = index, 0
        used += cost
    pieces.append(text[start:])
    return pieces


def clean_text(text: str) -> tuple[str, int]:
    """Text with line endings made Excel's (LF) and illegal characters replaced; returns the count replaced."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    count = 0
    if ILLEGAL_XML_RE.search(text):
        text, count = ILLEGAL_XML_RE.subn(PLACEHOLDER, text)
    return text, count


def prepared_by(report: Report) -> str:
    """'Consultant — Firm' from the branding, or '' when neither is set."""
    return " — ".join(p for p in (report.branding.consultant, report.branding.firm_name) if p)


def header_footer_text(text: str) -> str:
    """Text safe inside an Excel header/footer: '&' escaped, clean, and short enough."""
    text, _ = clean_text(" ".join(text.split()))
    text = text[:80]
    return text.replace("&", "&&")


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    wrap: bool = False
    number_format: str | None = None


@dataclass
class _OverflowPart:
    sheet: str
    cell: str
    item: str
    part: int
    text: str


def decimal_format(value: float | int | None) -> str:
    """'0' for a whole number, else '0.##': Excel shows '0.##' of 4 as '4.', with a stray point."""
    return "0" if value is None or float(value).is_integer() else "0.##"


def _shown_text(cell: Cell) -> str:
    """Roughly the text a cell shows, for sizing its column: formatted numbers, dates as DATE_FORMAT."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return "30 Sep 2025" + (" 00:00" if "h" in cell.number_format else "")  # DATE_FORMAT's widest
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = (cell.number_format or "General").split(";")[0]
        if shown.endswith("%"):
            return f"{value * 100:.0f}%"
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        return f"{value:+.{decimals}f}" if shown.startswith("+") else f"{value:.{decimals}f}"
    return str(value)


def _text_width(text: str, bold: bool = False) -> float:
    """The column width a line of text needs (see _CHAR_WIDTH)."""
    return len(text) * (_BOLD_CHAR_WIDTH if bold else _CHAR_WIDTH) + _CELL_PADDING


def _rounded_for(value: float | int | None, number_format: str | None) -> float | int | None:
    from vciso.numbers import rounded, rounded_fraction

    if value is None or isinstance(value, bool) or not isinstance(value, float) or not number_format:
        return value
    shown = number_format.split(";")[0]
    if shown.endswith("%"):
        return rounded_fraction(value) if "." not in shown else value
    if "." in shown:
        return rounded(value, len(shown.split(".")[1].rstrip("%")))
    if shown.strip("+") == "0":
        return rounded(value, 0)
    return value


class Book:
    """A workbook being written: styles by accent colour, safe text cells, warnings and overflow."""

    def __init__(self, accent: str | None = None, paper_size: str | None = None):
        self.wb = Workbook()
        self.accent = accent_hex(accent)
        # "A4" or "Letter" (vciso.branding's rule); None leaves the paper to the application's default
        self.paper_size = branding.paper_size_or_default(paper_size) if paper_size else None
        self.warnings: list[str] = []
        self._overflow: list[_OverflowPart] = []
        self._replaced: list[str] = []
        self._table_names: set[str] = set()
        # every font names its face: without a name LibreOffice draws bold cells in a serif font
        self.header_font = Font(name=FONT_NAME, bold=True, color="FFFFFF")
        self.header_fill = PatternFill("solid", fgColor=self.accent)
        self.title_font = Font(name=FONT_NAME, bold=True, size=16, color=self.accent)
        self.subtitle_font = Font(name=FONT_NAME, bold=True, size=12, color=self.accent)
        self.label_font = Font(name=FONT_NAME, bold=True, color="404040")
        self.muted_font = Font(name=FONT_NAME, italic=True, color="595959")
        self.draft_font = Font(name=FONT_NAME, bold=True, size=12, color="B3261E")
        self.band_fill = PatternFill("solid", fgColor=excel_colour(branding.tint(self.accent, 0.85)))
        self.input_fill = PatternFill("solid", fgColor="FFF9E5")

    # ----------------------------------------------------------------- cells

    def text(self, ws: Worksheet, row: int, column: int, value: Any, item: str = "",
             alignment: Alignment | None = WRAP, font: Font | None = None) -> Cell:
        """Write user text safely (never a formula, never silently cut); empty text leaves the cell empty."""
        cell = ws.cell(row=row, column=column)
        if value is None or value == "":
            if alignment is not None:
                cell.alignment = alignment
            return cell
        text, replaced = clean_text(str(value))
        if replaced:
            self._replaced.append(f"{ws.title}!{cell.coordinate}" + (f" ({item})" if item else ""))
        if utf16_len(text) > EXCEL_CELL_LIMIT:
            text = self._spill(ws, cell, item, text)
        cell.value = text
        cell.data_type = "s"  # openpyxl would store text starting with '=' as a formula
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
        if alignment is not None:
            cell.alignment = alignment
        if font is not None:
            cell.font = font
        return cell

    def _spill(self, ws: Worksheet, cell: Cell, item: str, text: str) -> str:
        head_size = EXCEL_CELL_LIMIT - utf16_len(OVERFLOW_MARKER)
        pieces = split_utf16(text, head_size)
        head, rest = pieces[0], text[len(pieces[0]):]
        parts = split_utf16(rest, OVERFLOW_CHUNK)
        first_row = len(self._overflow) + 2
        for number, piece in enumerate(parts, start=1):
            self._overflow.append(_OverflowPart(ws.title, cell.coordinate, item, number, piece))
        last_row = len(self._overflow) + 1
        rows = f"row {first_row}" if first_row == last_row else f"rows {first_row}–{last_row}"
        what = f" ({item})" if item else ""
        self.warnings.append(
            f"sheet '{ws.title}' cell {cell.coordinate}{what}: {len(text):,} characters is more than an Excel "
            f"cell holds ({EXCEL_CELL_LIMIT:,}); the cell shows the start and the rest is on sheet "
            f"'{OVERFLOW_SHEET}' {rows}")
        return head + OVERFLOW_MARKER

    def number(self, ws: Worksheet, row: int, column: int, value: float | int | None,
               number_format: str | None = None, alignment: Alignment | None = TOP) -> Cell:
        """A number, stored already rounded as its format shows it (vciso.numbers.rounded: halves up), so
        the workbook shows exactly the figure the PDF and the app show."""
        cell = ws.cell(row=row, column=column, value=_rounded_for(value, number_format))
        if number_format:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def date(self, ws: Worksheet, row: int, column: int, value: dt.date | dt.datetime | None,
             number_format: str = DATE_FORMAT) -> Cell:
        """A real date (or date and time) cell in the workbook's one date format. A datetime with a time
        zone is stored as its wall-clock time (Excel has no time zones), to the second."""
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=None, microsecond=0)
        cell = ws.cell(row=row, column=column, value=value)
        cell.number_format = number_format
        cell.alignment = TOP
        return cell

    def header_row(self, ws: Worksheet, row: int, columns: Sequence[Column], first_column: int = 1) -> None:
        """Write a styled header row and set the column widths."""
        headers = [c.header for c in columns]
        if len(set(h.casefold() for h in headers)) != len(headers):
            raise ValueError(f"duplicate column headers on sheet {ws.title}: {headers}")
        for offset, column in enumerate(columns):
            index = first_column + offset
            cell = ws.cell(row=row, column=index, value=column.header)
            cell.data_type = "s"
            cell.font = self.header_font
            cell.fill = self.header_fill
            cell.alignment = Alignment(wrap_text=" " in column.header, vertical="center")
            ws.column_dimensions[get_column_letter(index)].width = column.width

    # ----------------------------------------------------------------- tables and layout

    def shrink_empty_columns(self, ws: Worksheet, columns: Sequence[Column], first_row: int, last_row: int,
                             first_column: int = 1) -> None:
        """Narrow the wide text columns that hold nothing, so the printed page keeps a readable size."""
        for offset, column in enumerate(columns):
            if not column.wrap:
                continue
            index = first_column + offset
            if all(ws.cell(row=r, column=index).value in (None, "") for r in range(first_row, last_row + 1)):
                ws.column_dimensions[get_column_letter(index)].width = max(9, len(column.header) + 3)

    def fit_columns(self, ws: Worksheet) -> None:
        """Size the columns of the sheet's tables to what they show: a column that does not wrap is as
        wide as its longest value, so it never runs into the next one (a right-aligned date beside a
        left-aligned status did); a header may wrap between words but no word of it is cut (room is
        left for the filter button), and it is aligned like its column's values; a wrapping column keeps
        its width, or more when a single word needs it."""
        needs: dict[int, float] = {}
        wrapping: set[int] = set()
        headers: dict[int, tuple[float, float]] = {}  # column -> (one-line header, longest word)
        for table in ws.tables.values():
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            for col in range(min_col, max_col + 1):
                header = ws.cell(row=min_row, column=col)
                words = str(header.value or "").split() or [""]
                need = 0.0
                line, word = (_text_width(" ".join(words), bold=True) + _FILTER_BUTTON,
                              _text_width(max(words, key=len), bold=True) + _FILTER_BUTTON)
                old_line, old_word = headers.get(col, (0.0, 0.0))
                headers[col] = (max(line, old_line), max(word, old_word))
                first = ws.cell(row=min_row + 1, column=col)
                if first.alignment.horizontal in ("center", "right") or (
                        first.alignment.horizontal is None and isinstance(first.value, (int, float))):
                    header.alignment = Alignment(horizontal=first.alignment.horizontal or "right",
                                                 vertical="center", wrap_text=header.alignment.wrap_text)
                for row in range(min_row + 1, max_row + 1):
                    cell = ws.cell(row=row, column=col)
                    text = _shown_text(cell)
                    if not text:
                        continue
                    # dates measured as bold: a conditional format may embolden them (overdue items)
                    bold = bool(cell.font.b) or cell.is_date
                    if cell.alignment.wrap_text:
                        wrapping.add(col)
                        longest = max((w for line in text.split("\n") for w in line.split()), key=len, default="")
                        need = max(need, _text_width(longest, bold))
                    else:
                        indent = (cell.alignment.indent or 0) * 1.5
                        need = max(need, max(_text_width(line, bold) for line in text.split("\n")) + indent)
                needs[col] = max(needs.get(col, 0.0), need)
        for col, need in needs.items():
            line, word = headers[col]
            # a header stays on one line unless that would widen its column much beyond its values:
            # "Quick win" above "Yes" does, "Weight × criticality" above "4" wraps between its words
            need = max(need, word)
            if line <= need + _HEADER_SLACK:
                need = max(need, line)
            dimension = ws.column_dimensions[get_column_letter(col)]
            need = round(min(need, _MAX_FITTED_WIDTH), 1)
            dimension.width = max(dimension.width or 8.43, need) if col in wrapping else need

    def rule_cells(self, ws: Worksheet, first_row: int, last_row: int, first_column: int, last_column: int) -> None:
        """Hairline rules between the cells of a dense table: wrapped text fills its column to the edge,
        and without a rule it reads on into the next column (LibreOffice draws no table style lines)."""
        for cells in ws.iter_rows(min_row=first_row, max_row=last_row, min_col=first_column, max_col=last_column):
            for cell in cells:
                cell.border = RULES

    def fit_labels(self, ws: Worksheet, column: int, first_row: int, last_row: int) -> None:
        """Widen a column of labels (not wrapped) so that none runs into the value beside it."""
        letter = get_column_letter(column)
        need = max((_text_width(str(ws.cell(row=r, column=column).value), bool(ws.cell(row=r, column=column).font.b))
                    for r in range(first_row, last_row + 1)
                    if ws.cell(row=r, column=column).value is not None
                    and not ws.cell(row=r, column=column).alignment.wrap_text), default=0.0)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 8.43,
                                                 round(min(need, _MAX_FITTED_WIDTH), 1))

    def fit_rows(self, ws: Worksheet, first_row: int, last_row: int) -> None:
        """Set row heights for wrapped text (LibreOffice and Excel do not reliably grow rows on open)."""
        widths: dict[str, float] = {}
        for cells in ws.iter_rows(min_row=first_row, max_row=last_row):
            lines = 1.0
            for cell in cells:
                value = cell.value
                if not isinstance(value, str) or not value or not cell.alignment.wrap_text:
                    continue
                letter = cell.column_letter
                width = widths.get(letter)
                if width is None:
                    width = widths[letter] = ws.column_dimensions[letter].width or 8.43
                per_line = max(1, int((width - (cell.alignment.indent or 0) * 1.5) * 1.15) - 1)
                count = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
                size = (cell.font.sz or 11) / 11 * (1.1 if cell.font.b else 1.0)
                lines = max(lines, count * size)
            if lines > 1:
                ws.row_dimensions[cells[0].row].height = min(409, round(lines * 15 + 3))

    def table(self, ws: Worksheet, name: str, first_row: int, last_row: int, first_column: int,
              last_column: int, style: str = "TableStyleLight9") -> Table:
        """An Excel table (with filter buttons) over a header row and its data rows; names are unique."""
        base = re.sub(r"[^A-Za-z0-9_]", "", name) or "Table"
        display, counter = base, 2
        while display.casefold() in self._table_names:
            display, counter = f"{base}{counter}", counter + 1
        self._table_names.add(display.casefold())
        last_row = max(last_row, first_row + 1)  # a table needs at least one data row
        ref = f"{get_column_letter(first_column)}{first_row}:{get_column_letter(last_column)}{last_row}"
        table = Table(displayName=display, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True, showColumnStripes=False,
                                              showFirstColumn=False, showLastColumn=False)
        ws.add_table(table)
        return table

    def print_setup(self, ws: Worksheet, title_rows: str | None, footer_left: str = "",
                    landscape: bool = True) -> None:
        """The book's paper, landscape, fit to one page wide, header rows repeated, a footer with page X
        of Y."""
        if self.paper_size:
            ws.page_setup.paperSize = PAPER_SIZES[self.paper_size]
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.5
        # the header and footer sit in the margins, clear of the first and last rows
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.page_margins.header = ws.page_margins.footer = 0.3
        if title_rows:
            ws.print_title_rows = title_rows
        if footer_left:
            ws.oddFooter.left.text = header_footer_text(footer_left)
            ws.oddFooter.left.size = 8
        ws.oddFooter.right.text = "Page &P of &N"
        ws.oddFooter.right.size = 8
        ws.oddHeader.right.text = "&A"
        ws.oddHeader.right.size = 8

    def key_values(self, ws: Worksheet, row: int, pairs: Iterable[tuple[str, Any]], column: int = 1) -> int:
        """Label/value rows (values written safely); returns the next free row."""
        for label, value in pairs:
            if value is None or value == "":
                continue
            cell = ws.cell(row=row, column=column, value=label)
            cell.font = self.label_font
            cell.alignment = TOP
            if isinstance(value, (dt.date, dt.datetime)):
                self.date(ws, row, column + 1, value).alignment = Alignment(horizontal="left", vertical="top")
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                self.number(ws, row, column + 1, value, alignment=Alignment(horizontal="left"))
            else:
                self.text(ws, row, column + 1, value, item=label)
            row += 1
        return row

    # ----------------------------------------------------------------- finishing

    def finish(self, protect_overflow: bool = False) -> None:
        """Write the Overflow sheet (if any text spilled) and summarise the replaced characters."""
        if self._replaced:
            shown = ", ".join(self._replaced[:10])
            more = f" and {len(self._replaced) - 10} more" if len(self._replaced) > 10 else ""
            self.warnings.append(f"{len(self._replaced)} cell(s) held characters Excel cannot store (control "
                                 f"characters); they were replaced with '{PLACEHOLDER}': {shown}{more}")
        if not self._overflow:
            return
        ws = self.wb.create_sheet(OVERFLOW_SHEET)
        columns = [Column(OVERFLOW_HEADERS[0], 14), Column(OVERFLOW_HEADERS[1], 8),
                   Column(OVERFLOW_HEADERS[2], 24, wrap=True), Column(OVERFLOW_HEADERS[3], 6),
                   Column(OVERFLOW_HEADERS[4], 100, wrap=True)]
        self.header_row(ws, 1, columns)
        for row, part in enumerate(self._overflow, start=2):
            ws.cell(row=row, column=1, value=part.sheet).data_type = "s"
            ws.cell(row=row, column=2, value=part.cell)
            self.text(ws, row, 3, part.item)
            ws.cell(row=row, column=4, value=part.part)
            # Pieces are already within the limit: write them directly, never through the spill logic.
            cell = ws.cell(row=row, column=5)
            cell.value = part.text
            cell.data_type = "s"
            cell.alignment = WRAP
            if part.text.startswith(FORMULA_PREFIXES):
                cell.quotePrefix = True
        self.table(ws, "OverflowText", 1, len(self._overflow) + 1, 1, len(columns))
        self.fit_columns(ws)
        self.fit_rows(ws, 1, len(self._overflow) + 1)
        ws.freeze_panes = "A2"
        self.print_setup(ws, "1:1")
        if protect_overflow:
            ws.protection.sheet = True

    def save(self, path: Path) -> None:
        """Save atomically: a temporary file beside the target, renamed over it on success."""
        with atomic_path(Path(path)) as tmp:
            self.wb.save(tmp)
