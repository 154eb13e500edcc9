"""What every writer of a deliverable shares: it is a generator of progress that returns its warnings."""

from __future__ import annotations

from typing import Generator

Progress = tuple[int, int, str]  # (step, total, message): step == total when the file is saved
Steps = Generator[Progress, None, list[str]]


def run_to_end(steps: Steps) -> list[str]:
    """Run a writer to the end without showing its progress; returns its warnings."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return list(done.value or [])
