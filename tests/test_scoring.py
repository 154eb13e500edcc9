"""The scoring engine: docs/scoring.md's worked example, the aggregation rules, and invariants."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core_fixtures import scale_0_5, worked_example_questionnaire
from vciso.questionnaire import questionnaire_from_dict
from vciso.responses import Response
from vciso.scoring import progress, score_assessment

WORKED_ANSWERS = {
    "A1": Response("A1", 1), "A2": Response("A2", 3), "A3": Response("A3", None, na_reason="no such system"),
    "B1": Response("B1", 4), "B2": Response("B2", 2),
}  # A4 unanswered


def test_worked_example_from_scoring_md():
    score = score_assessment(worked_example_questionnaire(), WORKED_ANSWERS)
    a, b = score.domains
    assert a.current == pytest.approx(2.0) and a.minimum == 1 and a.completion == pytest.approx(3 / 4)
    assert (a.answered, a.not_applicable, a.unanswered) == (2, 1, 1)
    assert b.current == pytest.approx(3.0) and b.minimum == 2 and b.completion == 1
    assert score.overall.current == pytest.approx(2.5)
    gaps = [score.items[q].gap for q in ("A1", "A2", "B1", "B2")]
    assert gaps == [2, 0, 0, 1]
    assert score.overall.percent_to_target == pytest.approx(0.75)
    assert score.overall.completion == pytest.approx(5 / 6)


def test_distribution_counts_labels_na_and_unanswered():
    score = score_assessment(worked_example_questionnaire(), WORKED_ANSWERS)
    assert score.domains[0].distribution == {"L1": 1, "L3": 1, "N/A": 1, "Unanswered": 1}


def test_min_rule_reports_the_weakest_item():
    score = score_assessment(worked_example_questionnaire("min"), WORKED_ANSWERS)
    assert score.overall.score == 1
    assert score.domains[1].score == 2


def test_weighted_mean_uses_question_and_section_weights():
    q = questionnaire_from_dict({
        "id": "w", "title": "W", "version": "1", "aggregation": "weighted_mean", "default_target": 5,
        "scales": [scale_0_5()],
        "sections": [{"id": "S", "title": "S", "weight": 2, "questions": [
            {"id": "q1", "text": "x", "weight": 3}, {"id": "q2", "text": "y"}]}]})
    score = score_assessment(q, {"q1": Response("q1", 4), "q2": Response("q2", 0)})
    assert score.overall.current == pytest.approx((3 * 4 + 1 * 0) / 4)


def test_staged_rule_is_cumulative_and_unanswered_is_not_met():
    q = questionnaire_from_dict({
        "id": "c2m2", "title": "Staged", "version": "1", "aggregation": "staged",
        "scales": [{"id": "imp", "pass_threshold": 2, "levels": [
            {"value": 0, "label": "Not implemented"}, {"value": 1, "label": "Partially implemented"},
            {"value": 2, "label": "Largely implemented"}, {"value": 3, "label": "Fully implemented"}]}],
        "sections": [{"id": "D", "title": "Domain", "questions": [
            {"id": "p1", "text": "x", "stage": 1}, {"id": "p2", "text": "x", "stage": 1},
            {"id": "p3", "text": "x", "stage": 2}, {"id": "p4", "text": "x", "stage": 3}]}]})
    answers = {"p1": Response("p1", 3), "p2": Response("p2", 2), "p3": Response("p3", 3)}
    assert score_assessment(q, answers).domains[0].stage == 2  # p4 unanswered: MIL3 not reached
    answers["p2"] = Response("p2", 1)  # partially: MIL1 fails, so nothing above counts
    assert score_assessment(q, answers).domains[0].stage == 0
    answers["p2"] = Response("p2", None, na_reason="not relevant")  # N/A is excluded
    assert score_assessment(q, answers).domains[0].stage == 2


def test_per_question_target_overrides_default():
    q = worked_example_questionnaire()
    score = score_assessment(q, {"A1": Response("A1", 1, target=5)})
    assert score.items["A1"].gap == 4


def test_nothing_answered_gives_empty_scores_not_zero():
    score = score_assessment(worked_example_questionnaire(), {})
    assert score.overall.current is None and score.overall.percent_to_target is None
    assert score.overall.completion == 0


def test_progress_between_assessments():
    assert progress(1.0, 2.0, 3.0) == pytest.approx(0.5)
    assert progress(3.0, 3.0, 3.0) is None


# --------------------------------------------------------------------------- invariants

QUESTION_IDS = ["A1", "A2", "A3", "A4", "B1", "B2"]
answer = st.one_of(st.none(), st.integers(0, 5).map(float), st.just("na"))
answers_strategy = st.fixed_dictionaries({qid: answer for qid in QUESTION_IDS})


def _responses(raw: dict) -> dict[str, Response]:
    out = {}
    for qid, value in raw.items():
        if value == "na":
            out[qid] = Response(qid, None, na_reason="n/a")
        elif value is not None:
            out[qid] = Response(qid, value)
    return out


@settings(max_examples=200, deadline=None)
@given(answers_strategy, st.sampled_from(["mean", "weighted_mean", "min"]))
def test_scores_stay_within_the_scale(raw, rule):
    score = score_assessment(worked_example_questionnaire(rule), _responses(raw))
    for node in [score.overall, *score.sections()]:
        for value in (node.current, node.target, node.minimum, node.score, node.gap):
            assert value is None or 0 <= value <= 5
        assert 0 <= node.completion <= 1
        assert node.percent_to_target is None or 0 <= node.percent_to_target <= 1


@settings(max_examples=200, deadline=None)
@given(answers_strategy, st.sampled_from(QUESTION_IDS))
def test_an_na_answer_never_changes_a_mean(raw, qid):
    raw = dict(raw, **{qid: None})
    before = score_assessment(worked_example_questionnaire(), _responses(raw))
    after = score_assessment(worked_example_questionnaire(), _responses(dict(raw, **{qid: "na"})))
    for old, new in zip([before.overall, *before.sections()], [after.overall, *after.sections()]):
        assert old.current == new.current
        assert old.percent_to_target == new.percent_to_target


@settings(max_examples=200, deadline=None)
@given(answers_strategy, st.sampled_from(QUESTION_IDS), st.one_of(st.integers(0, 5).map(float), st.just("na")))
def test_answering_a_question_never_lowers_completion(raw, qid, value):
    before = score_assessment(worked_example_questionnaire(), _responses(raw))
    after = score_assessment(worked_example_questionnaire(), _responses(dict(raw, **{qid: value})))
    for old, new in zip([before.overall, *before.sections()], [after.overall, *after.sections()]):
        assert new.completion >= old.completion
