"""Fault injection: every fault leaves the client's data intact and names its real cause in one line.

Crashes inside a commit, full disks, read-only workspaces, foreign and future files. Tests that mount a
small tmpfs or a read-only bind mount need root; they skip with the reason elsewhere (CI runs as root).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from core_fixtures import worked_example_questionnaire
from fault_helpers import crash_inside_a_commit, mount as _mount, umount as _umount
from vciso.clientfile import ClientFile, read_summary
from vciso.errors import ClientFileCorrupt, ClientFileTooNew, DiskFull, ReadOnlyStorage
from vciso.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sqlite_file(path: Path, *statements: str) -> Path:
    """A SQLite file made by someone else, with these statements run in it."""
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()
    return path


def _client_with_answers(folder: Path, name: str = "Acme") -> tuple[Path, int]:
    with Workspace(folder).create_client(name) as client:
        aid = client.create_assessment(worked_example_questionnaire(), "Baseline").id
        client.save_answer(aid, "A1", current=1, note="before the crash")
        return client.path, aid


# ----------------------------------------------------------------------------- crash inside a commit

def test_a_crash_inside_a_commit_does_not_make_the_client_look_damaged(tmp_path):
    path, aid = _client_with_answers(tmp_path / "ws")
    crash_inside_a_commit(path)
    listing = Workspace(tmp_path / "ws").list_clients()[0]
    assert listing.ok, listing.error
    assert read_summary(path).profile.name == "Acme"
    with ClientFile(path) as client:  # rolled back to the last committed state
        assert client.response(aid, "A1").note == "before the crash"
        assert client.integrity_check() == "ok"


# ----------------------------------------------------------------------------- foreign and future files

def test_a_foreign_wal_database_is_refused_and_left_unchanged(tmp_path):
    path = _sqlite_file(tmp_path / "x.vciso", "PRAGMA journal_mode = WAL", "CREATE TABLE photos (name TEXT)",
                        "INSERT INTO photos VALUES ('holiday.jpg')")
    before = _digest(path)
    with pytest.raises(ClientFileCorrupt, match="not a vCISO client file"):
        ClientFile(path)
    assert _digest(path) == before


def test_a_file_with_our_marker_but_no_schema_record_is_refused_without_a_write(tmp_path):
    path = _sqlite_file(tmp_path / "half.vciso", "CREATE TABLE file_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                        "INSERT INTO file_info VALUES ('kind', 'vciso-client')")
    before = _digest(path)
    with pytest.raises(ClientFileCorrupt, match="schema record is missing"):
        ClientFile(path)
    assert _digest(path) == before


def _from_the_future(path: Path) -> None:
    _sqlite_file(path, "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                       " VALUES ('vciso-client', '0099_portfolio', '2027-06-01')")


def test_a_file_from_a_newer_version_is_read_but_never_written(tmp_path, cli):
    path, aid = _client_with_answers(tmp_path / "ws")
    _from_the_future(path)
    before = _digest(path)
    with ClientFile(path) as client:
        assert client.read_only and client.newer_schema == "0099_portfolio"
        assert client.response(aid, "A1").current == 1.0
        with pytest.raises(ClientFileTooNew, match="written by a newer vCISO Workbench"):
            client.save_answer(aid, "A2", current=3)
    code, out, err = cli("--workspace", str(tmp_path / "ws"), "answer", "Acme", "", "A2", "3")
    assert code == 1 and err == ("vciso: acme.vciso was written by a newer vCISO Workbench (schema "
                                 "0099_portfolio); update the app to change it\n")
    code, out, err = cli("--workspace", str(tmp_path / "ws"), "score", "Acme", "--json")
    assert code == 0 and err == ""
    assert _digest(path) == before


# ----------------------------------------------------------------------------- full disk, read-only workspace

def test_a_full_disk_says_so_and_keeps_every_saved_answer(tmp_path, cli):
    disk = tmp_path / "small"
    _mount("tmpfs", disk, size_kb=400)
    try:
        path, aid = _client_with_answers(disk / "ws")
        filler = disk / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)   # leave no room at all
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(fd)
        with ClientFile(path) as client:
            with pytest.raises(DiskFull, match=r"the disk is full \(\d+ MB free\); nothing was saved"):
                client.save_answer(aid, "A2", current=3, note="n" * 50_000)
        code, _, err = cli("--workspace", str(disk / "ws"), "answer", "Acme", "", "A2", "3", "--note", "n" * 50_000)
        assert code == 1 and err.count("\n") == 1 and "the disk is full" in err and "unexpected" not in err
        code, _, err = cli("--workspace", str(disk / "ws"), "client", "new", "Beta")
        assert code == 1 and "the disk is full" in err and "damaged" not in err, err
        assert not list((disk / "ws").glob("beta*"))   # no half-made client left behind
        filler.unlink()
        with ClientFile(path) as client:
            assert client.response(aid, "A1").note == "before the crash"
            assert client.response(aid, "A2") is None
            assert client.integrity_check() == "ok"
    finally:
        _umount(disk)


def test_a_read_only_workspace_says_so(tmp_path, cli):
    folder = tmp_path / "ro"
    path, aid = _client_with_answers(folder / "ws")
    before = _digest(path)
    _mount("bind", folder)
    try:
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], capture_output=True).returncode:
            pytest.skip("this machine does not allow a read-only remount")
        with pytest.raises(ReadOnlyStorage, match="the workspace is read-only"):
            with ClientFile(path) as client:
                client.save_answer(aid, "A2", current=3)
        code, _, err = cli("--workspace", str(folder / "ws"), "answer", "Acme", "", "A2", "3")
        assert code == 1 and err.count("\n") == 1 and "read-only" in err and "unexpected" not in err, err
        assert Workspace(folder / "ws").list_clients()[0].ok
    finally:
        _umount(folder)
    assert _digest(path) == before


# ----------------------------------------------------------------------------- the listing and busy writers

def test_the_listing_waits_for_busy_writers_instead_of_giving_up(tmp_path):
    path, aid = _client_with_answers(tmp_path / "ws")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")   # a writer in the middle of a long commit
    import threading
    timer = threading.Timer(3.0, lambda: holder.execute("COMMIT"))
    timer.start()
    try:
        listing = Workspace(tmp_path / "ws").list_clients()[0]
    finally:
        timer.join()
        holder.close()
    assert listing.ok, listing.error


def test_the_app_opens_a_file_from_a_newer_version_read_only(open_window, qtbot, demo_workspace):
    path = next(demo_workspace.glob("*.vciso"))
    _from_the_future(path)
    before = _digest(path)
    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    assert window.read_only and not window.edit_client_action.isEnabled()
    assert window.page.read_only_badge.text() == "Read-only — written by a newer version of vCISO Workbench"
    assert not window.page.read_only_badge.isHidden()
    window.page.walkthrough.panel.choose_key("4")   # a key press changes nothing
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    window.close()
    assert _digest(path) == before
    assert not Path(f"{path}.lock").exists()


def test_json_answers_of_the_wrong_type_are_named_and_nothing_is_written(tmp_path, cli):
    import json

    ws = str(tmp_path / "ws")
    cli("--workspace", ws, "client", "new", "Acme")
    cli("--workspace", ws, "assessment", "new", "Acme", "small-business-essentials")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": [
        {"question_id": "ACC-01", "level": 2},
        {"question_id": "ACC-02", "level": 1, "flagged": "no"},
        {"question_id": "ACC-03", "level": 1, "note": {"text": "an object"}},
        {"question_id": "BAK-01", "level": True},
        {"question_id": "BAK-02", "notes": "a typo of note"}]}))
    code, out, err = cli("--workspace", ws, "answers", "import", "Acme", "", str(answers))
    assert code == 1
    assert "answer #2 (ACC-02): flagged must be true or false" in err
    assert "answer #3 (ACC-03): note must be text" in err
    assert "answer #4 (BAK-01): level must be a level value or label" in err
    assert "answer #5 (BAK-02): unknown field 'notes'" in err
    code, out, _ = cli("--workspace", ws, "score", "Acme", "--json")
    assert json.loads(out)["overall"]["answered"] == 0   # not even the valid first answer


def test_control_characters_in_a_client_name_never_reach_the_terminal(tmp_path, cli):
    import json

    ws = str(tmp_path / "ws")
    evil = "Evil\x1b]0;owned\x07\x1b[2J\x9bCorp"
    code, out, err = cli("--workspace", ws, "client", "new", evil)
    assert code == 0 and "\x1b" not in out + err and "\\x1b]0;owned\\x07" in out
    code, out, err = cli("--workspace", ws, "client", "list")
    assert code == 0 and not any(ch in out for ch in "\x1b\x07\x9b") and "Evil\\x1b]0;owned" in out
    code, out, err = cli("--workspace", ws, "client", "list", "--json")
    assert not any(ch in out for ch in "\x1b\x07\x9b")
    assert json.loads(out)[0]["name"] == evil   # JSON keeps the name exactly, as escapes


def _rows_bomb(rows: int) -> bytes:
    """A sheet of `rows` one-cell rows: compresses to a few hundred KB, unpacks to over a hundred MB."""
    head = b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/' \
           b'spreadsheetml/2006/main"><sheetData>'
    body = b"<row><c><v>1</v></c></row>" * 200   # rows without numbers: each one is the next row
    chunks = [head]
    for _ in range(rows // 200):
        chunks.append(body)
    chunks.append(b"</sheetData></worksheet>")
    return b"".join(chunks)


def test_a_workbook_that_unpacks_to_millions_of_rows_is_refused_while_it_streams(tmp_path, cli):
    import time
    import zipfile

    ws = str(tmp_path / "ws")
    cli("--workspace", ws, "client", "new", "Acme")
    cli("--workspace", ws, "assessment", "new", "Acme", "small-business-essentials")
    exported = tmp_path / "q.xlsx"
    assert cli("--workspace", ws, "export", "questionnaire", "Acme", "-o", str(exported))[0] == 0
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet2.xml":     # the Questions sheet
                data = _rows_bomb(4_000_000)
            target.writestr(item, data, zipfile.ZIP_DEFLATED)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    started = time.monotonic()
    code, out, err = cli("--workspace", ws, "answers", "import", "Acme", "", str(bomb))
    elapsed = time.monotonic() - started
    assert code == 1 and err.count("\n") == 1 and "more than 25,000 rows" in err, err
    assert elapsed < 10   # refused while streaming (well under a second here), not after reading 4 M rows
