"""Text for a terminal: user-supplied strings (client names, notes) never reach it as control characters.

Client files travel between people, so a name like "Evil\\x1b]0;owned\\x07Corp" could retitle a terminal or
clear it. Text output shows such characters escaped (`\\x1b`); JSON output keeps them as JSON escapes.
"""

from __future__ import annotations

import contextlib
import json
import sys
import unicodedata
from typing import Any, Iterator, TextIO

_KEPT = {"\n", "\t"}


def printable(text: str) -> str:
    """`text` with every control character but newline and tab shown as an escape such as `\\x1b`."""
    if text.isprintable():
        return text
    return "".join(char if char in _KEPT or unicodedata.category(char) != "Cc" else f"\\x{ord(char):02x}"
                   for char in text)


def json_text(data: Any) -> str:
    """JSON with non-ASCII text kept readable but every control character escaped (C1 and DEL too, which
    `json.dumps(ensure_ascii=False)` would leave raw)."""
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(f"\\u{ord(char):04x}" if unicodedata.category(char) == "Cc" and char not in _KEPT else char
                   for char in text)


class EscapingWriter:
    """A text stream that passes everything through `printable` (used for the CLI's stdout and stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def escaped_output() -> Iterator[None]:
    """While a command runs, nothing it prints can put a control character on the terminal."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = EscapingWriter(out), EscapingWriter(err)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err
