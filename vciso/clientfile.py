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
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from sqlite_utils import Database

from vciso.changes import NO_CHANGES, Changes
from vciso.crypto import connect as crypto_connect
from vciso.crypto import is_encrypted, locked_error
from vciso.client_records import (  # noqa: F401 - the records are also importable from here
    ANSWER_FIELDS, ASSESSMENT_FIELDS, ASSESSMENT_SELECT, ASSESSMENT_STATUSES, HISTORY_COLUMNS, LEGACY_FINAL_STATUSES,
    PROFILE_COLUMNS, PROFILE_FIELDS, RESPONSE_COLUMNS, AnswerChange, Assessment, ClientProfile, ClientSummary,
    AssessmentEvent, HistoryEntry, comparable, history_from_row, is_final, now_iso, profile_from_row,
    response_from_row, set_clause, unknown_fields)
from vciso.errors import (AssessmentFinal, AssessmentNotFound, ClientFileCorrupt, ClientFileTooNew, InvalidAnswer,
                          ReadOnlyStorage, VcisoError)
from vciso.provenance import checked_evidence_date, checked_method
from vciso.questionnaire import Questionnaire, questionnaire_from_dict, questionnaire_to_dict
from vciso.responses import Response
from vciso.schema import FILE_KIND, known_migrations, migrations
from vciso.sqlite_errors import db_errors, is_hot_journal, storage_error
from vciso.summary import invalidate_summary

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15000
_UNSET: Any = object()


