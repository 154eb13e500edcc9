"""The bundled mappings (questionnaires → CSF 2.0 → SP 800-53 Rev. 5) and the demo client's coverage,
checked by hand; `vciso coverage --json` is the reference every screen's figures equal."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from vciso.crosswalk import assessment_coverage, load_mappings
from vciso.crosswalk.store import bundled_mappings_dir
from vciso.library import load_library

CSF = "nist-csf-2.0"


@pytest.fixture(scope="module")
def library():
    return load_library(None)


@pytest.fixture(scope="module")
def mappings():
    loaded = load_mappings(None)
    assert loaded.problems == ()
    return loaded


def test_every_reference_of_every_bundled_questionnaire_is_a_csf_2_subcategory(library):
    # the bundled CSF 2.0 questionnaire asks exactly the 106 subcategories that are not withdrawn
    subcategories = {q.id for q in library.get(CSF).questions()}
    assert len(subcategories) == 106 and all(re.fullmatch(r"[A-Z]{2}\.[A-Z]{2}-\d{2}", s) for s in subcategories)
    wrong = [(q.id, question.id, ref) for q in library.questionnaires() for question in q.questions()
             for ref in question.references if ref not in subcategories]
    assert wrong == []


def test_each_bundled_questionnaire_has_its_mapping_to_csf_from_those_references(library, mappings):
    for questionnaire in library.questionnaires():
        if questionnaire.id == CSF:
            assert all(q.references == (q.id,) for q in questionnaire.questions())  # its ids are CSF's
            continue
        mapping = mappings.get(f"{questionnaire.id}--{CSF}")
        pairs = {(e.source, e.target) for e in mapping.entries}
        assert pairs == {(q.id, ref) for q in questionnaire.questions() for ref in q.references}
        assert mapping.relationships() == {"subset-of": len(pairs)}


def test_the_bundled_csf_to_sp800_53_mapping_uses_catalog_ids_and_cites_nist(library, mappings):
    mapping = mappings.get(f"{CSF}--nist-sp-800-53-r5")
    subcategories = {q.id for q in library.get(CSF).questions()}
    assert set(mapping.source_ids()) == subcategories
    assert all(re.fullmatch(r"[A-Z]{2}-[1-9]\d*(\([1-9]\d*\))?", t) for t in mapping.target_ids())
    assert {"PM-9", "CP-2(8)"} <= set(mapping.target_ids()) and "PM-09" not in mapping.target_ids()
    assert mapping.pair_count == 737 and "NIST" in mapping.provenance and "public domain" in mapping.provenance
    assert (bundled_mappings_dir() / f"{mapping.id}.yaml").is_file()


def test_an_essentials_assessment_reaches_sp800_53_through_csf(tmp_path, library, mappings):
    from vciso.demo import create_demo
    from vciso.workspace import Workspace

    client = create_demo(Workspace(tmp_path / "ws"), library, today=dt.date(2026, 11, 20))
    coverage = assessment_coverage(client, None, "nist-sp-800-53-r5", library, mappings)
    assert coverage.mappings == ("small-business-essentials--nist-csf-2.0", f"{CSF}--nist-sp-800-53-r5")
    assert coverage.totals.met == 0  # every path is partial: nothing is presented as met
    assert {r.confidence for r in coverage.requirements()} <= {"partial", "none"}


def test_three_csf_subcategories_of_the_demo_checked_by_hand(tmp_path, library, mappings):
    """The demo's six-month follow-up (Small Business Essentials, scale 0-4, target 3), against CSF 2.0.

    PR.AA-03 (users, services and hardware are authenticated) ← ACC-03 (MFA on email) answered 3 and ACC-04
      (MFA on the practice-management system) answered 1, both subset-of. Weakest link: min(3, 1) = 1 < 3
      → below target, partial confidence.
    ID.AM-01 (hardware inventories) ← DEV-01 (device list) answered 3, subset-of. Level 3 = target 3, but the
      mapping is partial, so it is "at target, partial mapping" and NOT met.
    RS.MI-01 (incidents are contained) ← only DEV-05 (lost devices), which is N/A "All devices stay on site…"
      → not applicable: excluded from the shares, and the N/A answer is listed with its reason.
    """
    from vciso.demo import create_demo
    from vciso.workspace import Workspace

    client = create_demo(Workspace(tmp_path / "ws"), library, today=dt.date(2026, 11, 20))
    coverage = assessment_coverage(client, None, CSF, library, mappings)

    pr_aa_03 = coverage.requirement("PR.AA-03")
    assert [(s.question_id, s.status, s.level, s.relationship) for s in pr_aa_03.sources] == [
        ("ACC-04", "answered", 1.0, "subset-of"), ("ACC-03", "answered", 3.0, "subset-of")]
    assert (pr_aa_03.level, pr_aa_03.target, pr_aa_03.confidence, pr_aa_03.status) == (1.0, 3.0, "partial", "below")

    id_am_01 = coverage.requirement("ID.AM-01")
    assert [(s.question_id, s.level) for s in id_am_01.sources] == [("DEV-01", 3.0)]
    assert (id_am_01.level, id_am_01.target, id_am_01.status, id_am_01.met) == (3.0, 3.0, "partial", False)

    rs_mi_01 = coverage.requirement("RS.MI-01")
    assert [(s.question_id, s.status) for s in rs_mi_01.sources] == [("DEV-05", "na")]
    assert rs_mi_01.sources[0].na_reason.startswith("All devices stay on site")
    assert (rs_mi_01.status, rs_mi_01.level) == ("na", None)

    totals = coverage.totals
    assert (totals.total, totals.not_applicable, totals.applicable) == (106, 1, 105)
    assert totals.met == 0 and totals.covered == 23  # 23 subcategories with at least one answered question


def test_coverage_json_has_the_documented_shape_and_the_figures_of_the_core(cli, tmp_path):
    assert cli("demo")[0] == 0
    code, out, err = cli("coverage", "Bright Smile Dental Group", "--framework", CSF, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"client", "assessment", "source", "framework", "mappings", "scale", "totals",
                         "sections", "notes"}
    assert data["framework"]["id"] == CSF and data["source"]["id"] == "small-business-essentials"
    assert data["totals"]["requirements"] == 106 and data["totals"]["not_applicable"] == 1
    assert data["totals"]["covered_share"] == 0.22 and data["totals"]["met_share"] == 0.0
    assert [s["id"] for s in data["sections"]] == ["GV", "ID", "PR", "DE", "RS", "RC"]
    rows = {r["id"]: r for s in data["sections"] for r in s["requirements"]}
    assert rows["PR.AA-03"]["level"] == 1.0 and rows["PR.AA-03"]["status"] == "below"
    assert rows["PR.AA-03"]["sources"][0]["via"] == ["small-business-essentials--nist-csf-2.0"]
    code, out, err = cli("coverage", "Bright Smile Dental Group", "--framework", "iso-27001")
    assert code == 1 and err.startswith("vciso: no framework 'iso-27001'") and len(err.strip().splitlines()) == 1
    code, out, err = cli("coverage", "Bright Smile Dental Group", "--framework", CSF)
    assert code == 0 and "23 of 105 applicable requirements covered (22%), 0 met (0%)" in out
