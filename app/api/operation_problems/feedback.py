"""The problem codes of the operations in ``routes/feedback.py``: check-ins, surveys and concerns."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "submitCheckin": (
        "actor_not_a_person",
        "cadence_out_of_range",
        "checkin_closed",
        "checkin_rating_out_of_range",
        "checkin_text_too_long",
        "not_a_member",
        "program_not_found",
        "relationship_not_active",
        "relationship_not_found",
    ),
    "listCheckins": (),
    "getCheckin": ("checkin_not_found",),
    "createSurvey": (
        "program_not_found",
        "survey_k_out_of_range",
        "survey_manage_forbidden",
        "survey_questions_invalid",
        "survey_schedule_invalid",
        "survey_title_required",
    ),
    "listSurveys": ("program_not_found", "survey_read_forbidden"),
    "getSurvey": ("program_not_found", "survey_not_found"),
    "reviseSurvey": (
        "program_not_found",
        "survey_k_out_of_range",
        "survey_manage_forbidden",
        "survey_not_draft",
        "survey_not_found",
        "survey_questions_invalid",
        "survey_schedule_invalid",
        "survey_title_required",
    ),
    "openSurvey": ("illegal_survey_transition", "program_not_found", "survey_manage_forbidden", "survey_not_found"),
    "closeSurvey": ("illegal_survey_transition", "program_not_found", "survey_manage_forbidden", "survey_not_found"),
    "respondToSurvey": (
        "actor_not_a_person",
        "conflicts_with_existing_data",
        "survey_already_answered",
        "survey_answer_invalid",
        "survey_not_found",
        "survey_not_open",
    ),
    "surveyResults": ("program_not_found", "survey_not_found"),
    "raiseConcern": (
        "actor_not_a_person",
        "concern_text_required",
        "not_a_member",
        "not_a_participant",
        "program_not_found",
        "relationship_not_found",
        "rematch_needs_relationship",
    ),
    "listConcerns": (),
    "getConcern": ("concern_not_found",),
    "closeConcern": (
        "actor_not_a_person",
        "concern_closed",
        "concern_handle_forbidden",
        "concern_not_found",
        "concern_outcome_invalid",
        "concern_text_required",
        "illegal_relationship_transition",
        "program_not_found",
    ),
}
