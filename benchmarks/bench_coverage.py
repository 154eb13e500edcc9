"""Coverage benchmark: a 106-question NIST CSF 2.0 assessment against SP 800-53 Rev. 5 MODERATE (287
controls and enhancements) through the bundled chain (CSF 2.0 → SP 800-53). Prints the figure; target < 100 ms.

Run: python benchmarks/bench_coverage.py [--catalog PATH]   (default: NIST's MODERATE resolved-profile catalog
in ../shared/data/oscal/; without it, a synthetic 287-control baseline built from the mapping's own ids)
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from timing import median_seconds  # noqa: E402
from vciso.crosswalk import compute_coverage, load_mappings, resolve_framework  # noqa: E402
from vciso.library import Library, LibraryEntry, load_library  # noqa: E402
from vciso.questionnaire import questionnaire_from_dict  # noqa: E402
from vciso.responses import Response  # noqa: E402

DEFAULT_CATALOG = ROOT.parent / "shared" / "data" / "oscal" / \
    "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"


def moderate(catalog: Path, mappings):  # type: ignore[no-untyped-def]
    if catalog.is_file():
        from vciso.importers import convert_file

        return questionnaire_from_dict(convert_file(catalog), str(catalog)), "NIST catalog"
    ids = mappings.get("nist-csf-2.0--nist-sp-800-53-r5").target_ids()
    ids = (ids + [f"{i}(1)" for i in ids])[:287]
    return questionnaire_from_dict({
        "id": "nist-sp-800-53-r5-moderate", "title": "Synthetic MODERATE", "version": "1",
        "scales": [{"id": "m", "levels": [{"value": v, "label": f"L{v}"} for v in range(6)]}],
        "sections": [{"id": "ALL", "title": "All", "questions": [{"id": i, "text": i} for i in ids]}]}), "synthetic"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--catalog", type=Path, default=DEFAULT_CATALOG)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    library, mappings = load_library(None), load_mappings(None)
    csf = library.get("nist-csf-2.0")
    baseline, origin = moderate(args.catalog, mappings)
    library = Library(library.entries + (LibraryEntry(baseline, Path("moderate.yaml"), False),), ())
    rng = random.Random(16)
    answers = {q.id: Response(q.id, float(rng.randint(0, 5)), None, "", "", False) for q in csf.questions()}

    def work():  # type: ignore[no-untyped-def]
        target = resolve_framework(baseline.id, library, mappings)
        return compute_coverage(csf, answers, target, mappings, 3.0)

    coverage = work()
    seconds = median_seconds(work, args.runs)
    print(f"coverage: {csf.question_count}-question CSF 2.0 assessment vs {coverage.totals.total} SP 800-53 "
          f"MODERATE requirements ({origin}) via {' + '.join(coverage.mappings)}: {seconds * 1000:.1f} ms "
          f"(median of {args.runs}; target < 100 ms); {coverage.totals.covered} covered, "
          f"{coverage.totals.unmapped} unmapped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
