"""Fault injection for every file written outside a client file: deliverables, settings, library imports, the
authoring template. A full disk or a read-only folder is said in one line of words (no traceback, nothing
"ignored" by the garbage collector), leaves no temporary file and keeps the earlier file of that name; and an
export never writes over a client file or into a workspace's trash.

The full disk is a small tmpfs filled with a filler file until ENOSPC, the read-only folder a read-only bind
mount (both need root: the tests skip elsewhere). The command line runs in a subprocess, in development mode,
so its stderr is seen whole, including whatever Python prints while exiting.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from exports import registry
from exports.progress import run_to_end
from fault_helpers import fill, full_disk, read_only
from vciso.errors import DiskFull, ReadOnlyStorage, StorageError
from vciso.settings import AppSettings, save_settings

ROOT = Path(__file__).resolve().parent.parent
CLIENT = "bright-smile-dental-group"
KINDS = ("pdf", "xlsx", "questionnaire")
EARLIER = b"the earlier file of this name, which must survive\n"
SOURCE = ROOT / "questionnaires" / "small-business-essentials.yaml"


@pytest.fixture(scope="module")
def demo_ws(tmp_path_factory) -> Path:
    """A workspace holding the demo client (made once for the module; the tests never change it)."""
    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.workspace import Workspace

    workspace = tmp_path_factory.mktemp("demo") / "ws"
    with create_demo(Workspace(workspace), load_library(None)):
        pass
    return workspace


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _temporary_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp"))


# ----------------------------------------------------------------------------- every writer, from the command line

def _writer(name: str, demo: Path, target: Path) -> tuple[list[str], dict[str, str]]:
    """The command line that writes `target` with writer `name`, and the environment it needs."""
    if name in KINDS:
        return ["--workspace", str(demo), "export", name, CLIENT, "-o", str(target)], {}
    if name == "library import":  # the library folder is the target's: the file is <id>.yaml
        return (["questionnaire", "import", str(SOURCE), "--id", target.stem],
                {"VCISO_LIBRARY": str(target.parent)})
    assert name == "template"
    return ["questionnaire", "template", "-o", str(target)], {}


WRITERS = {"pdf": "report.pdf", "xlsx": "workbook.xlsx", "questionnaire": "questionnaire.xlsx",
           "library import": "fault-test.yaml", "template": "template.xlsx"}


def _earlier(writer: str, target: Path) -> Path:
    """The earlier file that must survive: the target itself, except for a library import, which never
    writes over a file (an id that is taken is refused) - there it is another questionnaire of the folder."""
    return target.with_name("earlier.yaml") if writer == "library import" else target


def _vciso(tmp_path: Path, argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    environment = dict(os.environ, VCISO_SETTINGS=str(tmp_path / "settings.json"),
                       VCISO_LIBRARY=str(tmp_path / "lib"), PYTHONPATH=str(ROOT))
    environment.update(env)
    environment.pop("VCISO_DEBUG", None)
    # development mode: an error ignored while closing a file (or a file left open) is printed too
    command = [sys.executable, "-X", "dev", "-W", "ignore::DeprecationWarning", "-m", "vciso.cli", *argv]
    return subprocess.run(command, capture_output=True, text=True, env=environment, cwd=ROOT, timeout=180)


def _assert_one_line(result: subprocess.CompletedProcess, *expected: str) -> None:
    err = result.stderr
    assert result.returncode == 1, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err.count("\n") == 1 and err.startswith("vciso: "), err
    assert result.stdout == ""
    for text in expected:
        assert text in err, err


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_full_disk_is_one_line_and_keeps_the_earlier_file(tmp_path, demo_ws, writer):
    with full_disk(tmp_path / "disk") as disk:
        target = disk / "out" / WRITERS[writer]
        target.parent.mkdir()
        earlier = _earlier(writer, target)
        earlier.write_bytes(EARLIER)
        fill(disk)
        result = _vciso(tmp_path, *_writer(writer, demo_ws, target))
        _assert_one_line(result, f"vciso: {target.name}: the disk is full (", " MB free); the file was not written")
        assert earlier.read_bytes() == EARLIER
        assert earlier == target or not target.exists()
        assert _temporary_files(target.parent) == []


@pytest.mark.parametrize("writer", list(WRITERS))
def test_a_read_only_folder_is_one_line_and_keeps_the_earlier_file(tmp_path, demo_ws, writer):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / WRITERS[writer]
    earlier = _earlier(writer, target)
    earlier.write_bytes(EARLIER)
    with read_only(folder):
        result = _vciso(tmp_path, *_writer(writer, demo_ws, target))
        _assert_one_line(result, f"vciso: {target.name}: the folder {folder} is read-only; the file was not written")
    assert earlier.read_bytes() == EARLIER
    assert earlier == target or not target.exists()
    assert _temporary_files(folder) == []


# ----------------------------------------------------------------------------- the same, in the app's process

@pytest.fixture
def unraisable(monkeypatch) -> list:
    """What reaches sys.unraisablehook (e.g. 'Exception ignored in: ZipFile.__del__') during the test."""
    caught: list = []
    monkeypatch.setattr(sys, "unraisablehook", caught.append)
    return caught


def _demo_report(demo: Path):
    from vciso.report import build_report
    from vciso.workspace import Workspace

    settings = AppSettings()
    with Workspace(demo).open_client(CLIENT) as client:
        return build_report(client, client.find_assessment(None).id, settings.branding(), settings.phases())


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_in_the_app_on_a_full_disk_raises_disk_full_and_nothing_is_left_to_fail_later(
        tmp_path, demo_ws, unraisable, kind):
    """The app writes through the registry on a task thread and shows the domain error's text."""
    report = _demo_report(demo_ws)
    with full_disk(tmp_path / "disk") as disk:
        target = disk / f"deliverable{registry.exporter(kind).suffix}"
        target.write_bytes(EARLIER)
        fill(disk)
        with pytest.raises(DiskFull) as caught:
            run_to_end(registry.write(kind, report, target))
        message = str(caught.value)
        del caught
        gc.collect()  # whatever the failed writer left behind is collected here
        assert unraisable == []
        assert message.startswith(f"{target.name}: the disk is full (") and "\n" not in message
        assert target.read_bytes() == EARLIER and _temporary_files(disk) == []


