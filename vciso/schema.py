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


# ----------------------------------------------------------------- the living plan (issue 14)

@migrations(name="0003_living_plan")
def m0003_living_plan(db: Database) -> None:
    """Roadmap items join the client's living plan: each copy of an item in an assessment carries the plan
    item's stable id, the assessment that raised it, the one that closed it, and a proposal to close it;
    status changes go to an append-only history. Existing items are linked into the plan (a follow-up's
    item continues its base assessment's item for the same question) and nothing is changed or dropped."""
    for sql in _LIVING_PLAN_SQL:
        db.execute(sql)
    _link_existing_items(db)


_LIVING_PLAN_SQL = [
    "ALTER TABLE roadmap_items ADD COLUMN plan_uid TEXT",
    "ALTER TABLE roadmap_items ADD COLUMN raised_in INTEGER",
    "ALTER TABLE roadmap_items ADD COLUMN closed_in INTEGER",
    "ALTER TABLE roadmap_items ADD COLUMN proposed_in INTEGER",
    """CREATE TABLE roadmap_status_history (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL,
        plan_uid TEXT NOT NULL,
        status_before TEXT,
        status TEXT NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '',
        changed_at TEXT NOT NULL)""",
    """CREATE INDEX roadmap_status_history_by_item ON roadmap_status_history (plan_uid, id)""",
    """CREATE TRIGGER roadmap_status_history_no_update BEFORE UPDATE ON roadmap_status_history
       BEGIN SELECT RAISE(ABORT, 'roadmap status history is append-only'); END""",
    """CREATE TRIGGER roadmap_status_history_no_delete BEFORE DELETE ON roadmap_status_history
       WHEN EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
       BEGIN SELECT RAISE(ABORT, 'roadmap status history is append-only'); END""",
    """CREATE TRIGGER roadmap_status_history_cleanup AFTER DELETE ON assessments
       BEGIN DELETE FROM roadmap_status_history WHERE assessment_id = OLD.id; END""",
]


def _link_existing_items(db: Database) -> None:
    """Give every existing item its place in the plan, oldest assessment first (an item of a follow-up that
    its base assessment also had, for the same question or with the same own title, is the same plan item)."""
    import uuid

    assessments = db.execute("SELECT id, based_on FROM assessments ORDER BY assessment_date, id").fetchall()
    linked: dict[int, dict[tuple, tuple]] = {}
    for assessment_id, based_on in assessments:
        earlier = linked.get(based_on, {}) if based_on is not None else {}
        mine: dict[tuple, tuple] = {}
        rows = db.execute("SELECT id, question_id, title, status, updated_at FROM roadmap_items"
                          " WHERE assessment_id = ? ORDER BY id", (assessment_id,)).fetchall()
        for item_id, question_id, title, status, updated_at in rows:
            key = ("q", question_id) if question_id else ("t", title.strip().casefold())
            uid, raised_in, closed_in, was_done = earlier.get(key) or (uuid.uuid4().hex, assessment_id, None, False)
            if status != "Done":
                closed_in = None
            elif not (was_done and closed_in is not None):
                closed_in = assessment_id
            db.execute("UPDATE roadmap_items SET plan_uid = ?, raised_in = ?, closed_in = ? WHERE id = ?",
                       (uid, raised_in, closed_in, item_id))
            db.execute("INSERT INTO roadmap_status_history (assessment_id, plan_uid, status_before, status, actor,"
                       " source, changed_at) VALUES (?, ?, NULL, ?, '', 'upgrade', ?)",
                       (assessment_id, uid, status, updated_at))
            mine[key] = (uid, raised_in, closed_in, status == "Done")
        linked[assessment_id] = mine
    db.execute("CREATE UNIQUE INDEX roadmap_items_by_plan_uid ON roadmap_items (assessment_id, plan_uid)")


# ----------------------------------------------------------------- the portfolio's summary (issue 14)

@migrations(name="0004_client_summary")
def m0004_client_summary(db: Database) -> None:
    """A one-row summary of the client (latest scores, plan counts, next due) for the workspace's portfolio,
    rewritten in the same transaction as every change that alters it (`vciso.summary`). Left empty here:
    the file is summarised when it is opened for writing."""
    db.execute("""CREATE TABLE client_summary (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        schema TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL)""")


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


# ----------------------------------------------------------------- evidence files (issue 15)
# Kept apart from the plan's migrations above: it only adds tables of its own.

@migrations(name="0005_evidence")
def m0005_evidence(db: Database) -> None:
    """Evidence files stored in the client file: each distinct content once (by SHA-256) in chunks, linked to
    answers by name, type, size, date and who added it; attaching and removing recorded append-only."""
    for sql in _EVIDENCE_SQL:
        db.execute(sql)


_EVIDENCE_SQL = [
    """CREATE TABLE evidence_blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        chunks INTEGER NOT NULL,
        created_at TEXT NOT NULL)""",
    """CREATE TABLE evidence_chunks (
        sha256 TEXT NOT NULL REFERENCES evidence_blobs(sha256) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (sha256, seq)) WITHOUT ROWID""",
    """CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        sha256 TEXT NOT NULL REFERENCES evidence_blobs(sha256),
        name TEXT NOT NULL,
        media_type TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL DEFAULT '')""",
    """CREATE INDEX evidence_by_question ON evidence (assessment_id, question_id)""",
    """CREATE INDEX evidence_by_blob ON evidence (sha256)""",
    """CREATE TABLE evidence_events (
        id INTEGER PRIMARY KEY,
        assessment_id INTEGER NOT NULL,
        question_id TEXT NOT NULL,
        event TEXT NOT NULL,
        name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        actor TEXT NOT NULL DEFAULT '',
        at TEXT NOT NULL)""",
    """CREATE INDEX evidence_events_by_question ON evidence_events (assessment_id, question_id)""",
    """CREATE TRIGGER evidence_events_no_update BEFORE UPDATE ON evidence_events
       BEGIN SELECT RAISE(ABORT, 'evidence history is append-only'); END""",
    """CREATE TRIGGER evidence_events_no_delete BEFORE DELETE ON evidence_events
       WHEN EXISTS (SELECT 1 FROM assessments WHERE id = OLD.assessment_id)
       BEGIN SELECT RAISE(ABORT, 'evidence history is append-only'); END""",
    """CREATE TRIGGER evidence_events_cleanup AFTER DELETE ON assessments
       BEGIN DELETE FROM evidence_events WHERE assessment_id = OLD.id; END""",
    # a blob no evidence row uses any more is deleted with the last row (a deleted assessment's files go too)
    """CREATE TRIGGER evidence_blob_cleanup AFTER DELETE ON evidence
       WHEN NOT EXISTS (SELECT 1 FROM evidence WHERE sha256 = OLD.sha256)
       BEGIN DELETE FROM evidence_blobs WHERE sha256 = OLD.sha256; END""",
]


# ----------------------------------------------------------------- how an answer was established (issue 15)

@migrations(name="0006_answer_provenance")
def m0006_answer_provenance(db: Database) -> None:
    """Each answer (and its history) says how it was established — interview, document, observed, tested
    (`vciso.provenance`) — and the date of its evidence; both empty for answers given before."""
    for table in ("responses", "answer_history"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN established TEXT NOT NULL DEFAULT ''")
        db.execute(f"ALTER TABLE {table} ADD COLUMN evidence_date TEXT NOT NULL DEFAULT ''")
