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


# --------------------------------------------------------------------------- encrypted clients

ALPHA, BETA = "alpha bank passphrase", "beta clinic passphrase"
NOTES = {"Open Books Ltd": "Ledger kept on a laptop", "Alpha Bank": "Vault code is taped under the desk",
         "Beta Clinic": "Patient records share drive is open to all"}
SQLITE_HEADER = b"SQLite format 3\x00"


@pytest.fixture
def mixed(tmp_path) -> tuple[Workspace, dict[Path, str]]:
    """A workspace of one plain and two encrypted clients (different passphrases), each with answers, their
    history and evidence; returns it and the encrypted files' passphrases."""
    from vciso.evidence import attach_files

    ws = Workspace(tmp_path / "ws")
    library = load_library(None)
    keys: dict[Path, str] = {}
    for name, key in (("Open Books Ltd", None), ("Alpha Bank", ALPHA), ("Beta Clinic", BETA)):
        with ws.create_client(name, key=key) as client:
            aid = client.create_assessment(library.get("small-business-essentials")).id
            client.save_answer(aid, "ACC-01", current=1, note="first look")
            client.save_answer(aid, "ACC-01", current=2, note=NOTES[name])
            client.save_answer(aid, "ACC-02", current=3)
            evidence = tmp_path / f"{client.path.stem}-policy.bin"
            evidence.write_bytes(os.urandom(70_000))
            attach_files(client, aid, "ACC-01", [evidence])
            if key is not None:
                keys[client.path] = key
    return ws, keys


def _evidence_hashes(path: Path, key: str | None) -> list[str]:
    """The SHA-256 of every evidence file's stored bytes, read back out of the client file."""
    from vciso.evidence import list_evidence, read_chunks

    import hashlib
    with ClientFile(path, read_only=True, key=key) as client:
        return [hashlib.sha256(b"".join(read_chunks(client, e.sha256))).hexdigest() for e in list_evidence(client)]


def test_encrypted_clients_are_backed_up_encrypted_and_restore_identical(mixed, tmp_path):
    from vciso.crypto import is_encrypted

    ws, keys = mixed
    key_by_stem = {path.stem: key for path, key in keys.items()}
    before = {p.stem: (client_dump(p, keys.get(p)), _evidence_hashes(p, keys.get(p))) for p in ws.client_paths()}
    assert all(len(hashes) == 1 for _, hashes in before.values())

    result = _run(backup_workspace(ws, tmp_path / "backup.zip", keys))
    assert result.skipped == () and len(result.entries) == 3

    raw = result.path.read_bytes()
    with zipfile.ZipFile(result.path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        members = {name: archive.read(name) for name in archive.namelist()}
    by_stem = {client["stem"]: client for client in manifest["clients"]}
    for stem in key_by_stem:
        assert by_stem[stem]["encrypted"] is True
        assert by_stem[stem]["name"] == "" and by_stem[stem]["client_id"] == ""
        assert members[by_stem[stem]["member"]][:16] != SQLITE_HEADER  # the copy in the zip stays encrypted
    assert by_stem["open-books-ltd"]["encrypted"] is False and by_stem["open-books-ltd"]["name"] == "Open Books Ltd"
    for secret in ("Alpha Bank", "Beta Clinic", NOTES["Alpha Bank"], NOTES["Beta Clinic"]):
        for blob in (raw, *members.values()):
            assert secret.encode() not in blob and secret.encode("utf-16-le") not in blob

    for path in ws.client_paths():
        path.unlink()
    ws.path.rmdir()
    fresh = Workspace(tmp_path / "ws")
    plan = plan_restore(fresh, result.path)
    assert plan.problems == ()
    restored = _run(apply_restore(fresh, plan))
    assert sorted(r.path.stem for r in restored) == sorted(before)
    for path in fresh.client_paths():
        key = key_by_stem.get(path.stem)
        assert is_encrypted(path) == (key is not None)
        assert (client_dump(path, key), _evidence_hashes(path, key)) == before[path.stem]
    assert sorted(p.name for p in fresh.path.iterdir()) == [p.name for p in fresh.client_paths()]


def test_a_backup_without_a_passphrase_or_with_a_wrong_one_skips_that_client_named_and_keeps_the_rest(mixed,
                                                                                                      tmp_path):
    ws, keys = mixed
    alpha, beta = sorted(keys)
    beta_before = sha256_of(beta)
    result = _run(backup_workspace(ws, tmp_path / "one-known.zip", {alpha: ALPHA}))
    assert sorted(e.stem for e in result.entries) == ["alpha-bank", "open-books-ltd"]
    assert result.skipped == ("beta-clinic.vciso is not in the backup: it is encrypted and its passphrase "
                              "was not given",)

    result = _run(backup_workspace(ws, tmp_path / "one-wrong.zip", {alpha: ALPHA, beta: ALPHA}))
    assert sorted(e.stem for e in result.entries) == ["alpha-bank", "open-books-ltd"]
    assert len(result.skipped) == 1 and result.skipped[0].startswith("beta-clinic.vciso is not in the backup")
    assert "wrong passphrase" in result.skipped[0]
    assert sha256_of(beta) == beta_before and not Path(f"{beta}-journal").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".zip") == ["one-known.zip", "one-wrong.zip"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".vciso-backup")]  # no scratch left

    result = _run(backup_workspace(ws, tmp_path / "none.zip"))
    assert [e.stem for e in result.entries] == ["open-books-ltd"] and len(result.skipped) == 2


