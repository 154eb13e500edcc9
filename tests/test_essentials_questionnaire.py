"""The bundled Small Business Essentials questionnaire loads, is complete and covers every topic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vciso.library import load_questionnaire_file

PATH = Path(__file__).parent.parent / "questionnaires" / "small-business-essentials.yaml"
CSF_REFERENCE = re.compile(r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$")

# Topic area -> top-level section id that must hold at least two questions.
REQUIRED_TOPICS = {
    "accounts and MFA": "ACC",
    "backups": "BAK",
    "updates": "UPD",
    "devices": "DEV",
    "email and phishing": "EML",
    "data": "DAT",
    "vendors": "VEN",
    "incident": "INC",
}


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire_file(PATH)


def test_identity_and_scale(questionnaire):
    assert questionnaire.id == "small-business-essentials"
    assert questionnaire.title == "Small Business Essentials"
    assert questionnaire.aggregation == "mean"
    assert questionnaire.default_target == 3
    scale = questionnaire.default_scale
    assert scale.id == "essentials-0-4"
    assert [level.value for level in scale.levels] == [0, 1, 2, 3, 4]
    assert all(level.description.strip() for level in scale.levels)
    assert scale.pass_threshold == 3


def test_question_count(questionnaire):
    assert 25 <= questionnaire.question_count <= 40


def test_every_question_has_text_guidance_and_recommendation(questionnaire):
    for question in questionnaire.questions():
        assert question.text.strip(), question.id
        assert question.guidance.strip(), question.id
        assert question.recommendation.strip(), question.id
        assert question.title.strip(), question.id


@pytest.mark.parametrize("topic, section_id", sorted(REQUIRED_TOPICS.items()))
def test_topic_has_at_least_two_questions(questionnaire, topic, section_id):
    counts = {section.id: len(list(section.iter_questions())) for section in questionnaire.sections}
    assert counts.get(section_id, 0) >= 2, f"{topic} ({section_id}) needs at least two questions"


def test_references_are_csf_subcategory_ids(questionnaire):
    for question in questionnaire.questions():
        for reference in question.references:
            assert CSF_REFERENCE.match(reference), f"{question.id}: {reference!r}"


def test_key_questions_have_level_descriptors(questionnaire):
    assert sum(1 for question in questionnaire.questions() if question.descriptors) >= 10
