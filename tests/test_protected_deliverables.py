"""Password-protected deliverables: a PDF (AES-256), a Word report and an Excel workbook (Office encryption)
that cannot be read without the password and can with it, written from the registry, the command line and
the app; the password is never kept, printed or logged."""

from __future__ import annotations

import errno
import gc
import io
import sys
from pathlib import Path

import docx
import msoffcrypto
import openpyxl
import pytest
from msoffcrypto.exceptions import InvalidKeyError
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from core_fixtures import demo_workspace_and_report
from exports import registry
from exports.progress import run_to_end
from exports.registry import ExportOptions
from ui import prompts
from ui.prompts import ask_password as real_ask_password  # before conftest's autouse stand-in replaces it
from vciso.errors import DiskFull, ProtectionError
from vciso.password_file import read_password_file

ROOT = Path(__file__).resolve().parent.parent
CLIENT = "bright-smile-dental-group"
CLIENT_NAME = "Bright Smile Dental Group"
PASSWORD = "Tr0ub4dor & 3 horses"  # spaces and an ampersand: kept as typed
EARLIER = b"the earlier file of this name, which must survive\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo client's workspace and a report of its latest assessment."""
    return demo_workspace_and_report(tmp_path_factory.mktemp("protected"))


def _export(report, kind: str, path: Path, password: str | None = PASSWORD) -> list[tuple[int, int, str]]:
    steps, seen = registry.write(kind, report, path, ExportOptions(password=password)), []
    while True:
        try:
            seen.append(next(steps))
        except StopIteration:
            return seen


def _temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


def _office_decrypted(path: Path, password: str) -> io.BytesIO:
    with open(path, "rb") as handle:
        office = msoffcrypto.OfficeFile(handle)
        assert office.is_encrypted()
        office.load_key(password=password, verify_password=True)
        plain = io.BytesIO()
        office.decrypt(plain)
    plain.seek(0)
    return plain


# ----------------------------------------------------------------------------- the files themselves

def test_a_protected_pdf_cannot_be_read_without_the_password_and_can_with_it(demo, tmp_path):
    _, report = demo
    path = tmp_path / "report.pdf"
    steps = _export(report, "pdf", path)
    assert steps[-1] == (steps[-1][1], steps[-1][1], "Saved report.pdf (password-protected)")
    assert ("Protecting with the password" in [message for _, _, message in steps])
    assert all(step <= total for step, total, _ in steps)

    locked = PdfReader(path)
    assert locked.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        locked.pages[0].extract_text()
    assert not locked.decrypt("wrong password")
    assert not PdfReader(path).decrypt(PASSWORD[:-1])  # every character counts

    encryption = PdfReader(path).trailer["/Encrypt"]
    assert (encryption["/V"], encryption["/R"], encryption["/Length"]) == (5, 6, 256)  # AES-256, PDF 2.0 hash
    assert encryption["/CF"]["/StdCF"]["/CFM"] == "/AESV3"

    reader = PdfReader(path)
    assert reader.decrypt(PASSWORD)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert CLIENT_NAME in text and "Roadmap" in text
    assert _temporary_files(tmp_path) == []


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_a_protected_workbook_or_word_report_opens_only_with_the_password(demo, tmp_path, kind):
    _, report = demo
    path = tmp_path / f"deliverable.{kind}"
    _export(report, kind, path)

    assert path.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE container: Office's encrypted form
    open_as_is = openpyxl.load_workbook if kind == "xlsx" else docx.Document
    with pytest.raises(Exception):  # neither library can open it as it is
        open_as_is(str(path))
    with pytest.raises(InvalidKeyError):
        _office_decrypted(path, "wrong password")

    plain = _office_decrypted(path, PASSWORD)
    if kind == "xlsx":
        workbook = openpyxl.load_workbook(plain)
        cells = [str(c.value) for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value]
        assert any(CLIENT_NAME in value for value in cells)
    else:
        paragraphs = [p.text for p in docx.Document(plain).paragraphs]
        assert any(CLIENT_NAME in text for text in paragraphs)
    assert _temporary_files(tmp_path) == []


def test_the_unprotected_file_never_appears_under_its_name(demo, tmp_path):
    """Until the file is encrypted its name holds the earlier file; a reader never sees it unprotected."""
    _, report = demo
    path = tmp_path / "report.pdf"
    path.write_bytes(EARLIER)
    steps = registry.write("pdf", report, path, ExportOptions(password=PASSWORD))
    for _step, _total, message in steps:
        if message == "Protecting with the password":
            assert path.read_bytes() == EARLIER
            assert len(_temporary_files(tmp_path)) == 1  # the writer's finished, still unprotected file
    assert PdfReader(path).is_encrypted and _temporary_files(tmp_path) == []


