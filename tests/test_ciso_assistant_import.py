"""CISO Assistant library import, on small libraries written for these tests in CISO Assistant's `library`
format (nothing of CISO Assistant itself): nodes to sections and questions, scales, scored questions,
implementation groups as tags, translations, refusals — and a round trip through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from vciso.errors import QuestionnaireError, UnknownTag
from vciso.importers import import_questionnaire, read_import_file
from vciso.library import load_library
from vciso.questionnaire import questionnaire_from_dict, questionnaire_to_dict
from vciso.responses import Response
from vciso.scoring import questionnaire_for_tag, score_assessment

FIXTURES = Path(__file__).parent / "fixtures" / "ciso_assistant"
SCORED = FIXTURES / "scored_framework.yaml"      # 0-5 scores, implementation groups, scored questions
TIERS = FIXTURES / "tiers_framework.yaml"        # 1-4 scores, French with English translations, depth only
NO_SCORES = FIXTURES / "no_scores_framework.yaml"
MATRIX_ONLY = FIXTURES / "risk_matrix_only.yaml"


def load(path: Path, **options):
    converted = read_import_file(path, **options)
    return questionnaire_from_dict(converted.data, str(path)), converted


def tree(sections) -> list:
    return [(s.id, [q.id for q in s.questions], tree(s.sections)) for s in sections]


def test_non_assessable_nodes_are_sections_and_assessable_ones_questions():
    q, converted = load(SCORED)
    assert converted.kind == "ciso-assistant" and converted.format_name == "CISO Assistant library (YAML)"
    assert tree(q.sections) == [
        ("GOV", ["GOV.1", "GOV.2", "gov.node3"], []),
        ("OPS", [], [("OPS.A", ["OPS.A.1", "OPS.A.2-q1", "OPS.A.2-q2", "OPS.A.3"], [])]),
    ]  # INFO, a heading with nothing assessable below, is left out
    assert [s.title for s in q.sections] == ["GOV Governance", "OPS Operations"]
    assert q.sections[1].sections[0].description == "Copies of data that can be restored."
    assert any("1 heading(s) with no assessable requirement" in note for note in converted.notes)


def test_node_fields_become_title_text_guidance_references_and_tags():
    q, _ = load(SCORED)
    owner = q.question("GOV.1")
    assert (owner.title, owner.text) == ("Security owner", "A named person owns security and reports on it to "
                                                           "management.")
    assert owner.guidance == ("Ask for the appointment letter or the org chart.\n\n"
                              "Typical evidence: Org chart; minutes of management meetings.\n\n"
                              "Threats addressed: t-01\n\nReference controls: rc-gov")
    assert owner.references == ("GOV.1", "rc-gov")
    assert owner.tags == ("IG1", "IG2")
    assert owner.criticality == 3  # importance: mandatory
    # a node with only a description takes its title from the first words
    policies = q.question("GOV.2")
    assert policies.title == "Security policies are written, approved by management and reviewed …"
    assert policies.text.endswith("reviewed every year by their owner.")
    # a node without ref_id gets a short form of its urn
    assert q.question("gov.node3").title == "Budget" and q.question("gov.node3").references == ()


def test_scores_definition_becomes_the_scale_with_its_labels():
    q, converted = load(SCORED)
    scale = q.default_scale
    assert scale.id == "acme-basics-scores" and scale.name == "ACME Basics scores"
    assert [(lv.value, lv.label) for lv in scale.levels] == [(0, "Absent"), (1, "Ad hoc"), (2, "Started"),
                                                             (3, "Established"), (4, "Measured"), (5, "Improving")]
    assert scale.levels[3].description == "Done everywhere, written down."
    assert q.default_target == 3 and scale.na_allowed
    tiers, _ = load(TIERS)
    assert [(lv.value, lv.label) for lv in tiers.default_scale.levels] == [
        (1, "Partial"), (2, "Risk informed"), (3, "Repeatable"), (4, "Adaptive")]
    assert tiers.default_target == 4


def test_a_framework_without_scores_gets_the_documented_compliance_scale():
    q, converted = load(NO_SCORES)
    assert [lv.label for lv in q.default_scale.levels] == ["Not implemented", "Partially implemented",
                                                           "Largely implemented", "Fully implemented"]
    assert q.default_scale.na_allowed and q.default_target == 3
    assert any("defines no scores" in note for note in converted.notes)
    # top-level assessable nodes sit in a section named after the framework
    assert tree(q.sections) == [("REQUIREMENTS", ["R1", "R2"], [])] and q.sections[0].title == "Plain checklist"
    assert load(NO_SCORES, scale="yes-no")[0].default_scale.id == "yes-no"


def test_scored_questions_become_the_levels_of_their_question():
    q, _ = load(SCORED)
    offline = q.question("OPS.A.1")
    scale = q.scale_for(offline)
    assert [(lv.value, lv.label, lv.description) for lv in scale.levels] == [
        (0, "No", ""), (1, "Partly", "Some data only."), (2, "Yes", "")]
    assert offline.text == "One copy of business data is kept offline.\n\nIs a copy of business data kept offline?"
    assert offline.target == 2 and q.target_for(offline, 3) == 2  # the best choice is the goal
    # two scored questions on one node: two questions, sharing identical choice scales
    tested, recorded = q.question("OPS.A.2-q1"), q.question("OPS.A.2-q2")
    assert q.scale_for(tested) is scale
    assert [lv.label for lv in q.scale_for(recorded).levels] == ["Never", "Always"]
    assert tested.guidance == "Requirement OPS.A.2: Restore tests: Restores are tested."
    # a question that is not scored is guidance
    assert q.question("OPS.A.3").guidance == "Questions to ask:\n- Which systems are not backed up?"
    assert q.scale_for(q.question("OPS.A.3")) is q.default_scale


def test_copyright_and_provenance_are_licence_and_source():
    q, _ = load(SCORED)
    assert q.licence == "© 2025 Example Org. Licensed CC BY 4.0 (test fixture)."
    assert q.source == ("Written by the vCISO Workbench team for its tests (CISO Assistant library "
                        "urn:example:risk:library:acme-basics version 3)")
    assert (q.id, q.title, q.version) == ("acme-basics-2", "ACME Basics", "3")
    assert q.source == load_library_entry(SCORED).source  # kept as such once in the library


def load_library_entry(path: Path):
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        imported = import_questionnaire(path, Path(folder))
        return load_library(Path(folder)).get(imported.id)


def test_translations_give_the_apps_language_else_the_librarys_own():
    tiers, converted = load(TIERS)  # locale fr; English where translated
    assert tiers.title == "Tiers check"
    assert [s.title for s in tiers.sections] == ["ID Identify", "PR Protéger"]
    assert tiers.question("ID.AM-1").text == "Devices are inventoried."
    assert tiers.question("ID.AM-2").text == "Les logiciels sont inventoriés."  # no translation: as written
    assert "Text in 'en' from the library's translations." in converted.notes
    french, _ = load(SCORED, language="fr")
    assert french.title == "ACME Bases" and french.question("GOV.1").title == "Responsable sécurité"


def test_nesting_by_depth_when_there_is_no_parent_urn():
    tiers, _ = load(TIERS)
    assert tree(tiers.sections) == [("ID", [], [("ID.AM", ["ID.AM-1", "ID.AM-2"], [])]), ("PR", ["PR-1"], [])]


def test_implementation_groups_are_tags_with_their_names_and_narrow_the_score():
    q, _ = load(SCORED)
    assert q.tags() == ["IG1", "IG2"]
    assert [d.label for d in q.tag_definitions] == ["IG1 — Essentials", "IG2 — Growing"]
    again = questionnaire_from_dict(questionnaire_to_dict(q))  # the definitions survive a snapshot
    assert again.tag_definitions == q.tag_definitions
    ig1 = questionnaire_for_tag(q, "ig1")  # matched without regard to case
    assert [loc.question.id for loc in ig1.locations] == ["GOV.1", "gov.node3", "OPS.A.1"]
    responses = {"GOV.1": Response("GOV.1", current=5), "GOV.2": Response("GOV.2", current=0),
                 "OPS.A.1": Response("OPS.A.1", current=2)}
    everything = score_assessment(q, responses)
    narrowed = score_assessment(q, responses, tag="IG1")
    assert (everything.overall.total, narrowed.overall.total) == (7, 3)
    assert narrowed.overall.answered == 2 and narrowed.overall.current == pytest.approx(5.0)
    assert everything.overall.current == pytest.approx(10 / 3)
    with pytest.raises(UnknownTag, match="no question of ACME Basics carries the tag 'IG9' \\(tags: IG1, IG2\\)"):
        score_assessment(q, responses, tag="IG9")


# ------------------------------------------------------------------ refusals


def test_a_library_without_a_framework_is_refused_saying_what_it_holds(tmp_path):
    with pytest.raises(QuestionnaireError) as caught:
        import_questionnaire(MATRIX_ONLY, tmp_path / "lib")
    assert caught.value.problems == ["this CISO Assistant library has no framework to assess: it holds a risk "
                                     "matrix and 2 threats. Only a library with a framework can become a "
                                     "questionnaire."]
    assert not (tmp_path / "lib").exists()


def _variant(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(SCORED.read_text(encoding="utf-8"))
    change(data["objects"]["framework"])
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_broken_nodes_are_located_and_nothing_assessable_is_refused(tmp_path):
    def no_urn(framework):
        del framework["requirement_nodes"][1]["urn"]
    with pytest.raises(QuestionnaireError) as caught:
        read_import_file(_variant(tmp_path, no_urn))
    assert caught.value.problems[0].startswith("line ") and "requirement node #2: 'urn' is required" in \
        caught.value.problems[0]

    def nothing_assessable(framework):
        for node in framework["requirement_nodes"]:
            node["assessable"] = False
    with pytest.raises(QuestionnaireError, match="no requirement node is assessable \\(10 nodes"):
        read_import_file(_variant(tmp_path, nothing_assessable))

    def unknown_parent(framework):
        framework["requirement_nodes"][1]["parent_urn"] = "urn:example:nowhere"
    with pytest.raises(QuestionnaireError, match="parent_urn 'urn:example:nowhere' is not a node"):
        read_import_file(_variant(tmp_path, unknown_parent))


def test_the_format_is_found_from_the_content_not_the_name(tmp_path):
    disguised = tmp_path / "library.json"
    disguised.write_bytes(SCORED.read_bytes())
    assert read_import_file(disguised).format_name == "CISO Assistant library (YAML)"
    as_json = tmp_path / "library.txt"
    as_json.write_text(json.dumps(yaml.safe_load(SCORED.read_text(encoding="utf-8")), default=str), encoding="utf-8")
    converted = read_import_file(as_json)
    assert converted.format_name == "CISO Assistant library (JSON)"
    assert "__line__" not in json.dumps(converted.data)


# ------------------------------------------------------------------ the round trip


def test_round_trip_import_answer_score_and_export(cli, tmp_path):
    from pypdf import PdfReader
    from openpyxl import load_workbook

    code, out, err = cli("questionnaire", "import", str(SCORED))
    assert code == 0, err
    assert "Read scored_framework.yaml as CISO Assistant library (YAML)" in out
    assert "Imported acme-basics-2 3 (7 questions)" in out
    assert cli("client", "new", "Harbour Bakery")[0] == 0
    assert cli("assessment", "new", "Harbour Bakery", "acme-basics-2")[0] == 0
    assert cli("answer", "Harbour Bakery", "", "GOV.1", "Established")[0] == 0
    assert cli("answer", "Harbour Bakery", "", "GOV.2", "1")[0] == 0
    code, out, err = cli("answer", "Harbour Bakery", "", "OPS.A.1", "Partly")  # a level of its own question
    assert code == 0, err
    code, out, err = cli("score", "Harbour Bakery", "--json")
    everything = json.loads(out)
    assert everything["overall"]["answered"] == 3 and everything["overall"]["total"] == 7
    assert everything["tag"] is None
    code, out, err = cli("score", "Harbour Bakery", "--json", "--tag", "ig1")
    narrowed = json.loads(out)
    assert narrowed["tag"] == "IG1" and narrowed["overall"]["total"] == 3 and narrowed["overall"]["answered"] == 2
    code, out, err = cli("score", "Harbour Bakery", "--tag", "IG1")
    assert "Only the questions tagged IG1 — Essentials: 3 of 7" in out
    code, out, err = cli("score", "Harbour Bakery", "--tag", "IG7")
    assert code == 1 and err.startswith("vciso: no question of ACME Basics carries the tag 'IG7'")

    pdf, workbook = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    assert cli("export", "pdf", "Harbour Bakery", "-o", str(pdf))[0] == 0
    assert cli("export", "xlsx", "Harbour Bakery", "-o", str(workbook))[0] == 0
    text = " ".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "ACME Basics" in text and "GOV.2" in text
    cells = {str(c.value) for ws in load_workbook(workbook).worksheets for row in ws.iter_rows() for c in row
             if c.value is not None}
    assert "OPS.A.1" in cells and any("© 2025 Example Org" in value for value in cells)