def test_settings_on_a_full_disk_or_a_read_only_folder_are_one_error_in_words(tmp_path, unraisable):
    earlier = AppSettings(firm_name="Northwind")
    with full_disk(tmp_path / "disk") as disk:
        path = disk / "settings.json"
        save_settings(earlier, path)
        before = path.read_bytes()
        fill(disk)
        with pytest.raises(DiskFull, match=r"^settings\.json: the disk is full \(\d+ MB free\); "
                                           r"the file was not written$"):
            save_settings(AppSettings(firm_name="Contoso"), path)
        gc.collect()
        assert path.read_bytes() == before and _temporary_files(disk) == []
    folder = tmp_path / "config"
    save_settings(earlier, folder / "settings.json")
    before = (folder / "settings.json").read_bytes()
    with read_only(folder):
        with pytest.raises(ReadOnlyStorage, match=f"^settings.json: the folder {folder} is read-only; "
                                                  f"the file was not written$"):
            save_settings(AppSettings(firm_name="Contoso"), folder / "settings.json")
        with pytest.raises(ReadOnlyStorage, match="is read-only; the file was not written$"):
            save_settings(AppSettings(firm_name="Contoso"), folder / "new" / "settings.json")
        assert not (folder / "new").exists()
    assert (folder / "settings.json").read_bytes() == before and _temporary_files(folder) == []
    assert unraisable == []


def test_every_refusal_of_the_disk_is_mapped_in_one_place():
    from vciso.atomic import write_error

    target = Path("/somewhere/report.pdf")
    cases = {errno.ENOSPC: (DiskFull, "the disk is full ("),
             errno.EDQUOT: (DiskFull, "the disk quota is used up ("),
             errno.EROFS: (ReadOnlyStorage, "the folder /somewhere is read-only"),
             errno.EACCES: (ReadOnlyStorage, "the folder /somewhere cannot be written to (permission denied)"),
             errno.EIO: (StorageError, "the disk reported an input/output error"),
             errno.ENAMETOOLONG: (StorageError, "File name too long")}
    for number, (kind, text) in cases.items():
        error = write_error(target, OSError(number, os.strerror(number)))
        assert type(error) is kind, number
        assert str(error).startswith(f"report.pdf: {text}") and str(error).endswith("; the file was not written")


