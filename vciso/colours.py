"""The accent colour's rules: which texts name a colour, and tints of it (no dataclasses, no Qt: the app's
theme imports this before its first paint)."""

from __future__ import annotations

from vciso import DEFAULT_ACCENT

_HEX_DIGITS = frozenset("0123456789abcdef")


def valid_accent(value: object) -> str | None:
    """The accent colour `value` names, as lower-case '#rrggbb', or None when it names none.

    The one rule for every reader of the setting (settings file, Settings dialog, app theme, PDF and
    Excel writers): six hex digits, or three that stand for six ('#abc' is '#aabbcc'), with or without
    the '#', in any case, spaces around ignored. Colour names ('red') and other forms are refused, so
    that the app never shows a colour the deliverables cannot use.
    """
    text = value.strip().lower() if isinstance(value, str) else ""
    digits = text[1:] if text.startswith("#") else text
    if len(digits) not in (3, 6) or not set(digits) <= _HEX_DIGITS:
        return None
    return "#" + (digits if len(digits) == 6 else "".join(c * 2 for c in digits))


def normalise_accent(value: object) -> str:
    """The accent colour as '#rrggbb' (see `valid_accent`); the default accent when `value` is not one."""
    return valid_accent(value) or DEFAULT_ACCENT.lower()


def tint(color: str, amount: float) -> str:
    """A colour ('#rrggbb' or 'rrggbb') mixed with white, as '#rrggbb': amount 0 = the colour, 1 = white."""
    digits = color.lstrip("#")
    channels = [int(digits[i:i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in channels)