def test_without_a_password_the_files_are_as_before(demo, tmp_path):
    _, report = demo
    path = tmp_path / "report.pdf"
    run_to_end(registry.write("pdf", report, path))
    assert not PdfReader(path).is_encrypted
    run_to_end(registry.write("xlsx", report, tmp_path / "workbook.xlsx", ExportOptions(password=None)))
    assert openpyxl.load_workbook(tmp_path / "workbook.xlsx").worksheets


def test_a_password_is_refused_for_a_kind_that_cannot_carry_it_or_when_empty(demo, tmp_path):
    _, report = demo
    assert [kind for kind in registry.KINDS if registry.exporter(kind).protectable] == ["pdf", "xlsx", "docx", "progress"]
    for kind in ("questionnaire", "ics"):
        path = tmp_path / f"x{registry.exporter(kind).suffix}"
        with pytest.raises(ProtectionError, match="cannot be protected with a password"):
            registry.write(kind, report, path, ExportOptions(password=PASSWORD))  # before the first step
        assert not path.exists()
    with pytest.raises(ProtectionError, match="empty password"):
        registry.write("pdf", report, tmp_path / "x.pdf", ExportOptions(password=""))
    assert list(tmp_path.iterdir()) == []


def test_the_password_is_not_in_the_options_shown(demo):
    options = ExportOptions(paper_size="A4", password=PASSWORD)
    assert PASSWORD not in repr(options) and PASSWORD not in str(options)


def test_a_full_disk_while_encrypting_keeps_the_earlier_file_and_names_the_deliverable(demo, tmp_path, monkeypatch):
    """The encryption writes a second copy: the disk refusing it is the same one-line DiskFull as any export,
    said of the deliverable (not of its temporary file), with the earlier file kept and nothing left over."""
    import pikepdf

    _, report = demo

    def no_space(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pikepdf.Pdf, "save", no_space)
    path = tmp_path / "report.pdf"
    path.write_bytes(EARLIER)
    with pytest.raises(DiskFull) as caught:
        run_to_end(registry.write("pdf", report, path, ExportOptions(password=PASSWORD)))
    message = str(caught.value)
    assert message.startswith("report.pdf: the disk is full (") and message.endswith("the file was not written")
    assert PASSWORD not in message
    assert path.read_bytes() == EARLIER and _temporary_files(tmp_path) == []


def test_a_really_full_disk_is_said_of_the_deliverable(demo, tmp_path):
    from fault_helpers import fill, full_disk

    _, report = demo
    with full_disk(tmp_path / "disk") as disk:
        target = disk / "report.docx"
        target.write_bytes(EARLIER)
        fill(disk)
        with pytest.raises(DiskFull) as caught:
            run_to_end(registry.write("docx", report, target, ExportOptions(password=PASSWORD)))
        message = str(caught.value)
        del caught
        gc.collect()
        assert message.startswith("report.docx: the disk is full (")
        assert target.read_bytes() == EARLIER and _temporary_files(disk) == []


def test_only_the_exports_package_uses_the_encryption_libraries():
    """The core stays free of the writers' libraries; the one place that encrypts is exports/protection.py."""
    sources = [p for folder in ("vciso", "ui", "exports") for p in (ROOT / folder).rglob("*.py")]
    users = sorted(str(p.relative_to(ROOT)) for p in sources
                   if any(f"import {name}" in line or f"from {name}" in line for name in ("pikepdf", "msoffcrypto")
                          for line in p.read_text(encoding="utf-8").splitlines()))
    assert users == ["exports/protection.py"]


# ----------------------------------------------------------------------------- the command line

