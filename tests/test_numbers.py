"""One formatting of numbers and dates (vciso.numbers) and one reading of the accent colour and its tints
(vciso.branding): what the app, the PDF, the workbooks and the command line print."""

from __future__ import annotations

import datetime as dt
import json
import locale

import pytest

from vciso import DEFAULT_ACCENT
from vciso import numbers as num
from vciso.branding import normalise_accent, tint, valid_accent

ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December"]


# --------------------------------------------------------------------------- levels, scores, gaps


def test_a_missing_value_is_a_dash_in_scores_and_percentages_and_blank_elsewhere():
    assert num.score(None) == num.score_fixed(None) == num.percent(None) == num.score_change(None) == "—"
    assert num.format_value(None) == num.change(None) == ""


@pytest.mark.parametrize(("value", "shown"), [
    (3, "3.0"), (3.0, "3.0"), (0, "0.0"), (2.2222, "2.2"), (1.96, "2.0"),
    (0.25, "0.3"),   # halves up, on the value as written: never 0.2 as binary rounding would give
    (2.25, "2.3"), (0.75, "0.8"), (2.35, "2.4"), (1.15, "1.2"), (-0.05, "-0.1"),
])
def test_one_rounding_of_every_figure_halves_up_with_one_decimal(value, shown):
    """The app, the PDF, the Word report, the workbook and the command line show a level the same way."""
    assert num.score(value) == num.score_fixed(value) == shown
    assert num.rounded(value) == float(shown)


def test_negative_zero_is_never_shown():
    assert num.score(-0.0) == num.score(-0.04) == num.score_fixed(-0.0) == "0.0"
    assert num.percent(-0.0) == num.percent(-0.001) == num.percent(-0.001, negative_zero=True) == "0%"
    assert num.score_change(-0.0) == num.change(-0.04) == "0.0"


def test_level_values_are_written_as_people_write_them():
    assert [num.format_value(v) for v in (3, 3.0, 0.25, 2.5, -1.0)] == ["3", "3", "0.25", "2.5", "-1"]
    assert num.compact(5.0) == "5" and num.compact(4.5) == "4.5" and num.compact(12.345678) == "12.3457"


@pytest.mark.parametrize(("fraction", "text"), [
    (0, "0%"), (1, "100%"), (0.345, "35%"), (0.125, "13%"), (0.135, "14%"), (0.994, "99%"), (0.995, "100%"),
    (0.999, "100%"), (1.5, "150%")])
def test_percentages_are_whole_and_rounded_halves_up(fraction, text):
    assert num.percent(fraction) == text
    assert num.rounded_fraction(fraction) == int(text[:-1]) / 100   # what a workbook cell holds


def test_signed_changes():
    assert [num.change(v) for v in (0.5, -1, 0.0, 0.04, -0.04, 0.05)] == ["+0.5", "-1.0", "0.0", "0.0", "0.0", "+0.1"]
    assert num.change(0.123, digits=2) == "+0.12"
    assert [num.score_change(v) for v in (0.5, 1.0, 0.05, 0.04, -0.04, -0.5)] == \
        ["+0.5", "+1.0", "+0.1", "0.0", "0.0", "-0.5"]


def test_priorities():
    assert num.priority(4.56, 1) == "4.6" and num.priority(12.0, 1) == "12.0"
    assert num.priority(12.0) == "12" and num.priority(4.5) == "4.5"


@pytest.mark.parametrize(("gap", "span", "band"), [
    (None, 4, "none"), (0, 4, "met"), (0.004, 4, "met"), (0.0041, 4, "minor"),
    (0.125, 1, "minor"), (0.1251, 1, "moderate"), (0.5, 4, "minor"), (0.51, 4, "moderate"),
    (0.3, 1, "moderate"), (0.3001, 1, "major"), (1.2, 4, "moderate"), (1.21, 4, "major"), (5, 5, "major"),
    (1, 0, "met"),  # a scale with one level: nothing to close
])
def test_gap_bands_at_their_thresholds(gap, span, band):
    assert num.gap_band(gap, span) == band


def test_every_band_has_a_name():
    names = [name for name, _ in num.GAP_BANDS] + ["major", "none", "na"]
    assert set(names) == set(num.GAP_BAND_LABELS)
    assert num.GAP_BAND_LABELS["met"] == "At target" and num.GAP_BAND_LABELS["major"] == "Large gap"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize("month", range(1, 13))
def test_dates_have_english_month_names(month):
    name = ENGLISH_MONTHS[month - 1]
    day = dt.date(2026, month, 5)
    assert num.long_date(day.isoformat()) == num.long_date(day) == f"5 {name} 2026"
    assert num.short_date(day.isoformat()) == num.short_date(day) == f"5 {name[:3]} 2026"
    assert num.short_date(day, padded=True) == f"05 {name[:3]} 2026"


