"""The scope of a report: the part of a questionnaire it covers, e.g. the questions of one CIS Implementation
Group. A report without a scope covers every question; with one, only the questions carrying its tag
(`vciso.scoring.questionnaire_for_tag`), and every deliverable says so in the same words
(`vciso.narrative.scope_phrase`)."""

from __future__ import annotations

from dataclasses import dataclass

from vciso.numbers import plural
from vciso.questionnaire import Questionnaire
from vciso.scoring import matching_tag

ALL_QUESTIONS = "All questions"


@dataclass(frozen=True)
class Scope:
    """The questions of a report: those carrying `tag`."""

    tag: str        # as the questionnaire spells it: "IG1"
    label: str      # as a person reads it: "IG1 — Basic cyber hygiene"
    questions: int  # how many questions carry the tag
    total: int      # how many questions the whole questionnaire has


def scope_for(questionnaire: Questionnaire, tag: str) -> Scope:
    """The scope of `tag` (matched without regard to case) in the whole `questionnaire`; UnknownTag naming
    the tags there are when no question carries it."""
    known = matching_tag(questionnaire, tag)
    count = sum(1 for loc in questionnaire.locations if known in loc.question.tags)
    return Scope(known, questionnaire.tag_label(known), count, questionnaire.question_count)


def defined_tags(questionnaire: Questionnaire) -> list[str]:
    """The tags the questionnaire names and its questions carry (implementation groups and the like), in
    the questionnaire's order: what the app offers as filters and scopes. Free topic tags ("backups") are
    left out: they would make a list of dozens."""
    defined = {d.id for d in questionnaire.tag_definitions}
    return [tag for tag in questionnaire.tags() if tag in defined]


def scope_choices(questionnaire: Questionnaire | None) -> list[tuple[str, str]]:
    """(tag, "IG1 — Basic cyber hygiene (56 questions)") for each of `defined_tags`, after ("", "All
    questions"); [] when the questionnaire defines no tag, so there is nothing to choose."""
    if questionnaire is None:
        return []
    tags = defined_tags(questionnaire)
    if not tags:
        return []
    return [("", ALL_QUESTIONS)] + [(tag, f"{questionnaire.tag_label(tag)} "
                                          f"({plural(scope_for(questionnaire, tag).questions, 'question')})")
                                    for tag in tags]
