"""Encrypted client files (SQLCipher 4): unreadable on disk, opened only with their passphrase, refused
untouched with a wrong one, round-tripped without losing a row, crash-safe, and listed "locked"."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from client_dump import client_dump
from core_fixtures import synthetic_questionnaire
from test_durability import _writer, killed_mid_stream
from vciso.cli import main
from vciso.clientfile import ClientFile, read_summary
from vciso.crypto import decrypt_file, encrypt_file, is_encrypted, rekey_file
from vciso.demo import DEMO_NAME, create_demo
from vciso.errors import ClientFileEncrypted, VcisoError, WrongPassphrase
from vciso.library import load_library
from vciso.workspace import Workspace

NOTE = "Backups never tested; the NAS admin password is on a sticky note"
PASSPHRASE = "correct horse battery staple"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo(tmp_path) -> Path:
    """The demo client (answers, history, events, roadmap) with a note of our own, as a plain file."""
    ws = Workspace(tmp_path / "ws")
    with create_demo(ws, load_library(None)) as client:
        latest = client.assessment()
        if latest.status != "in progress":
            client.reopen_assessment(latest.id)
        question = next(iter(client.responses(latest.id)))
        client.save_answer(latest.id, question, note=NOTE)
        return client.path


def test_an_encrypted_file_holds_neither_the_client_name_nor_a_note(demo):
    plain = demo.read_bytes()
    assert DEMO_NAME.encode() in plain and NOTE.encode() in plain  # the check below can see them
    encrypt_file(demo, PASSPHRASE)
    data = demo.read_bytes()
    assert data[:16] != b"SQLite format 3\x00"
    assert DEMO_NAME.encode() not in data
    assert NOTE.encode() not in data and NOTE.encode("utf-16-le") not in data
    assert is_encrypted(demo)
    assert not list(demo.parent.glob(".*.tmp")), "no temporary copy is left beside the file"


def test_the_right_passphrase_opens_it_and_a_wrong_one_is_refused_leaving_the_file_untouched(demo):
    encrypt_file(demo, PASSPHRASE)
    before = _sha256(demo)
    with pytest.raises(WrongPassphrase, match="wrong passphrase") as caught:
        ClientFile(demo, key="not the passphrase")
    assert "\n" not in str(caught.value)
    with pytest.raises(WrongPassphrase):
        read_summary(demo, key="not the passphrase")
    with pytest.raises(ClientFileEncrypted, match="encrypted"):
        ClientFile(demo)
    assert _sha256(demo) == before
    assert not Path(f"{demo}-journal").exists()
    with ClientFile(demo, key=PASSPHRASE) as client:
        assert client.encrypted
        assert client.profile().name == DEMO_NAME
        assert client.integrity_check() == "ok"
        latest = client.assessment()
        assert any(r.note == NOTE for r in client.responses(latest.id).values())


def test_encrypt_then_decrypt_keeps_every_answer_history_row_and_roadmap_item(demo):
    before = client_dump(demo)
    assert any(a["roadmap"] for a in before["assessments"]) and any(a["history"] for a in before["assessments"])
    encrypt_file(demo, PASSPHRASE)
    assert client_dump(demo, key=PASSPHRASE) == before
    rekey_file(demo, PASSPHRASE, "a new one")
    with pytest.raises(WrongPassphrase):
        client_dump(demo, key=PASSPHRASE)
    assert client_dump(demo, key="a new one") == before
    decrypt_file(demo, "a new one")
    assert demo.read_bytes()[:16] == b"SQLite format 3\x00"
    assert client_dump(demo) == before


def test_a_wrong_passphrase_neither_decrypts_nor_rekeys_and_changes_nothing(demo):
    encrypt_file(demo, PASSPHRASE)
    before = _sha256(demo)
    with pytest.raises(WrongPassphrase):
        decrypt_file(demo, "wrong")
    with pytest.raises(WrongPassphrase):
        rekey_file(demo, "wrong", "another passphrase")
    assert _sha256(demo) == before
    assert sorted(p.name for p in demo.parent.iterdir()) == [demo.name]


def test_changes_to_an_encrypted_file_are_saved_encrypted(demo):
    encrypt_file(demo, PASSPHRASE)
    with ClientFile(demo, key=PASSPHRASE) as client:
        latest = client.assessment()
        question = next(iter(client.responses(latest.id)))
        client.save_answer(latest.id, question, note="Rotated the NAS password in November")
    assert b"Rotated the NAS" not in demo.read_bytes()
    with ClientFile(demo, key=PASSPHRASE) as client:
        assert client.response(latest.id, question).note == "Rotated the NAS password in November"


def test_a_client_can_be_created_encrypted(tmp_path):
    ws = Workspace(tmp_path / "ws")
    with ws.create_client("Globex Secret Project", key=PASSPHRASE, notes=NOTE) as client:
        path = client.path
    assert is_encrypted(path) and b"Globex" not in path.read_bytes()
    assert read_summary(path, key=PASSPHRASE).profile.notes == NOTE


def _sigkill_writer(path: Path, aid: int, monkeypatch) -> list[str]:
    monkeypatch.setenv("ANSWER_WRITER_PASSPHRASE", PASSPHRASE)
    return killed_mid_stream(path, aid)


def test_sigkill_mid_stream_on_an_encrypted_file_loses_no_answer_reported_saved(tmp_path, monkeypatch):
    ws = Workspace(tmp_path / "ws")
    with ws.create_client("Durable", key=PASSPHRASE) as client:
        aid = client.create_assessment(synthetic_questionnaire(1, 600)).id
        path = client.path
    reported = _sigkill_writer(path, aid, monkeypatch)
    with ClientFile(path, key=PASSPHRASE) as client:
        stored = client.responses(aid)
        assert client.integrity_check() == "ok"
    assert len(reported) >= 40
    assert [qid for qid in reported if qid not in stored] == []
    for qid in reported:
        assert stored[qid].note == f"killed {int(qid[-4:])}"
    assert is_encrypted(path) and b"killed 1" not in path.read_bytes()


def test_two_processes_answering_one_encrypted_file_store_everything(tmp_path, monkeypatch):
    ws = Workspace(tmp_path / "ws")
    with ws.create_client("Shared", key=PASSPHRASE) as client:
        aid = client.create_assessment(synthetic_questionnaire(1, 200)).id
        path = client.path
    monkeypatch.setenv("ANSWER_WRITER_PASSPHRASE", PASSPHRASE)
    first, second = _writer(path, aid, "first", 0, 80), _writer(path, aid, "second", 50, 130)
    out_first, _ = first.communicate(timeout=120)
    out_second, _ = second.communicate(timeout=120)
    assert first.returncode == 0 and second.returncode == 0
    assert out_first.count("saved") == 80 and out_second.count("saved") == 80
    with ClientFile(path, key=PASSPHRASE) as client:
        assert len(client.responses(aid)) == 130 and len(client.history(aid)) == 160
        assert client.integrity_check() == "ok"


def test_three_clients_with_different_passphrases_share_a_workspace_and_list_locked(tmp_path):
    keys = {"Alpha Bank": "alpha pass", "Beta Clinic": "beta pass", "Gamma Mills": "gamma pass"}
    ws = Workspace(tmp_path / "ws")
    for name, key in keys.items():
        ws.create_client(name, key=key).close()
    ws.create_client("Open Books Ltd").close()  # a plain one beside them

    listing = Workspace(ws.path).list_clients()
    assert [entry.name for entry in listing if entry.ok] == ["Open Books Ltd"]
    locked = [entry for entry in listing if entry.locked]
    assert [entry.file_id for entry in locked] == ["alpha-bank", "beta-clinic", "gamma-mills"]
    assert all(entry.profile is None and "locked" in entry.error for entry in locked)

    asked: list[str] = []

    def passphrase_for(path: Path) -> str:
        asked.append(path.stem)
        return {"alpha-bank": "alpha pass", "beta-clinic": "beta pass", "gamma-mills": "gamma pass"}[path.stem]

    fresh = Workspace(ws.path, passphrase_for)
    for name in keys:
        with fresh.open_client(name.lower().replace(" ", "-")) as client:
            assert client.profile().name == name
    with fresh.open_client("alpha-bank"):
        pass
    assert asked == ["alpha-bank", "beta-clinic", "gamma-mills"], "asked once each per run"
    assert [entry.name for entry in fresh.list_clients()] == ["Alpha Bank", "Beta Clinic", "Gamma Mills",
                                                              "Open Books Ltd"]
    with pytest.raises(WrongPassphrase):
        ClientFile(ws.path / "beta-clinic.vciso", key="alpha pass")


def test_the_command_line_encrypts_lists_locked_opens_with_a_passphrase_and_decrypts(tmp_path, monkeypatch,
                                                                                    capfd):
    capsys = capfd  # file descriptors: SQLCipher's own logging (silenced) would write to fd 2
    monkeypatch.delenv("VCISO_PASSPHRASE", raising=False)
    monkeypatch.delenv("VCISO_NEW_PASSPHRASE", raising=False)
    ws = tmp_path / "ws"
    passphrase_file = tmp_path / "pass.txt"
    passphrase_file.write_text(PASSPHRASE + "\n")
    passphrase_file.chmod(0o600)
    base = ["--workspace", str(ws)]
    assert main([*base, "client", "new", "Initech"]) == 0
    assert main([*base, "--passphrase-file", str(passphrase_file), "client", "encrypt", "initech"]) == 0
    assert is_encrypted(ws / "initech.vciso")
    capsys.readouterr()

    assert main([*base, "client", "list"]) == 0
    out = capsys.readouterr().out
    assert "LOCKED" in out and "Initech" not in out

    assert main([*base, "client", "show", "initech"]) == 1  # no passphrase, no terminal
    assert "--passphrase-file" in capsys.readouterr().err
    monkeypatch.setenv("VCISO_PASSPHRASE", "wrong")
    before = _sha256(ws / "initech.vciso")
    assert main([*base, "client", "show", "initech"]) == 1
    err = capsys.readouterr().err
    assert "wrong passphrase" in err and err.count("\n") == 1
    assert _sha256(ws / "initech.vciso") == before
    monkeypatch.setenv("VCISO_PASSPHRASE", PASSPHRASE)
    assert main([*base, "client", "show", "initech"]) == 0
    assert "Initech" in capsys.readouterr().out
    assert main([*base, "assessment", "new", "initech", "small-business-essentials"]) == 0
    assert main([*base, "answer", "initech", "1", "ACC-01", "2", "--note", "TPS reports"]) == 0

    monkeypatch.setenv("VCISO_NEW_PASSPHRASE", "rotated passphrase")
    assert main([*base, "client", "rekey", "initech"]) == 0
    monkeypatch.delenv("VCISO_PASSPHRASE")
    assert main([*base, "--passphrase-file", str(passphrase_file), "client", "show", "initech"]) == 1
    assert "wrong passphrase" in capsys.readouterr().err
    monkeypatch.setenv("VCISO_PASSPHRASE", "rotated passphrase")
    assert main([*base, "client", "decrypt", "initech"]) == 0
    monkeypatch.delenv("VCISO_PASSPHRASE")
    assert not is_encrypted(ws / "initech.vciso")
    with ClientFile(ws / "initech.vciso") as client:
        assert client.response(1, "ACC-01").note == "TPS reports"
    capsys.readouterr()
    assert main([*base, "client", "list"]) == 0
    assert "Initech" in capsys.readouterr().out


def test_a_new_passphrase_shorter_than_eight_characters_is_refused_before_anything_is_written(demo, tmp_path):
    before = _sha256(demo)
    with pytest.raises(VcisoError, match="at least 8 characters \\(5 given\\)"):
        encrypt_file(demo, "short")
    assert _sha256(demo) == before and sorted(p.name for p in demo.parent.iterdir()) == [demo.name]
    encrypt_file(demo, PASSPHRASE)
    before = _sha256(demo)
    with pytest.raises(VcisoError, match="at least 8 characters"):
        rekey_file(demo, PASSPHRASE, "1234567")
    assert _sha256(demo) == before
    ws = Workspace(tmp_path / "other")
    with pytest.raises(VcisoError, match="at least 8 characters"):
        ws.create_client("Tiny Key Ltd", key="abc")
    assert not ws.path.exists() or not list(ws.path.glob("*.vciso"))


def test_the_command_line_creates_a_client_encrypted(tmp_path, monkeypatch, capfd):
    monkeypatch.setenv("VCISO_PASSPHRASE", PASSPHRASE)
    ws = tmp_path / "ws"
    assert main(["--workspace", str(ws), "client", "new", "Globex Corp", "--encrypt"]) == 0
    assert "encrypted" in capfd.readouterr().out
    path = ws / "globex-corp.vciso"
    assert is_encrypted(path) and b"Globex" not in path.read_bytes()
    with ClientFile(path, key=PASSPHRASE) as client:
        assert client.profile().name == "Globex Corp"
    monkeypatch.setenv("VCISO_PASSPHRASE", "short")
    assert main(["--workspace", str(ws), "client", "new", "Tiny Co", "--encrypt"]) == 1
    assert "at least 8 characters" in capfd.readouterr().err
    assert sorted(p.name for p in ws.glob("*.vciso")) == ["globex-corp.vciso"]


def test_encrypting_twice_or_decrypting_a_plain_file_is_refused_clearly(demo):
    with pytest.raises(Exception, match="not encrypted"):
        decrypt_file(demo, PASSPHRASE)
    encrypt_file(demo, PASSPHRASE)
    with pytest.raises(Exception, match="already encrypted"):
        encrypt_file(demo, PASSPHRASE)


def test_an_older_release_file_encrypted_is_migrated_when_opened_with_its_passphrase(tmp_path):
    import shutil

    from vciso.schema import known_migrations, migrations

    fixture = Path(__file__).with_name("fixtures") / "clientfiles" / "release-0.1-demo.vciso"
    old, plain = tmp_path / "ws" / "old.vciso", tmp_path / "plain.vciso"
    old.parent.mkdir()
    shutil.copyfile(fixture, old)
    shutil.copyfile(fixture, plain)
    ClientFile(plain).close()  # the same file upgraded unencrypted, to compare with
    before = client_dump(plain)
    encrypt_file(old, PASSPHRASE)  # encrypted as release 0.1 left it, then upgraded when opened
    with ClientFile(old, key=PASSPHRASE) as client:
        applied = {row[0] for row in client.rows(
            f"SELECT name FROM {migrations.migrations_table} WHERE migration_set = ?", (migrations.name,))}
        assert client.integrity_check() == "ok"
    assert set(known_migrations()) <= applied
    after = client_dump(old, key=PASSPHRASE)
    assert [a["responses"] for a in after["assessments"]] == [a["responses"] for a in before["assessments"]]
    assert [a["history"] for a in after["assessments"]] == [a["history"] for a in before["assessments"]]
    assert is_encrypted(old)


def test_the_command_line_asks_on_a_terminal_without_echo_when_no_file_or_variable_gives_it(tmp_path,
                                                                                           monkeypatch):
    import getpass
    import sys

    from vciso.commands.crypto import current_passphrase

    monkeypatch.delenv("VCISO_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    prompts = []
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or "typed")

    class Args:
        passphrase_file = None

    assert current_passphrase(Args(), tmp_path / "acme.vciso") == "typed"
    assert prompts == ["Passphrase for acme: "]
    monkeypatch.setenv("VCISO_PASSPHRASE", "from env")
    assert current_passphrase(Args(), tmp_path / "acme.vciso") == "from env"
    key_file = tmp_path / "key"
    key_file.write_text("from file\nignored second line\n")
    Args.passphrase_file = str(key_file)
    assert current_passphrase(Args(), tmp_path / "acme.vciso") == "from file"


def test_a_crash_inside_a_commit_of_an_encrypted_file_is_rolled_back_when_it_is_next_read(demo):
    from fault_helpers import crash_inside_a_commit
    from vciso.backup import copy_client_file
    from vciso.portfolio import portfolio_row

    encrypt_file(demo, PASSPHRASE)
    with ClientFile(demo, key=PASSPHRASE) as client:
        latest = client.assessment()
        notes = {qid: r.note for qid, r in client.responses(latest.id).items()}
    crash_inside_a_commit(demo, PASSPHRASE)
    assert read_summary(demo, key=PASSPHRASE).profile.name == DEMO_NAME  # a read-only look rolls it back
    assert not Path(f"{demo}-journal").exists() or Path(f"{demo}-journal").stat().st_size == 0
    assert portfolio_row(demo, key=PASSPHRASE).ok
    copy_client_file(demo, demo.with_name("copy.vciso"), key=PASSPHRASE)
    with ClientFile(demo, key=PASSPHRASE) as client:  # the last committed state
        assert {qid: r.note for qid, r in client.responses(latest.id).items()} == notes
        assert client.integrity_check() == "ok"


def test_a_follow_up_and_every_deliverable_work_on_an_encrypted_client(demo, tmp_path, monkeypatch, capfd):
    """Follow-ups, the PDF, workbook, Word and progress reports, evidence and the score on an encrypted file:
    the deliverables hold the client's data (they are what is handed over), the client file never does."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    encrypt_file(demo, PASSPHRASE)
    monkeypatch.setenv("VCISO_PASSPHRASE", PASSPHRASE)
    base = ["--workspace", str(demo.parent)]
    client = demo.stem
    assert main([*base, "assessment", "new", client, "small-business-essentials", "--name", "Year two",
                 "--from", ""]) == 0
    assert main([*base, "answer", client, "Year two", "BAK-01", "4", "--established", "tested"]) == 0
    evidence = tmp_path / "restore-test.txt"
    evidence.write_text("restored 12 files in 4 minutes", encoding="utf-8")
    assert main([*base, "evidence", "add", client, "Year two", "BAK-01", str(evidence)]) == 0
    for kind, suffix in (("pdf", ".pdf"), ("xlsx", ".xlsx"), ("docx", ".docx"), ("progress", ".pdf")):
        out = tmp_path / f"{kind}{suffix}"
        assert main([*base, "export", kind, client, "Year two", "-o", str(out)]) == 0, capfd.readouterr().err
        assert out.stat().st_size > 0
    text = " ".join((page.extract_text() or "") for page in PdfReader(tmp_path / "pdf.pdf").pages)
    assert DEMO_NAME in text and "restore-test.txt" in text and "Year two" in text
    assert "Evidence" in load_workbook(tmp_path / "xlsx.xlsx").sheetnames
    assert is_encrypted(demo) and DEMO_NAME.encode() not in demo.read_bytes()
    assert b"restored 12 files" not in demo.read_bytes()


def test_client_list_names_the_encrypted_clients_the_given_passphrase_opens(tmp_path, monkeypatch, capfd):
    ws = Workspace(tmp_path / "ws")
    ws.create_client("Alpha Bank", key="alpha passphrase").close()
    ws.create_client("Beta Clinic", key="beta passphrase").close()
    base = ["--workspace", str(ws.path), "client", "list"]
    monkeypatch.setenv("VCISO_PASSPHRASE", "alpha passphrase")
    assert main(base) == 0
    out = capfd.readouterr().out
    assert "Alpha Bank" in out and "Beta Clinic" not in out and "beta-clinic" in out and "LOCKED" in out
    monkeypatch.delenv("VCISO_PASSPHRASE")
    assert main(base) == 0
    assert "Alpha Bank" not in capfd.readouterr().out
