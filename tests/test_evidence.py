"""Evidence files live inside the client file: chunked, stored once per content, limited, removal recorded."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from vciso.backup import apply_restore, backup_workspace, plan_restore, sha256_of
from vciso.clientfile import ClientFile
from vciso.errors import AssessmentFinal, EvidenceError, InvalidAnswer
from vciso.evidence import (CHUNK_BYTES, attach_files, attach_planned, evidence_history, export_evidence,
                            list_evidence, plan_attach, remove_evidence)
from vciso.library import load_library
from vciso.workspace import Workspace


def _run(steps):
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def _random_file(path: Path, size: int) -> Path:
    path.write_bytes(os.urandom(size))
    return path


@pytest.fixture
def client_path(tmp_path) -> Path:
    ws = Workspace(tmp_path / "ws")
    with ws.create_client("Acme Ltd") as client:
        client.create_assessment(load_library(None).get("small-business-essentials"), name="Baseline")
        return client.path


def _aid(client: ClientFile) -> int:
    return client.assessments()[0].id


def test_a_10_mb_file_moves_with_the_client_file_and_exports_byte_identical(client_path, tmp_path):
    source = _random_file(tmp_path / "firewall-config.bin", 10 * 1000 * 1000)
    with ClientFile(client_path) as client:
        [item] = attach_files(client, _aid(client), "ACC-01", [source], actor="Dana")
    assert item.sha256 == sha256_of(source) and item.size == source.stat().st_size and item.added_by == "Dana"
    source.unlink()  # the original is gone: the client file is all there is

    other = Workspace(tmp_path / "laptop")
    other.ensure()
    moved = other.path / client_path.name
    shutil.move(client_path, moved)
    with other.open_client("Acme Ltd") as client:
        rows = _run(export_evidence(client, tmp_path / "out"))
    exported = tmp_path / "out" / rows[0]["path"]
    assert sha256_of(exported) == item.sha256 and exported.name == "firewall-config.bin"
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["files"][0]["sha256"] == item.sha256 and manifest["client"] == "Acme Ltd"


def test_the_same_file_attached_twice_is_stored_once(client_path, tmp_path):
    source = _random_file(tmp_path / "policy.pdf", 3 * CHUNK_BYTES + 17)
    with ClientFile(client_path) as client:
        aid = _aid(client)
        attach_files(client, aid, "ACC-01", [source])
        size_once = client_path.stat().st_size
        again = attach_files(client, aid, "ACC-01", [source])        # same answer: nothing to do
        elsewhere = attach_files(client, aid, "BAK-01", [source])    # another answer: a link, not a copy
        assert again == [] and len(elsewhere) == 1
        assert client.rows("SELECT count(*), sum(chunks) FROM evidence_blobs")[0] == (1, 4)
        assert len(list_evidence(client, aid)) == 2
    assert client_path.stat().st_size < size_once + 64 * 1024


def test_a_file_over_the_limit_is_refused_with_nothing_written(client_path, tmp_path):
    big = _random_file(tmp_path / "huge.mov", 300_000)
    small = _random_file(tmp_path / "ok.txt", 100)
    before = sha256_of(client_path)
    with ClientFile(client_path) as client:
        plan = plan_attach(client, _aid(client), "ACC-01", [small, big], limit=200_000)
        assert len(plan.problems) == 1 and "huge.mov is 293 KB, over the 195 KB limit" in plan.problems[0]
        with pytest.raises(EvidenceError, match="over the"):
            attach_planned(client, plan)
        assert list_evidence(client) == []
    assert sha256_of(client_path) == before  # not even the small file: all the files or none


def test_a_file_changed_after_it_was_checked_is_refused(client_path, tmp_path):
    source = _random_file(tmp_path / "scan.png", 5000)
    with ClientFile(client_path) as client:
        plan = plan_attach(client, _aid(client), "ACC-01", [source])
        source.write_bytes(os.urandom(5000))
        with pytest.raises(EvidenceError, match="changed while it was being attached"):
            attach_planned(client, plan)
        assert list_evidence(client) == [] and client.rows("SELECT count(*) FROM evidence_chunks")[0][0] == 0


def test_removal_is_recorded_and_the_bytes_leave_with_the_last_link(client_path, tmp_path):
    source = _random_file(tmp_path / "minutes.docx", 2000)
    with ClientFile(client_path) as client:
        aid = _aid(client)
        first, = attach_files(client, aid, "ACC-01", [source], actor="Dana")
        second, = attach_files(client, aid, "ACC-02", [source], actor="Dana")
        remove_evidence(client, first.id, actor="Sam")
        assert client.rows("SELECT count(*) FROM evidence_blobs")[0][0] == 1  # still used by ACC-02
        remove_evidence(client, second.id, actor="Sam")
        assert client.rows("SELECT count(*) FROM evidence_blobs")[0][0] == 0
        assert client.rows("SELECT count(*) FROM evidence_chunks")[0][0] == 0
        history = evidence_history(client, aid)
    assert [(e.question_id, e.event, e.name, e.actor) for e in history] == [
        ("ACC-01", "attached", "minutes.docx", "Dana"), ("ACC-02", "attached", "minutes.docx", "Dana"),
        ("ACC-01", "removed", "minutes.docx", "Sam"), ("ACC-02", "removed", "minutes.docx", "Sam")]


def test_evidence_only_goes_to_a_real_question_of_an_assessment_in_progress(client_path, tmp_path):
    source = _random_file(tmp_path / "x.txt", 10)
    with ClientFile(client_path) as client:
        aid = _aid(client)
        with pytest.raises(InvalidAnswer, match="NOPE-1"):
            attach_files(client, aid, "NOPE-1", [source])
        client.finalise_assessment(aid)
        with pytest.raises(AssessmentFinal):
            attach_files(client, aid, "ACC-01", [source])


def test_a_zip_export_holds_every_file_and_the_manifest_and_a_folder_export_never_overwrites(client_path, tmp_path):
    a = _random_file(tmp_path / "a" / "report.pdf", 4000) if (tmp_path / "a").mkdir() is None else None
    b = _random_file(tmp_path / "report.pdf", 5000)  # same name, other content, same question
    with ClientFile(client_path) as client:
        attach_files(client, _aid(client), "ACC-01", [a, b])
        rows = _run(export_evidence(client, tmp_path / "evidence.zip"))
        with zipfile.ZipFile(tmp_path / "evidence.zip") as archive:
            assert {r["path"] for r in rows} == {"1 Baseline/ACC-01/report.pdf", "1 Baseline/ACC-01/report-2.pdf"}
            for row in rows:
                assert hashlib.sha256(archive.read(row["path"])).hexdigest() == row["sha256"]
            assert "manifest.csv" in archive.namelist()
        busy = tmp_path / "busy"
        busy.mkdir()
        (busy / "keep.txt").write_text("mine")
        with pytest.raises(EvidenceError, match="not an empty folder"):
            _run(export_evidence(client, busy))
    assert (busy / "keep.txt").read_text() == "mine"


def test_backup_and_restore_keep_the_evidence(client_path, tmp_path):
    from client_dump import client_dump

    source = _random_file(tmp_path / "evidence.bin", 2 * CHUNK_BYTES)
    with ClientFile(client_path) as client:
        attach_files(client, _aid(client), "ACC-01", [source])
    before = client_dump(client_path)
    assert before["evidence"][0][3] == sha256_of(source)
    ws = Workspace(client_path.parent)
    result = _run(backup_workspace(ws, tmp_path / "b.zip"))
    fresh = Workspace(tmp_path / "fresh")
    [restored] = _run(apply_restore(fresh, plan_restore(fresh, result.path)))
    assert client_dump(restored.path) == before
    with ClientFile(restored.path) as client:
        rows = _run(export_evidence(client, tmp_path / "again"))
    assert sha256_of(tmp_path / "again" / rows[0]["path"]) == sha256_of(source)


def test_cli_evidence_add_list_remove_and_export(cli, tmp_path):
    assert cli("demo")[0] == 0
    client = "bright-smile-dental-group"
    source = _random_file(tmp_path / "mfa-screenshot.png", 1500)
    code, out, err = cli("evidence", "add", client, "", "ACC-01", str(source))
    assert code == 0 and "Attached mfa-screenshot.png (1500 bytes" in out and err == ""
    code, out, _ = cli("evidence", "list", client, "--json")
    listed = json.loads(out)
    listed = [e for e in listed if e["name"] != "backup-job-report.txt"]  # the demo's own file
    assert [(e["question_id"], e["name"], e["sha256"]) for e in listed] == [
        ("ACC-01", "mfa-screenshot.png", sha256_of(source))]
    code, out, _ = cli("export", "evidence", client, "-o", str(tmp_path / "ev.zip"))
    assert code == 0 and "Wrote 2 evidence files" in out
    code, out, _ = cli("evidence", "remove", client, str(listed[0]["id"]))
    assert code == 0 and "Removed mfa-screenshot.png" in out
    code, out, _ = cli("evidence", "list", client, "--history")
    assert "removed" in out and "attached" in out
    (tmp_path / "settings.json").write_text(json.dumps({"evidence_max_mb": 1}))
    big = _random_file(tmp_path / "big.bin", 2 * 1024 * 1024)
    code, out, err = cli("evidence", "add", client, "", "ACC-01", str(big))
    assert code == 1 and err.count("\n") == 1 and "over the 1.0 MB limit" in err


def test_long_non_latin_and_odd_names_export_to_a_folder_and_a_zip(client_path, tmp_path):
    """A 120-letter Hebrew file name (240 bytes) beside a long Cyrillic assessment name, a right-to-left
    override, an emoji and <&>:? in a name: every file is exported, each name within the file system's limit."""
    hebrew = tmp_path / ("ש" * 120 + ".pdf")
    hebrew.write_bytes(b"policy")
    odd = tmp_path / "\u202egpj.exe 📄 <a&b>:?.pdf"
    odd.write_bytes(b"screenshot")
    with ClientFile(client_path) as client:
        aid = _aid(client)
        client.update_assessment(aid, name="Д" * 150)
        attach_files(client, aid, "BAK-01", [hebrew, odd])
        attach_files(client, aid, "BAK-02", [hebrew])
        rows = _run(export_evidence(client, tmp_path / "out"))
        _run(export_evidence(client, tmp_path / "out.zip"))
    assert len(rows) == 3
    for row in rows:
        exported = tmp_path / "out" / row["path"]
        assert exported.is_file() and all(len(part.encode()) <= 255 for part in Path(row["path"]).parts)
    names = {Path(row["path"]).name for row in rows}
    assert "gpj.exe 📄 <a&b>:?.pdf" in names  # the right-to-left override is dropped, the rest kept
    assert all(name.endswith(".pdf") for name in names)
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert sum(1 for n in archive.namelist() if not n.startswith("manifest")) == 3


def test_the_export_manifest_says_how_each_files_answer_was_established(client_path, tmp_path):
    import csv

    policy = _random_file(tmp_path / "policy.pdf", 300)
    screenshot = _random_file(tmp_path / "screen.png", 300)
    with ClientFile(client_path) as client:
        aid = _aid(client)
        client.save_answer(aid, "ACC-01", current=2, established="document", evidence_date="2025-02-01")
        attach_files(client, aid, "ACC-01", [policy])
        attach_files(client, aid, "BAK-01", [screenshot])  # an answer that does not say
        _run(export_evidence(client, tmp_path / "out"))
    with open(tmp_path / "out" / "manifest.csv", encoding="utf-8", newline="") as handle:
        rows = {row["name"]: row for row in csv.DictReader(handle)}
    assert (rows["policy.pdf"]["established"], rows["policy.pdf"]["evidence_date"],
            rows["policy.pdf"]["confidence"]) == ("document", "2025-02-01", "Medium")
    assert rows["screen.png"]["established"] == rows["screen.png"]["confidence"] == ""
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert {f["name"]: f["confidence"] for f in manifest["files"]} == {"policy.pdf": "Medium", "screen.png": ""}