def test_the_command_line_protects_with_the_first_line_of_a_password_file(cli, tmp_path, monkeypatch):
    assert cli("demo")[0] == 0
    secret = tmp_path / "password.txt"
    secret.write_text(f"{PASSWORD}\nsecond line, ignored\n", encoding="utf-8")
    outputs = []
    for kind in ("pdf", "xlsx", "docx"):
        output = tmp_path / f"out.{kind}"
        code, out, err = cli("export", kind, CLIENT, "-o", str(output), "--password-file", str(secret))
        assert code == 0, err
        assert out == f"Wrote {output} (password-protected)\n"
        outputs.append(out + err)
    reader = PdfReader(tmp_path / "out.pdf")
    assert reader.is_encrypted and not reader.decrypt("second line, ignored") and reader.decrypt(PASSWORD)
    assert CLIENT_NAME in reader.pages[0].extract_text()
    assert openpyxl.load_workbook(_office_decrypted(tmp_path / "out.xlsx", PASSWORD)).worksheets
    assert docx.Document(_office_decrypted(tmp_path / "out.docx", PASSWORD)).paragraphs
    assert not any(PASSWORD in text for text in outputs)

    # "-": the first line of standard input (a pipe from a password manager)
    monkeypatch.setattr(sys, "stdin", io.StringIO("from stdin\r\n"))
    code, out, err = cli("export", "pdf", CLIENT, "-o", str(tmp_path / "piped.pdf"), "--password-file", "-")
    assert code == 0, err
    assert PdfReader(tmp_path / "piped.pdf").decrypt("from stdin")


def test_the_command_line_refuses_a_bad_password_file_in_one_line_writing_nothing(cli, tmp_path):
    assert cli("demo")[0] == 0
    empty = tmp_path / "empty.txt"
    empty.write_text("\nlater line\n")
    output = tmp_path / "out.pdf"
    cases = [(str(tmp_path / "missing.txt"), "does not exist"), (str(empty), "is empty")]
    for name, expected in cases:
        code, out, err = cli("export", "pdf", CLIENT, "-o", str(output), "--password-file", name)
        assert code == 1 and out == "" and err.count("\n") == 1 and expected in err, err
        assert "Traceback" not in err
    secret = tmp_path / "password.txt"
    secret.write_text(PASSWORD)
    code, out, err = cli("export", "questionnaire", CLIENT, "-o", str(tmp_path / "q.xlsx"),
                         "--password-file", str(secret))
    assert code == 1 and "cannot be protected with a password (only pdf, xlsx, docx, progress)" in err, err
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".xlsx")) == []


def test_reading_a_password_file_keeps_spaces_and_drops_only_the_line_end(tmp_path):
    secret = tmp_path / "p.txt"
    secret.write_bytes(b"  spaced out  \r\nnext\n")
    assert read_password_file(str(secret)) == "  spaced out  "
    assert read_password_file("-", io.StringIO("piped")) == "piped"
    with pytest.raises(ProtectionError, match="is empty"):
        read_password_file("-", io.StringIO(""))


# ----------------------------------------------------------------------------- the app

def _open_demo(open_window, qtbot, workspace):
    window = open_window(workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    return window


def _settings_and_logs(tmp_path: Path) -> bytes:
    """Every file the app may have written its settings, state or logs to during the test."""
    return b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p.suffix not in (".pdf", ".xlsx",
                                                                                                    ".docx", ".vciso"))


def test_the_app_asks_for_a_password_and_writes_a_protected_pdf(open_window, qtbot, demo_workspace, monkeypatch,
                                                                tmp_path, capfd, caplog):
    window = _open_demo(open_window, qtbot, demo_workspace)
    target = tmp_path / "out" / "report"
    asked, offered = [], []
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "ask_password", lambda parent, label: asked.append(label) or PASSWORD)
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    window.export_pdf_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=60000)
    pdf = target.with_suffix(".pdf")
    assert asked == ["PDF report"]
    assert offered == [f"The PDF report was saved, protected with the password, as\n{pdf}"]
    reader = PdfReader(pdf)
    assert reader.is_encrypted and not reader.decrypt("") and reader.decrypt(PASSWORD)
    assert CLIENT_NAME in reader.pages[0].extract_text()

    from ui.window_state import qsettings
    qsettings().sync()
    window.close()
    stored = _settings_and_logs(tmp_path)
    assert b"exports" in stored  # the settings were written (the export folder), just not the password
    assert PASSWORD.encode() not in stored
    captured = capfd.readouterr()
    assert PASSWORD not in captured.out + captured.err + caplog.text


