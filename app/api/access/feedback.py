"""The access rules of the operations in ``routes/feedback.py``: check-ins, surveys and concerns."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "submitCheckin": "members",
    "listCheckins": "filtered",
    "getCheckin": "checkin",
    "createSurvey": "program_staff",
    "listSurveys": "reviewers",
    "getSurvey": "survey",
    "reviseSurvey": "survey_staff",
    "openSurvey": "survey_staff",
    "closeSurvey": "survey_staff",
    "respondToSurvey": "survey_respondents",
    "surveyResults": "survey_readers",
    "raiseConcern": "participants",
    "listConcerns": "concerns_filtered",
    "getConcern": "concern",
    "closeConcern": "concern_handler",
}
