"""How long importing a framework takes: a generated 500-node CISO Assistant library and the SP 800-53
MODERATE OSCAL catalog — and what the real NIST catalogs import to (a check, not a test).

Run by hand (not a timed test):  python benchmarks/bench_import.py [OSCAL_FOLDER]

Default folder: ../shared/data/oscal/ (relative to the repository root); catalogs that are absent are
skipped with a note. The CISO Assistant library is generated here in the library format (our own
words, nothing of CISO Assistant). Every figure is the median of 5 runs; the target is < 0.5 s each for
convert + validate and for the whole import (plan, id check against the library, atomic write).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from vciso.importers import read_import_file  # noqa: E402
from vciso.importers.plan import apply_import, plan_import  # noqa: E402
from vciso.questionnaire import questionnaire_from_dict  # noqa: E402

from timing import median_seconds  # noqa: E402 - benchmarks/ is on sys.path when run as a script

DEFAULT_FOLDER = REPO / ".." / "shared" / "data" / "oscal"
CATALOGS = {"csf": "NIST_CSF_v2.0_catalog.json",
            "moderate": "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json",
            "low": "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json"}
RUNS = 5
LIMIT = 0.5


def synthetic_library(nodes: int = 500) -> dict:
    """A CISO Assistant-style library of `nodes` requirement nodes: 10 domains of 4 sections, the rest
    assessable requirements with implementation groups, evidence, and a scored question on every 5th."""
    base = "urn:example:risk:req_node:bench"
    requirement_nodes = []
    domains, sections_per_domain = 10, 4
    headings = domains + domains * sections_per_domain
    per_section, extra = divmod(nodes - headings, domains * sections_per_domain)
    counter = 0
    sections_done = 0
    for d in range(1, domains + 1):
        requirement_nodes.append({"urn": f"{base}:d{d}", "assessable": False, "depth": 1, "ref_id": f"D{d}",
                                  "name": f"Domain {d}", "description": f"What domain {d} covers."})
        for s in range(1, sections_per_domain + 1):
            section = f"{base}:d{d}.s{s}"
            requirement_nodes.append({"urn": section, "assessable": False, "depth": 2, "parent_urn": f"{base}:d{d}",
                                      "ref_id": f"D{d}.S{s}", "name": f"Section {d}.{s}"})
            sections_done += 1
            for r in range(1, per_section + (1 if sections_done <= extra else 0) + 1):
                counter += 1
                node = {"urn": f"{section}.r{r}", "assessable": True, "depth": 3, "parent_urn": section,
                        "ref_id": f"D{d}.S{s}.R{r}", "name": f"Requirement {d}.{s}.{r}",
                        "description": f"The organisation does thing {counter} and keeps a record of it.",
                        "annotation": "Ask to see the record.", "typical_evidence": "A record; minutes.",
                        "implementation_groups": ["IG1"] if counter % 3 else ["IG1", "IG2"]}
                if counter % 5 == 0:
                    node["questions"] = {f"{section}.r{r}:question:1": {
                        "type": "unique_choice", "text": "Is it done?",
                        "choices": [{"urn": f"{section}.r{r}:question:1:choice:{i}", "value": v, "add_score": i}
                                    for i, v in enumerate(("No", "Partly", "Yes"))]}}
                requirement_nodes.append(node)
    return {"urn": "urn:example:risk:library:bench", "locale": "en", "ref_id": "bench-500", "name": "Bench 500",
            "description": "Generated for the benchmark.", "copyright": "Generated, public domain",
            "version": 1, "provider": "bench", "packager": "bench",
            "objects": {"framework": {
                "urn": "urn:example:risk:framework:bench", "ref_id": "BENCH", "name": "Bench 500",
                "min_score": 0, "max_score": 5,
                "scores_definition": [{"score": i, "name": f"Level {i}", "description": f"Level {i}."}
                                      for i in range(6)],
                "implementation_groups_definition": [{"ref_id": "IG1", "name": "First"},
                                                     {"ref_id": "IG2", "name": "Second"}],
                "requirement_nodes": requirement_nodes}}}


def time_import(label: str, path: Path) -> list[str]:
    def convert_and_validate():
        return questionnaire_from_dict(read_import_file(path).data, str(path))

    questionnaire = convert_and_validate()
    convert = median_seconds(convert_and_validate, RUNS)

    def full_import():
        with tempfile.TemporaryDirectory(prefix="vciso-bench-") as folder:
            apply_import(plan_import(path, Path(folder)))

    whole = median_seconds(full_import, RUNS)
    verdict = "ok" if max(convert, whole) < LIMIT else f"OVER {LIMIT} s"
    return [f"{label}: {path.stat().st_size / 1024:.0f} KB -> {questionnaire.question_count} questions",
            f"  convert + validate             {convert * 1000:7.1f} ms",
            f"  import (plan, id check, write) {whole * 1000:7.1f} ms   [{verdict}]"]


def describe(path: Path, assess: str) -> str:
    converted = read_import_file(path, assess=assess)
    q = questionnaire_from_dict(converted.data, str(path))
    levels: list[int] = []

    def walk(sections: tuple, depth: int) -> None:
        if sections:
            while len(levels) <= depth:
                levels.append(0)
            levels[depth] += len(sections)
            for section in sections:
                walk(section.sections, depth + 1)

    walk(q.sections, 0)
    return (f"  {assess:<6} {q.id}: {q.question_count} questions; sections per level {levels}; "
            f"ids {', '.join(loc.question.id for loc in q.locations[:3])} …")


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else DEFAULT_FOLDER.resolve()
    lines = []
    with tempfile.TemporaryDirectory(prefix="vciso-bench-") as scratch:
        library = Path(scratch) / "bench-500.yaml"
        data = synthetic_library(500)
        library.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
        nodes = len(data["objects"]["framework"]["requirement_nodes"])
        lines += time_import(f"CISO Assistant library, {nodes} nodes (generated)", library)
    moderate = folder / CATALOGS["moderate"]
    if moderate.is_file():
        lines += time_import("OSCAL SP 800-53 rev5 MODERATE", moderate)
    else:
        lines.append(f"skipped: no catalog at {moderate}")
    lines.append(f"median of {RUNS} runs; target < {LIMIT} s each")
    lines.append("What the real catalogs import to:")
    for key, assesses in (("csf", ("auto", "all")), ("moderate", ("auto", "leaves")), ("low", ("auto",))):
        path = folder / CATALOGS[key]
        if not path.is_file():
            lines.append(f"  skipped: no catalog at {path}")
            continue
        lines.append(f" {CATALOGS[key]}")
        lines.extend(describe(path, assess) for assess in assesses)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