def test_an_encrypted_copy_needs_the_right_passphrase_and_a_wrong_one_changes_nothing(mixed, tmp_path):
    from vciso.backup import copy_client_file
    from vciso.crypto import is_encrypted
    from vciso.errors import ClientFileEncrypted, WrongPassphrase

    _, keys = mixed
    alpha = sorted(keys)[0]
    before = sha256_of(alpha)
    target = tmp_path / "copy.vciso"
    with pytest.raises(ClientFileEncrypted, match="alpha-bank.vciso: the client file is encrypted"):
        copy_client_file(alpha, target)
    assert not target.exists()
    with pytest.raises(WrongPassphrase, match="alpha-bank.vciso: wrong passphrase"):
        copy_client_file(alpha, target, key=BETA)
    assert not target.exists() and not Path(f"{target}-journal").exists()
    assert sha256_of(alpha) == before
    copy_client_file(alpha, target, key=ALPHA)
    assert is_encrypted(target) and _private(target) and sha256_of(alpha) == before
    assert client_dump(target, ALPHA) == client_dump(alpha, ALPHA)
    with pytest.raises(WrongPassphrase):
        ClientFile(target, key=BETA)


def test_an_encrypted_client_left_with_a_crash_journal_is_backed_up_in_its_last_committed_state(mixed, tmp_path):
    from fault_helpers import crash_inside_a_commit

    ws, keys = mixed
    alpha = sorted(keys)[0]
    before = client_dump(alpha, ALPHA)
    crash_inside_a_commit(alpha, ALPHA)
    result = _run(backup_workspace(ws, tmp_path / "backup.zip", keys))
    assert result.skipped == () and len(result.entries) == 3
    fresh = Workspace(tmp_path / "fresh")
    _run(apply_restore(fresh, plan_restore(fresh, result.path)))
    assert client_dump(fresh.path / alpha.name, ALPHA) == before


def test_a_backup_of_an_encrypted_client_being_written_holds_its_last_committed_state(mixed, tmp_path):
    ws, keys = mixed
    alpha = sorted(keys)[0]
    with ClientFile(alpha, key=ALPHA) as writer:
        aid = writer.assessments()[0].id
        with writer.transaction():  # an uncommitted change is in progress while the backup runs
            writer.save_answer(aid, "ACC-03", current=4, note="not committed yet")
            result = _run(backup_workspace(ws, tmp_path / "during.zip", keys))
    assert result.skipped == ()
    fresh = Workspace(tmp_path / "fresh")
    _run(apply_restore(fresh, plan_restore(fresh, result.path)))
    with ClientFile(fresh.path / alpha.name, key=ALPHA) as copy:
        assert copy.integrity_check() == "ok"
        responses = copy.responses(aid)
        assert "ACC-03" not in responses and responses["ACC-01"].note == NOTES["Alpha Bank"]


def test_restore_beside_an_existing_encrypted_client_never_overwrites_it(mixed, tmp_path):
    from vciso.backup import ENCRYPTED_NOTE
    from vciso.crypto import is_encrypted

    ws, keys = mixed
    alpha, beta = sorted(keys)
    result = _run(backup_workspace(ws, tmp_path / "backup.zip", keys))
    with ClientFile(alpha, key=ALPHA) as client:  # the live client moves on after the backup
        client.save_answer(client.assessments()[0].id, "ACC-03", current=1)
    live = {path: sha256_of(path) for path in ws.client_paths()}

    plan = plan_restore(ws, result.path, today=dt.date(2026, 11, 29))
    items = {item.entry.stem: item for item in plan.items}
    assert items["alpha-bank"].target_stem == "alpha-bank-restored"
    assert items["alpha-bank"].restored_name == "" and not items["alpha-bank"].renamed_client
    assert items["alpha-bank"].notes == ("alpha-bank is taken", ENCRYPTED_NOTE)
    assert items["alpha-bank"].label == "alpha-bank.vciso"
    assert items["open-books-ltd"].restored_name == "Open Books Ltd (restored 2026-11-29)"
    assert ENCRYPTED_NOTE not in items["open-books-ltd"].notes
    restored = _run(apply_restore(ws, plan))
    assert {r.path.name for r in restored} == {"alpha-bank-restored.vciso", "beta-clinic-restored.vciso",
                                               "open-books-ltd-restored.vciso"}
    assert {path: sha256_of(path) for path in live} == live  # nothing existing was touched
    copy = ws.path / "alpha-bank-restored.vciso"
    assert is_encrypted(copy)
    with ClientFile(copy, key=ALPHA) as old, ClientFile(alpha, key=ALPHA) as now:
        assert old.profile().name == "Alpha Bank"  # not renamed: the different file tells them apart
        assert "ACC-03" not in old.responses(old.assessments()[0].id)
        assert "ACC-03" in now.responses(now.assessments()[0].id)


