"""The operations runner: every read and write of client data runs off the UI thread.

One `ClientWorker` thread owns the open client's `ClientFile` (SQLite connections belong to one thread)
and runs jobs strictly in the order they were submitted, so an answer given before a note is saved
before it. Jobs are plain functions `fn(ctx) -> result`; results and errors come back to the UI thread
by signal and are handed to the callbacks the caller gave. After each job the worker takes the `Changes`
the client file recorded, and `Operations.changed(changes, initiator)` announces them once: every view
refreshes from that one signal (Anki's `OpChanges`). Work that needs no open client (listing the
workspace, loading the library, writing an export) runs on short-lived `TaskThread`s; a task may be a
generator yielding `(step, total, message)` for a progress dialog. Nothing here touches a widget.

The named operations per noun (answers, roadmap, assessments, clients, reports) live beside this module.
"""

from __future__ import annotations

import datetime as dt
import itertools
import queue
import sys
import threading
import traceback
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot


EXTERNAL_CHANGE_POLL_MS = 1000
Callback = Callable[[Any], None]
ErrorCallback = Callable[[str], None]


def error_message(exc: BaseException) -> str:
    """The one line a consultant sees: a domain error's own message, else the kind of failure."""
    from vciso.errors import VcisoError

    if isinstance(exc, VcisoError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or exc}"
    traceback.print_exception(exc, file=sys.stderr)  # a bug: keep the details for the developer
    return f"Unexpected error: {type(exc).__name__}: {exc}"


class WorkerContext:
    """What a job on the client worker may use: the worker's own connection to the open client."""

    def __init__(self) -> None:
        self._client: Any = None

    @property
    def client(self) -> Any:
        """The open `ClientFile`; raises a domain error when none is open."""
        if self._client is None:
            from vciso.errors import VcisoError

            raise VcisoError("no client is open")
        return self._client

    @property
    def path(self) -> Path | None:
        return self._client.path if self._client is not None else None

    def open(self, path: Path, key: str | None = None) -> Any:
        """Close the current client and open another one in this (the worker's) thread; an encrypted one
        with its passphrase `key`."""
        from vciso.clientfile import ClientFile

        self.close()
        self._client = ClientFile(Path(path), key=key)
        self._client.notice_external_changes()  # the baseline: changes made from here on are noticed
        return self._client

    def close(self) -> None:
        if self._client is not None:
            try:
                self._client.close()
            finally:
                self._client = None

    def notice_external_changes(self) -> bool:
        """Look whether another process changed the open client (False when none is open)."""
        return self._client.notice_external_changes() if self._client is not None else False

    def take_changes(self) -> Any:
        """What the last job committed to the open client (no changes when none is open)."""
        from vciso.changes import NO_CHANGES

        return self._client.take_changes() if self._client is not None else NO_CHANGES


