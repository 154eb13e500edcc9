"""The client open in the main window, as one typed value instead of loose window attributes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vciso.clientfile import ClientProfile
    from vciso.locking import ClientLock


@dataclass
class ClientSession:
    """Which client file is open, whether this window may write it (it holds the lock), and which opening
    this is (`generation`: results of an earlier opening that arrive late are ignored)."""

    path: Path
    generation: int
    read_only: bool = False
    lock: ClientLock | None = None
    profile: ClientProfile | None = None
    read_only_reason: str = "open in another window"
    encrypted: bool = False  # an SQLCipher file (known once it opened): which encryption actions apply

    @property
    def writable(self) -> bool:
        return not self.read_only
