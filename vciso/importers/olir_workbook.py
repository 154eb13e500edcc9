"""NIST OLIR crosswalk workbook (.xlsx, sheet `Relationships`) → a mapping in our format.

The sheet has a header row naming the focal document element, the reference document element and,
optionally, the relationship and its strength; rows without a reference element (functions, categories)
are skipped. NIST's concept crosswalks give no relationship type: those pairs become `intersects-with`,
the one relationship that claims nothing more than "these overlap", and the note says so. Strength
(NIST's 1-10 or 0-1) is kept as 0..1. Ids are written the catalog's way (`PM-09` → `PM-9`).
"""

from __future__ import annotations

import re
from typing import Any

from vciso.crosswalk.ids import catalog_form, framework_id
from vciso.crosswalk.model import FORMAT_ID
from vciso.errors import MappingError
from vciso.importers.oscal_mapping import relationship_name
from vciso.importers.workbook import UnreadableWorkbook, cell_text, norm, open_workbook, rows, sheet

SHEET = "Relationships"
DEFAULT_RELATIONSHIP = "intersects-with"
_FAMILY_ONLY = re.compile(r"^[A-Z]{2}$")  # 'PT': a whole SP 800-53 family, no requirement to match


def _column(headers: list[str], *words: str) -> int | None:
    for index, header in enumerate(headers):
        if all(word in header for word in words):
            return index
    return None


def _strength(value: Any) -> float | None:
    text = cell_text(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if number > 1:
        number /= 10  # OLIR strength is 1 (weak) to 10 (strong)
    return number if 0 <= number <= 1 else None


def convert_olir_workbook(raw: bytes, source: str, file_name: str, notes: list[str]) -> dict:
    """The workbook's pairs as our format's data; MappingError naming the sheet and row otherwise."""
    try:
        book = open_workbook(raw)
    except UnreadableWorkbook as exc:
        raise MappingError(source, [str(exc)]) from None
    try:
        ws = sheet(book, SHEET)
        if ws is None:
            raise MappingError(source, [f"no sheet '{SHEET}' (found: {', '.join(book.sheetnames)}); an OLIR "
                                        "crosswalk workbook keeps its pairs there"])
        row_iter = rows(ws)
        header_row = next(row_iter, None)
        if header_row is None:
            raise MappingError(source, [f"sheet '{SHEET}' is empty"])
        headers = [norm(h) for h in header_row[1]]
        focal = _column(headers, "focal", "element")
        reference = _column(headers, "reference", "element")
        if focal is None or reference is None:
            raise MappingError(source, [f"sheet '{SHEET}', row {header_row[0]}: expected columns 'Focal Document "
                                        f"Element' and 'Reference Document Element'"])
        relationship_col = _column(headers, "relationship")
        if relationship_col is not None and "strength" in headers[relationship_col]:
            relationship_col = None
        strength_col = _column(headers, "strength")
        entries: list[dict] = []
        problems: list[str] = []
        seen: set[tuple[str, str]] = set()
        defaulted = 0
        families: list[str] = []
        focal_ids: list[str] = []
        reference_ids: list[str] = []
        for number, values in row_iter:
            values = tuple(values) + (None,) * 8
            src, ref = cell_text(values[focal]), cell_text(values[reference])
            if not src or not ref:
                continue
            for one in [r for r in re.split(r"[\n,;]+", ref) if r.strip()]:
                pair = (catalog_form(src), catalog_form(one))
                if _FAMILY_ONLY.match(pair[1]):
                    families.append(f"{pair[0]} → {pair[1]} (row {number})")
                    continue
                if pair in seen:
                    continue
                seen.add(pair)
                relationship = DEFAULT_RELATIONSHIP
                if relationship_col is not None and cell_text(values[relationship_col]):
                    relationship = relationship_name(cell_text(values[relationship_col]))
                    if not relationship:
                        problems.append(f"sheet '{SHEET}', row {number}: relationship "
                                        f"'{cell_text(values[relationship_col])}' is not one we know")
                        continue
                else:
                    defaulted += 1
                entry: dict[str, Any] = {"source": pair[0], "target": pair[1], "relationship": relationship}
                strength = _strength(values[strength_col]) if strength_col is not None else None
                if strength is not None:
                    entry["strength"] = strength
                entries.append(entry)
                focal_ids.append(pair[0])
                reference_ids.append(pair[1])
        if problems:
            raise MappingError(source, problems)
        if not entries:
            raise MappingError(source, [f"sheet '{SHEET}': no row has both a focal and a reference element"])
    finally:
        book.close()
    if families:
        notes.append(f"{len(families)} reference(s) name a whole control family rather than a control and are "
                     f"skipped: {', '.join(families)}")
    if defaulted:
        notes.append(f"{defaulted} pair(s) have no relationship type in the workbook; read as "
                     f"'{DEFAULT_RELATIONSHIP}' (overlap, never full coverage)")
    stem = re.sub(r"\.xlsx$", "", file_name, flags=re.IGNORECASE)
    focal_name, _, reference_name = stem.partition("_to_")
    return {
        "format": FORMAT_ID,
        "title": stem.replace("_", " "),
        "source": {"id": framework_id(focal_name, focal_ids), "title": focal_name.replace("_", " ")},
        "target": {"id": framework_id(reference_name or stem, reference_ids),
                   "title": reference_name.replace("_", " ").replace(" crosswalk", "")},
        "provenance": f"Imported from the OLIR crosswalk workbook {file_name}",
        "entries": entries,
    }
