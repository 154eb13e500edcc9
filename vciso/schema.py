"""The client file schema as numbered migrations (never edit one that has shipped; add a new one)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

FILE_KIND = "vciso-client"
migrations = Migrations("vciso-client")


@migrations(name="0001_initial")
def m0001_initial(db: Database) -> None:
    for sql in _INITIAL_SQL:
        db.execute(sql)


@migrations(name="0002_assessment_events")
def m0002_assessment_events(db: Database) -> None:
    """When an assessment was finalised or reopened, and by whom (append-only)."""
    for sql in _ASSESSMENT_EVENTS_SQL:
        db.execute(sql)


_ASSESSMENT_EVENTS_SQL = [
    """CREATE TABLE assessment_events (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        event TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL)""",
    """CREATE INDEX assessment_events_by_assessment ON assessment_events (assessment_id)""",
    """CREATE TRIGGER assessment_events_no_update BEFORE UPDATE ON assessment_events
       BEGIN SELECT RAISE(ABORT, 'assessment events are append-only'); END""",
]


_INITIAL_SQL = [
    """CREATE TABLE file_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)""",
    """CREATE TABLE client (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        industry TEXT NOT NULL DEFAULT '',
        employees INTEGER,
        contact TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE questionnaire_snapshots (
        id INTEGER PRIMARY KEY,
        questionnaire_id TEXT NOT NULL,
        version TEXT NOT NULL,
        title TEXT NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        content TEXT NOT NULL,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        snapshot_id INTEGER NOT NULL REFERENCES questionnaire_snapshots(id),
        questionnaire_id TEXT NOT NULL,
        assessor TEXT NOT NULL DEFAULT '',
        assessment_date TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'in progress',
        based_on INTEGER REFERENCES assessments(id) ON DELETE SET NULL,
        default_target REAL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE TABLE responses (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        current REAL,
        target REAL,
        note TEXT NOT NULL DEFAULT '',
        na_reason TEXT NOT NULL DEFAULT '',
        evidence TEXT NOT NULL DEFAULT '',
        flagged INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, question_id))""",
    """CREATE TABLE answer_history (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        current REAL,
        target REAL,
        note TEXT NOT NULL,
        na_reason TEXT NOT NULL,
        evidence TEXT NOT NULL,
        flagged INTEGER NOT NULL,
        source TEXT NOT NULL,
        changed_at TEXT NOT NULL)""",
    """CREATE INDEX answer_history_by_question ON answer_history (assessment_id, question_id)""",
    # History is append-only while its assessment exists (deleting an assessment removes its history).
    """CREATE TRIGGER answer_history_no_update BEFORE UPDATE ON answer_history
       BEGIN SELECT RAISE(ABORT, 'answer history is append-only'); END""",
    """CREATE TRIGGER answer_history_no_delete BEFORE DELETE ON answer_history
       WHEN EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
       BEGIN SELECT RAISE(ABORT, 'answer history is append-only'); END""",
    """CREATE TRIGGER assessment_history_cleanup AFTER DELETE ON assessments
       BEGIN DELETE FROM answer_history WHERE assessment_id = OLD.id; END""",
    """CREATE TABLE roadmap_items (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        question_id TEXT,
        title TEXT NOT NULL,
        recommendation TEXT NOT NULL DEFAULT '',
        effort INTEGER NOT NULL DEFAULT 2,
        criticality INTEGER NOT NULL DEFAULT 2,
        gap REAL NOT NULL DEFAULT 0,
        priority REAL NOT NULL DEFAULT 0,
        quick_win INTEGER NOT NULL DEFAULT 0,
        phase INTEGER NOT NULL DEFAULT 0,
        owner TEXT NOT NULL DEFAULT '',
        due_date TEXT,
        status TEXT NOT NULL DEFAULT 'Not started',
        notes TEXT NOT NULL DEFAULT '',
        edited TEXT NOT NULL DEFAULT '[]',
        origin TEXT NOT NULL DEFAULT 'generated',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL)""",
    """CREATE UNIQUE INDEX roadmap_items_by_question ON roadmap_items (assessment_id, question_id)
       WHERE question_id IS NOT NULL""",
]


def known_migrations() -> tuple[str, ...]:
    """The names of every migration this version knows, oldest first."""
    from sqlite_utils import Database as _Database

    return tuple(m.name for m in migrations.pending(_Database(memory=True)))