def check_sqlite_header(path: Path, key: str | None = None) -> None:
    """Raise ClientFileCorrupt unless the file starts like a SQLite database, or (with a passphrase `key`)
    is an encrypted one; an encrypted file without a passphrase raises ClientFileEncrypted ("locked")."""
    try:
        with open(path, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ClientFileCorrupt(f"{path.name}: cannot be read ({exc.strerror or exc})") from None
    if header != SQLITE_HEADER:
        if is_encrypted(path):
            if key is None:
                raise locked_error(path)
            return
        raise ClientFileCorrupt(f"{path.name}: not a client file (it is not a SQLite database)")


def open_connection(path: Path, *, read_only: bool = False, key: str | None = None,
                    timeout: float = BUSY_TIMEOUT_MS / 1000) -> sqlite3.Connection:
    """The one way a client file's SQLite connection is made (read-only for listings).

    With a passphrase `key` the file is opened with SQLCipher (`vciso.crypto`): an encrypted file, or a new
    empty one that becomes encrypted; a wrong passphrase raises WrongPassphrase and changes nothing.
    """
    if key is not None:
        return crypto_connect(Path(path), key, read_only=read_only, timeout=timeout)
    try:
        if read_only:
            return sqlite3.connect(f"file:{urllib.parse.quote(str(path))}?mode=ro", uri=True, timeout=timeout)
        return sqlite3.connect(str(path), timeout=timeout)
    except sqlite3.Error as exc:
        raise storage_error(Path(path), exc, writing=False) from exc


def _not_a_client_file(path: Path, why: str = "") -> ClientFileCorrupt:
    return ClientFileCorrupt(f"{path.name}: a SQLite database, but not a vCISO client file{why}")


def recover_journal(path: Path, key: str | None = None) -> None:
    """Roll back a journal left by a process that crashed mid-commit (SQLite's own recovery, which needs a
    writer): the file returns to its last committed state. Nothing else is written."""
    try:
        conn = open_connection(path, key=key)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except db_errors() as exc:
        raise storage_error(path, exc, writing=False) from exc


def _read_only_query(path: Path, query: Any, key: str | None = None) -> Any:
    """Run `query(conn)` on a read-only connection; a hot journal left by a crash is rolled back first."""
    for attempt in (1, 2):
        conn = open_connection(path, read_only=True, key=key)
        try:
            return query(conn)
        except db_errors() as exc:
            if attempt == 1 and is_hot_journal(exc):
                conn.close()
                recover_journal(path, key)
                continue
            if "no such table" in str(exc):
                raise _not_a_client_file(path) from exc
            raise storage_error(path, exc, writing=False) from exc
        finally:
            conn.close()
    raise AssertionError("unreachable")


def inspect_file(path: Path, key: str | None = None) -> str | None:
    """Check on a read-only connection, before anything is written, that `path` is a vCISO client file.

    Returns the newest migration recorded in the file that this version does not know (the file was
    written by a newer version), or None. Raises ClientFileCorrupt for a foreign database.
    """
    def check(conn: sqlite3.Connection) -> str | None:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "file_info" not in tables:
            raise _not_a_client_file(path)
        row = conn.execute("SELECT value FROM file_info WHERE key = 'kind'").fetchone()
        if not row or row[0] != FILE_KIND:
            raise _not_a_client_file(path)
        if migrations.migrations_table not in tables:
            raise _not_a_client_file(path, " (its schema record is missing)")
        applied = [r[0] for r in conn.execute(
            f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ? ORDER BY rowid",
            (migrations.name,))]
        unknown = [name for name in applied if name not in known_migrations()]
        return unknown[-1] if unknown else None

    return _read_only_query(path, check, key)


def read_summary(path: Path, key: str | None = None) -> ClientSummary:
    """Read a client file's profile and assessment count read-only; raises ClientFileCorrupt or
    ClientFileLocked with a message naming the file, ClientFileEncrypted for an encrypted file without
    its passphrase `key` (WrongPassphrase with a wrong one)."""
    path = Path(path)
    check_sqlite_header(path, key)
    key = key if is_encrypted(path) else None  # a plain file needs no passphrase

    def read(conn: sqlite3.Connection) -> tuple:
        row = conn.execute(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM client").fetchone()
        return row, conn.execute("SELECT count(*), max(updated_at) FROM assessments").fetchone()

    row, (count, last) = _read_only_query(path, read, key)
    if row is None:
        raise ClientFileCorrupt(f"{path.name}: the client profile is missing")
    profile = profile_from_row(row)
    return ClientSummary(profile, count, last or profile.updated_at)


def _alters_summary(changes: Changes) -> bool:
    """Whether a write changed something the portfolio's summary shows: not evidence files, and not an
    answer's note, evidence text or flag (only its level, target and N/A count in a score)."""
    if changes.all_answers or changes.roadmap or changes.assessments or changes.profile:
        return True

    def scored(response: Response | None) -> tuple:
        return (None, None, False) if response is None else (response.current, response.target,
                                                             bool(response.na_reason))

    return any(scored(change.before) != scored(change.after) for change in changes.answers)


def _check_assessment_fields(changes: dict[str, Any]) -> None:
    """Refuse an empty name, a date that is not an ISO date, or an unknown status, with a clear message."""
    if "name" in changes and not str(changes["name"] or "").strip():
        raise VcisoError("an assessment needs a name")
    if "assessment_date" in changes:
        try:
            dt.date.fromisoformat(str(changes["assessment_date"]))
        except ValueError:
            raise VcisoError(f"the assessment date must be a date like 2026-11-27, not "
                             f"'{changes['assessment_date']}'") from None
    if "status" in changes and changes["status"] not in ASSESSMENT_STATUSES + LEGACY_FINAL_STATUSES:
        raise VcisoError(f"an assessment's status is {' or '.join(ASSESSMENT_STATUSES)}, not '{changes['status']}'")


class ClientFile:
    """An open client file. Use as a context manager, or call close().

    The file is checked on a read-only connection before anything is written to it. A file written by a
    newer version (or one opened with `read_only=True`) is opened read-only: it can be read, and every
    write raises a clear error. An encrypted file needs its passphrase `key` (`create=True` with a key
    creates an encrypted file); a plain file ignores one.
    """

    def __init__(self, path: Path, *, create: bool = False, read_only: bool = False, key: str | None = None):
        self.path = Path(path)
        self.newer_schema: str | None = None
        if not create:
            check_sqlite_header(self.path, key)
            key = key if is_encrypted(self.path) else None  # a plain file needs no passphrase
            self.newer_schema = inspect_file(self.path, key)
        self.encrypted = key is not None  # the passphrase itself is kept by the connection only
        self.read_only = read_only or self.newer_schema is not None
        conn = open_connection(self.path, read_only=self.read_only, key=key)
        self.db = Database(conn, execute_plugins=False)
        self._snapshots: dict[int, Questionnaire] = {}
        self._depth = 0                           # how many transaction() blocks are open
        self._pending: list[Changes] = []         # the changes of each open block, innermost last
        self._committed = NO_CHANGES              # changes committed since the last take_changes()
        self._data_version: int | None = None     # SQLite's count of commits by other connections
        self._summary_outdated = False            # a commit removed the portfolio's summary: rewrite on close
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not self.read_only:
                conn.execute("PRAGMA journal_mode = DELETE")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                migrations.apply(self.db)
                self._summarise_if_stale(create)
        except db_errors() as exc:
            conn.close()
            raise storage_error(self.path, exc) from exc
        except BaseException:
            conn.close()
            raise

    def _summarise_if_stale(self, create: bool) -> None:
        """Summarise once a file whose portfolio summary is missing or older than its schema (a file of an
        earlier release, or one just upgraded); a new, still empty file is summarised when it is filled."""
        from vciso.summary import summary_is_current

        if create or summary_is_current(self):
            return
        self._write_summary_quietly()  # busy or read-only storage: the file still opens

    def _read_only_error(self) -> VcisoError:
        if self.newer_schema is not None:
            return ClientFileTooNew(f"{self.path.name} was written by a newer vCISO Workbench (schema "
                                    f"{self.newer_schema}); update the app to change it")
        return ReadOnlyStorage(f"{self.path.name}: opened read-only; nothing was saved")

    # ----------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Write the portfolio's summary if a change outdated it, then close the connection."""
        outdated, self._summary_outdated = self._summary_outdated, False  # closing twice writes it once
        try:
            if outdated and not self.read_only:
                self._write_summary_quietly()
        finally:
            self.db.conn.close()

    def _write_summary_quietly(self) -> None:
        """Summarise the file in a transaction of its own; a failure (busy, full disk) leaves no summary,
        which the portfolio then computes from the file, and never stops the file from closing."""
        from vciso.summary import write_summary

        try:
            with self.transaction() as conn:
                write_summary(self, conn)
        except VcisoError:
            pass

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
        if self.read_only:
            raise self._read_only_error()
        conn = self.db.conn
        savepoint = f"vciso_{self._depth}"
        try:
            conn.execute(f"SAVEPOINT {savepoint}" if self._depth else "BEGIN IMMEDIATE")
        except db_errors() as exc:
            raise storage_error(self.path, exc) from exc
        self._depth += 1
        self._pending.append(NO_CHANGES)
        try:
            yield conn
            if self._depth == 1:
                if _alters_summary(self._pending[-1]):
                    # The stored summary goes in this same commit (so it is never stale) and is written again
                    # when the file is closed: rescoring on every answer would double the cost of a save.
                    invalidate_summary(conn)
                    self._summary_outdated = True
                conn.execute("COMMIT")
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
        except BaseException as exc:
            self._pending.pop()
            self._depth -= 1
            self._roll_back(savepoint if self._depth else None)
            if isinstance(exc, db_errors()):
                raise storage_error(self.path, exc) from exc
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
        except db_errors():
            pass

    def record(self, changes: Changes) -> None:
        """Note what the open transaction changed; kept only if the transaction commits."""
        if not self._depth:
            raise RuntimeError("record() belongs inside transaction()")
        self._pending[-1] = self._pending[-1] | changes

    def notice_external_changes(self) -> bool:
        """Whether another process (the CLI, another window) committed to this file since the last look.

        When it did, everything it may have changed is recorded for `take_changes`, so the app shows the
        new data. Cheap (`PRAGMA data_version`), and never counts this connection's own writes.
        """
        version = self.rows("PRAGMA data_version")[0][0]
        changed = self._data_version is not None and version != self._data_version
        self._data_version = version
        if changed:
            self._committed = self._committed | Changes(all_answers=True, roadmap=True, assessments=True,
                                                        profile=True, evidence=True)
        return changed

    def take_changes(self) -> Changes:
        """The changes committed since the last call (the app announces them once)."""
        changes, self._committed = self._committed, NO_CHANGES
        return changes

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run a read-only query on this file (stores of other tables use it instead of the connection)."""
        try:
            return self.db.conn.execute(sql, params).fetchall()
        except db_errors() as exc:
            raise storage_error(self.path, exc, writing=False) from exc

    def _row(self, sql: str, params: tuple = ()) -> tuple | None:
        found = self.rows(sql, params)
        return found[0] if found else None

    def integrity_check(self) -> str:
        return self.rows("PRAGMA integrity_check")[0][0]

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
        row = self._row(f"SELECT {', '.join(PROFILE_COLUMNS)} FROM client")
        if row is None:
            raise ClientFileCorrupt(f"{self.path.name}: the client profile is missing")
        return profile_from_row(row)

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
        _check_assessment_fields({"assessment_date": date})
        earlier = self.assessment(based_on) if based_on is not None else None
        assessor = assessor.strip() or (earlier.assessor if earlier is not None else "")
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
                from vciso.plan import continue_plan  # the plan module builds on this one
                continue_plan(conn, earlier.id, assessment_id)
            self.record(Changes(assessments=True, all_answers=earlier is not None, roadmap=earlier is not None,
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
        rows = self.rows(ASSESSMENT_SELECT + " ORDER BY a.assessment_date, a.id")
        return [Assessment(*row) for row in rows]

    def assessment(self, assessment_id: int | None = None) -> Assessment:
        """One assessment by id; without an id the latest one."""
        if assessment_id is None:
            row = self._row(ASSESSMENT_SELECT + " ORDER BY a.assessment_date DESC, a.id DESC LIMIT 1")
            if row is None:
                raise AssessmentNotFound(f"{self.profile().name} has no assessments yet")
        else:
            row = self._row(ASSESSMENT_SELECT + " WHERE a.id = ?", (assessment_id,))
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
        """Rename or change assessor, date, status or default target. A final assessment only changes by being
        reopened (status "in progress"); a change of status is recorded as finalising or reopening."""
        unknown = unknown_fields(changes, ASSESSMENT_FIELDS)
        if unknown:
            raise VcisoError(f"unknown assessment field(s): {', '.join(unknown)}")
        _check_assessment_fields(changes)
        current = self.assessment(assessment_id)
        reopening = "status" in changes and not is_final(changes["status"])
        if is_final(current.status) and not reopening and set(changes) - {"status"}:
            raise self._final_error(current)
        if changes:
            with self.transaction() as conn:
                conn.execute(f"UPDATE assessments SET {set_clause(changes)}, updated_at = ? WHERE id = ?",
                             (*changes.values(), now_iso(), assessment_id))
                if "status" in changes and is_final(changes["status"]) != is_final(current.status):
                    self._record_event(conn, assessment_id, "finalised" if is_final(changes["status"]) else
                                       "reopened", "")
                self.record(Changes(assessments=True, assessment_ids=frozenset({assessment_id})))
        return self.assessment(assessment_id)

    def finalise_assessment(self, assessment_id: int, by: str = "") -> Assessment:
        """Mark an assessment final: its deliverables stop saying DRAFT and it is read-only until reopened.
        When and by whom is recorded."""
        return self._set_final(assessment_id, True, by)

    def reopen_assessment(self, assessment_id: int, by: str = "") -> Assessment:
        """Make a final assessment editable again (in progress); recorded like finalising."""
        return self._set_final(assessment_id, False, by)

    def _set_final(self, assessment_id: int, final: bool, by: str) -> Assessment:
        current = self.assessment(assessment_id)
        if is_final(current.status) == final:
            return current
        with self.transaction() as conn:
            conn.execute("UPDATE assessments SET status = ?, updated_at = ? WHERE id = ?",
                         ("final" if final else "in progress", now_iso(), assessment_id))
            self._record_event(conn, assessment_id, "finalised" if final else "reopened", by)
            self.record(Changes(assessments=True, assessment_ids=frozenset({assessment_id})))
        return self.assessment(assessment_id)

    def _record_event(self, conn: sqlite3.Connection, assessment_id: int, event: str, actor: str) -> None:
        conn.execute("INSERT INTO assessment_events (assessment_id, event, actor, at) VALUES (?, ?, ?, ?)",
                     (assessment_id, event, actor.strip(), now_iso()))

    def assessment_events(self, assessment_id: int) -> list[AssessmentEvent]:
        """When the assessment was finalised and reopened, and by whom, oldest first."""
        rows = self.rows("SELECT event, actor, at FROM assessment_events WHERE assessment_id = ? ORDER BY id",
                         (assessment_id,))
        return [AssessmentEvent(*row) for row in rows]

    def _final_error(self, assessment: Assessment) -> VcisoError:
        return AssessmentFinal(f"“{assessment.name}” is final; reopen it to change it")

    def check_editable(self, assessment_id: int) -> Assessment:
        """The assessment, unless it is final (then AssessmentFinal): answers and roadmap change only while
        an assessment is in progress."""
        assessment = self.assessment(assessment_id)
        if is_final(assessment.status):
            raise self._final_error(assessment)
        return assessment

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
        row = self._row("SELECT s.content FROM assessments a JOIN questionnaire_snapshots s ON s.id = a.snapshot_id"
                        " WHERE a.id = ?", (assessment_id,))
        if row is None:
            raise AssessmentNotFound(f"no assessment {assessment_id} in {self.path.name}")
        questionnaire = questionnaire_from_dict(json.loads(row[0]), f"{self.path.name} snapshot")
        self._snapshots[assessment_id] = questionnaire
        return questionnaire

    # ----------------------------------------------------------------- answers

    def responses(self, assessment_id: int) -> dict[str, Response]:
        """Every stored answer of an assessment, by question id."""
        rows = self.rows(f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM responses WHERE assessment_id = ?",
                         (assessment_id,))
        return {row[0]: response_from_row(row) for row in rows}

    def response(self, assessment_id: int, question_id: str) -> Response | None:
        """One stored answer, or None when the question was never answered."""
        row = self._row(
            f"SELECT {', '.join(RESPONSE_COLUMNS)} FROM responses WHERE assessment_id = ? AND question_id = ?",
            (assessment_id, question_id))
        return response_from_row(row) if row else None

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
                    flagged: Any = _UNSET, evidence: Any = _UNSET, established: Any = _UNSET,
                    evidence_date: Any = _UNSET, source: str = "app") -> AnswerChange:
        """Change some fields of one answer and commit it, with a history record, before returning.

        A non-empty `na_reason` marks the question N/A; an empty one clears N/A. `established` is how the
        answer was established (a key or label of `vciso.provenance.METHODS`), `evidence_date` the date of
        its evidence (ISO or "14 Mar 2025"); both refused with InvalidAnswer when they are not.
        """
        self.check_editable(assessment_id)
        before = self.response(assessment_id, question_id)
        base = before or Response(question_id)
        fields = {"current": current, "target": target, "note": note, "na_reason": na_reason,
                  "flagged": flagged, "evidence": evidence, "established": established,
                  "evidence_date": evidence_date}
        updates = {key: value for key, value in fields.items() if value is not _UNSET}
        for key, check in (("established", checked_method), ("evidence_date", checked_evidence_date)):
            if key in updates:
                try:
                    updates[key] = check(updates[key])
                except ValueError as exc:
                    raise InvalidAnswer(f"{question_id}: {exc}") from None
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

    def restore_answer(self, assessment_id: int, question_id: str, response: Response | None,
                       source: str) -> AnswerChange:
        """Put an answer back exactly as it was (an undo or redo): every field of `response`, or no answer
        at all when it is None. Committed at once, with a history record like any other change."""
        self.check_editable(assessment_id)
        before = self.response(assessment_id, question_id)
        after = replace(response or Response(question_id), question_id=question_id, updated_at=now_iso())
        self.validate_answer(assessment_id, after)
        change = AnswerChange(assessment_id, before, after)
        with self.transaction() as conn:
            self._store(conn, assessment_id, after, source)
            if response is None:  # never answered before: no answer row, as it was
                conn.execute("DELETE FROM responses WHERE assessment_id = ? AND question_id = ?",
                             (assessment_id, question_id))
            self.record(Changes(answers=(change,), assessment_ids=frozenset({assessment_id})))
        return change

    def save_answers(self, assessment_id: int, responses: list[Response], source: str) -> int:
        """Store many complete responses in one transaction (imports); returns how many changed."""
        self.check_editable(assessment_id)
        for response in responses:
            self.validate_answer(assessment_id, response)
        existing = self.responses(assessment_id)
        stamp = now_iso()
        changed = 0
        with self.transaction() as conn:
            for response in responses:
                old = existing.get(response.question_id)
                if old is not None and comparable(old) == comparable(response):
                    continue
                self._store(conn, assessment_id, replace(response, updated_at=stamp), source)
                changed += 1
            if changed:
                self.record(Changes(all_answers=True, assessment_ids=frozenset({assessment_id})))
        return changed

    def _store(self, conn: sqlite3.Connection, assessment_id: int, response: Response, source: str) -> None:
        """Upsert one response and append its history record (inside the caller's transaction)."""
        values = tuple(int(value) if name == "flagged" else value
                       for name, value in zip(ANSWER_FIELDS, comparable(response)))
        updates = ", ".join(f"{name} = excluded.{name}" for name in RESPONSE_COLUMNS[1:])
        conn.execute(
            f"INSERT INTO responses (assessment_id, {', '.join(RESPONSE_COLUMNS)})"
            f" VALUES ({', '.join('?' * (len(RESPONSE_COLUMNS) + 1))})"
            f" ON CONFLICT (assessment_id, question_id) DO UPDATE SET {updates}",
            (assessment_id, response.question_id, *values, response.updated_at))
        conn.execute(
            f"INSERT INTO answer_history (assessment_id, {', '.join(HISTORY_COLUMNS)})"
            f" VALUES ({', '.join('?' * (len(HISTORY_COLUMNS) + 1))})",
            (assessment_id, response.question_id, *values, source, response.updated_at))
        conn.execute("UPDATE assessments SET updated_at = ? WHERE id = ?", (response.updated_at, assessment_id))

    def history(self, assessment_id: int, question_id: str | None = None) -> list[HistoryEntry]:
        """Every recorded change, oldest first (optionally for one question)."""
        sql = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM answer_history WHERE assessment_id = ?"
        params: tuple = (assessment_id,)
        if question_id is not None:
            sql += " AND question_id = ?"
            params += (question_id,)
        rows = self.rows(sql + " ORDER BY id", params)
        return [history_from_row(row) for row in rows]