def test_an_encrypted_copy_a_known_passphrase_opens_is_renamed_when_its_name_is_taken(mixed, tmp_path):
    from vciso.crypto import is_encrypted

    ws, keys = mixed
    alpha, beta = sorted(keys)
    result = _run(backup_workspace(ws, tmp_path / "backup.zip", keys))
    live = {path: sha256_of(path) for path in ws.client_paths()}
    plan = plan_restore(ws, result.path, today=dt.date(2026, 11, 29))
    restored = {r.path.name: r for r in _run(apply_restore(ws, plan, [ALPHA], today=dt.date(2026, 11, 29)))}
    assert {path: sha256_of(path) for path in live} == live
    alpha_copy = restored["alpha-bank-restored.vciso"]
    assert alpha_copy.encrypted and alpha_copy.name == "Alpha Bank (restored 2026-11-29)"
    assert is_encrypted(alpha_copy.path)
    with ClientFile(alpha_copy.path, key=ALPHA) as client:
        assert client.profile().name == "Alpha Bank (restored 2026-11-29)"
    assert restored["beta-clinic-restored.vciso"].name == ""  # its passphrase was not given: as it was
    with ClientFile(ws.path / "beta-clinic-restored.vciso", key=BETA) as client:
        assert client.profile().name == "Beta Clinic"


def test_an_encrypted_copy_that_is_not_encrypted_is_refused_and_nothing_is_restored(mixed, tmp_path):
    ws, keys = mixed
    result = _run(backup_workspace(ws, tmp_path / "backup.zip", keys))
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(result.path) as old, zipfile.ZipFile(forged, "w") as new:
        manifest = json.loads(old.read("manifest.json"))
        for client in manifest["clients"]:
            client["encrypted"] = True  # the plain copy claims to be encrypted
            new.writestr(client["member"], old.read(client["member"]))
        new.writestr("manifest.json", json.dumps(manifest))
    target = Workspace(tmp_path / "target")
    with pytest.raises(BackupInvalid, match="open-books-ltd.vciso: the copy in the backup is not encrypted"):
        _run(apply_restore(target, plan_restore(target, forged)))
    assert list(target.path.iterdir()) == []


def test_the_manifest_version_rises_only_for_a_backup_holding_encrypted_copies(mixed, tmp_path):
    ws, keys = mixed
    plain = _run(backup_workspace(ws, tmp_path / "plain.zip"))  # no passphrase: only the plain client
    secret = _run(backup_workspace(ws, tmp_path / "secret.zip", keys))
    versions = {}
    for result in (plain, secret):
        with zipfile.ZipFile(result.path) as archive:
            versions[result.path.name] = json.loads(archive.read("manifest.json"))["version"]
    assert versions == {"plain.zip": 1, "secret.zip": 2}  # an older app still restores a backup of plain files
    # a manifest written before encrypted copies existed (no "encrypted" field) still reads
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(plain.path) as source, zipfile.ZipFile(old, "w") as new:
        manifest = json.loads(source.read("manifest.json"))
        for client in manifest["clients"]:
            del client["encrypted"]
            new.writestr(client["member"], source.read(client["member"]))
        new.writestr("manifest.json", json.dumps(manifest))
    _, entries = read_backup(old)
    assert [e.stem for e in entries] == ["open-books-ltd"] and not entries[0].encrypted
    target = Workspace(tmp_path / "from-old")
    [restored] = _run(apply_restore(target, plan_restore(target, old)))
    assert client_dump(restored.path) == client_dump(ws.resolve("open-books-ltd"))


