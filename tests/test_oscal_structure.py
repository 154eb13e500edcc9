"""OSCAL structure: which controls are asked and which are headings (auto, leaves, all), withdrawn items at
every level, and readable ids — on small hand-written catalogs shaped like CSF 2.0, SP 800-53 and a
"control holding safeguards" catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from vciso.errors import QuestionnaireError
from vciso.importers import read_import_file
from vciso.importers.ids import MAX_ID_CHARS, readable_id, shorten_title, suggest_free_id
from vciso.questionnaire import questionnaire_from_dict

FIXTURES = Path(__file__).parent / "fixtures" / "oscal"
GROUPING = FIXTURES / "grouping_catalog.json"          # function -> category -> subcategory (CSF 2.0's shape)
ENHANCEMENTS = FIXTURES / "enhancements_catalog.json"  # family -> control -> enhancement (SP 800-53's shape)
SAFEGUARDS = FIXTURES / "safeguards_catalog.json"      # controls holding safeguards, practices holding tasks


def load(path: Path, assess: str = "auto"):
    converted = read_import_file(path, assess=assess)
    return questionnaire_from_dict(converted.data, str(path)), converted


def tree(sections) -> list:
    """(id, [question ids], [children]) for each section, to compare whole structures at once."""
    return [(s.id, [q.id for q in s.questions], tree(s.sections)) for s in sections]


def test_csf_like_categories_are_headings_and_subcategories_the_questions():
    q, converted = load(GROUPING)
    assert tree(q.sections) == [
        ("GV", [], [("GV.OC", ["GV.OC-01", "GV.OC-02"], []), ("GV.RM", ["GV.RM-01"], [])]),
        ("PR", [], [("PR.AA", ["PR.AA-01", "PR.AA-02"], [])]),
    ]
    assert q.question_count == 5
    gv = q.sections[0]
    assert (gv.title, gv.description) == ("GOVERN", "Direction for security is set and followed")
    context = gv.sections[0]
    assert context.title == "Context"  # the category's statement describes the heading
    assert context.description == "The business context of security decisions is understood"
    assert any("'category'" in note and "became sections" in note for note in converted.notes)


def test_withdrawn_items_are_skipped_at_every_level():
    q, converted = load(GROUPING)
    ids = {loc.question.id for loc in q.locations} | {s.id for s in q.iter_sections()}
    # a withdrawn subcategory, a withdrawn category (with its withdrawn child) and a withdrawn function
    assert not ids & {"GV.OC-03", "GV.XX", "GV.XX-01", "XX", "XX.AA"}
    assert "4 withdrawn items skipped." in converted.notes
    e, _ = load(ENHANCEMENTS)
    assert not {loc.question.id for loc in e.locations} & {"AC-2(3)", "AC-3", "AC-3(1)"}


def test_a_subcategory_titled_with_its_own_id_gets_a_title_from_its_statement():
    q, _ = load(GROUPING)
    first = q.question("GV.OC-01")
    assert first.text == "The mission of the organisation is understood and shapes security priorities"
    assert first.title == "The mission of the organisation is understood and shapes security …"
    assert first.recommendation == ("Implement GV.OC-01: The mission of the organisation is understood and shapes "
                                    "security priorities")
    assert first.guidance == "Examples:\n- Write the mission down where the security team can read it"
    assert first.references == ("GV.OC-01",)
    assert q.question("PR.AA-01").tags == ("implementation-group:1",)


def test_sp800_53_like_enhancements_follow_their_assessed_control():
    q, converted = load(ENHANCEMENTS)
    assert tree(q.sections) == [("AC", ["AC-1", "AC-2", "AC-2(1)", "AC-2(2)"], []), ("SC", ["SC-7", "SC-7(3)"], [])]
    assert q.question("AC-2").text == "Manage system accounts."
    assert any("2 controls with enhancements" in note for note in converted.notes)


@pytest.mark.parametrize("assess, expected", [
    ("auto", [("AC", ["AC-1", "AC-2", "AC-2(1)", "AC-2(2)"], []), ("SC", ["SC-7", "SC-7(3)"], [])]),
    ("all", [("AC", ["AC-1", "AC-2", "AC-2(1)", "AC-2(2)"], []), ("SC", ["SC-7", "SC-7(3)"], [])]),
    ("leaves", [("AC", ["AC-1"], [("AC-2", ["AC-2(1)", "AC-2(2)"], [])]), ("SC", [], [("SC-7", ["SC-7(3)"], [])])]),
])
def test_the_override_on_enhancements(assess, expected):
    q, _ = load(ENHANCEMENTS, assess)
    assert tree(q.sections) == expected


@pytest.mark.parametrize("assess, count, expected", [
    ("auto", 5, None),
    ("leaves", 5, None),
    ("all", 8, [("GV", ["GV.OC", "GV.OC-01", "GV.OC-02", "GV.RM", "GV.RM-01"], []),
                ("PR", ["PR.AA", "PR.AA-01", "PR.AA-02"], [])]),
])
def test_the_override_on_grouping_categories(assess, count, expected):
    q, _ = load(GROUPING, assess)
    assert q.question_count == count
    if expected is not None:
        assert tree(q.sections) == expected
        assert q.question("GV.OC").title == "Context"  # 'Context (GV.OC)' is a label; the id is GV.OC


def test_class_names_statements_and_their_absence_decide_in_auto():
    q, _ = load(SAFEGUARDS)
    assert tree(q.sections) == [
        ("CONTROLS", ["m1", "m1.1"], []),       # a distinct statement of its own: asked, its child too
        ("CTL-1", ["SG-1.1", "SG-1.2"], []),    # class 'control' holding class 'safeguard': a heading
        ("p1", ["p1.1", "p1.2"], []),           # no statement of its own: a heading
        ("r1", ["r1.a"], []),                   # a statement that only repeats its child's: a heading
    ]
    assert q.location("SG-1.1").section.title == "Inventory of Devices"
    assert q.location("SG-1.1").section.description == "Know every device that connects to the network."
    leaves, _ = load(SAFEGUARDS, "leaves")
    assert [s.id for s in leaves.sections] == ["CTL-1", "p1", "r1", "m1"] and leaves.question_count == 6
    every, _ = load(SAFEGUARDS, "all")
    assert every.question_count == 10


def test_an_unknown_structure_choice_is_refused():
    with pytest.raises(QuestionnaireError, match="unknown structure choice 'middle'"):
        read_import_file(GROUPING, assess="middle")


# ------------------------------------------------------------------ readable ids


def test_ids_come_from_the_catalogs_own_names():
    assert load(GROUPING)[0].id == "acme-csf-2.0"  # publisher short name + "Cybersecurity Framework" shortened
    assert load(ENHANCEMENTS)[0].id == "acme-sp-800-99-r2-moderate"
    assert load(SAFEGUARDS)[0].id == "example-safeguards-catalog"
    assert read_import_file(GROUPING, questionnaire_id="client-csf").data["id"] == "client-csf"


@pytest.mark.parametrize("title, expected", [
    ("Electronic Version of NIST Cybersecurity Framework 2.0", "nist-csf-2.0"),
    ("NIST Special Publication 800-53 Revision 5.1.1 MODERATE IMPACT BASELINE", "nist-sp-800-53-r5-moderate"),
    ("NIST Special Publication 800-53 Revision 5.1.1 LOW IMPACT BASELINE", "nist-sp-800-53-r5-low"),
    ("Electronic OSCAL Version of Secure Software Development Framework (SSDF) Version 1.1: Recommendations for "
     "Mitigating the Risk of Software Vulnerabilities", "ssdf-1.1"),
    ("A Catalog With A Very Long Title That Keeps Going Well Past Forty Characters",
     "a-catalog-with-a-very-long-title-that"),
])
def test_titles_shorten_to_readable_ids_of_at_most_40_characters(title, expected):
    assert readable_id(title) == expected
    assert len(expected) <= MAX_ID_CHARS and not expected.endswith("-")


def test_acronyms_replace_the_words_they_stand_for_and_suggestions_are_free():
    assert shorten_title("Cloud Controls Matrix (CCM) v4") == "CCM v4"
    assert shorten_title("Things (ABC) list") == "Things ABC list"  # brackets that spell nothing are kept as words
    assert readable_id("Secure Software Development Framework (SSDF) Version 1.1", prefix="NIST") == "nist-ssdf-1.1"
    assert suggest_free_id("nist-csf-2.0", ["nist-csf-2.0", "nist-csf-2.0-oscal"], "oscal") == "nist-csf-2.0-2"
