"""Importing crosswalks: OSCAL mapping-collection, NIST OLIR workbook, CISO Assistant mapping library, and the
`vciso mapping` commands (small files of our own, written the way the real ones are)."""

from __future__ import annotations

import json

import pytest

from vciso.crosswalk.store import plan_mapping_import, read_mapping_import
from vciso.crosswalk.model import mapping_from_dict
from vciso.errors import MappingError

OSCAL = {"mapping-collection": {
    "uuid": "a101fe15-cc3e-4da6-9799-a00b80a0495c",
    "metadata": {"title": "NIST_CSF_v2.0 to NIST_SP-800-53_rev5", "version": "1.0", "oscal-version": "1.2.1"},
    "provenance": {"method": "manual", "matching-rationale": "semantic", "status": "complete"},
    "mappings": [{
        "uuid": "5442009f-dd46-48b2-a80d-f22f58c3b750",
        "source-resource": {"type": "catalog", "href": "catalogs/NIST_CSF_v2.0/catalog.json"},
        "target-resource": {"type": "catalog", "href": "catalogs/NIST_SP-800-53_rev5/catalog.json"},
        "maps": [
            {"uuid": "1", "relationship": "superset-of", "sources": [{"type": "control", "id-ref": "gv.oc-02"}],
             "targets": [{"type": "control", "id-ref": "pm-9"}, {"type": "control", "id-ref": "sa-11.2"}],
             "confidence-score": {"percentage": 1.0}},
            {"uuid": "2", "relationship": "subset-of", "sources": [{"type": "control", "id-ref": "pr.aa-01"}],
             "targets": [{"type": "control", "id-ref": "ac-2"}]}],
        "source-gap-summary": {"uuid": "3", "unmapped-controls": [{"with-ids": ["de.dp-01"]}]}}]}}


def _olir(path, rows, headers=("Focal Document\nElement", "Focal Document Element Description",
                               "Reference Document\nElement", "Reference Document\nElement Description\n(Optional)",
                               "Comments\n(Optional)", "Strength of\nRelationship\n(Optional)")):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Relationships"
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


OLIR_ROWS = [("GV", "Govern", None, None, None, None), ("GV.OC", "Context", None, None, None, None),
             ("GV.OC-02", "Stakeholders", "PM-09\n", None, None, None),
             ("GV.OC-02", "Stakeholders", "SA-11(02)", None, None, 8),
             ("GV.OC-03", "Legal", "PT", None, None, None),
             ("PR.AA-01", "Identities", "AC-02", None, None, None)]

CISO_ASSISTANT = """\
urn: urn:example:risk:library:mapping-quick-check-to-nist-csf-2.0
locale: en
ref_id: mapping-quick-check-to-nist-csf-2.0
name: Quick check to NIST CSF 2.0
version: 1
copyright: Example Ltd
objects:
  requirement_mapping_set:
    urn: urn:example:risk:requirement_mapping_set:quick-to-csf
    ref_id: quick-to-csf
    name: Quick check -> NIST CSF 2.0
    source_framework_urn: urn:example:risk:framework:quick-check
    target_framework_urn: urn:intuitem:risk:framework:nist-csf-2.0
    requirement_mappings:
    - source_requirement_urn: urn:example:risk:req_node:quick-check:q1
      target_requirement_urn: urn:intuitem:risk:req_node:nist-csf-2.0:gv.oc-02
      relationship: intersect
      rationale: semantic
    - source_requirement_urn: urn:example:risk:req_node:quick-check:q2
      target_requirement_urn: urn:intuitem:risk:req_node:nist-csf-2.0:pr.aa-01
      relationship: equal
      strength_of_relationship: 10
"""


def _pairs(path):
    data, kind, notes = read_mapping_import(path)
    mapping = mapping_from_dict(data, str(path))
    return kind, mapping, {(e.source, e.target) for e in mapping.entries}, notes


def test_oscal_mapping_collection_reads_every_source_target_pair_in_the_catalog_form(tmp_path):
    path = tmp_path / "collection.json"
    path.write_text(json.dumps(OSCAL), encoding="utf-8")
    kind, mapping, pairs, notes = _pairs(path)
    assert kind == "OSCAL mapping-collection"
    assert (mapping.source_id, mapping.target_id) == ("nist-csf-2.0", "nist-sp-800-53-r5")
    assert pairs == {("GV.OC-02", "PM-9"), ("GV.OC-02", "SA-11(2)"), ("PR.AA-01", "AC-2")}
    assert mapping.relationships() == {"subset-of": 1, "superset-of": 2}
    assert mapping.entries[0].strength == 1.0
    assert any("1 source id" in n for n in notes)


