"""Consultant settings shared by the desktop app and the command line (a small JSON file).

Kept in the core rather than in QSettings so that `vciso export pdf` brands a report exactly like the
app's Export action does, without loading Qt. The app keeps window geometry in QSettings.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from platformdirs import user_config_path

from vciso.atomic import atomic_path, write_error
from vciso.paths import APP_NAME
from vciso.branding import DEFAULT_ACCENT, DEFAULT_PAPER, Branding, normalise_accent, paper_size_or_default
from vciso.roadmap import DEFAULT_ACTIONS_PER_MONTH, DEFAULT_PHASE_DAYS, Phase, make_phases

SETTINGS_ENV = "VCISO_SETTINGS"


@dataclass
class AppSettings:
    workspace: str = ""
    consultant: str = ""
    firm_name: str = ""
    logo_path: str = ""
    accent_color: str = DEFAULT_ACCENT
    default_target: float | None = None
    phase_days: list[int] = field(default_factory=lambda: list(DEFAULT_PHASE_DAYS))
    paper_size: str = DEFAULT_PAPER  # "A4" or "Letter", for the PDF report
    actions_per_month: int = DEFAULT_ACTIONS_PER_MONTH  # roadmap capacity: due dates are staggered by it
    backups_to_keep: int = 10  # automatic backups on close: the newest N copies of each changed client
    evidence_max_mb: int = 25  # the largest evidence file that may be attached to an answer
    # encrypted clients' passphrases kept in the OS keyring between runs (vciso/keychain.py); off by default:
    # then anyone who can use this account can open every encrypted client without its passphrase
    remember_passphrases: bool = False

    def branding(self) -> Branding:
        return Branding(self.firm_name, self.consultant, Path(self.logo_path) if self.logo_path else None,
                        normalise_accent(self.accent_color), paper_size_or_default(self.paper_size))

    def capacity(self) -> int:
        """How many roadmap actions may fall due in one month (1–50; the default when the file says nonsense)."""
        value = self.actions_per_month
        return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 50 \
            else DEFAULT_ACTIONS_PER_MONTH

    def backups_kept(self) -> int:
        """How many automatic backups of each client are kept (1–100; 10 when the file says nonsense)."""
        value = self.backups_to_keep
        return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 100 else 10

    def evidence_limit(self) -> int:
        """The per-file evidence limit in bytes (25 MB when the file says nonsense)."""
        from vciso.evidence import max_bytes
        return max_bytes(self.evidence_max_mb)

    def phases(self) -> tuple[Phase, ...]:
        try:
            return make_phases(self.phase_days)
        except (ValueError, TypeError):
            return make_phases()


def settings_path() -> Path:
    configured = os.environ.get(SETTINGS_ENV)
    return Path(configured) if configured else user_config_path(APP_NAME, appauthor=False) / "settings.json"


def load_settings(path: Path | None = None) -> AppSettings:
    """Settings from disk; a missing or unreadable file gives the defaults (never an error at start)."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return AppSettings()
    known = {f.name for f in fields(AppSettings)}
    values = {k: v for k, v in data.items() if k in known} if isinstance(data, dict) else {}
    try:
        settings = AppSettings(**values)
    except TypeError:
        return AppSettings()
    settings.paper_size = paper_size_or_default(settings.paper_size)
    settings.accent_color = normalise_accent(settings.accent_color)
    settings.remember_passphrases = settings.remember_passphrases is True  # only an explicit true turns it on
    return settings


def save_settings(settings: AppSettings, path: Path | None = None) -> None:
    """Write settings atomically, private to the user; a full disk or read-only folder raises DiskFull or
    ReadOnlyStorage (the earlier settings are kept)."""
    path = path or settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise write_error(path, exc) from exc
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(asdict(settings), indent=2, ensure_ascii=False), encoding="utf-8")


def actor_name() -> str:
    """Who is making a change, for the history: the consultant named in the settings, else the login name."""
    name = load_settings().consultant.strip()
    if name:
        return name
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""