# ----------------------------------------------------------------------------- an export never destroys a client

@pytest.fixture
def clients(tmp_path) -> Path:
    """The `cli` fixture's workspace (tmp/ws) holding the demo client and a second client, 'Other'."""
    from vciso.demo import create_demo
    from vciso.library import load_library
    from vciso.workspace import Workspace

    workspace = Workspace(tmp_path / "ws")
    with create_demo(workspace, load_library(None)):
        pass
    with workspace.create_client("Other"):
        pass
    return tmp_path / "ws"


def _listed(workspace: Path) -> list[str]:
    from vciso.workspace import Workspace

    return sorted(listing.name for listing in Workspace(workspace).list_clients() if listing.ok)


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_over_a_client_file_is_refused_and_the_client_kept(clients, cli, tmp_path, kind):
    other = clients / "other.vciso"
    before, listed = _digest(other), _listed(clients)
    assert listed == ["Bright Smile Dental Group", "Other"]
    code, out, err = cli("export", kind, CLIENT, "-o", str(other))
    assert code == 1 and out == "" and err.count("\n") == 1, err
    assert err == (f"vciso: {other} is named like a client file; an export never writes over a client file, "
                   f"choose another name (nothing was written)\n")
    assert _digest(other) == before and _listed(clients) == listed

    copy = tmp_path / f"copy of other{registry.exporter(kind).suffix}"  # a client file by its content
    shutil.copyfile(other, copy)
    code, out, err = cli("export", kind, CLIENT, "-o", str(copy))
    assert code == 1 and err.count("\n") == 1 and "is a database (a client file?)" in err, err
    assert _digest(copy) == before

    report = _demo_report(clients)  # the app's way in: the registry refuses before its first step
    with pytest.raises(registry.OutputRefused, match="named like a client file"):
        registry.write(kind, report, other)
    assert _digest(other) == before and _temporary_files(clients) == []


@pytest.mark.parametrize("kind", KINDS)
def test_an_export_into_the_trash_is_refused(clients, cli, kind):
    from vciso.workspace import Workspace

    trashed = Workspace(clients).delete_client("Other")
    before = sorted(p.name for p in trashed.parent.iterdir())
    target = trashed.parent / f"report{registry.exporter(kind).suffix}"
    code, out, err = cli("export", kind, CLIENT, "-o", str(target))
    assert code == 1 and err.count("\n") == 1, err
    assert "is inside a workspace's trash folder (.trash)" in err and "nothing was written" in err
    assert sorted(p.name for p in trashed.parent.iterdir()) == before
    code, out, err = cli("export", kind, CLIENT, "-o", str(clients / "sub" / ".." / ".trash" / "x.pdf"))
    assert code == 1 and "trash folder" in err, err


def test_the_app_refuses_a_client_file_chosen_in_the_save_dialog(open_window, qtbot, demo_workspace, monkeypatch):
    from ui import prompts

    window = open_window(demo_workspace)
    qtbot.waitUntil(lambda: window.page is not None and window.page.walkthrough.current_id is not None,
                    timeout=15000)
    client = demo_workspace / f"{CLIENT}.vciso"
    before = _digest(client)
    errors = []
    monkeypatch.setattr(prompts, "save_file", lambda *a, **k: str(client))
    monkeypatch.setattr(prompts, "error", lambda parent, title, text, details="": errors.append((title, text)))
    monkeypatch.setattr(registry, "write", lambda *a, **k: pytest.fail("the export was started"))
    window.export_pdf_action.trigger()
    assert errors == [("The PDF report was not written",
                       f"{client} is named like a client file; an export never writes over a client file, "
                       f"choose another name (nothing was written)")]
    assert window.deliverables.progress is None
    qtbot.waitUntil(lambda: window.ops.idle, timeout=5000)
    assert _digest(client) == before
