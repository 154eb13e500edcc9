"""The trend of a client's scores across every assessment of one questionnaire, oldest first.

Every assessment is scored against one questionnaire (the latest version, or the one given) by question
id, so the domains line up even when a newer version of the questionnaire added, dropped or moved
questions: an answer to a question the reference no longer has is left out, a question the older
assessment did not have counts as unanswered.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from vciso.client_records import Assessment
from vciso.clientfile import ClientFile
from vciso.questionnaire import Questionnaire
from vciso.responses import Response
from vciso.scoring import score_assessment

# The domains' line colours in the app, the PDF and the workbook (Okabe–Ito, told apart with most colour
# vision deficiencies, then four of Paul Tol's muted set), repeated past twelve domains; the overall line
# is the accent, drawn thicker.
DOMAIN_COLOURS = ("#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D31", "#7F7F7F", "#0072B2",
                  "#999933", "#882255", "#44AA99", "#332288")


def domain_colour(index: int) -> str:
    """The line colour of domain `index` on every trend chart."""
    return DOMAIN_COLOURS[index % len(DOMAIN_COLOURS)]


@dataclass(frozen=True)
class TrendPoint:
    """One assessment on the trend: its date and its overall and per-domain current scores."""

    assessment_id: int
    name: str
    assessment_date: str  # ISO date
    overall: float | None
    domains: tuple[float | None, ...]  # in the order of Trend.domain_ids; None where nothing is answered


@dataclass(frozen=True)
class Trend:
    """Overall and per-domain current scores over time; `points` oldest first."""

    questionnaire_id: str
    domain_ids: tuple[str, ...]
    domain_titles: tuple[str, ...]
    points: tuple[TrendPoint, ...]
    scale_min: float = 0.0
    scale_max: float = 5.0

    @property
    def shown(self) -> bool:
        """Whether there is a trend to draw: two assessments or more."""
        return len(self.points) >= 2

    def domain_series(self, index: int) -> list[float | None]:
        """The scores of domain `index` across the points, oldest first."""
        return [point.domains[index] for point in self.points]

    @property
    def overall_series(self) -> list[float | None]:
        return [point.overall for point in self.points]


def _on_scale(questionnaire: Questionnaire, responses: dict[str, Response]) -> dict[str, Response]:
    """The answers to the reference's questions, a level the reference's scale lacks dropped (as a
    follow-up drops it when copying answers), so no score is computed from a value off its scale."""
    kept = {}
    for qid, response in responses.items():
        question = questionnaire.question(qid)
        if question is None:
            continue
        scale = questionnaire.scale_for(question)
        if response.current is not None and scale.level(response.current) is None:
            response = replace(response, current=None)
        if response.target is not None and scale.level(response.target) is None:
            response = replace(response, target=None)
        kept[qid] = response
    return kept


def client_trend(client: ClientFile, questionnaire_id: str, *, until: Assessment | None = None,
                 reference: Questionnaire | None = None) -> Trend:
    """The trend of every assessment of `questionnaire_id` in the client file, oldest first (by date, then
    creation); with `until`, only that assessment and those before it. Scores follow `reference` (by
    default the questionnaire of the latest assessment on the trend)."""
    assessments = [a for a in client.assessments() if a.questionnaire_id == questionnaire_id]
    if until is not None:
        assessments = [a for a in assessments if (a.assessment_date, a.id) <= (until.assessment_date, until.id)]
    if not assessments:
        return Trend(questionnaire_id, (), (), ())
    if reference is None:
        reference = client.questionnaire(assessments[-1].id)
    points = []
    for assessment in assessments:
        responses = _on_scale(reference, client.responses(assessment.id))
        score = score_assessment(reference, responses, assessment.default_target)
        points.append(TrendPoint(assessment.id, assessment.name, assessment.assessment_date, score.overall.current,
                                 tuple(d.current for d in score.domains)))
    scale = reference.default_scale
    return Trend(questionnaire_id, tuple(s.id for s in reference.sections), tuple(s.title for s in reference.sections),
                 tuple(points), scale.min_value, scale.max_value)


def trend_sentence(trend: Trend, questionnaire_title: str) -> str:
    """What the trend chart shows, in the deliverables' words (dates as vciso.numbers writes them)."""
    from vciso import numbers as num

    first, last = trend.points[0].assessment_date, trend.points[-1].assessment_date
    return (f"The current score of each of the {len(trend.points)} assessments of {questionnaire_title} so far, "
            f"from {num.long_date(first)} to {num.long_date(last)}, scored against this assessment's "
            "questionnaire question by question.")
