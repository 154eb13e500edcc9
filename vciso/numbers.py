"""The one place that turns numbers and dates into text: levels and scores, gaps, percentages, changes, dates.

Pure Python, so the desktop app, the PDF, Word and Excel writers and the command line say the same thing.
Every figure is rounded by `rounded` (halves up, on the number as written in decimal: 2.25 -> 2.3, never
2.2 as binary floating point would round it): levels, scores and gaps to one decimal, always shown with
it ("3.0"), percentages to whole numbers. A workbook stores the rounded value, so Excel shows it too.

Dates use English month names whatever the locale (strftime's %b would follow it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import datetime as dt  # imported where a date is read: the app's first paint needs no datetime

DASH = "—"  # shown for a value that does not exist (nothing answered, no target)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
SHORT_MONTHS = tuple(name[:3] for name in MONTHS)

# Gap bands: a gap as a fraction of the scale's span, at most each threshold, in this order; above the
# last one the gap is "major". The colours are the deliverables' (exports' palettes).
GAP_BANDS = (("met", 0.001), ("minor", 0.125), ("moderate", 0.3))
# The gap of a section is the average shortfall of its answered questions (each max(0, target − current)),
# which can differ from the section's target − current when some questions are above target: every screen
# labels it so, and the methodology explains it in these words.
SHORTFALL = "Avg shortfall"
SHORTFALL_EXPLAINED = ("the average shortfall per answered question: how far each question falls short of "
                       "its target (a question at or above target counts as 0), averaged over the section's "
                       "answered questions — so it is not simply target minus current when some questions "
                       "are above their target")
GAP_BAND_LABELS = {"met": "At target", "minor": "Small gap", "moderate": "Gap", "major": "Large gap",
                   "na": "N/A", "none": "Not answered"}


# --------------------------------------------------------------------------- levels, scores and gaps


def rounded(value: float, places: int = 1) -> float:
    """The one rounding of every figure shown: halves up, on the value as written in decimal."""
    from decimal import ROUND_HALF_UP, Decimal

    result = float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    return result + 0.0  # never -0.0


def score(value: float | None, digits: int = 1) -> str:
    """A level, score or gap as every screen and deliverable shows it: 2.3, 3.0, 0.0 (never -0.0); a dash
    when there is none."""
    if value is None:
        return DASH
    return f"{rounded(value, digits):.{digits}f}"


def score_fixed(value: float | None, digits: int = 1) -> str:
    """The same as `score` (kept for the places that name the number of decimals)."""
    return score(value, digits)


def format_value(value: float | None) -> str:
    """A level value as people write it: 3 rather than 3.0, 0.25 as is; '' when there is none."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def compact(value: float) -> str:
    """A number in at most six significant digits without trailing zeros (Python's 'g'): 3, 4.5, 12.3457.
    Used for the scale's ends on the dashboard."""
    return f"{value:g}"


def priority(value: float, digits: int | None = None) -> str:
    """A roadmap priority: with `digits` decimals (the app's roadmap table: 4.5), else as `compact`
    (the command line: 4.5, 12)."""
    return compact(value) if digits is None else f"{value:.{digits}f}"


def change(value: float | None, digits: int = 1) -> str:
    """A signed change: +0.5, -1.0, 0.0; '' when there is none."""
    if value is None:
        return ""
    amount = rounded(value, digits)
    return f"{amount:+.{digits}f}" if amount else f"{0:.{digits}f}"


def score_change(value: float | None) -> str:
    """A change of level as the deliverables write it: +0.5, -1.0, 0.0; a dash when there is none."""
    if value is None:
        return DASH
    return change(value) or DASH


def gap_band(gap: float | None, span: float) -> str:
    """The band of a gap (in levels) relative to the scale's span: met, minor, moderate or major; 'none'
    when there is no gap to judge (nothing answered)."""
    if gap is None:
        return "none"
    fraction = gap / span if span else 0.0
    for name, limit in GAP_BANDS:
        if fraction <= limit:
            return name
    return "major"


def plural(count: int, word: str, many: str | None = None) -> str:
    """A count with its noun: '1 problem', '3 problems', '0 problems' ('answers' or `many` for irregular ones)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


# --------------------------------------------------------------------------- percentages


def percent(fraction: float | None, *, negative_zero: bool = False) -> str:
    """A fraction as a whole percentage, halves up: 0.345 -> '35%'; a dash when there is none.
    (`negative_zero` is accepted for older callers and changes nothing: -0% is never shown.)"""
    if fraction is None:
        return DASH
    return f"{int(rounded(fraction * 100, 0))}%"


def rounded_fraction(fraction: float) -> float:
    """A fraction rounded as `percent` shows it (0.345 -> 0.35), for a cell formatted as '0%'."""
    return rounded(fraction * 100, 0) / 100


# --------------------------------------------------------------------------- dates


def _as_date(value: str | dt.date) -> dt.date:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _date_text(value: str | dt.date | None, blank: str, form: Callable[[dt.date], str]) -> str:
    """`form(day)` for a date or ISO date; `blank` when there is none, the text itself when it is not a date."""
    if not value:
        return blank
    try:
        day = _as_date(value)
    except ValueError:
        return str(value)
    return form(day)


def long_date(value: str | dt.date | None, blank: str = "") -> str:
    """An ISO date (or a date) as '27 November 2026'; `blank` when there is none, the text itself when
    it is not a date."""
    return _date_text(value, blank, lambda day: f"{day.day} {MONTHS[day.month - 1]} {day.year}")


def short_date(value: str | dt.date | None, blank: str = DASH, padded: bool = False) -> str:
    """An ISO date (or a date) as '5 Mar 2026' ('05 Mar 2026' when `padded`); `blank` when there is
    none, the text itself when it is not a date."""
    def form(day: dt.date) -> str:
        number = f"{day.day:02d}" if padded else str(day.day)
        return f"{number} {SHORT_MONTHS[day.month - 1]} {day.year}"

    return _date_text(value, blank, form)


def parse_date(text: str) -> dt.date:
    """A date typed by a person: ISO (2027-01-15) or as dates are shown (15 Jan 2027, 15 January 2027).

    Raises ValueError with a message for anything else: a date is never guessed, so a typed date is never
    stored as a different one.
    """
    import datetime as dt

    cleaned = " ".join(str(text).replace(",", " ").split())
    try:
        return dt.date.fromisoformat(cleaned)
    except ValueError:
        pass
    parts = cleaned.split(" ")
    if len(parts) == 3 and parts[0].isdigit() and parts[2].isdigit() and len(parts[2]) == 4:
        name = parts[1].casefold()
        for number, month in enumerate(MONTHS, start=1):
            if name in (month.casefold(), month[:3].casefold()):
                try:
                    return dt.date(int(parts[2]), number, int(parts[0]))
                except ValueError:
                    break
    raise ValueError(f"'{text}' is not a date; type it as 2027-01-15 or 15 Jan 2027, or pick it from the calendar")
