"""Crosswalks: the mapping format, its validation, chains, cycles and the coverage rules (fixtures of our own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.core_fixtures import scale_0_5
from vciso.crosswalk import compute_coverage, load_mapping_file, load_mappings, mapping_from_dict, resolve_framework
from vciso.crosswalk.ids import catalog_form
from vciso.crosswalk.store import MappingLibrary, MappingEntryFile
from vciso.errors import FrameworkNotFound, MappingError
from vciso.questionnaire import questionnaire_from_dict
from vciso.responses import Response


def _questionnaire(qid: str = "quick", ids: tuple[str, ...] = ("Q1", "Q2", "Q3", "Q4")):
    return questionnaire_from_dict({
        "id": qid, "title": "Quick check", "version": "1", "default_target": 3, "scales": [scale_0_5()],
        "sections": [{"id": "S", "title": "Only", "questions": [{"id": i, "text": f"text {i}"} for i in ids]}]})


def _mapping(source: str, target: str, entries: list[dict], mid: str | None = None):
    data = {"format": "vciso-mapping/1", "source": {"id": source}, "target": {"id": target}, "entries": entries}
    if mid:
        data["id"] = mid
    return mapping_from_dict(data, f"{source}-{target}.yaml")


def _library(*mappings) -> MappingLibrary:
    return MappingLibrary(tuple(MappingEntryFile(m, Path(f"{m.id}.yaml"), False) for m in mappings))


def _answers(**levels) -> dict[str, Response]:
    out = {}
    for qid, value in levels.items():
        if value == "na":
            out[qid] = Response(qid, None, None, "", "Not used here", False)
        else:
            out[qid] = Response(qid, float(value), None, "", "", False)
    return out


def _coverage(mappings: MappingLibrary, framework: str, answers: dict, questionnaire=None):
    questionnaire = questionnaire or _questionnaire()
    return compute_coverage(questionnaire, answers, resolve_framework(framework, None, mappings), mappings)


# --------------------------------------------------------------------------- the format


def test_a_valid_file_loads_with_targets_lists_and_strength(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("format: vciso-mapping/1\nsource: {id: quick, version: '1'}\ntarget: {id: fw}\n"
                    "entries:\n  - {source: Q1, targets: [A-1, A-2], relationship: subset-of, strength: 0.5}\n"
                    "  - {source: Q2, target: B-1, relationship: equal, note: same words}\n", encoding="utf-8")
    mapping = load_mapping_file(path)
    assert mapping.id == "quick--fw"
    assert [(e.source, e.target, e.relationship) for e in mapping.entries] == [
        ("Q1", "A-1", "subset-of"), ("Q1", "A-2", "subset-of"), ("Q2", "B-1", "equal")]
    assert mapping.entries[0].strength == 0.5 and mapping.entries[2].note == "same words"


def test_validation_names_every_problem_with_its_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("format: vciso-mapping/1\nsource: {id: quick}\ntarget: {id: fw}\nentries:\n"
                    "  - {source: Q1, target: A-1, relationship: overlaps}\n"
                    "  - {source: Q2, relationship: equal}\n"
                    "  - {source: Q3, target: A-3, relationship: equal, strength: 7}\n", encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping_file(path)
    problems = caught.value.problems
    assert any("entry 1 (line 5)" in p and "'overlaps'" in p and "intersects-with" in p for p in problems)
    assert any("entry 2 (line 6)" in p and "no target id" in p for p in problems)
    assert any("entry 3 (line 7)" in p and "strength" in p for p in problems)
    assert str(path) in str(caught.value)


def test_a_file_mapping_a_framework_onto_itself_or_not_yaml_is_refused(tmp_path):
    with pytest.raises(MappingError, match="source and target are the same"):
        _mapping("fw", "fw", [{"source": "A", "target": "A", "relationship": "equal"}])
    path = tmp_path / "broken.yaml"
    path.write_text("format: vciso-mapping/1\nentries: [\n", encoding="utf-8")
    with pytest.raises(MappingError, match="line"):
        load_mapping_file(path)


def test_ids_are_written_the_catalog_way():
    assert [catalog_form(i) for i in ("PM-09\n", "cp-2.8", "CP-02(08)", "ac-2", "de.ae-02")] == [
        "PM-9", "CP-2(8)", "CP-2(8)", "AC-2", "DE.AE-02"]


# --------------------------------------------------------------------------- relationships


@pytest.mark.parametrize("relationship, confidence, status", [
    ("equal", "full", "met"), ("superset-of", "full", "met"),
    ("subset-of", "partial", "partial"), ("intersects-with", "partial", "partial")])
def test_each_relationship_gives_its_confidence_and_a_partial_one_is_never_met(relationship, confidence, status):
    mappings = _library(_mapping("quick", "fw", [{"source": "Q1", "target": "R-1", "relationship": relationship}]))
    row = _coverage(mappings, "fw", _answers(Q1=4)).requirement("R-1")
    assert (row.confidence, row.status, row.level, row.target) == (confidence, status, 4.0, 3.0)
    assert row.met is (status == "met")


def test_no_relationship_carries_nothing_and_leaves_the_requirement_unmapped():
    mappings = _library(_mapping("quick", "fw", [{"source": "Q1", "target": "R-1", "relationship": "no-relationship"},
                                                 {"source": "Q2", "target": "R-2", "relationship": "equal"}]))
    coverage = _coverage(mappings, "fw", _answers(Q1=5, Q2=5))
    assert coverage.requirement("R-1").status == "unmapped"
    assert coverage.requirement("R-1").confidence == "none"


def test_the_weakest_mapped_answer_is_the_level():
    mappings = _library(_mapping("quick", "fw", [
        {"source": "Q1", "target": "R-1", "relationship": "subset-of"},
        {"source": "Q2", "target": "R-1", "relationship": "subset-of"},
        {"source": "Q3", "target": "R-2", "relationship": "equal"},
        {"source": "Q4", "target": "R-2", "relationship": "equal"}]))
    coverage = _coverage(mappings, "fw", _answers(Q1=5, Q2=2, Q3=4, Q4=3))
    assert coverage.requirement("R-1").level == 2.0 and coverage.requirement("R-1").status == "below"
    assert coverage.requirement("R-2").level == 3.0 and coverage.requirement("R-2").status == "met"
    assert [s.question_id for s in coverage.requirement("R-1").sources] == ["Q2", "Q1"]  # weakest first


def test_one_partial_path_makes_the_requirement_partial():
    mappings = _library(_mapping("quick", "fw", [{"source": "Q1", "target": "R-1", "relationship": "equal"},
                                                 {"source": "Q2", "target": "R-1", "relationship": "intersects-with"}]))
    row = _coverage(mappings, "fw", _answers(Q1=5, Q2=5)).requirement("R-1")
    assert (row.confidence, row.status) == ("partial", "partial")


def test_unanswered_and_unmapped_requirements_are_not_met_and_not_covered():
    mappings = _library(_mapping("quick", "fw", [{"source": "Q1", "target": "R-1", "relationship": "equal"},
                                                 {"source": "Q2", "target": "R-1", "relationship": "equal"},
                                                 {"source": "Q3", "target": "R-2", "relationship": "equal"}]))
    questionnaire = _questionnaire()
    target = resolve_framework("fw", None, mappings)
    coverage = compute_coverage(questionnaire, _answers(Q1=5), target, mappings)
    assert coverage.requirement("R-1").status == "incomplete"  # Q2 not answered yet: not met
    assert coverage.requirement("R-2").status == "unanswered"
    totals = coverage.totals
    assert (totals.total, totals.covered, totals.met, totals.covered_share) == (2, 1, 0, 0.5)


def test_na_answers_are_left_out_and_said_and_a_requirement_of_only_na_answers_is_excluded():
    mappings = _library(_mapping("quick", "fw", [
        {"source": "Q1", "target": "R-1", "relationship": "equal"},
        {"source": "Q2", "target": "R-1", "relationship": "equal"},
        {"source": "Q3", "target": "R-2", "relationship": "equal"},
        {"source": "Q4", "target": "R-3", "relationship": "equal"}]))
    coverage = _coverage(mappings, "fw", _answers(Q1=4, Q2="na", Q3="na", Q4=1))
    r1, r2 = coverage.requirement("R-1"), coverage.requirement("R-2")
    assert (r1.status, r1.level, r1.na_sources) == ("met", 4.0, 1)  # Q2 (N/A) does not pull it down
    assert r2.status == "na"
    assert (coverage.totals.not_applicable, coverage.totals.applicable, coverage.totals.met) == (1, 2, 1)
    assert coverage.totals.met_share == 0.5
    assert any("N/A" in note and "excluded" in note for note in coverage.notes)


# --------------------------------------------------------------------------- chains and cycles


def test_two_mappings_chain_and_compose_their_relationships():
    first = _mapping("quick", "mid", [{"source": "Q1", "target": "M.1", "relationship": "equal"},
                                      {"source": "Q2", "target": "M.2", "relationship": "subset-of"}])
    second = _mapping("mid", "fw", [{"source": "M.1", "targets": ["AC-2"], "relationship": "superset-of"},
                                    {"source": "m.2", "target": "ac-02", "relationship": "equal"},
                                    {"source": "M.2", "target": "AC-3", "relationship": "superset-of"}])
    coverage = _coverage(_library(first, second), "fw", _answers(Q1=4, Q2=3))
    assert coverage.mappings == ("quick--mid", "mid--fw")
    ac2, ac3 = coverage.requirement("AC-2"), coverage.requirement("AC-3")
    assert {(s.question_id, s.relationship, s.path) for s in ac2.sources} == {
        ("Q1", "superset-of", ("quick--mid", "mid--fw")), ("Q2", "subset-of", ("quick--mid", "mid--fw"))}
    assert (ac2.level, ac2.confidence, ac2.status) == (3.0, "partial", "partial")
    assert ac3.sources[0].relationship == "intersects-with"  # subset-of then superset-of: only an overlap


def test_a_file_that_would_close_a_cycle_is_left_out_and_an_import_refused(tmp_path):
    folder = tmp_path / "bundled"
    folder.mkdir()
    for name, source, target in (("a.yaml", "x", "y"), ("b.yaml", "y", "z"), ("c.yaml", "z", "x")):
        (folder / name).write_text(f"format: vciso-mapping/1\nsource: {{id: {source}}}\ntarget: {{id: {target}}}\n"
                                   "entries: [{source: A, target: A, relationship: equal}]\n", encoding="utf-8")
    library = load_mappings(None, folder)
    assert [m.id for m in library.mappings] == ["x--y", "y--z"]
    assert len(library.problems) == 1 and "cycle" in library.problems[0].message
    from vciso.crosswalk.store import plan_mapping_import

    plan = plan_mapping_import(folder / "c.yaml", tmp_path / "lib", bundled_dir=folder)
    assert not plan.ok and any("cycle" in p for p in plan.problems)


def test_no_chain_or_unknown_framework_is_one_clear_error():
    mappings = _library(_mapping("other", "fw", [{"source": "Q1", "target": "R-1", "relationship": "equal"}]))
    with pytest.raises(FrameworkNotFound, match="no chain of mappings leads from"):
        _coverage(mappings, "fw", _answers(Q1=1))
    with pytest.raises(FrameworkNotFound, match="known: fw, other"):
        resolve_framework("iso", None, mappings)


def test_a_library_questionnaire_is_a_target_with_its_sections_and_a_baseline_is_read_by_ids():
    from vciso.library import Library, LibraryEntry

    baseline = questionnaire_from_dict({
        "id": "fw-moderate", "title": "FW Moderate", "version": "1", "scales": [scale_0_5()],
        "sections": [{"id": "AC", "title": "Access", "questions": [{"id": "AC-2", "text": "x"},
                                                                   {"id": "AC-2(1)", "text": "y"}]}]})
    library = Library((LibraryEntry(baseline, Path("fw-moderate.yaml"), False),), ())
    mappings = _library(_mapping("quick", "fw", [{"source": "Q1", "target": "ac-2", "relationship": "equal"}]))
    target = resolve_framework("fw-moderate", library, mappings)
    coverage = compute_coverage(_questionnaire(), _answers(Q1=3), target, mappings)
    assert [(s.id, s.title) for s in coverage.sections] == [("AC", "Access")]
    assert [(r.id, r.status) for r in coverage.requirements()] == [("AC-2", "met"), ("AC-2(1)", "unmapped")]
    assert "selection of" in coverage.notes[0]
