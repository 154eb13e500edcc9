"""A client file made by the previous release (0.1, schema 0001) opens, keeps everything and upgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from vciso.clientfile import ClientFile
from vciso.errors import AssessmentFinal
from vciso.report import build_report
from vciso.roadmap_store import roadmap_items
from vciso.schema import migrations
from vciso.workspace import Workspace

FIXTURE = Path(__file__).with_name("fixtures") / "clientfiles" / "release-0.1-demo.vciso"


def _table(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def old_file(tmp_path) -> Path:
    target = tmp_path / "ws" / "bright-smile-dental-group.vciso"
    target.parent.mkdir()
    shutil.copyfile(FIXTURE, target)
    return target


def test_a_file_from_release_0_1_opens_keeps_everything_and_upgrades(old_file):
    tables = ("client", "assessments", "questionnaire_snapshots", "responses", "answer_history", "roadmap_items")
    # the columns release 0.1 wrote (later migrations add columns; what was stored must stay as it was)
    before = {t: _table(old_file, f"SELECT * FROM {t} ORDER BY rowid") for t in tables}
    columns = {t: [r[1] for r in _table(old_file, f"PRAGMA table_info({t})")] for t in tables}
    assert [r[0] for r in _table(old_file, "SELECT name FROM _sqlite_migrations")] == ["0001_initial"]
    listing = Workspace(old_file.parent).list_clients()[0]
    assert listing.ok and listing.profile.name == "Bright Smile Dental Group" and listing.assessment_count == 2
    with ClientFile(old_file) as client:
        assert [m.name for m in migrations.applied(client.db)][:3] == ["0001_initial", "0002_assessment_events",
                                                                      "0003_living_plan"]
        follow_up = client.assessment()
        note = client.response(follow_up.id, "ACC-01").note
        assert note == 'Front desk <b>&amp;</b> = "ok" 北京 مرحبا 🙂'
        report = build_report(client, follow_up.id)
        assert report.score.overall.answered > 0 and roadmap_items(client, follow_up.id)
    after = {t: _table(old_file, f"SELECT {', '.join(columns[t])} FROM {t} ORDER BY rowid") for t in tables}
    assert after == before                        # nothing the old release stored was changed or lost


def test_the_old_releases_complete_status_reads_as_final(old_file):
    with ClientFile(old_file) as client:
        baseline = next(a for a in client.assessments() if a.status == "complete")
        with pytest.raises(AssessmentFinal, match="reopen it"):
            client.save_answer(baseline.id, "ACC-01", current=1)
        reopened = client.reopen_assessment(baseline.id, by="Ada")
        assert reopened.status == "in progress"
        client.save_answer(baseline.id, "ACC-01", current=1)
        assert [(e.event, e.actor) for e in client.assessment_events(baseline.id)] == [("reopened", "Ada")]