def test_an_automatic_backup_of_an_encrypted_client_is_encrypted_and_restores_beside_it(mixed, tmp_path):
    from vciso.backup import ENCRYPTED_NOTE
    from vciso.crypto import is_encrypted
    from vciso.errors import ClientFileEncrypted

    ws, keys = mixed
    beta = sorted(keys)[1]
    folder = tmp_path / "auto"
    with pytest.raises(ClientFileEncrypted):
        automatic_backup(beta, folder)
    made = automatic_backup(beta, folder, key=BETA)
    assert is_encrypted(made) and _private(made)
    assert BETA.encode() not in made.read_bytes() and NOTES["Beta Clinic"].encode() not in made.read_bytes()
    assert client_dump(made, BETA) == client_dump(beta, BETA)
    plan = plan_restore(ws, made)
    assert plan.problems == () and plan.items[0].notes == ("beta-clinic is taken", ENCRYPTED_NOTE)
    [restored] = _run(apply_restore(ws, plan))
    assert restored.path.name == "beta-clinic-restored.vciso" and restored.encrypted
    assert client_dump(restored.path, BETA) == client_dump(beta, BETA)


def _cli_mixed(tmp_path) -> tuple[Path, dict[str, str]]:
    """The plain and two encrypted clients in the `cli` fixture's workspace (tmp/ws)."""
    ws = Workspace(tmp_path / "ws")
    ws.create_client("Open Books Ltd").close()
    ws.create_client("Alpha Bank", key=ALPHA).close()
    ws.create_client("Beta Clinic", key=BETA).close()
    return ws.path, {"alpha-bank": ALPHA, "beta-clinic": BETA}


def test_cli_backup_tries_the_given_passphrase_on_every_encrypted_client_and_exits_3_when_one_is_left_out(
        cli, tmp_path, monkeypatch):
    _cli_mixed(tmp_path)
    monkeypatch.setenv("VCISO_PASSPHRASE", ALPHA)
    code, out, err = cli("backup", "-o", str(tmp_path / "b.zip"))
    assert code == 3
    assert err == ("vciso: warning: beta-clinic.vciso is not in the backup: beta-clinic.vciso: wrong passphrase — "
                   "the file was not opened and is unchanged\n")
    assert out == f"Backed up 2 clients to {tmp_path / 'b.zip'}; 1 client is not in it (see the warning above)\n"
    assert sorted(e.stem for e in read_backup(tmp_path / "b.zip")[1]) == ["alpha-bank", "open-books-ltd"]

    monkeypatch.delenv("VCISO_PASSPHRASE")
    code, out, err = cli("backup", "-o", str(tmp_path / "none.zip"))  # no terminal to ask on
    assert code == 3 and err.count("it is encrypted and its passphrase was not given") == 2
    assert "--passphrase-file" in err


def test_cli_backup_asks_each_locked_clients_passphrase_on_a_terminal_and_enter_skips_it(cli, tmp_path,
                                                                                        monkeypatch):
    import getpass
    import sys

    _cli_mixed(tmp_path)
    monkeypatch.delenv("VCISO_PASSPHRASE", raising=False)
    monkeypatch.setenv("VCISO_NO_PROGRESS", "1")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    asked = []
    answers = {"alpha-bank.vciso": ALPHA, "beta-clinic.vciso": ""}
    monkeypatch.setattr(getpass, "getpass",
                        lambda prompt: asked.append(prompt) or answers[prompt.split()[4]])
    code, out, err = cli("backup", "-o", str(tmp_path / "b.zip"))
    assert asked == ["Passphrase for locked client alpha-bank.vciso (Enter to skip): ",
                     "Passphrase for locked client beta-clinic.vciso (Enter to skip): "]
    assert code == 3 and "beta-clinic.vciso is not in the backup: it is encrypted and its passphrase was not " \
                         "given" in err
    answers["beta-clinic.vciso"] = BETA
    code, out, err = cli("backup", "-o", str(tmp_path / "all.zip"))
    assert code == 0 and err == "" and out == f"Backed up 3 clients to {tmp_path / 'all.zip'}\n"


def test_cli_restore_says_an_encrypted_client_opens_with_its_own_passphrase(cli, tmp_path, monkeypatch):
    from vciso.crypto import is_encrypted

    _cli_mixed(tmp_path)
    passphrase_file = tmp_path / "pass.txt"
    passphrase_file.write_text(BETA + "\n")
    passphrase_file.chmod(0o600)
    monkeypatch.delenv("VCISO_PASSPHRASE", raising=False)
    code, _, _ = cli("--passphrase-file", str(passphrase_file), "backup", "-o", str(tmp_path / "b.zip"))
    assert code == 3
    code, out, err = cli("restore", str(tmp_path / "b.zip"))
    assert code == 0 and err == ""
    assert ("Restoring beta-clinic.vciso as beta-clinic-restored.vciso (beta-clinic is taken; encrypted — "
            "opens with its own passphrase)") in out
    assert "Restoring Open Books Ltd (restored " in out and "Restored 2 clients" in out
    assert is_encrypted(tmp_path / "ws" / "beta-clinic-restored.vciso")
    code, out, err = cli("--passphrase-file", str(passphrase_file), "restore", str(tmp_path / "b.zip"))
    assert code == 0 and "beta-clinic-restored-2.vciso: “Beta Clinic (restored " in out

