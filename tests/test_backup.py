"""Backups are consistent copies (SQLite's backup API) with a manifest of SHA-256s; restore never overwrites."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from client_dump import client_dump
from vciso.backup import (apply_restore, automatic_backup, automatic_backups, backup_workspace, plan_restore,
                          read_backup, sha256_of)
from vciso.clientfile import ClientFile
from vciso.demo import create_demo
from vciso.errors import BackupInvalid
from vciso.library import load_library
from vciso.workspace import Workspace


def _run(steps):
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    ws = Workspace(tmp_path / "ws")
    with create_demo(ws, load_library(None)):
        pass
    with ws.create_client("Acme Ltd", notes="Main site in Leeds") as client:
        library = load_library(None)
        assessment = client.create_assessment(library.get("small-business-essentials"))
        client.save_answer(assessment.id, "ACC-01", current=2, note="MFA on email only")
        client.save_answer(assessment.id, "ACC-01", current=3, note="MFA everywhere")
    return ws


def _private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backup_then_delete_the_workspace_then_restore_gives_every_client_back_identical(workspace, tmp_path):
    before = {p.stem: client_dump(p) for p in workspace.client_paths()}
    result = _run(backup_workspace(workspace, tmp_path / "backup.zip"))
    assert _private(result.path) and len(result.entries) == 2
    for path in workspace.client_paths():
        path.unlink()
    workspace.path.rmdir()

    fresh = Workspace(tmp_path / "ws")
    plan = plan_restore(fresh, result.path)
    assert plan.problems == () and [i.target_stem for i in plan.items] == sorted(before)
    restored = _run(apply_restore(fresh, plan))
    assert sorted(r.path.stem for r in restored) == sorted(before)
    after = {p.stem: client_dump(p) for p in fresh.client_paths()}
    assert after == before
    assert all(_private(p) for p in fresh.client_paths())
    assert sorted(p.name for p in fresh.path.iterdir()) == [p.name for p in fresh.client_paths()]  # no temp left


def test_the_manifest_names_every_copy_with_its_sha256(workspace, tmp_path):
    result = _run(backup_workspace(workspace, tmp_path / "backup.zip"))
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["format"] == "vciso-backup"
        for client in manifest["clients"]:
            data = archive.read(client["member"])
            import hashlib
            assert hashlib.sha256(data).hexdigest() == client["sha256"] and len(data) == client["size"]
    created, entries = read_backup(result.path)
    assert created and {e.name for e in entries} == {"Acme Ltd", "Bright Smile Dental Group"}


def test_a_backup_taken_while_another_connection_writes_holds_the_last_committed_state(workspace, tmp_path):
    path = workspace.resolve("Acme Ltd")
    with ClientFile(path) as writer:
        aid = writer.assessments()[0].id
        with writer.transaction():  # an uncommitted change is in progress while the backup runs
            writer.save_answer(aid, "ACC-02", current=4, note="not committed yet")
            result = _run(backup_workspace(workspace, tmp_path / "during.zip"))
    restored = Workspace(tmp_path / "elsewhere")
    _run(apply_restore(restored, plan_restore(restored, result.path)))
    with ClientFile(restored.resolve("Acme Ltd")) as copy:
        assert copy.integrity_check() == "ok"
        responses = copy.responses(copy.assessments()[0].id)
        assert "ACC-02" not in responses and responses["ACC-01"].note == "MFA everywhere"
    with ClientFile(path) as original:
        assert original.responses(aid)["ACC-02"].note == "not committed yet"  # and the writer's commit went in


def test_restore_beside_existing_clients_never_overwrites_and_gives_the_copy_a_new_name(workspace, tmp_path):
    result = _run(backup_workspace(workspace, tmp_path / "backup.zip"))
    originals = {p: sha256_of(p) for p in workspace.client_paths()}
    with ClientFile(workspace.resolve("Acme Ltd")) as client:  # the live client moves on after the backup
        client.save_answer(client.assessments()[0].id, "ACC-03", current=1)
        originals[client.path] = None
    plan = plan_restore(workspace, result.path, today=dt.date(2026, 11, 29))
    assert {i.target_stem for i in plan.items} == {"acme-ltd-restored", "bright-smile-dental-group-restored"}
    assert {i.restored_name for i in plan.items} == {"Acme Ltd (restored 2026-11-29)",
                                                     "Bright Smile Dental Group (restored 2026-11-29)"}
    _run(apply_restore(workspace, plan))
    for path, digest in originals.items():
        assert path.exists() and (digest is None or sha256_of(path) == digest)
    names = sorted(listing.name for listing in workspace.list_clients())
    assert names == ["Acme Ltd", "Acme Ltd (restored 2026-11-29)", "Bright Smile Dental Group",
                     "Bright Smile Dental Group (restored 2026-11-29)"]
    with ClientFile(workspace.resolve("acme-ltd")) as live, ClientFile(workspace.resolve("acme-ltd-restored")) as old:
        assert "ACC-03" in live.responses(live.assessments()[0].id)
        assert "ACC-03" not in old.responses(old.assessments()[0].id)


def _tampered(source: Path, target: Path, member_suffix: str) -> Path:
    """A copy of a backup zip where one client's copy has a byte changed (same size)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(member_suffix):
                data = data[:-100] + bytes([data[-100] ^ 0xFF]) + data[-99:]
            new.writestr(info, data)
    return target


