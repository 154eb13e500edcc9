"""Evidence and backup benchmarks: attaching and exporting a 25 MB evidence file, backing up and restoring
a workspace. Prints figures and same-run ratios (against copying the same bytes with shutil), never asserts.

Run: python benchmarks/bench_evidence_backup.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_seconds  # noqa: E402 - benchmarks/ is on sys.path when run as a script
from vciso.backup import apply_restore, backup_workspace, plan_restore, sha256_of  # noqa: E402
from vciso.evidence import attach_files, export_evidence, list_evidence, remove_evidence  # noqa: E402
from vciso.library import load_library  # noqa: E402
from vciso.workspace import Workspace  # noqa: E402

SIZE = 25 * 1024 * 1024
RUNS = 5


def _drain(steps):  # type: ignore[no-untyped-def]
    while True:
        try:
            next(steps)
        except StopIteration as stop:
            return stop.value


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source = folder / "evidence.bin"
        source.write_bytes(os.urandom(SIZE))
        copy_seconds = median_seconds(lambda: shutil.copyfile(source, folder / "plain-copy.bin"), RUNS)
        hash_seconds = median_seconds(lambda: sha256_of(source), RUNS)

        workspace = Workspace(folder / "ws")
        client = workspace.create_client("Bench Ltd")
        aid = client.create_assessment(load_library(None).get("small-business-essentials")).id

        questionnaire = load_library(None).get("small-business-essentials")
        fresh = iter(range(1000))

        def attach_new() -> None:  # into a client file without free pages: the usual case
            with workspace.create_client(f"Fresh {next(fresh)}") as other:
                attach_files(other, other.create_assessment(questionnaire).id, "ACC-01", [source], limit=SIZE)

        def attach_again() -> None:  # after a removal: SQLite reuses the freed pages and journals them first
            for item in list_evidence(client, aid, "ACC-01"):
                remove_evidence(client, item.id)
            attach_files(client, aid, "ACC-01", [source], limit=SIZE)

        attach_seconds = median_seconds(attach_new, RUNS)
        reattach_seconds = median_seconds(attach_again, RUNS)
        for path in workspace.client_paths():
            if path.stem.startswith("fresh"):
                path.unlink()
        counter = iter(range(1000))
        export_seconds = median_seconds(lambda: _drain(export_evidence(client, folder / f"out{next(counter)}")), RUNS)
        zip_seconds = median_seconds(lambda: _drain(export_evidence(client, folder / f"out{next(counter)}.zip")), RUNS)
        client.close()

        backup_seconds = median_seconds(lambda: _drain(backup_workspace(workspace, folder / "b.zip")), RUNS)

        def restore() -> None:
            target = Workspace(folder / f"restored{next(counter)}")
            _drain(apply_restore(target, plan_restore(target, folder / "b.zip")))

        restore_seconds = median_seconds(restore, RUNS)
        client_mb = workspace.client_paths()[0].stat().st_size / 1024 / 1024

    mb = SIZE / 1024 / 1024
    print(f"25 MB file: plain copy {copy_seconds * 1000:.0f} ms, SHA-256 {hash_seconds * 1000:.0f} ms "
          f"(median of {RUNS})")
    print(f"attach {mb:.0f} MB evidence: {attach_seconds * 1000:.0f} ms "
          f"({attach_seconds / copy_seconds:.1f}x a plain copy of the file)")
    print(f"attach it again after removing it (freed pages reused): {reattach_seconds * 1000:.0f} ms "
          f"({reattach_seconds / copy_seconds:.1f}x)")
    print(f"export it to a folder: {export_seconds * 1000:.0f} ms ({export_seconds / copy_seconds:.1f}x a plain copy)")
    print(f"export it to a zip: {zip_seconds * 1000:.0f} ms ({zip_seconds / copy_seconds:.1f}x a plain copy)")
    print(f"backup of the workspace (client file {client_mb:.1f} MB): {backup_seconds * 1000:.0f} ms "
          f"({backup_seconds / copy_seconds:.1f}x a plain copy); restore: {restore_seconds * 1000:.0f} ms "
          f"({restore_seconds / copy_seconds:.1f}x)")


if __name__ == "__main__":
    main()
