"""The portfolio at scale: 500 clients, each with 3 assessments of the 106-question NIST CSF 2.0.

Builds the workspace once through the core API (a baseline, two follow-ups, answers and a roadmap with edits;
it takes a few minutes, in parallel processes) into a temporary folder, or reuses `--workspace DIR` built
before. Prints the portfolio listing's time warm and cold (the page cache dropped with
`echo 3 > /proc/sys/vm/drop_caches`, which needs root: otherwise it says so and the cold figure is the first
run of this process), the same listing without summaries (every file scored from its answers) as the
baseline, and the cost per client at 100, 250 and 500 clients (it should grow linearly).

Run: python benchmarks/bench_portfolio.py [--clients 500] [--workspace DIR] [--keep]
Targets (issue 14): warm < 1 s, cold < 3 s for 500 clients.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import median_seconds  # noqa: E402
from vciso.library import load_library  # noqa: E402
from vciso.portfolio import baseline_portfolio, read_portfolio  # noqa: E402
from vciso.responses import Response  # noqa: E402
from vciso.roadmap_store import regenerate_roadmap, roadmap_items, update_roadmap_item  # noqa: E402
from vciso.workspace import Workspace  # noqa: E402

QUESTIONNAIRE = "nist-csf-2.0"


def _build_one(args: tuple[str, int]) -> None:
    """One client: a baseline and two follow-ups six months apart, every question answered, a roadmap with
    a few owners, due dates and statuses edited."""
    folder, index = args
    rng = random.Random(index)
    questionnaire = load_library(None).get(QUESTIONNAIRE)
    ids = [q.id for q in questionnaire.questions()]
    start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 540))
    with Workspace(Path(folder)).create_client(f"Client {index:03d}", industry=rng.choice(
            ("Healthcare", "Legal", "Retail", "Manufacturing", "Finance"))) as client:
        earlier = None
        levels = {qid: rng.randrange(0, 3) for qid in ids}
        for round_ in range(3):
            date = (start + dt.timedelta(days=182 * round_)).isoformat()
            aid = client.create_assessment(questionnaire, f"Assessment {round_ + 1}", assessment_date=date,
                                           based_on=earlier).id
            if round_:
                levels = {qid: min(5, level + (rng.random() < 0.3)) for qid, level in levels.items()}
            client.save_answers(aid, [Response(qid, float(level), target=3.0) for qid, level in levels.items()],
                                "benchmark")
            regenerate_roadmap(client, aid)
            for item in roadmap_items(client, aid)[:3]:
                update_roadmap_item(client, item.id, owner="IT lead", status=rng.choice(
                    ("In progress", "Done", "Not started")))
            earlier = aid


def drop_caches() -> bool:
    """Drop the page cache (root only); True when it was dropped."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as handle:
            handle.write("3\n")
        return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--workspace", type=Path, help="a workspace built by an earlier run (else a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args()
    temp = None
    if args.workspace is not None:
        folder = args.workspace
    else:
        temp = Path(tempfile.mkdtemp(prefix="vciso-bench-portfolio-"))
        folder = temp / "ws"
    workspace = Workspace(folder)
    have = len(workspace.client_paths())
    if have < args.clients:
        print(f"building {args.clients - have} clients × 3 assessments of {QUESTIONNAIRE} in {folder} …")
        seconds = build_missing(folder, have, args.clients)
        print(f"  built in {seconds:.0f} s")
    try:
        report(workspace, args.clients)
    finally:
        if temp is not None and not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
        elif temp is not None:
            print(f"workspace kept: {folder}")


def build_missing(folder: Path, have: int, clients: int) -> float:
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        work = [(str(folder), i) for i in range(have, clients)]
        for done, _ in enumerate(pool.map(_build_one, work, chunksize=4), 1):
            if done % 50 == 0:
                print(f"  built {done}/{len(work)} ({time.perf_counter() - started:.0f} s)", flush=True)
    return time.perf_counter() - started


class _Subset:
    """A workspace narrowed to its first `count` files (for the growth figures)."""

    def __init__(self, workspace: Workspace, count: int) -> None:
        self.path = workspace.path
        self._paths = workspace.client_paths()[:count]

    def client_paths(self) -> list[Path]:
        return self._paths


def report(workspace: Workspace, clients: int) -> None:
    paths = workspace.client_paths()
    size = sum(p.stat().st_size for p in paths)
    print(f"portfolio of {len(paths)} clients ({size / 1e6:.0f} MB of client files):")
    dropped = drop_caches()
    start = time.perf_counter()
    portfolio = read_portfolio(workspace)
    cold = time.perf_counter() - start
    stored = sum(1 for row in portfolio.rows if row.source == "stored")
    assert not portfolio.errors, portfolio.errors[:3]
    how = "page cache dropped" if dropped else "page cache NOT dropped (needs root): first run of this process"
    print(f"  cold  {cold:7.3f} s   ({how}; target < 3 s)")
    warm = median_seconds(lambda: read_portfolio(workspace), 5)
    print(f"  warm  {warm:7.3f} s   (median of 5; target < 1 s)   {stored}/{len(paths)} rows from stored summaries")
    for count in (100, 250, 500):
        if count <= len(paths):
            subset = _Subset(workspace, count)
            seconds = median_seconds(lambda s=subset: read_portfolio(s), 3)
            print(f"  warm  {seconds:7.3f} s   for {count:>3} clients = {seconds / count * 1000:6.2f} ms per client")
    if drop_caches():
        start = time.perf_counter()
        baseline_portfolio(workspace)
        print(f"  baseline without summaries, cold  {time.perf_counter() - start:7.3f} s")
    start = time.perf_counter()
    baseline = baseline_portfolio(workspace)
    base = time.perf_counter() - start
    print(f"  baseline without summaries, warm  {base:7.3f} s   (every file scored from its answers; "
          f"{base / warm:.0f}x the listing)")
    assert [r.score for r in baseline.rows] == [r.score for r in portfolio.rows]


if __name__ == "__main__":
    main()
