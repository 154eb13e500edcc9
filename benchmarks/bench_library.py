"""How long importing a big OSCAL catalog and loading the library take, against a same-run baseline.

Run by hand (not a timed test):  python benchmarks/bench_library.py [OSCAL_FILE]

Default file: ../shared/data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json
(relative to the repository root); the benchmark says so and exits cleanly when it is absent.
Every figure is the median of 5 runs; the baseline is `json.loads` of the same file in the same run,
so the ratios compare across machines better than the seconds do.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from vciso.importers import convert_file, import_questionnaire  # noqa: E402
from vciso.library import BUNDLED_DIR, load_library  # noqa: E402
from vciso.questionnaire import questionnaire_from_dict  # noqa: E402

from timing import median_seconds  # noqa: E402 - benchmarks/ is on sys.path when run as a script

DEFAULT_FILE = (REPO / ".." / "shared" / "data" / "oscal"
                / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json")
RUNS = 5




def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_FILE.resolve()
    if not path.is_file():
        print(f"skipped: no OSCAL catalog at {path}")
        return 0
    raw = path.read_text(encoding="utf-8")
    size_mb = len(raw.encode("utf-8")) / 1024 / 1024

    baseline = median_seconds(lambda: json.loads(raw), RUNS)

    def convert_and_validate():
        return questionnaire_from_dict(convert_file(path), str(path))

    convert = median_seconds(convert_and_validate, RUNS)
    questionnaire = convert_and_validate()

    with tempfile.TemporaryDirectory(prefix="vciso-bench-") as folder:
        user_dir = Path(folder)
        import_questionnaire(path, user_dir)
        written = next(user_dir.glob("*.yaml"))
        library = load_library(user_dir)
        load = median_seconds(lambda: load_library(user_dir), RUNS)
        bundled_only = median_seconds(lambda: load_library(None), RUNS)
        written_kb = written.stat().st_size / 1024
        entries, problems = len(library.entries), len(library.problems)

    print(f"catalog: {path.name} ({size_mb:.1f} MB) -> {questionnaire.question_count} questions in "
          f"{len(questionnaire.sections)} sections; imported file {written_kb:.0f} KB")
    print(f"library: {entries} questionnaires ({BUNDLED_DIR.name}/ + the import), {problems} problems")
    print(f"median of {RUNS} runs:")
    rows = [
        ("json.loads of the catalog (baseline)", baseline),
        ("convert + validate the catalog", convert),
        ("load_library(): bundled folder only", bundled_only),
        ("load_library(): bundled + the import", load),
    ]
    for label, seconds in rows:
        print(f"  {label:<40} {seconds * 1000:9.1f} ms   {seconds / baseline:6.1f}x baseline")
    print(f"  import share of load_library()           {(load - bundled_only) * 1000:9.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
