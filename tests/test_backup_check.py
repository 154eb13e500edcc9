"""A restore's copies are checked against their manifest before the consultant is asked to confirm it."""

from __future__ import annotations

import zipfile

import pytest

from vciso.backup import apply_restore, backup_workspace, plan_restore
from vciso.backup_check import check_restore
from vciso.errors import BackupInvalid
from vciso.workspace import Workspace


def _run(generator):
    steps = []
    try:
        while True:
            steps.append(next(generator))
    except StopIteration as stop:
        return stop.value, steps


def _backup(tmp_path):
    source = Workspace(tmp_path / "source")
    source.create_client("Acme").close()
    source.create_client("Globex").close()
    zipped, _ = _run(backup_workspace(source, tmp_path / "backup.zip"))
    return zipped.path


def test_a_sound_backup_keeps_its_plan_and_says_which_copy_it_reads(tmp_path):
    target = Workspace(tmp_path / "target")
    plan = plan_restore(target, _backup(tmp_path))
    checked, steps = _run(check_restore(plan))
    assert checked == plan and checked.problems == ()
    assert [message for _, _, message in steps] == ["Checking Acme", "Checking Globex"]


def test_a_copy_of_the_right_size_with_other_bytes_is_a_problem_and_nothing_is_restored(tmp_path):
    good = _backup(tmp_path)
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "clients/globex.vciso":
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
            dst.writestr(info.filename, data)
    target = Workspace(tmp_path / "target")
    plan = plan_restore(target, bad)
    assert plan.problems == ()  # the size matches: only the SHA-256 tells
    checked, _ = _run(check_restore(plan))
    assert len(checked.problems) == 1 and checked.problems[0].startswith("Globex:")
    assert "damaged" in checked.problems[0]
    with pytest.raises(BackupInvalid, match="cannot be restored"):
        _run(apply_restore(target, checked))
    assert target.client_paths() == []