def test_olir_workbook_gives_the_same_pairs_as_the_oscal_collection(tmp_path):
    oscal = tmp_path / "collection.json"
    oscal.write_text(json.dumps(OSCAL), encoding="utf-8")
    olir = _olir(tmp_path / "NIST_CSF_v2.0_to_SP800-53r5.2.0_crosswalk.xlsx", OLIR_ROWS)
    kind, mapping, pairs, notes = _pairs(olir)
    assert kind == "NIST OLIR crosswalk workbook"
    assert pairs == _pairs(oscal)[2]
    assert (mapping.source_id, mapping.target_id) == ("nist-csf-2.0", "nist-sp-800-53-r5")
    assert mapping.relationships() == {"intersects-with": 3}  # NIST gives no type: never full coverage
    assert [e.strength for e in mapping.entries] == [None, 0.8, None]
    assert any("GV.OC-03 → PT (row 6)" in n for n in notes)  # a whole family is no control to match


def test_olir_workbook_without_its_sheet_or_columns_is_refused_with_the_place(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "other.xlsx")
    with pytest.raises(MappingError, match="no sheet 'Relationships'"):
        read_mapping_import(tmp_path / "other.xlsx")
    _olir(tmp_path / "cols.xlsx", [("GV.OC-01", "x")], headers=("Id", "Text"))
    with pytest.raises(MappingError, match="row 1: expected columns"):
        read_mapping_import(tmp_path / "cols.xlsx")


def test_ciso_assistant_mapping_library_reads_urns_and_relationships(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(CISO_ASSISTANT, encoding="utf-8")
    kind, mapping, pairs, _ = _pairs(path)
    assert kind == "CISO Assistant mapping library"
    assert (mapping.source_id, mapping.target_id) == ("quick-check", "nist-csf-2.0")
    assert [(e.source, e.target, e.relationship, e.strength) for e in mapping.entries] == [
        ("Q1", "GV.OC-02", "intersects-with", None), ("Q2", "PR.AA-01", "equal", 1.0)]


def test_ciso_assistant_mapping_with_an_unknown_relationship_is_refused_with_its_number(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(CISO_ASSISTANT.replace("relationship: equal", "relationship: sort-of"), encoding="utf-8")
    with pytest.raises(MappingError, match=r"requirement_mappings\[2\]: relationship 'sort-of'"):
        read_mapping_import(path)


def test_a_file_of_no_known_kind_says_what_was_expected(tmp_path):
    path = tmp_path / "what.yaml"
    path.write_text("name: something\n", encoding="utf-8")
    with pytest.raises(MappingError, match="not a mapping - expected"):
        read_mapping_import(path)


def test_cli_import_dry_run_writes_nothing_then_import_lists_it_and_a_second_is_refused(cli, tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(CISO_ASSISTANT, encoding="utf-8")
    code, out, err = cli("mapping", "import", str(path), "--dry-run")
    assert code == 0 and "2 pairs" in out and "nothing was written" in out
    assert not (tmp_path / "lib" / "mappings").exists()
    code, out, err = cli("mapping", "import", str(path))
    assert code == 0 and (tmp_path / "lib" / "mappings" / "quick-check--nist-csf-2.0.yaml").is_file()
    code, out, _ = cli("mapping", "list", "--json")
    listed = {m["id"]: m for m in json.loads(out)["mappings"]}
    assert listed["quick-check--nist-csf-2.0"]["pairs"] == 2 and not listed["quick-check--nist-csf-2.0"]["bundled"]
    assert listed["small-business-essentials--nist-csf-2.0"]["bundled"]
    code, out, err = cli("mapping", "import", str(path))
    assert code == 1 and "already in the library" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_import_of_a_bad_file_is_one_line(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: vciso-mapping/1\nsource: {id: a}\ntarget: {id: b}\nentries: []\n", encoding="utf-8")
    code, out, err = cli("mapping", "import", str(path))
    assert code == 1 and "'entries' must be a non-empty list" in err and len(err.strip().splitlines()) == 1


def test_plan_refuses_an_id_already_taken(tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text(CISO_ASSISTANT, encoding="utf-8")
    first = plan_mapping_import(path, tmp_path / "lib")
    assert first.ok
    from vciso.crosswalk.store import apply_mapping_import

    apply_mapping_import(first)
    second = plan_mapping_import(path, tmp_path / "lib")
    assert not second.ok and "already in the library" in second.problems[0]
    with pytest.raises(MappingError):
        apply_mapping_import(second)
