"""The questionnaire format: safe loading, located problems, and a library that survives bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vciso.errors import QuestionnaireError
from vciso.library import BUNDLED_DIR, load_library, load_questionnaire_file
from vciso.questionnaire import questionnaire_from_dict, questionnaire_to_dict

GOOD = """\
id: tiny
title: Tiny
version: "1"
default_target: 2
scales:
  - id: s
    levels:
      - {value: 0, label: No}
      - {value: 1, label: Partly}
      - {value: 2, label: Yes}
sections:
  - id: A
    title: Area
    sections:
      - id: A.1
        title: Sub
        questions:
          - id: A.1-01
            text: Is it done?
            levels: {0: never, 2: always}
            effort: low
            criticality: critical
            tags: [x]
            references: [GV.OC-01]
"""


def test_a_good_file_loads_with_nested_sections_and_descriptors(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text(GOOD, encoding="utf-8")
    q = load_questionnaire_file(path)
    question = q.question("A.1-01")
    assert question is not None and question.effort == 1 and question.criticality == 4
    assert q.location("A.1-01").domain.id == "A" and q.location("A.1-01").section.id == "A.1"
    assert question.descriptor(q.default_scale.levels[0]) == "never"
    assert questionnaire_from_dict(questionnaire_to_dict(q)) == q


@pytest.mark.parametrize("change, expected", [
    (("effort: low", "effort: tiny"), "line 18, question 'A.1-01': 'effort' must be one of low, medium, high"),
    (("text: Is it done?", "txt: Is it done?"), "question 'A.1-01': unknown field 'txt'"),
    (("{value: 2, label: Yes}", "{value: 1, label: Yes}"), "level values must be distinct and in increasing"),
    (("default_target: 2", "default_target: 7"), "'default_target' 7 is not a level"),
    (("levels: {0: never, 2: always}", "levels: {0: never, 5: always}"), "level descriptor 5 is not on scale"),
    (("title: Tiny\n", ""), "'title' is required"),
    (("    title: Sub", "    title: Sub\n      - x"), "not valid YAML"),
])
def test_problems_name_the_place_and_what_is_wrong(tmp_path, change, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD.replace(*change), encoding="utf-8")
    with pytest.raises(QuestionnaireError) as caught:
        load_questionnaire_file(path)
    assert str(path) in str(caught.value)
    assert any(expected in problem for problem in caught.value.problems), caught.value.problems


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("!!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="not valid YAML"):
        load_questionnaire_file(path)


def test_one_bad_file_never_stops_the_library(tmp_path):
    user = tmp_path / "lib"
    user.mkdir()
    (user / "tiny.yaml").write_text(GOOD, encoding="utf-8")
    (user / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (user / "empty.json").write_text("{", encoding="utf-8")
    library = load_library(user)
    assert library.get("tiny").title == "Tiny"
    assert {p.path.name for p in library.problems} == {"broken.yaml", "empty.json"}
    assert "line 2" in library.problems[0].message or "line 1" in library.problems[0].message


def test_every_bundled_questionnaire_validates():
    library = load_library(None)
    assert library.problems == ()
    assert {q.id for q in library.questionnaires()} >= {"small-business-essentials", "nist-csf-2.0",
                                                        "vciso-program"}
    for q in library.questionnaires():
        for question in q.questions():
            assert question.text and question.guidance and question.recommendation, question.id
    assert BUNDLED_DIR.name == "questionnaires"
