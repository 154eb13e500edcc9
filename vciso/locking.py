"""A small lock file next to an open client file, so a second app instance opens it read-only.

It lives in the core so that every front end knows it: the app takes the lock while a client is open, and
the command line warns when it writes to a client that an app window holds open (the write still goes
through: SQLite serialises writers, and the app picks the change up).

`<client>.vciso.lock` holds the owner's pid, host name and start time as JSON. A lock whose process is
gone (same host, pid no longer running) is stale and taken over; a lock from another host cannot be
checked and is respected. SQLite itself already serialises writers; the lock exists so that two people
do not walk through the same assessment at once and overwrite each other's answers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

LOCK_SUFFIX = ".lock"


@dataclass(frozen=True)
class LockOwner:
    """Who holds a client file open."""

    pid: int
    host: str
    since: str = ""

    def describe(self) -> str:
        when = ""
        if self.since:
            try:
                when = " since " + dt.datetime.fromisoformat(self.since).strftime("%d %b %Y %H:%M")
            except ValueError:
                when = ""
        return f"another vCISO Workbench window (process {self.pid} on {self.host}){when}"


def _this_host() -> str:
    return socket.gethostname() or "this computer"


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running on this computer."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class ClientLock:
    """The lock file of one client file."""

    def __init__(self, client_path: Path) -> None:
        self.client_path = Path(client_path)
        self.path = self.client_path.with_name(self.client_path.name + LOCK_SUFFIX)
        self.held = False

    def owner(self) -> LockOwner | None:
        """The live owner of the lock other than this process, or None if the file is free."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            owner = LockOwner(int(data["pid"]), str(data["host"]), str(data.get("since", "")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # unreadable or half-written lock: not a reason to refuse the file
        if owner.host == _this_host() and (owner.pid == os.getpid() or not pid_alive(owner.pid)):
            return None
        return owner

    def acquire(self) -> LockOwner | None:
        """Take the lock; returns None on success, or the other owner that holds it."""
        owner = self.owner()
        if owner is not None:
            return owner
        payload = json.dumps({"pid": os.getpid(), "host": _this_host(),
                              "since": dt.datetime.now().isoformat(timespec="seconds")})
        try:
            self.path.unlink(missing_ok=True)  # stale or ours
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return self.owner()  # another instance won the race
        except OSError:
            return None  # a read-only folder: open without a lock rather than refuse
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        self.held = True
        return None

    def release(self) -> None:
        """Remove the lock if this process holds it."""
        if not self.held:
            return
        self.held = False
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if int(data.get("pid", -1)) == os.getpid() and data.get("host") == _this_host():
                self.path.unlink()
        except (OSError, ValueError, TypeError):
            pass