def test_dates_do_not_follow_the_locale():
    """The roadmap table used strftime('%d %b %Y'), which follows LC_TIME ('05 Mär 2026' in German)."""
    saved = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8", "fr_FR.utf8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
            break
        except locale.Error:
            continue
    else:
        pytest.skip("no German or French locale is installed")
    try:
        shown = [num.short_date(dt.date(2026, m, 5), padded=True) for m in range(1, 13)]
        long = [num.long_date(dt.date(2026, m, 5)) for m in range(1, 13)]
        assert dt.date(2026, 3, 5).strftime("%b") != "Mar"  # the locale is in force
    finally:
        locale.setlocale(locale.LC_TIME, saved)
    assert shown == [f"05 {m[:3]} 2026" for m in ENGLISH_MONTHS]
    assert long == [f"5 {m} 2026" for m in ENGLISH_MONTHS]


def test_in_the_c_locale_the_roadmap_dates_read_as_before():
    saved = locale.setlocale(locale.LC_TIME)
    locale.setlocale(locale.LC_TIME, "C")
    try:
        for day in (dt.date(2026, m, d) for m in range(1, 13) for d in (1, 9, 28)):
            assert num.short_date(day.isoformat(), blank="", padded=True) == day.strftime("%d %b %Y")
    finally:
        locale.setlocale(locale.LC_TIME, saved)


def test_missing_and_unreadable_dates():
    assert num.long_date(None) == num.long_date("") == ""
    assert num.short_date(None) == "—" and num.short_date("", blank="") == ""
    assert num.long_date("next spring") == num.short_date("next spring") == "next spring"
    assert num.long_date("2026-11-27T10:42:00+00:00") == "27 November 2026"
    assert num.short_date(dt.datetime(2026, 2, 3, 23, 59)) == "3 Feb 2026"


# --------------------------------------------------------------------------- accent colour


@pytest.mark.parametrize(("value", "accent"), [
    ("#1F4E79", "#1f4e79"), ("#1f4e79", "#1f4e79"), ("1F4E79", "#1f4e79"), ("  #2E7D4F ", "#2e7d4f"),
    ("#abc", "#aabbcc"), ("ABC", "#aabbcc"), ("#FFF", "#ffffff"),
])
def test_hex_colours_are_accepted_and_three_digits_expanded(value, accent):
    assert valid_accent(value) == normalise_accent(value) == accent


@pytest.mark.parametrize("value", ["red", "navy", "", "   ", None, 42, "#abcd", "#1f4e7", "#1f4e79ff",
                                   "#1g4e79", "##1f4e79", "rgb(1,2,3)", ["#1f4e79"]])
def test_anything_else_is_refused_and_gives_the_default(value):
    assert valid_accent(value) is None
    assert normalise_accent(value) == DEFAULT_ACCENT.lower()


def test_every_reader_of_the_accent_applies_the_same_rule(tmp_path):
    """Settings file, PDF and Excel writers and the app's theme: '#abc' is '#aabbcc', 'red' is the default."""
    from PySide6.QtGui import QColor

    from exports.pdf_styles import parse_accent
    from exports.xlsx_common import accent_hex
    from ui.theme import accent_color
    from vciso.settings import load_settings

    for value, expected in (("#abc", "#aabbcc"), ("red", DEFAULT_ACCENT.lower()), ("#2E7D4F", "#2e7d4f")):
        path = tmp_path / "settings.json"
        path.write_text(json.dumps({"accent_color": value}), encoding="utf-8")
        settings = load_settings(path)
        assert settings.accent_color == settings.branding().accent_color == expected
        assert accent_hex(value) == expected[1:].upper()
        assert accent_color(value) == QColor(expected)
        colour, warning = parse_accent(value)
        assert colour.hexval().lower() == "0x" + expected[1:]
        assert (warning is None) == (value != "red")


# --------------------------------------------------------------------------- tint


def test_tint_mixes_with_white():
    assert tint("#1f4e79", 0) == "#1f4e79"
    assert tint("#1f4e79", 1) == "#ffffff"
    assert tint("1F4E79", 0.85) == "#dde4eb"  # the workbook's band fill for the default accent
    assert tint("#000000", 0.5) == "#808080"  # 127.5 rounds to even: 128


# The two formulas tint replaced, and the amounts each call site used with them.
def _old_app_tint(channel: int, amount: float) -> int:  # ui/theme.py: amount 0 = white, 1 = the colour
    return round(255 - (255 - channel) * amount)


def _old_workbook_tint(channel: int, amount: float) -> int:  # exports/xlsx_common.py: 0 = colour, 1 = white
    return round(channel + (255 - channel) * amount)


APP_CALLS = {0.10: 0.90, 0.35: 0.65, 0.85: 0.15, 0.18: 0.82, 0.13: 0.87, 0.5: 0.5, 0.14: 0.86}
WORKBOOK_CALLS = {0.85: 0.85}


@pytest.mark.parametrize(("old", "calls"), [(_old_app_tint, APP_CALLS), (_old_workbook_tint, WORKBOOK_CALLS)])
def test_tint_gives_every_call_site_the_colour_it_had(old, calls):
    for before, now in calls.items():
        for channel in range(256):
            colour = f"#{channel:02x}{255 - channel:02x}{channel // 2:02x}"
            expected = "#" + "".join(f"{old(c, before):02x}" for c in (channel, 255 - channel, channel // 2))
            assert tint(colour, now) == expected, (before, now, channel)
