"""One client's SQLite file: profile, assessments, questionnaire snapshots, responses, history, roadmap.

Every write runs in `ClientFile.transaction()`: the outermost block is one `BEGIN IMMEDIATE` transaction
committed before the method returns, with `synchronous=FULL` and a rollback journal, so an answer reported
saved survives a killed process and the file is always a single self-contained file that can be copied.
Inner blocks are savepoints, so writes that belong together (an undoable compound edit, an import and the
roadmap it changes) commit or roll back as one. Another process writing the same file waits its turn
(busy timeout) instead of corrupting it. Connections are opened only here (`open_connection`) and belong
to the thread that opened them. Each committed write records the `Changes` it made (`take_changes`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sqlite3
import urllib.parse
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterator

from sqlite_utils import Database

from vciso.changes import NO_CHANGES, Changes
from vciso.errors import (AssessmentNotFound, ClientFileCorrupt, ClientFileLocked, InvalidAnswer,
                          VcisoError)
from vciso.questionnaire import Questionnaire, questionnaire_from_dict, questionnaire_to_dict
from vciso.responses import Response
from vciso.schema import FILE_KIND, migrations

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15000
_UNSET: Any = object()


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class ClientProfile:
    id: str
    name: str
    industry: str = ""
    employees: int | None = None
    contact: str = ""
    notes: str = ""
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Assessment:
    id: int
    name: str
    questionnaire_id: str
    questionnaire_version: str
    questionnaire_title: str
    assessor: str
    assessment_date: str
    status: str
    based_on: int | None
    default_target: float | None
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class AnswerChange:
    """What saving an answer changed: the response before (None if new) and after."""

    assessment_id: int
    before: Response | None
    after: Response

    @property
    def changed(self) -> bool:
        return self.before is None or _comparable(self.before) != _comparable(self.after)


@dataclass(frozen=True)
class HistoryEntry:
    question_id: str
    current: float | None
    target: float | None
    note: str
    na_reason: str
    flagged: bool
    evidence: str
    source: str
    changed_at: str


# One column list and one row mapper per table.
PROFILE_COLUMNS = ("id", "name", "industry", "employees", "contact", "notes", "created_at", "updated_at")
RESPONSE_COLUMNS = ("question_id", "current", "target", "note", "na_reason", "flagged", "evidence", "updated_at")
HISTORY_COLUMNS = ("question_id", "current", "target", "note", "na_reason", "flagged", "evidence", "source",
                   "changed_at")
_ASSESSMENT_SELECT = (
    "SELECT a.id, a.name, a.questionnaire_id, s.version, s.title, a.assessor, a.assessment_date, a.status,"
    " a.based_on, a.default_target, a.created_at, a.updated_at"
    " FROM assessments a JOIN questionnaire_snapshots s ON s.id = a.snapshot_id"
)
PROFILE_FIELDS = ("name", "industry", "employees", "contact", "notes")
ASSESSMENT_FIELDS = ("name", "assessor", "assessment_date", "status", "default_target")


def _profile(row: tuple) -> ClientProfile:
    return ClientProfile(*row)


def _response(row: tuple) -> Response:
    values = dict(zip(RESPONSE_COLUMNS, row))
    values["flagged"] = bool(values["flagged"])
    return Response(**values)


def _history(row: tuple) -> HistoryEntry:
    values = dict(zip(HISTORY_COLUMNS, row))
    values["flagged"] = bool(values["flagged"])
    return HistoryEntry(**values)


def unknown_fields(changes: dict[str, Any], allowed: tuple[str, ...]) -> list[str]:
    """The keys of `changes` that are not among the `allowed` fields, sorted."""
    return sorted(set(changes) - set(allowed))


def set_clause(changes: dict[str, Any]) -> str:
    """`a = ?, b = ?` for an UPDATE of the given (already checked) fields."""
    return ", ".join(f"{key} = ?" for key in changes)


def _comparable(response: Response) -> tuple:
    return (response.current, response.target, response.note, response.na_reason, response.flagged,
            response.evidence)


def check_sqlite_header(path: Path) -> None:
    """Raise ClientFileCorrupt unless the file starts like a SQLite database."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ClientFileCorrupt(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if header != SQLITE_HEADER:
        raise ClientFileCorrupt(f"{path.name}: not a client file (it is not a SQLite database)")


def _database_error(path: Path, exc: sqlite3.Error) -> VcisoError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return ClientFileLocked(f"{path.name}: the file is busy in another window or process; try again")
    return ClientFileCorrupt(f"{path.name}: the client file is damaged ({text})")


