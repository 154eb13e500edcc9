"""Content checks for the bundled "vCISO Security Program" questionnaire."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vciso.library import load_questionnaire_file

QUESTIONNAIRE_PATH = Path(__file__).parent.parent / "questionnaires" / "vciso-program.yaml"

TOP_LEVEL_TITLES = [
    "Security strategy",
    "Risk management",
    "Governance and policy",
    "Incident response",
    "Compliance",
    "Security awareness",
    "Identity and access",
    "Endpoint management",
    "Data protection and backup",
    "Third-party risk",
]

# Topics the endpoint-management section must cover, each shown by a tag on at least one question.
ENDPOINT_TOPIC_TAGS = {
    "inventory": "inventory",
    "policy enforcement": "policy-enforcement",
    "compliance monitoring": "compliance-monitoring",
    "application management": "application-management",
    "device restrictions": "device-restrictions",
    "certificates": "certificates",
    "updates": "updates",
    "disk encryption": "disk-encryption",
}

CSF_REFERENCE = re.compile(r"^(GV|ID|PR|DE|RS|RC)\.[A-Z]{2}-\d{2}$")


@pytest.fixture(scope="module")
def questionnaire():
    return load_questionnaire_file(QUESTIONNAIRE_PATH)


def _top_section(questionnaire, title):
    matches = [s for s in questionnaire.sections if s.title == title]
    assert matches, f"top-level section {title!r} is missing"
    return matches[0]


def test_header(questionnaire):
    assert questionnaire.id == "vciso-program"
    assert questionnaire.title == "vCISO Security Program Assessment"
    scale = questionnaire.default_scale
    assert scale.id == "maturity-0-5"
    assert [level.value for level in scale.levels] == [0, 1, 2, 3, 4, 5]
    assert [level.label for level in scale.levels] == [
        "Not performed", "Initial", "Repeatable", "Defined", "Managed", "Optimised"]


def test_question_count_in_range(questionnaire):
    assert 60 <= questionnaire.question_count <= 90


def test_top_level_sections(questionnaire):
    titles = [s.title for s in questionnaire.sections]
    assert titles == TOP_LEVEL_TITLES
    for section in questionnaire.sections:
        assert list(section.iter_questions()), f"section {section.title!r} has no questions"


def test_every_question_is_complete(questionnaire):
    scale_values = {level.value for level in questionnaire.default_scale.levels}
    assert scale_values == {0.0, 1.0, 2.0, 3.0, 4.0, 5.0}
    for question in questionnaire.questions():
        assert question.text.strip(), question.id
        assert question.title.strip(), question.id
        assert question.guidance.strip(), question.id
        assert question.recommendation.strip(), question.id
        assert set(question.descriptors) == scale_values, question.id
        assert all(text.strip() for text in question.descriptors.values()), question.id


def test_question_descriptors_are_specific(questionnaire):
    """Per-question descriptors must not simply repeat the generic scale descriptions."""
    generic = {level.description for level in questionnaire.default_scale.levels}
    for question in questionnaire.questions():
        assert not generic & set(question.descriptors.values()), question.id
        assert len(set(question.descriptors.values())) == 6, question.id


def test_endpoint_management_coverage(questionnaire):
    endpoint = _top_section(questionnaire, "Endpoint management")
    questions = list(endpoint.iter_questions())
    tags = {tag for q in questions for tag in q.tags}
    missing = [topic for topic, tag in ENDPOINT_TOPIC_TAGS.items() if tag not in tags]
    assert not missing, f"endpoint management does not cover: {missing}"
    assert all("endpoint" in q.tags for q in questions)


def test_references_are_csf2_subcategory_ids(questionnaire):
    seen = 0
    for question in questionnaire.questions():
        for reference in question.references:
            assert CSF_REFERENCE.match(reference), f"{question.id}: bad reference {reference!r}"
            seen += 1
    assert seen > 0


def test_question_ids_use_section_prefix(questionnaire):
    for location in questionnaire.locations:
        assert location.question.id.startswith(location.domain.id + "-"), location.question.id