def test_a_damaged_backup_restores_nothing(workspace, tmp_path):
    result = _run(backup_workspace(workspace, tmp_path / "backup.zip"))
    bad = _tampered(result.path, tmp_path / "bad.zip", "bright-smile-dental-group.vciso")
    target = Workspace(tmp_path / "empty")
    plan = plan_restore(target, bad)
    assert plan.problems == ()  # sizes agree: only the SHA-256 shows the damage
    with pytest.raises(BackupInvalid, match="does not match its SHA-256"):
        _run(apply_restore(target, plan))
    assert list(target.path.iterdir()) == []  # not even the good client: a restore is all or nothing


def test_names_in_a_manifest_never_place_a_file_outside_the_workspace(workspace, tmp_path):
    result = _run(backup_workspace(workspace, tmp_path / "backup.zip"))
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(result.path) as old, zipfile.ZipFile(evil, "w") as new:
        manifest = json.loads(old.read("manifest.json"))
        for client in manifest["clients"]:
            client["stem"] = "../../outside"
            new.writestr(client["member"], old.read(client["member"]))
        new.writestr("manifest.json", json.dumps(manifest))
    target = Workspace(tmp_path / "target")
    restored = _run(apply_restore(target, plan_restore(target, evil)))
    assert all(r.path.parent == target.path for r in restored)
    assert sorted(r.path.name for r in restored) == ["outside-restored.vciso", "outside.vciso"]
    assert not (tmp_path / "outside.vciso").exists()


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("hello")
    with pytest.raises(BackupInvalid, match="not a vCISO backup"):
        plan_restore(Workspace(tmp_path / "ws"), not_zip)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "x")
    with pytest.raises(BackupInvalid, match="no manifest.json"):
        plan_restore(Workspace(tmp_path / "ws"), other)


def test_a_damaged_client_file_is_left_out_of_the_backup_and_named(workspace, tmp_path):
    (workspace.path / "broken.vciso").write_bytes(b"SQLite format 3\x00" + b"\x00" * 500)
    result = _run(backup_workspace(workspace, tmp_path / "backup.zip"))
    assert len(result.entries) == 2 and len(result.skipped) == 1 and "broken.vciso" in result.skipped[0]


def test_automatic_backups_keep_the_newest_n_private_copies(workspace, tmp_path):
    path = workspace.resolve("Acme Ltd")
    folder = tmp_path / "auto"
    start = dt.datetime(2026, 11, 29, 9, 0, 0)
    made = [automatic_backup(path, folder, keep=3, now=start + dt.timedelta(minutes=i)) for i in range(5)]
    kept = automatic_backups(made[-1].parent)
    assert kept == made[-3:] and all(_private(p) for p in kept)
    assert client_dump(kept[-1]) == client_dump(path)
    # an automatic backup restores like a backup zip, beside the live client
    restored = _run(apply_restore(workspace, plan_restore(workspace, kept[0])))
    assert restored[0].path.name == "acme-ltd-restored.vciso"


def test_cli_backup_and_restore(cli, tmp_path):
    assert cli("demo")[0] == 0
    code, out, err = cli("backup", "-o", str(tmp_path / "b.zip"))
    assert code == 0 and "Backed up 1 client to" in out and err == ""
    code, out, err = cli("restore", str(tmp_path / "b.zip"), "--dry-run")
    assert code == 0 and "Would restore Bright Smile Dental Group (restored" in out
    assert len(list((tmp_path / "ws").glob("*.vciso"))) == 1
    code, out, _ = cli("restore", str(tmp_path / "b.zip"))
    assert code == 0 and "Restored 1 client" in out
    assert len(list((tmp_path / "ws").glob("*.vciso"))) == 2
    (tmp_path / "junk.zip").write_text("x")
    code, out, err = cli("restore", str(tmp_path / "junk.zip"))
    assert code == 1 and err.count("\n") == 1 and "not a vCISO backup" in err
    code, _, err = cli("--workspace", str(tmp_path / "nothing"), "backup", "-o", str(tmp_path / "n.zip"))
    assert code == 1 and "no client to back up" in err and not (tmp_path / "n.zip").exists()
