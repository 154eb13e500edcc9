"""OSCAL catalog import: readable questions from tiny hand-written catalogs, located errors on bad files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from vciso.errors import QuestionnaireError
from vciso.importers import SCALES, convert_file, import_questionnaire
from vciso.library import load_library
from vciso.questionnaire import questionnaire_from_dict

FIXTURES = Path(__file__).parent / "fixtures" / "oscal"
PARAMS = FIXTURES / "params_catalog.json"
NESTED = FIXTURES / "nested_groups_catalog.json"
PLAIN = FIXTURES / "plain_catalog.json"
PROFILE = FIXTURES / "profile.json"
REPO = Path(__file__).resolve().parent.parent


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def params_q():
    return questionnaire_from_dict(convert_file(PARAMS), str(PARAMS))


# ------------------------------------------------------------------ structure and text


def test_enhancements_follow_their_control_in_sort_id_order_and_withdrawn_are_skipped(params_q):
    ids = [q.id for q in params_q.questions()]
    assert ids == ["XA-1", "XA-2", "XA-2(1)", "XA-2(2)", "XA-10", "XB-1"]
    assert "XA-3" not in ids and "XA-2(3)" not in ids  # withdrawn
    assert [s.id for s in params_q.sections] == ["XA", "XB"]
    assert params_q.sections[0].title == "Account Security"


def test_statement_items_keep_their_labels_indented_by_depth(params_q):
    text = params_q.question("XA-2").text
    lines = text.splitlines()
    assert lines[0] == "a. Review accounts [Selection: daily; weekly];"
    assert lines[1].startswith("b. After repeated failed logons: ")
    assert lines[2] == "  1. Record the event;"
    assert lines[3] == "    (a) with the account name; and"
    assert lines[4] == "  2. Tell the user."


def test_params_render_values_selections_and_assignments_recursively(params_q):
    xa2 = params_q.question("XA-2").text
    assert ("[Selection (one or more): lock the account for [Assignment: organization-defined time period]; "
            "notify [Assignment: organization-defined personnel or roles]]") in xa2
    assert params_q.question("XA-10").text == "Lock a session after 15 minutes of inactivity."
    assert params_q.question("XB-1").text == "Back up business data [Selection: daily; weekly]."
    # declared on the parent control, and referenced by alt-identifier
    assert params_q.question("XA-2(2)").text == \
        "Remove temporary accounts after [Assignment: organization-defined time period]."
    assert params_q.question("XA-2(1)").text == \
        "Support account management using [Assignment: organization-defined automated mechanisms]."
    # catalog-level param, and a param that only aggregates others
    xa1 = params_q.question("XA-1").text
    assert "[Assignment: organization-defined review frequency]" in xa1
    assert "[Assignment: organization-defined personnel], [Assignment: organization-defined roles]" in xa1


def test_no_insert_markup_survives_anywhere():
    for fixture in (PARAMS, NESTED, PLAIN):
        blob = json.dumps(convert_file(fixture))
        assert "{{" not in blob and "insert:" not in blob


def test_titles_tags_guidance_references_and_recommendations(params_q):
    xa2 = params_q.question("XA-2")
    assert xa2.title == "Account Management"
    assert xa2.tags == ("implementation-group:1",)
    assert params_q.question("XA-10").tags == ("implementation-group:2",)
    assert xa2.references == ("XA-2",)
    assert xa2.guidance == ("Accounts include individual, shared and service accounts.\n\n"
                            "See XA-10 for session lock.")  # markdown link reduced to its text
    assert xa2.recommendation.startswith("Implement XA-2 Account Management: a. Review accounts")
    assert len(xa2.recommendation) < 260
    assert all(q.recommendation for q in params_q.questions())
    assert params_q.question("XB-1").guidance == "Keep one copy offline."


def test_questionnaire_metadata_and_default_scale(params_q):
    assert params_q.id == "tiny-test-catalog"
    assert params_q.title == "Tiny Test Catalog"
    assert params_q.version == "2.1"
    assert params_q.source == "OSCAL catalog: Tiny Test Catalog 2.1 (OSCAL 1.1.2)"
    assert params_q.licence == "CC0-1.0"
    assert params_q.default_scale_id == "maturity-0-5"
    assert params_q.default_target == 3
    assert questionnaire_from_dict(convert_file(PLAIN)).licence == "as published by the catalog's author"


def test_scale_can_be_chosen_at_import():
    q = questionnaire_from_dict(convert_file(PARAMS, scale="implementation-4"))
    scale = q.default_scale
    assert [level.label for level in scale.levels] == ["Not implemented", "Partially implemented",
                                                        "Largely implemented", "Fully implemented"]
    assert [level.value for level in scale.levels] == [0, 1, 2, 3]
    assert scale.pass_threshold == 2
    assert set(SCALES) == {"maturity-0-5", "implementation-4", "yes-no"}
    for key in SCALES:  # every built-in scale is valid in our format
        questionnaire_from_dict(convert_file(PLAIN, scale=key))
    with pytest.raises(QuestionnaireError, match="unknown answer scale 'stars-5'"):
        convert_file(PARAMS, scale="stars-5")


def test_explicit_id_overrides_the_title_slug():
    assert convert_file(PARAMS, questionnaire_id="client-baseline")["id"] == "client-baseline"


def test_nested_groups_nest_and_group_prose_becomes_description():
    q = questionnaire_from_dict(convert_file(NESTED))
    gov = q.sections[0]
    assert gov.title == "Governance"
    assert gov.description == "How the organisation directs security.\n\nIt covers policy and risk."
    policy = gov.sections[0]
    assert policy.title == "Policy"
    assert policy.description == "Written rules approved by [Assignment: organization-defined approving authority]."
    assert policy.sections[0].title == "Policy review"
    assert [qq.id for qq in policy.sections[0].questions] == ["gov.pol.rev-1"]
    assert q.location("gov.pol.rev-1").domain is gov
    assert q.question("gov.pol.rev-1").guidance == "Keep the minutes of the review."
    assert [s.title for s in q.sections] == ["Governance", "Operations"]


def test_without_labels_or_sort_ids_control_ids_and_document_order_are_kept():
    q = questionnaire_from_dict(convert_file(PLAIN))
    assert [x.id for x in q.questions()] == ["c-2", "c-10", "c-1"]
    assert q.question("c-10").text == "Every laptop runs antivirus software."
    assert q.question("c-10").title == "Antivirus"


def test_kind_is_detected_by_content_not_extension(tmp_path):
    disguised = tmp_path / "catalog.txt"
    disguised.write_bytes(PARAMS.read_bytes())
    assert len(convert_file(disguised)["sections"]) == 2
    as_yaml = tmp_path / "catalog.json"  # OSCAL's YAML edition, under a misleading name
    as_yaml.write_text(yaml.safe_dump(json.loads(PARAMS.read_text())), encoding="utf-8")
    data = convert_file(as_yaml)
    assert "__line__" not in json.dumps(data)
    assert [q.id for q in questionnaire_from_dict(data).questions()][:2] == ["XA-1", "XA-2"]


# ------------------------------------------------------------------ bad inputs


def _assert_refused(path: Path, user_dir: Path, expected: str) -> QuestionnaireError:
    before = listing(user_dir)
    with pytest.raises(QuestionnaireError) as caught:
        import_questionnaire(path, user_dir)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems
    assert caught.value.source == str(path)
    assert listing(user_dir) == before
    return caught.value


@pytest.fixture
def user_dir(tmp_path):
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "existing.yaml").write_text("# someone's file\n", encoding="utf-8")
    return folder


def test_profile_is_refused_with_a_clear_message(user_dir):
    _assert_refused(PROFILE, user_dir, "not an OSCAL catalog: the top-level object has 'profile' but no 'catalog'")


def test_truncated_json_is_refused_with_line_and_column(tmp_path, user_dir):
    truncated = tmp_path / "cut.json"
    truncated.write_bytes(PARAMS.read_bytes()[:700])
    error = _assert_refused(truncated, user_dir, "JSON is truncated or invalid at line ")
    assert ", column " in error.problems[0]


def test_malformed_yaml_is_refused_with_its_line(tmp_path, user_dir):
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: [unclosed\nsections:\n  - id: A\n", encoding="utf-8")
    error = _assert_refused(bad, user_dir, "not valid YAML")
    assert error.problems[0].startswith("line ")


def test_our_format_that_does_not_validate_writes_nothing(tmp_path, user_dir):
    bad = tmp_path / "ours.yaml"
    bad.write_text("id: ours\ntitle: Ours\nversion: '1'\nscales: []\nsections:\n  - id: A\n    title: A\n"
                   "    questions:\n      - id: Q1\n        text: Hi?\n        effort: tiny\n", encoding="utf-8")
    _assert_refused(bad, user_dir, "'effort' must be one of low, medium, high")


def test_catalog_problems_are_located_by_control(tmp_path, user_dir):
    data = json.loads(PLAIN.read_text())
    del data["catalog"]["groups"][0]["controls"][1]["title"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    _assert_refused(broken, user_dir, "control 'c-10' (catalog.groups[0].controls[1]): 'title' is required")


def test_catalog_with_only_withdrawn_controls_is_refused(tmp_path, user_dir):
    data = json.loads(PLAIN.read_text())
    for control in data["catalog"]["groups"][0]["controls"]:
        control["props"] = [{"name": "status", "value": "withdrawn"}]
    gone = tmp_path / "gone.json"
    gone.write_text(json.dumps(data), encoding="utf-8")
    _assert_refused(gone, user_dir, "no controls to import (3 withdrawn)")


def test_other_json_is_not_mistaken_for_a_questionnaire(tmp_path, user_dir):
    other = tmp_path / "other.json"
    other.write_text('{"name": "not a questionnaire"}', encoding="utf-8")
    _assert_refused(other, user_dir, "expected 'sections' (our format), 'catalog' (OSCAL) or 'objects' with a "
                                     "framework (CISO Assistant library)")


def test_files_over_the_size_limit_are_refused_unread(tmp_path, user_dir):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: large on paper, cheap on disk
        handle.truncate(21 * 1024 * 1024)
    _assert_refused(big, user_dir, "the limit is 20 MB")


# ------------------------------------------------------------------ writing into the library


def test_good_import_lands_in_the_user_library(tmp_path):
    user_dir = tmp_path / "new" / "library"  # created on demand
    imported = import_questionnaire(PARAMS, user_dir)
    target = user_dir / "tiny-test-catalog.yaml"
    assert imported.id == "tiny-test-catalog"
    assert listing(user_dir) == ["tiny-test-catalog.yaml"]  # no temp file left behind
    assert "__line__" not in target.read_text(encoding="utf-8")
    library = load_library(user_dir)
    entries = [e for e in library.entries if e.path == target]
    assert len(entries) == 1 and not entries[0].bundled
    assert not [p for p in library.problems if p.path == target]
    loaded = library.get("tiny-test-catalog")
    assert [q.text for q in loaded.questions()] == [q.text for q in imported.questions()]
    assert loaded.question("XA-2").guidance == imported.question("XA-2").guidance


def test_reimport_under_a_taken_id_is_refused_with_a_suggestion_and_keeps_the_first_file(tmp_path):
    user_dir = tmp_path / "library"
    import_questionnaire(PLAIN, user_dir)
    first = (user_dir / "plain-catalog.yaml").read_bytes()
    with pytest.raises(QuestionnaireError, match="the id 'plain-catalog' is already taken by “Plain Catalog” 1.0 "
                                                 r"\(imported, file plain-catalog.yaml\); nothing was imported and "
                                                 "nothing is overwritten - import it under another id with --id "
                                                 "plain-catalog-oscal"):
        import_questionnaire(PLAIN, user_dir, scale="yes-no")
    assert listing(user_dir) == ["plain-catalog.yaml"]
    assert (user_dir / "plain-catalog.yaml").read_bytes() == first
    import_questionnaire(PLAIN, user_dir, scale="yes-no", questionnaire_id="plain-catalog-oscal")
    assert load_library(user_dir).get("plain-catalog-oscal").default_scale_id == "yes-no"
    assert load_library(user_dir).get("plain-catalog").default_scale_id == "maturity-0-5"


def test_importers_load_neither_openpyxl_nor_ui_libraries_until_a_workbook_is_read():
    code = ("import sys; from pathlib import Path; from vciso.importers import convert_file; "
            "import vciso.importers.oscal, vciso.importers.excel_template; "
            f"convert_file(Path({str(PARAMS)!r})); "
            "print(sorted(m for m in ('openpyxl', 'PySide6', 'reportlab', 'ui', 'exports') if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_yaml_alias_bombs_are_refused_before_they_expand(tmp_path, user_dir):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines + ["sections: *a8"]), encoding="utf-8")
    _assert_refused(bomb, user_dir, "through anchors and aliases")


def test_absurdly_deep_catalogs_are_refused(tmp_path, user_dir):
    inner = '{"name": "item", "prose": "y"}'
    for _ in range(400):
        inner = '{"name": "item", "prose": "y", "parts": [' + inner + ']}'
    deep = tmp_path / "deep.json"
    deep.write_text('{"catalog": {"metadata": {"title": "t"}, "groups": [{"id": "g", "title": "G", "controls": '
                    '[{"id": "c", "title": "C", "parts": [{"name": "statement", "parts": [' + inner + ']}]}]}]}}',
                    encoding="utf-8")
    _assert_refused(deep, user_dir, "nested too deeply")