def test_the_app_writes_without_a_password_when_left_empty_and_nothing_when_cancelled(
        open_window, qtbot, demo_workspace, monkeypatch, tmp_path):
    window = _open_demo(open_window, qtbot, demo_workspace)
    target = tmp_path / "workbook.xlsx"
    offered, options_seen = [], []
    real_write = registry.write

    def spy(kind, report, path, options=None):
        options_seen.append(options)
        return real_write(kind, report, path, options)

    monkeypatch.setattr(registry, "write", spy)
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(target))
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")

    monkeypatch.setattr(prompts, "ask_password", lambda parent, label: None)  # Cancel: no export at all
    window.export_xlsx_action.trigger()
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert options_seen == [] and not target.exists() and window.deliverables.progress is None

    monkeypatch.setattr(prompts, "ask_password", lambda parent, label: "")  # left empty: no password
    window.export_xlsx_action.trigger()
    qtbot.waitUntil(lambda: bool(offered), timeout=60000)
    assert options_seen[0].password is None
    assert offered == [f"The Excel workbook was saved as\n{target}"]
    assert openpyxl.load_workbook(target).worksheets


def test_the_questionnaire_workbook_is_never_offered_a_password(open_window, qtbot, demo_workspace, monkeypatch,
                                                               tmp_path):
    """The client fills it in and sends it back to be imported: it stays an ordinary workbook."""
    window = _open_demo(open_window, qtbot, demo_workspace)
    offered = []
    monkeypatch.setattr(prompts, "choose", lambda *a, **k: "Blank")
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(tmp_path / "q.xlsx"))
    monkeypatch.setattr(prompts, "ask_password", lambda *a: pytest.fail("a password was asked"))
    monkeypatch.setattr(prompts, "export_finished", lambda parent, title, text, informative="":
                        offered.append(text) or "ok")
    window.deliverables.export("questionnaire")
    qtbot.waitUntil(lambda: bool(offered), timeout=60000)
    assert openpyxl.load_workbook(tmp_path / "q.xlsx").worksheets


# ----------------------------------------------------------------------------- the dialog

def test_the_password_dialog_asks_twice_shows_on_demand_and_may_be_left_empty(qtbot, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

    from ui.dialogs.password_dialog import PasswordDialog

    dialog = PasswordDialog("PDF report")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.windowTitle() == "Protect with a password?"
    assert ok.isEnabled() and ok.text() == "Save without a password" and dialog.password() is None
    assert dialog.password_edit.echoMode() == QLineEdit.EchoMode.Password

    dialog.password_edit.setText("secret")
    assert not ok.isEnabled() and dialog.problem.text() == "Type the password again to confirm it."
    dialog.confirm_edit.setText("secrex")
    assert not ok.isEnabled() and dialog.problem.text() == "The two passwords differ."
    dialog.accept()  # Enter while they differ does not close it
    assert dialog.isVisible()
    dialog.confirm_edit.setText("secret")
    assert ok.isEnabled() and ok.text() == "Protect and save" and dialog.password() == "secret"

    dialog.show_box.setChecked(True)
    assert {e.echoMode() for e in (dialog.password_edit, dialog.confirm_edit)} == {QLineEdit.EchoMode.Normal}
    dialog.show_box.setChecked(False)
    assert dialog.confirm_edit.echoMode() == QLineEdit.EchoMode.Password

    # sized to its content: every text whole at the size it opens with, and no taller than it needs
    assert dialog.size() == dialog.sizeHint()
    assert ok.width() >= ok.fontMetrics().horizontalAdvance(ok.text())


def test_ask_password_returns_the_password_none_for_cancel_and_empty_for_none(qtbot, monkeypatch):
    monkeypatch.setattr(prompts, "ask_password", real_ask_password)

    def typed(password: str, confirm: str, accepted: bool):
        def run(dialog):
            qtbot.addWidget(dialog)
            dialog.password_edit.setText(password)
            dialog.confirm_edit.setText(confirm)
            return accepted
        return run

    monkeypatch.setattr(prompts, "run_dialog", typed("s3cret", "s3cret", True))
    assert prompts.ask_password(None, "Word report") == "s3cret"
    monkeypatch.setattr(prompts, "run_dialog", typed("s3cret", "s3cret", False))
    assert prompts.ask_password(None, "Word report") is None
    monkeypatch.setattr(prompts, "run_dialog", typed("", "", True))
    assert prompts.ask_password(None, "Word report") == ""


def test_the_encrypted_bytes_do_not_hold_the_client_name(demo, tmp_path):
    _, report = demo
    for kind in ("pdf", "xlsx", "docx"):
        path = tmp_path / f"d.{kind}"
        _export(report, kind, path)
        data = path.read_bytes()
        assert CLIENT_NAME.encode() not in data and CLIENT_NAME.encode("utf-16-be") not in data, kind
