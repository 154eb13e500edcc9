"""The bundled NIST CSF 2.0 questionnaire covers exactly the CSF 2.0 functions, categories and subcategories."""

from __future__ import annotations

from pathlib import Path

import pytest

from vciso.library import load_questionnaire_file

CSF_FILE = Path(__file__).parent.parent / "questionnaires" / "nist-csf-2.0.yaml"

FUNCTIONS = ["GV", "ID", "PR", "DE", "RS", "RC"]

CATEGORIES = [
    "GV.OC", "GV.RM", "GV.RR", "GV.PO", "GV.OV", "GV.SC",
    "ID.AM", "ID.RA", "ID.IM",
    "PR.AA", "PR.AT", "PR.DS", "PR.PS", "PR.IR",
    "DE.CM", "DE.AE",
    "RS.MA", "RS.AN", "RS.CO", "RS.MI",
    "RC.RP", "RC.CO",
]

SUBCATEGORIES = [
    "GV.OC-01", "GV.OC-02", "GV.OC-03", "GV.OC-04", "GV.OC-05",
    "GV.RM-01", "GV.RM-02", "GV.RM-03", "GV.RM-04", "GV.RM-05", "GV.RM-06", "GV.RM-07",
    "GV.RR-01", "GV.RR-02", "GV.RR-03", "GV.RR-04",
    "GV.PO-01", "GV.PO-02",
    "GV.OV-01", "GV.OV-02", "GV.OV-03",
    "GV.SC-01", "GV.SC-02", "GV.SC-03", "GV.SC-04", "GV.SC-05",
    "GV.SC-06", "GV.SC-07", "GV.SC-08", "GV.SC-09", "GV.SC-10",
    "ID.AM-01", "ID.AM-02", "ID.AM-03", "ID.AM-04", "ID.AM-05", "ID.AM-07", "ID.AM-08",
    "ID.RA-01", "ID.RA-02", "ID.RA-03", "ID.RA-04", "ID.RA-05",
    "ID.RA-06", "ID.RA-07", "ID.RA-08", "ID.RA-09", "ID.RA-10",
    "ID.IM-01", "ID.IM-02", "ID.IM-03", "ID.IM-04",
    "PR.AA-01", "PR.AA-02", "PR.AA-03", "PR.AA-04", "PR.AA-05", "PR.AA-06",
    "PR.AT-01", "PR.AT-02",
    "PR.DS-01", "PR.DS-02", "PR.DS-10", "PR.DS-11",
    "PR.PS-01", "PR.PS-02", "PR.PS-03", "PR.PS-04", "PR.PS-05", "PR.PS-06",
    "PR.IR-01", "PR.IR-02", "PR.IR-03", "PR.IR-04",
    "DE.CM-01", "DE.CM-02", "DE.CM-03", "DE.CM-06", "DE.CM-09",
    "DE.AE-02", "DE.AE-03", "DE.AE-04", "DE.AE-06", "DE.AE-07", "DE.AE-08",
    "RS.MA-01", "RS.MA-02", "RS.MA-03", "RS.MA-04", "RS.MA-05",
    "RS.AN-03", "RS.AN-06", "RS.AN-07", "RS.AN-08",
    "RS.CO-02", "RS.CO-03",
    "RS.MI-01", "RS.MI-02",
    "RC.RP-01", "RC.RP-02", "RC.RP-03", "RC.RP-04", "RC.RP-05", "RC.RP-06",
    "RC.CO-03", "RC.CO-04",
]


@pytest.fixture(scope="module")
def csf():
    return load_questionnaire_file(CSF_FILE)


def test_id_lists_are_the_csf_2_0_counts():
    assert len(SUBCATEGORIES) == 106 and len(set(SUBCATEGORIES)) == 106
    assert len(CATEGORIES) == 22 and len(FUNCTIONS) == 6


def test_header(csf):
    assert csf.id == "nist-csf-2.0"
    assert csf.title == "NIST CSF 2.0 Maturity Assessment"
    assert csf.version == "2.0.1"
    assert csf.aggregation == "weighted_mean"
    assert csf.default_target == 3
    assert "CSWP 29" in csf.source


def test_exact_subcategory_ids_in_order(csf):
    assert csf.question_count == 106
    assert [q.id for q in csf.questions()] == SUBCATEGORIES


def test_functions_are_top_level_sections(csf):
    assert [s.id for s in csf.sections] == FUNCTIONS
    assert [s.title for s in csf.sections] == ["Govern", "Identify", "Protect", "Detect", "Respond", "Recover"]


def test_categories_are_nested_sections(csf):
    nested = [child.id for function in csf.sections for child in function.sections]
    assert nested == CATEGORIES
    for function in csf.sections:
        assert not function.questions, f"function {function.id} should hold categories, not questions"
        for category in function.sections:
            assert category.id.startswith(function.id + ".")
            assert not category.sections
            for question in category.questions:
                assert question.id.startswith(category.id + "-")


def test_every_question_is_complete(csf):
    for q in csf.questions():
        assert q.text.strip(), q.id
        assert q.guidance.strip(), q.id
        assert q.recommendation.strip(), q.id
        assert q.title.strip(), q.id
        assert q.references == (q.id,), q.id
        assert q.weight == 1, q.id


def test_question_texts_are_distinct(csf):
    texts = [q.text.strip().casefold() for q in csf.questions()]
    assert len(set(texts)) == len(texts)


def test_scale(csf):
    scale = csf.default_scale
    assert scale.id == "maturity-0-5"
    assert scale.pass_threshold == 3
    assert [level.value for level in scale.levels] == [0, 1, 2, 3, 4, 5]
    assert [level.label for level in scale.levels] == [
        "Not performed", "Initial", "Repeatable", "Defined", "Managed", "Optimised"]
    assert len(scale.levels) == 6
    for level in scale.levels:
        assert level.description.strip(), level.label
