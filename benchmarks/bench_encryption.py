"""Saving an answer to an encrypted (SQLCipher 4) client file vs a plain one, measured in one run.

Run: python benchmarks/bench_encryption.py   (target: encrypted <= 1.5x plain, same durability settings:
rollback journal, synchronous=FULL). Saves alternate between the two files so both meet the same disk.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from synthetic import synthetic

from vciso.workspace import Workspace

TARGET = 1.5


def bench_save(folder: Path, count: int = 300) -> tuple[float, float]:
    """Median seconds of one save_answer on a plain and on an encrypted client file."""
    questionnaire = synthetic(5, 80)
    workspace = Workspace(folder)
    plain = workspace.create_client("Plain")
    encrypted = workspace.create_client("Encrypted", key="a passphrase for the benchmark")
    ids = [q.id for q in questionnaire.questions()]
    times: dict[str, list[float]] = {"plain": [], "encrypted": []}
    clients = {"plain": (plain, plain.create_assessment(questionnaire).id),
               "encrypted": (encrypted, encrypted.create_assessment(questionnaire).id)}
    for index in range(count):
        for kind in (("plain", "encrypted") if index % 2 else ("encrypted", "plain")):
            client, aid = clients[kind]
            start = time.perf_counter()
            client.save_answer(aid, ids[index % len(ids)], current=index % 6, note=f"note {index}")
            times[kind].append(time.perf_counter() - start)
    plain.close()
    encrypted.close()
    return statistics.median(times["plain"]), statistics.median(times["encrypted"])


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        plain, encrypted = bench_save(Path(folder))
    ratio = encrypted / plain
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"save answer: plain {plain * 1000:.2f} ms, encrypted {encrypted * 1000:.2f} ms (median of 300 each), "
          f"encrypted/plain {ratio:.2f}x (target <= {TARGET}x) {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