class ClientWorker(QThread):
    """Runs client jobs one after another; owns the only connection to the open client file.

    Only the job id crosses threads in the signal; the result waits in `results` (plain Python objects
    in queued signals are avoided: the binding's reference counting of them is not reliable).
    """

    job_done = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.Queue[tuple[int, Callable[[WorkerContext], Any]] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._results: dict[int, tuple[bool, Any, Any]] = {}
        self._changed_paths: set[Path] = set()  # every client file a job changed (automatic backups on close)
        self.context = WorkerContext()

    def take_result(self, job_id: int) -> tuple[bool, Any, Any]:
        """(True, result, changes) or (False, error message, changes) of a finished job."""
        with self._lock:
            return self._results.pop(job_id)

    def changed_paths(self) -> set[Path]:
        """The client files jobs changed (or saw changed by another process) since the thread started."""
        with self._lock:
            return set(self._changed_paths)

    def submit(self, job_id: int, fn: Callable[[WorkerContext], Any]) -> None:
        self._queue.put((job_id, fn))

    def stop(self) -> None:
        """Finish the jobs already queued, close the client, and end the thread."""
        self._queue.put(None)

    def run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                break
            job_id, fn = item
            try:
                result: tuple[bool, Any] = (True, fn(self.context))
            except Exception as exc:  # noqa: BLE001 - every failure is reported, never lost
                result = (False, error_message(exc))
            try:
                changes = self.context.take_changes()
            except Exception:  # noqa: BLE001 - a closed client has nothing to report
                from vciso.changes import NO_CHANGES
                changes = NO_CHANGES
            outcome = (*result, changes)
            with self._lock:
                self._results[job_id] = outcome
                if changes and self.context.path is not None:
                    self._changed_paths.add(self.context.path)
            self.job_done.emit(job_id)
        try:
            self.context.close()
        except Exception:  # noqa: BLE001
            pass


class TaskThread(QThread):
    """Runs one function (or generator of progress) that needs no open client."""

    progress = Signal(int, int, str)
    done = Signal()

    def __init__(self, fn: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self.outcome: tuple[bool, Any] = (False, "not run")

    def run(self) -> None:
        try:
            result = self._fn()
            if hasattr(result, "__next__") and hasattr(result, "send"):
                generator = result
                while True:
                    try:
                        step = next(generator)
                    except StopIteration as stop:
                        result = stop.value
                        break
                    if isinstance(step, tuple) and len(step) == 3:
                        self.progress.emit(int(step[0]), int(step[1]), str(step[2]))
        except Exception as exc:  # noqa: BLE001
            self.outcome = (False, error_message(exc))
        else:
            self.outcome = (True, result)
        self.done.emit()


class Operations(QObject):
    """The UI's single door to client data: submit jobs, get results by signal or callback."""

    changed = Signal(object, object)    # Changes, initiator (the object that asked, or None)
    answerSaved = Signal(object)        # AnswerChange: a save finished (for the "Saved" indicator)
    answerFailed = Signal(str, str)     # question id, message
    savingChanged = Signal(bool)        # True while answers are waiting to be written

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from ui.qtcompat import install_refcount_guard
        install_refcount_guard()
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callback | None, ErrorCallback | None, Any]] = {}
        self._pending_saves = 0
        self._tasks: set[TaskThread] = set()
        self._library: Any = None
        self._library_waiters: list[tuple[Callback, ErrorCallback | None]] = []
        self.last_saved: dt.datetime | None = None
        self._undo_stack: Any = None
        # encrypted clients' passphrases given in this run, by file: in memory only, never in settings or logs
        self.passphrases: dict[Path, str] = {}
        self._worker = ClientWorker()
        self._worker.job_done.connect(self._on_done)
        self._worker.start()
        self._stopped = False
        # another process (the CLI, an import, a second window) may write the open client: look every second
        # whether it did, while nothing else is waiting, so the views show its changes
        self._watch = QTimer(self)
        self._watch.setInterval(EXTERNAL_CHANGE_POLL_MS)
        self._watch.timeout.connect(self._look_for_external_changes)
        self._watch.start()

    # ------------------------------------------------------------------ client jobs

    def call(self, fn: Callable[[WorkerContext], Any], on_done: Callback | None = None,
             on_error: ErrorCallback | None = None, initiator: Any = None) -> int:
        """Run `fn(ctx)` on the client worker after every job submitted before it; what it changed is then
        announced by `changed` with `initiator` (after `on_done` or `on_error` ran)."""
        if self._stopped:
            raise RuntimeError("operations have been shut down")
        job_id = next(self._ids)
        self._callbacks[job_id] = (on_done, on_error, initiator)
        self._worker.submit(job_id, fn)
        return job_id

    def open_client(self, path: Path, on_done: Callback | None = None,
                    on_error: ErrorCallback | None = None, key: str | None = None) -> int:
        """Open a client file on the worker (an encrypted one with its passphrase `key`, remembered in
        `passphrases` once it opened the file); `on_done` gets (profile, assessments, why it is read-only
        or "")."""
        def job(ctx: WorkerContext) -> Any:
            client = ctx.open(path, key)
            client.take_changes()  # opening (and migrating) is not a change anyone must refresh for
            why = "written by a newer version of vCISO Workbench" if client.newer_schema else ""
            return client.profile(), client.assessments(), why
        def opened(result: Any) -> None:
            if key is not None:
                self.passphrases[Path(path)] = key
            if on_done is not None:
                on_done(result)

        return self.call(job, opened, on_error)

    def close_client(self, on_done: Callback | None = None) -> int:
        return self.call(lambda ctx: ctx.close(), on_done)

    def _look_for_external_changes(self) -> None:
        if not self._callbacks and not self._stopped:
            self.call(lambda ctx: ctx.notice_external_changes())

    def announce(self, changes: Any, initiator: Any = None) -> None:
        """Tell every view about a change made outside the client worker (library, settings)."""
        if changes:
            self.changed.emit(changes, initiator)

    def save_answer(self, assessment_id: int, question_id: str, initiator: Any = None, **fields: Any) -> int:
        """Save some fields of one answer; reports by answerSaved / answerFailed, and `changed`."""
        return self.write_answer(question_id, lambda client: client.save_answer(assessment_id, question_id, **fields),
                                 initiator)

    def write_answer(self, question_id: str, write: Callable[[Any], Any], initiator: Any = None) -> int:
        """Run `write(client) -> AnswerChange` on the worker as an answer save: counted while pending (the
        "Saving…" state), reported by answerSaved / answerFailed, and announced by `changed`."""
        self._pending_saves += 1
        if self._pending_saves == 1:
            self.savingChanged.emit(True)

        def done(change: Any) -> None:
            self.last_saved = dt.datetime.now()
            self._saved_one()
            self.answerSaved.emit(change)

        def failed(message: str) -> None:
            self._saved_one()
            self.answerFailed.emit(question_id, message)

        return self.call(lambda ctx: write(ctx.client), done, failed, initiator)

    def _saved_one(self) -> None:
        self._pending_saves -= 1
        if self._pending_saves == 0:
            self.savingChanged.emit(False)

    @property
    def undo_stack(self) -> Any:
        """The open assessment's undo history (a QUndoStack of `ui.undo` commands), made on first use."""
        if self._undo_stack is None:
            from PySide6.QtGui import QUndoStack
            self._undo_stack = QUndoStack(self)
        return self._undo_stack

    @property
    def changed_paths(self) -> set[Path]:
        """Every client file changed while this app ran (its own saves, or another process's it noticed)."""
        return self._worker.changed_paths()

    @property
    def saving(self) -> bool:
        return self._pending_saves > 0

    @property
    def idle(self) -> bool:
        """No client job waiting and no task running (tests wait for this)."""
        return not self._callbacks and not self._tasks

    @Slot(int)
    def _on_done(self, job_id: int) -> None:
        ok, value, changes = self._worker.take_result(job_id)
        on_done, on_error, initiator = self._callbacks.pop(job_id, (None, None, None))
        if ok:
            if on_done is not None:
                _guarded(on_done, value)
        elif on_error is not None:
            _guarded(on_error, value)
        else:
            print(f"vciso: {value}", file=sys.stderr)
        if changes:
            self.changed.emit(changes, initiator)

    # ------------------------------------------------------------------ tasks

    def run_task(self, fn: Callable[[], Any], on_done: Callback | None = None,
                 on_error: ErrorCallback | None = None,
                 on_progress: Callable[[int, int, str], None] | None = None) -> TaskThread:
        """Run work that needs no open client on its own thread (it opens what it needs itself)."""
        task = TaskThread(fn)
        self._tasks.add(task)
        if on_progress is not None:
            task.progress.connect(on_progress)

        def finish() -> None:
            self._tasks.discard(task)
            task.wait()
            ok, value = task.outcome
            task.deleteLater()
            if self._stopped:  # the window closed meanwhile: a listing arriving now would reopen a client
                return
            callback = on_done if ok else on_error
            if callback is not None:
                _guarded(callback, value)

        task.done.connect(finish)
        task.start()
        return task

    def library(self, on_done: Callback, on_error: ErrorCallback | None = None) -> None:
        """The questionnaire library, loaded once in the background and then kept."""
        if self._library is not None:
            on_done(self._library)
            return
        self._library_waiters.append((on_done, on_error))
        if len(self._library_waiters) > 1:
            return

        def load() -> Any:
            from vciso.library import load_library
            from vciso.paths import user_library_dir
            return load_library(user_library_dir())

        def loaded(library: Any) -> None:
            self._library = library
            waiters, self._library_waiters = self._library_waiters, []
            for callback, _ in waiters:
                _guarded(callback, library)

        def failed(message: str) -> None:
            waiters, self._library_waiters = self._library_waiters, []
            for _, callback in waiters:
                if callback is not None:
                    _guarded(callback, message)

        self.run_task(load, loaded, failed)

    def invalidate_library(self) -> None:
        """Forget the loaded library (after an import) so the next use reloads it, and say so."""
        from vciso.changes import Changes

        self._library = None
        self.announce(Changes(library=True))

    # ------------------------------------------------------------------ shutdown

    def shutdown(self) -> None:
        """Write everything still queued, close the client, and stop every thread."""
        if self._stopped:
            return
        self._stopped = True
        self._watch.stop()
        self._worker.stop()
        self._worker.wait()
        for task in list(self._tasks):
            task.wait()
        self._tasks.clear()


def _guarded(callback: Callable[[Any], None], value: Any) -> None:
    """Call a UI callback, ignoring the case where its widget was closed in the meantime."""
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