def open_connection(path: Path, *, read_only: bool = False, key: str | None = None,
                    timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """The one way a client file's SQLite connection is made (read-only for listings).

    `key` is the seam for encrypted client files, which this release does not support yet.
    """
    if key is not None:
        raise VcisoError(f"{Path(path).name}: encrypted client files are not supported by this version")
    try:
        if read_only:
            return sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro", uri=True, timeout=timeout)
        return sqlite3.connect(str(path), timeout=timeout)
    except sqlite3.Error as exc:
        raise _database_error(Path(path), exc) from exc


def _listing_error(path: Path, exc: sqlite3.Error) -> VcisoError:
    text = str(exc)
    if "no such table" in text:
        return ClientFileCorrupt(f"{path.name}: a SQLite database, but not a vCISO client file")
    if "locked" in text or "busy" in text:
        return ClientFileLocked(f"{path.name}: busy in another process; try again")
    return ClientFileCorrupt(f"{path.name}: the client file is damaged ({text})")


@dataclass(frozen=True)
class ClientSummary:
    """What a workspace listing shows of a client file, read without migrating or locking it for long."""

    profile: ClientProfile
    assessment_count: int
    last_updated: str


def read_summary(path: Path) -> ClientSummary:
    """Read a client file's profile and assessment count read-only; raises ClientFileCorrupt or
    ClientFileLocked with a message naming the file."""
    path = Path(path)
    check_sqlite_header(path)
    try:
        conn = open_connection(path, read_only=True, timeout=2)
        try:
            row = conn.execute(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM client").fetchone()
            count, last = conn.execute("SELECT count(*), max(updated_at) FROM assessments").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise _listing_error(path, exc) from exc
    if row is None:
        raise ClientFileCorrupt(f"{path.name}: the client profile is missing")
    profile = _profile(row)
    return ClientSummary(profile, count, last or profile.updated_at)


class ClientFile:
    """An open client file. Use as a context manager, or call close()."""

    def __init__(self, path: Path, *, create: bool = False):
        self.path = Path(path)
        if not create:
            check_sqlite_header(self.path)
        conn = open_connection(self.path)
        self.db = Database(conn, execute_plugins=False)
        self._snapshots: dict[int, Questionnaire] = {}
        self._depth = 0                           # how many transaction() blocks are open
        self._pending: list[Changes] = []         # the changes of each open block, innermost last
        self._committed = NO_CHANGES              # changes committed since the last take_changes()
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            if not create:
                self._check_kind()
            migrations.apply(self.db)
        except sqlite3.Error as exc:
            conn.close()
            raise _database_error(self.path, exc) from None
        except VcisoError:
            conn.close()
            raise

    def _check_kind(self) -> None:
        tables = {row[0] for row in self.db.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "file_info" not in tables:
            raise ClientFileCorrupt(f"{self.path.name}: a SQLite database, but not a vCISO client file")
        row = self.db.conn.execute("SELECT value FROM file_info WHERE key = 'kind'").fetchone()
        if not row or row[0] != FILE_KIND:
            raise ClientFileCorrupt(f"{self.path.name}: a SQLite database, but not a vCISO client file")

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> "ClientFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; blocks nest (inner ones are savepoints) and commit or roll back as a unit.

        The outermost block waits for other writers (`BEGIN IMMEDIATE`) and commits durably. An error
        inside rolls back its own block; a SQLite error becomes a domain error whose cause is kept.
        """
        conn = self.db.conn
        savepoint = f"vciso_{self._depth}"
        try:
            conn.execute(f"SAVEPOINT {savepoint}" if self._depth else "BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _database_error(self.path, exc) from exc
        self._depth += 1
        self._pending.append(NO_CHANGES)
        try:
            yield conn
            if self._depth == 1:
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        except BaseException as exc:
            self._pending.pop()
            self._depth -= 1
            self._roll_back(savepoint if self._depth else None)
            if isinstance(exc, sqlite3.Error):
                raise _database_error(self.path, exc) from exc
            raise
        changes = self._pending.pop()
        self._depth -= 1
        if self._depth:
            self._pending[-1] = self._pending[-1] | changes
        else:
            self._committed = self._committed | changes

    def _roll_back(self, savepoint: str | None) -> None:
        """Undo a failed block. SQLite may already have rolled the whole transaction back (a full disk):
        then there is nothing left to undo, and the original error is what the user must see."""
        conn = self.db.conn
        if not conn.in_transaction:
            return
        try:
            if savepoint is None:
                conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        except sqlite3.Error:
            pass

    def record(self, changes: Changes) -> None:
        """Note what the open transaction changed; kept only if the transaction commits."""
        if not self._depth:
            raise RuntimeError("record() belongs inside transaction()")
        self._pending[-1] = self._pending[-1] | changes

    def take_changes(self) -> Changes:
        """The changes committed since the last call (the app announces them once)."""
        changes, self._committed = self._committed, NO_CHANGES
        return changes

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run a read-only query on this file (stores of other tables use it instead of the connection)."""
        try:
            return self.db.conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise _database_error(self.path, exc) from exc

    def integrity_check(self) -> str:
        return self.db.conn.execute("PRAGMA integrity_check").fetchone()[0]

    # ----------------------------------------------------------------- profile

    def initialise(self, name: str, **profile: Any) -> ClientProfile:
        """Fill a newly created file with its kind marker and the client profile."""
        stamp = now_iso()
        with self.transaction() as conn:
            conn.execute("INSERT INTO file_info (key, value) VALUES ('kind', ?)", (FILE_KIND,))
            conn.execute("INSERT INTO file_info (key, value) VALUES ('created_at', ?)", (stamp,))
            conn.execute(
                "INSERT INTO client (id, name, industry, employees, contact, notes, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (uuid.uuid4().hex, name, profile.get("industry") or "", profile.get("employees"),
                 profile.get("contact") or "", profile.get("notes") or "", stamp, stamp))
            self.record(Changes(profile=True))
        return self.profile()

    def profile(self) -> ClientProfile:
        row = self.db.conn.execute(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM client").fetchone()
        if row is None:
            raise ClientFileCorrupt(f"{self.path.name}: the client profile is missing")
        return _profile(row)

    def update_profile(self, **changes: Any) -> ClientProfile:
        """Change profile fields (name, industry, employees, contact, notes); returns the new profile."""
        unknown = unknown_fields(changes, PROFILE_FIELDS)
        if unknown:
            raise VcisoError(f"unknown profile field(s): {', '.join(unknown)}")
        if "name" in changes and not str(changes["name"]).strip():
            raise VcisoError("a client needs a name")
        if not changes:
            return self.profile()
        with self.transaction() as conn:
            conn.execute(f"UPDATE client SET {set_clause(changes)}, updated_at = ?", (*changes.values(), now_iso()))
            self.record(Changes(profile=True))
        return self.profile()

    # ----------------------------------------------------------------- assessments

    def _snapshot(self, questionnaire: Questionnaire, conn: sqlite3.Connection) -> int:
        content = json.dumps(questionnaire_to_dict(questionnaire), sort_keys=True, ensure_ascii=False)
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        row = conn.execute("SELECT id FROM questionnaire_snapshots WHERE sha256 = ?", (digest,)).fetchone()
        if row:
            return row[0]
        cursor = conn.execute(
            "INSERT INTO questionnaire_snapshots (questionnaire_id, version, title, sha256, content, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (questionnaire.id, questionnaire.version, questionnaire.title, digest, content, now_iso()))
        return int(cursor.lastrowid)  # type: ignore[arg-type]

    def create_assessment(self, questionnaire: Questionnaire, name: str = "", *, assessor: str = "",
                          assessment_date: str | None = None, based_on: int | None = None,
                          default_target: float | None = None) -> Assessment:
        """Start an assessment, snapshotting the questionnaire; a follow-up copies the earlier answers."""
        stamp = now_iso()
        date = assessment_date or dt.date.today().isoformat()
        earlier = self.assessment(based_on) if based_on is not None else None
        name = name.strip() or f"{questionnaire.title} {date}"
        with self.transaction() as conn:
            snapshot_id = self._snapshot(questionnaire, conn)
            cursor = conn.execute(
                "INSERT INTO assessments (name, snapshot_id, questionnaire_id, assessor, assessment_date,"
                " status, based_on, default_target, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, 'in progress', ?, ?, ?, ?)",
                (name, snapshot_id, questionnaire.id, assessor, date, based_on, default_target, stamp, stamp))
            assessment_id = int(cursor.lastrowid)  # type: ignore[arg-type]
            if earlier is not None:
                self._copy_answers(conn, earlier, assessment_id, questionnaire, stamp)
            self.record(Changes(assessments=True, all_answers=earlier is not None,
                                assessment_ids=frozenset({assessment_id})))
        return self.assessment(assessment_id)

    def _copy_answers(self, conn: sqlite3.Connection, earlier: Assessment, assessment_id: int,
                      questionnaire: Questionnaire, stamp: str) -> None:
        source = f"follow-up of assessment {earlier.id} ({earlier.name})"
        for response in self.responses(earlier.id).values():
            question = questionnaire.question(response.question_id)
            if question is None:
                continue
            scale = questionnaire.scale_for(question)
            current = response.current if response.current is None or scale.level(response.current) else None
            target = response.target if response.target is None or scale.level(response.target) else None
            copied = replace(response, current=current, target=target, updated_at=stamp)
            self._store(conn, assessment_id, copied, source)

    def assessments(self) -> list[Assessment]:
        """All assessments of the client, oldest first."""
        rows = self.db.conn.execute(_ASSESSMENT_SELECT + " ORDER BY a.assessment_date, a.id").fetchall()
        return [Assessment(*row) for row in rows]

    def assessment(self, assessment_id: int | None = None) -> Assessment:
        """One assessment by id; without an id the latest one."""
        if assessment_id is None:
            row = self.db.conn.execute(_ASSESSMENT_SELECT + " ORDER BY a.assessment_date DESC, a.id DESC"
                                       " LIMIT 1").fetchone()
            if row is None:
                raise AssessmentNotFound(f"{self.profile().name} has no assessments yet")
        else:
            row = self.db.conn.execute(_ASSESSMENT_SELECT + " WHERE a.id = ?", (assessment_id,)).fetchone()
            if row is None:
                raise AssessmentNotFound(f"no assessment {assessment_id} for {self.profile().name}")
        return Assessment(*row)

    def find_assessment(self, id_or_name: str | None) -> Assessment:
        """Resolve a CLI argument: an assessment id, an exact name, or None for the latest."""
        if id_or_name is None or id_or_name == "":
            return self.assessment()
        if id_or_name.isdigit():
            with contextlib.suppress(AssessmentNotFound):
                return self.assessment(int(id_or_name))
        for assessment in self.assessments():
            if assessment.name.casefold() == id_or_name.casefold():
                return assessment
        raise AssessmentNotFound(f"no assessment '{id_or_name}' for {self.profile().name}")

    def update_assessment(self, assessment_id: int, **changes: Any) -> Assessment:
        """Rename or change assessor, date, status or default target."""
        unknown = unknown_fields(changes, ASSESSMENT_FIELDS)
        if unknown:
            raise VcisoError(f"unknown assessment field(s): {', '.join(unknown)}")
        self.assessment(assessment_id)
        if changes:
            with self.transaction() as conn:
                conn.execute(f"UPDATE assessments SET {set_clause(changes)}, updated_at = ? WHERE id = ?",
                             (*changes.values(), now_iso(), assessment_id))
                self.record(Changes(assessments=True, assessment_ids=frozenset({assessment_id})))
        return self.assessment(assessment_id)

    def delete_assessment(self, assessment_id: int) -> None:
        """Delete an assessment with its answers, history and roadmap."""
        self.assessment(assessment_id)
        with self.transaction() as conn:
            conn.execute("DELETE FROM assessments WHERE id = ?", (assessment_id,))
            self.record(Changes(assessments=True, all_answers=True, roadmap=True,
                                assessment_ids=frozenset({assessment_id})))

    def questionnaire(self, assessment_id: int) -> Questionnaire:
        """The questionnaire exactly as it was when the assessment started (its snapshot)."""
        assessment_id = int(assessment_id)
        cached = self._snapshots.get(assessment_id)
        if cached is not None:
            return cached
        row = self.db.conn.execute(
            "SELECT s.content FROM assessments a JOIN questionnaire_snapshots s ON s.id = a.snapshot_id"
            " WHERE a.id = ?", (assessment_id,)).fetchone()
        if row is None:
            raise AssessmentNotFound(f"no assessment {assessment_id} in {self.path.name}")
        questionnaire = questionnaire_from_dict(json.loads(row[0]), f"{self.path.name} snapshot")
        self._snapshots[assessment_id] = questionnaire
        return questionnaire

    # ----------------------------------------------------------------- answers

    def responses(self, assessment_id: int) -> dict[str, Response]:
        """Every stored answer of an assessment, by question id."""
        rows = self.db.conn.execute(f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM responses WHERE assessment_id = ?",
                                    (assessment_id,)).fetchall()
        return {row[0]: _response(row) for row in rows}

    def response(self, assessment_id: int, question_id: str) -> Response | None:
        """One stored answer, or None when the question was never answered."""
        row = self.db.conn.execute(
            f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM responses WHERE assessment_id = ? AND question_id = ?",
            (assessment_id, question_id)).fetchone()
        return _response(row) if row else None

    def validate_answer(self, assessment_id: int, response: Response) -> None:
        """Raise InvalidAnswer unless the response fits its question and scale."""
        questionnaire = self.questionnaire(assessment_id)
        question = questionnaire.question(response.question_id)
        if question is None:
            raise InvalidAnswer(f"question '{response.question_id}' is not in {questionnaire.title}")
        scale = questionnaire.scale_for(question)
        labels = ", ".join(f"{lvl.value:g}={lvl.label}" for lvl in scale.levels)
        for name, value in (("level", response.current), ("target", response.target)):
            if value is not None and scale.level(value) is None:
                raise InvalidAnswer(f"{response.question_id}: {name} {value:g} is not on the scale ({labels})")
        if response.is_na and not scale.na_allowed:
            raise InvalidAnswer(f"{response.question_id}: this questionnaire does not allow N/A")

    def save_answer(self, assessment_id: int, question_id: str, *, current: Any = _UNSET,
                    target: Any = _UNSET, note: Any = _UNSET, na_reason: Any = _UNSET,
                    flagged: Any = _UNSET, evidence: Any = _UNSET, source: str = "app") -> AnswerChange:
        """Change some fields of one answer and commit it, with a history record, before returning.

        A non-empty `na_reason` marks the question N/A; an empty one clears N/A.
        """
        before = self.response(assessment_id, question_id)
        base = before or Response(question_id)
        fields = {"current": current, "target": target, "note": note, "na_reason": na_reason,
                  "flagged": flagged, "evidence": evidence}
        updates = {key: value for key, value in fields.items() if value is not _UNSET}
        if "na_reason" in updates:
            updates["na_reason"] = (updates["na_reason"] or "").strip()
        for key in ("note", "evidence"):
            if key in updates and updates[key] is None:
                updates[key] = ""
        for key in ("current", "target"):
            if updates.get(key) is not None:
                updates[key] = float(updates[key])
        if "flagged" in updates:
            updates["flagged"] = bool(updates["flagged"])
        after = replace(base, **updates, updated_at=now_iso())
        self.validate_answer(assessment_id, after)
        change = AnswerChange(assessment_id, before, after)
        with self.transaction() as conn:
            self._store(conn, assessment_id, after, source)
            self.record(Changes(answers=(change,), assessment_ids=frozenset({assessment_id})))
        return change

    def save_answers(self, assessment_id: int, responses: list[Response], source: str) -> int:
        """Store many complete responses in one transaction (imports); returns how many changed."""
        for response in responses:
            self.validate_answer(assessment_id, response)
        existing = self.responses(assessment_id)
        stamp = now_iso()
        changed = 0
        with self.transaction() as conn:
            for response in responses:
                old = existing.get(response.question_id)
                if old is not None and _comparable(old) == _comparable(response):
                    continue
                self._store(conn, assessment_id, replace(response, updated_at=stamp), source)
                changed += 1
            if changed:
                self.record(Changes(all_answers=True, assessment_ids=frozenset({assessment_id})))
        return changed

    def _store(self, conn: sqlite3.Connection, assessment_id: int, response: Response, source: str) -> None:
        """Upsert one response and append its history record (inside the caller's transaction)."""
        values = (response.current, response.target, response.note, response.na_reason,
                  int(response.flagged), response.evidence)
        columns = ", ".join(RESPONSE_COLUMNS)
        updates = ", ".join(f"{name} = excluded.{name}" for name in RESPONSE_COLUMNS[1:])
        conn.execute(
            f"INSERT INTO responses (assessment_id, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT (assessment_id, question_id) DO UPDATE SET {updates}",
            (assessment_id, response.question_id, *values, response.updated_at))
        conn.execute(
            f"INSERT INTO answer_history (assessment_id, {', '.join(HISTORY_COLUMNS)})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (assessment_id, response.question_id, *values, source, response.updated_at))
        conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (response.updated_at, assessment_id))

    def history(self, assessment_id: int, question_id: str | None = None) -> list[HistoryEntry]:
        """Every recorded change, oldest first (optionally for one question)."""
        sql = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM answer_history WHERE assessment_id = ?"
        params: tuple = (assessment_id,)
        if question_id is not None:
            sql += " AND question_id = ?"
            params += (question_id,)
        rows = self.db.conn.execute(sql + " ORDER BY id", params).fetchall()
        return [_history(row) for row in rows]

