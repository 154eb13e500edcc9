"""Core benchmarks: saving an answer, scoring, listing a workspace. Prints figures and same-run ratios.

Run: python benchmarks/bench_core.py   (targets: save <= 2x a raw sqlite3 insert+commit with the same
durability settings; scoring 10,000 questions < 100 ms; listing 500 clients < 0.5 s)
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from vciso.questionnaire import Questionnaire, questionnaire_from_dict
from vciso.responses import Response
from vciso.scoring import score_assessment
from vciso.workspace import Workspace


def synthetic(sections: int, per_section: int) -> Questionnaire:
    scale = {"id": "m", "levels": [{"value": v, "label": f"L{v}"} for v in range(6)], "pass_threshold": 3}
    return questionnaire_from_dict({
        "id": "synthetic", "title": "Synthetic", "version": "1", "default_target": 3,
        "aggregation": "weighted_mean", "scales": [scale],
        "sections": [{"id": f"S{s}", "title": f"Section {s}", "sections": [
            {"id": f"S{s}.{u}", "title": f"Sub {s}.{u}", "questions": [
                {"id": f"Q{s}.{u}.{i}", "text": "q", "effort": 1 + i % 3, "criticality": 1 + i % 4}
                for i in range(per_section // 4)]} for u in range(4)]} for s in range(sections)]})


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def bench_save(folder: Path, count: int = 300) -> None:
    questionnaire = synthetic(5, 80)
    workspace = Workspace(folder / "save")
    client = workspace.create_client("Bench")
    aid = client.create_assessment(questionnaire).id
    ids = [q.id for q in questionnaire.questions()]
    ours = []
    for index in range(count):
        start = time.perf_counter()
        client.save_answer(aid, ids[index % len(ids)], current=index % 6, note=f"note {index}")
        ours.append(time.perf_counter() - start)
    client.close()

    raw_path = folder / "raw.sqlite"
    conn = sqlite3.connect(raw_path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE r (q TEXT PRIMARY KEY, v REAL, note TEXT)")
    conn.commit()
    raw = []
    for index in range(count):
        start = time.perf_counter()
        conn.execute("INSERT OR REPLACE INTO r VALUES (?, ?, ?)", (ids[index % len(ids)], index % 6, f"n{index}"))
        conn.commit()
        raw.append(time.perf_counter() - start)
    conn.close()
    ours_median, raw_median = statistics.median(ours), statistics.median(raw)
    print(f"save one answer ({count} saves, journal=DELETE, synchronous=FULL):")
    print(f"  vciso save_answer   median {ours_median * 1000:7.3f} ms   p95 {percentile(ours, .95) * 1000:7.3f} ms")
    print(f"  raw sqlite3 insert  median {raw_median * 1000:7.3f} ms   p95 {percentile(raw, .95) * 1000:7.3f} ms")
    print(f"  ratio (median)      {ours_median / raw_median:5.2f}x   (target <= 2x)")


def bench_scoring() -> None:
    rng = random.Random(7)
    print("scoring (median of 7):")
    for size, sections in ((1_000, 10), (10_000, 25)):
        questionnaire = synthetic(sections, size // sections)
        responses = {}
        for q in questionnaire.questions():
            roll = rng.random()
            if roll < 0.05:
                responses[q.id] = Response(q.id, None, na_reason="n/a")
            elif roll < 0.9:
                responses[q.id] = Response(q.id, float(rng.randint(0, 5)))
        times = []
        for _ in range(7):
            start = time.perf_counter()
            score_assessment(questionnaire, responses)
            times.append(time.perf_counter() - start)
        baseline = []
        for _ in range(7):  # same-run baseline: one plain pass over the answers computing a mean
            start = time.perf_counter()
            values = [r.current for r in responses.values() if r.current is not None]
            sum(values) / len(values)
            baseline.append(time.perf_counter() - start)
        med = statistics.median(times)
        print(f"  {questionnaire.question_count:>6} questions: {med * 1000:7.2f} ms   "
              f"({med / statistics.median(baseline):5.1f}x a bare mean over the answers; target < 100 ms "
              f"for 10,000)")


def bench_listing(folder: Path, clients: int = 500) -> None:
    workspace = Workspace(folder / "list")
    questionnaire = synthetic(2, 8)
    template = workspace.create_client("Template client")
    template.create_assessment(questionnaire)
    template.close()
    data = template.path.read_bytes()
    for index in range(clients - 1):  # copies: a copied file is a moved client
        (workspace.path / f"client-{index:04d}.vciso").write_bytes(data)
    times = []
    for _ in range(5):
        start = time.perf_counter()
        listing = workspace.list_clients()
        times.append(time.perf_counter() - start)
    assert len(listing) == clients and all(entry.ok for entry in listing)
    baseline = []
    for _ in range(5):  # same-run baseline: just reading the first page of every file
        start = time.perf_counter()
        for path in workspace.client_paths():
            with open(path, "rb") as handle:
                handle.read(4096)
        baseline.append(time.perf_counter() - start)
    med = statistics.median(times)
    print(f"list a workspace of {clients} clients (median of 5): {med * 1000:7.1f} ms   "
          f"({med / statistics.median(baseline):5.1f}x reading 4 KB of each file; target < 500 ms)")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="vciso-bench-") as tmp:
        folder = Path(tmp)
        bench_save(folder)
        bench_scoring()
        bench_listing(folder)


if __name__ == "__main__":
    main()
