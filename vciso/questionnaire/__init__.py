"""Questionnaires: the model (`model`), reading and validating files' data (`validation`) and writing
it back in our file format (`fileformat`).

`questionnaire_from_dict` turns loaded data (YAML, JSON, an importer's output) into a `Questionnaire`
or raises `QuestionnaireError` listing every problem with its place (line or item id).
`questionnaire_to_dict` is its inverse; the dict is what assessments snapshot into client files.
"""

from __future__ import annotations

from vciso.questionnaire.fileformat import plain_number, questionnaire_to_dict
from vciso.questionnaire.model import (AGGREGATIONS, CRITICALITY_NAMES, EFFORT_NAMES, FORMAT_ID, LINE_KEY,
                                       Level, Question, Questionnaire, QuestionLocation, Scale, Section,
                                       TagDefinition, format_value)
from vciso.questionnaire.validation import questionnaire_from_dict

__all__ = ["AGGREGATIONS", "CRITICALITY_NAMES", "EFFORT_NAMES", "FORMAT_ID", "LINE_KEY", "Level", "Question",
           "Questionnaire", "QuestionLocation", "Scale", "Section", "TagDefinition", "format_value", "plain_number",
           "questionnaire_from_dict", "questionnaire_to_dict"]
