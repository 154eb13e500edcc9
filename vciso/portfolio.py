"""The vCISO's portfolio: one row per client of the workspace, read from each file's summary.

Each file is read read-only with one query (`vciso.summary.STORED_SUMMARY_QUERY`); a file without a summary
made for its schema (an earlier release's file never opened since) is summarised on the fly, read-only, and
the row says so. A file that cannot be read gives a row with its error; the other clients still list.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping

from vciso import numbers as num
from vciso.clientfile import check_sqlite_header, open_connection
from vciso.crypto import is_encrypted
from vciso.errors import ClientFileEncrypted, VcisoError
from vciso.sqlite_errors import db_errors, is_hot_journal, storage_error
from vciso.summary import SUMMARY_FORMAT, STORED_SUMMARY_QUERY

STALE_DAYS = 180  # a client not assessed for longer than this is highlighted


@dataclass(frozen=True)
class PortfolioRow:
    """One client as the portfolio shows it (figures unrounded; `vciso.numbers` formats them)."""

    file_id: str
    path: Path
    name: str
    industry: str = ""
    assessment_count: int = 0
    assessment_id: int | None = None
    assessment_name: str = ""
    assessment_date: str | None = None
    assessment_status: str = ""
    questionnaire_id: str = ""
    questionnaire_title: str = ""
    score: float | None = None
    target: float | None = None
    percent_to_target: float | None = None
    completion: float | None = None
    change: float | None = None
    previous_name: str = ""
    previous_date: str | None = None
    open_actions: int = 0
    overdue_actions: int = 0
    next_due: str | None = None
    days_since: int | None = None      # days since the latest assessment's date
    source: str = "stored"             # "stored": the file's summary; "computed": summarised on the fly
    error: str = ""
    locked: bool = False               # encrypted and its passphrase not known (or wrong): not damaged

    @property
    def ok(self) -> bool:
        return not self.error

    @property
    def stale(self) -> bool:
        """Not assessed for more than `STALE_DAYS` days."""
        return self.days_since is not None and self.days_since > STALE_DAYS


@dataclass(frozen=True)
class Portfolio:
    """Every client of a workspace on a day, readable ones first by name, then the unreadable ones."""

    workspace: Path
    today: dt.date
    rows: tuple[PortfolioRow, ...]

    @property
    def errors(self) -> list[PortfolioRow]:
        return [row for row in self.rows if not row.ok]


def row_from_summary(path: Path, summary: dict[str, Any], today: dt.date, source: str = "stored") -> PortfolioRow:
    """A portfolio row from a file's summary (`vciso.summary.compute_summary`'s shape) on `today`."""
    client = summary.get("client") or {}
    latest = summary.get("latest") or {}
    previous = summary.get("previous") or {}
    plan = summary.get("plan") or {}
    open_items = plan.get("open") or []
    today_text = today.isoformat()
    # the rule of vciso.plan.is_overdue: open, not awaiting confirmation of a closed gap, due before today
    overdue = sum(1 for due, proposed in open_items if due and not proposed and due < today_text)
    dues = sorted(due for due, proposed in open_items if due and not proposed)  # as vciso.plan.plan_progress
    days_since = None
    if latest.get("date"):
        try:
            days_since = (today - dt.date.fromisoformat(latest["date"])).days
        except ValueError:
            days_since = None
    return PortfolioRow(
        file_id=path.stem, path=path, name=client.get("name") or path.stem, industry=client.get("industry") or "",
        assessment_count=int(summary.get("assessment_count") or 0), assessment_id=latest.get("id"),
        assessment_name=latest.get("name") or "", assessment_date=latest.get("date"),
        assessment_status=latest.get("status") or "", questionnaire_id=latest.get("questionnaire_id") or "",
        questionnaire_title=latest.get("questionnaire_title") or "", score=summary.get("score"),
        target=summary.get("target"), percent_to_target=summary.get("percent_to_target"),
        completion=summary.get("completion"), change=summary.get("change"),
        previous_name=previous.get("name") or "", previous_date=previous.get("date"),
        open_actions=len(open_items), overdue_actions=overdue, next_due=dues[0] if dues else None,
        days_since=days_since, source=source)


def _stored_summary(path: Path, key: str | None = None) -> dict[str, Any] | None:
    """The file's stored summary when it was made for the file's schema in this format, else None (one
    read-only query; a hot journal left by a crash is rolled back first)."""
    from vciso.clientfile import recover_journal

    for attempt in (1, 2):
        conn = open_connection(path, read_only=True, key=key)
        try:
            row = conn.execute(STORED_SUMMARY_QUERY).fetchone()
        except db_errors() as exc:
            if attempt == 1 and is_hot_journal(exc):
                conn.close()
                recover_journal(path, key)
                continue
            if "no such table" in str(exc):
                return None  # a file of a release before summaries
            raise storage_error(path, exc, writing=False) from exc
        finally:
            conn.close()
        if row is None or row[0] != row[2]:
            return None
        try:
            summary = json.loads(row[1])
        except ValueError:
            return None
        return summary if isinstance(summary, dict) and summary.get("format") == SUMMARY_FORMAT else None
    return None


def _computed_summary(path: Path, key: str | None = None) -> dict[str, Any]:
    """Summarise a file without writing to it (an older file, or one whose summary is stale). A file of an
    earlier schema is summarised from an upgraded private copy, so the original is left exactly as it is."""
    from vciso.clientfile import ClientFile, inspect_file
    from vciso.schema import known_migrations, migrations
    from vciso.summary import compute_summary

    newer = inspect_file(path, key)
    conn = open_connection(path, read_only=True, key=key)
    try:
        applied = {row[0] for row in conn.execute(
            f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", (migrations.name,))}
        if newer is not None or not set(known_migrations()) - applied - {"0004_client_summary"}:
            conn.close()
            with ClientFile(path, read_only=True, key=key) as client:
                return compute_summary(client)
        import tempfile

        with tempfile.TemporaryDirectory(prefix="vciso-portfolio-") as folder:
            copy_path = Path(folder) / path.name
            copy = open_connection(copy_path, key=key)  # encrypted like the original: never decrypted on disk
            try:
                conn.backup(copy)  # a consistent snapshot, even while another process writes
            finally:
                copy.close()
            with ClientFile(copy_path, key=key) as client:
                return compute_summary(client)
    except db_errors() as exc:
        raise storage_error(path, exc, writing=False) from exc
    finally:
        conn.close()


def portfolio_row(path: Path, today: dt.date | None = None, key: str | None = None) -> PortfolioRow:
    """One client file's row (an encrypted file read with its passphrase `key`); a file that cannot be
    read, or an encrypted one without its passphrase, gives a row with its error in one line."""
    path = Path(path)
    today = today or dt.date.today()
    try:
        check_sqlite_header(path, key)
        key = key if is_encrypted(path) else None
        summary = _stored_summary(path, key)
        source = "stored"
        if summary is None:
            summary, source = _computed_summary(path, key), "computed"
        return row_from_summary(path, summary, today, source)
    except VcisoError as exc:
        return PortfolioRow(path.stem, path, path.stem, error=" ".join(str(exc).split()),
                            locked=isinstance(exc, ClientFileEncrypted))
    except (*db_errors(), OSError, ValueError, KeyError, TypeError) as exc:
        return PortfolioRow(path.stem, path, path.stem,
                            error=f"{path.name}: cannot be read ({' '.join(str(exc).split())})")


def iter_portfolio(workspace: Any, today: dt.date | None = None,
                   passphrases: Mapping[Path, str] | None = None) -> Iterator[tuple[int, int, str]]:
    """Read the portfolio of a workspace (`vciso.workspace.Workspace`), yielding (step, total, message)
    progress; returns the `Portfolio`. Encrypted clients whose passphrase is in `passphrases` (by file)
    are read with it; the others are listed as locked."""
    today = today or dt.date.today()
    paths = workspace.client_paths()
    known = {Path(path): key for path, key in (passphrases or {}).items()}
    rows = []
    for index, path in enumerate(paths):
        yield index, len(paths), f"Reading {path.name}"
        rows.append(portfolio_row(path, today, known.get(Path(path))))
    rows.sort(key=lambda row: (not row.ok, row.name.casefold(), row.file_id))
    return Portfolio(workspace.path, today, tuple(rows))


def read_portfolio(workspace: Any, today: dt.date | None = None,
                   passphrases: Mapping[Path, str] | None = None) -> Portfolio:
    """The portfolio of a workspace on `today` (by default the current day); see `iter_portfolio`."""
    steps = iter_portfolio(workspace, today, passphrases)
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def baseline_portfolio(workspace: Any, today: dt.date | None = None) -> Portfolio:
    """The same portfolio computed from every file without its stored summary (the benchmark's baseline)."""
    today = today or dt.date.today()
    rows = []
    for path in workspace.client_paths():
        try:
            rows.append(row_from_summary(path, _computed_summary(path), today, "computed"))
        except VcisoError as exc:
            rows.append(PortfolioRow(path.stem, path, path.stem, error=str(exc)))
    rows.sort(key=lambda row: (not row.ok, row.name.casefold(), row.file_id))
    return Portfolio(workspace.path, today, tuple(rows))


def portfolio_json(portfolio: Portfolio) -> dict[str, Any]:
    """The documented JSON shape of `vciso portfolio --json` (README, "Portfolio"): figures rounded as every
    screen shows them (`vciso.numbers`)."""
    def level(value: float | None) -> float | None:
        return None if value is None else num.rounded(value, 1)

    def share(value: float | None) -> int | None:
        return None if value is None else int(num.rounded(value * 100, 0))

    clients = []
    for row in portfolio.rows:
        if not row.ok:
            clients.append({"id": row.file_id, "file": row.path.name, "name": None, "error": row.error})
            continue
        latest = None
        if row.assessment_id is not None:
            latest = {"id": row.assessment_id, "name": row.assessment_name, "date": row.assessment_date,
                      "status": row.assessment_status, "questionnaire": row.questionnaire_id,
                      "questionnaire_title": row.questionnaire_title}
        clients.append({
            "id": row.file_id, "file": row.path.name, "name": row.name, "industry": row.industry,
            "assessments": row.assessment_count, "latest_assessment": latest, "score": level(row.score),
            "target": level(row.target), "percent_to_target": share(row.percent_to_target),
            "completion": share(row.completion), "change": level(row.change),
            "previous_assessment": ({"name": row.previous_name, "date": row.previous_date}
                                    if row.previous_name else None),
            "open_actions": row.open_actions, "overdue_actions": row.overdue_actions, "next_due": row.next_due,
            "days_since_assessment": row.days_since, "stale": row.stale, "summary": row.source, "error": None})
    return {"workspace": str(portfolio.workspace), "date": portfolio.today.isoformat(),
            "clients": clients, "unreadable": len(portfolio.errors)}
