"""Reading a password from a file or standard input, for the command line (`--password-file FILE`).

A file keeps the password out of the command line, where other users see it in the process list and the
shell keeps it in its history. The password is returned to the caller only: never printed, logged or stored.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from vciso.errors import ProtectionError

STDIN = "-"


def read_password_file(name: str, stdin: TextIO | None = None) -> str:
    """The first line of file `name` (or of standard input for "-"), without its line end.

    Spaces are kept: they may be part of the password. Raises ProtectionError, in words and without the
    password, for a file that cannot be read or whose first line is empty."""
    where = "standard input" if name == STDIN else name
    try:
        if name == STDIN:
            line = (stdin or sys.stdin).readline()
        else:
            with open(Path(name).expanduser(), encoding="utf-8") as handle:
                line = handle.readline()
    except FileNotFoundError:
        raise ProtectionError(f"the password file {where} does not exist; nothing was written") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not UTF-8 text"
        raise ProtectionError(f"the password file {where} cannot be read ({reason}); nothing was written") from None
    password = line.rstrip("\r\n")
    if not password:
        raise ProtectionError(f"the first line of {where} is empty: no password to protect the file with; "
                              f"nothing was written")
    return password
