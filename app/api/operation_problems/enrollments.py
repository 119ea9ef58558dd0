"""The problem codes of the operations in ``routes/enrollments.py``: enrollments in programs."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "approveEnrollment": (
        "approve_forbidden",
        "enrollment_not_found",
        "illegal_enrollment_transition",
        "pilot_capacity_reached",
        "program_not_found",
    ),
    "enrol": (
        "actor_not_a_person",
        "already_enrolled",
        "availability_slot_unknown",
        "cadence_out_of_range",
        "cycle_dates_out_of_order",
        "enrol_only_yourself",
        "enrolment_closed",
        "interests_too_long",
        "invalid_turn_policy",
        "person_inactive",
        "person_named_twice",
        "pilot_capacity_out_of_range",
        "program_name_required",
        "program_not_found",
        "relationships_per_person_out_of_range",
        "role_preference_not_allowed",
        "skill_unknown",
    ),
    "getEnrollment": ("enrollment_not_found", "program_not_found"),
    "listEnrollments": ("actor_not_a_person", "program_not_found"),
    "myEnrollments": ("actor_not_a_person",),
    "recordTraining": (
        "enrollment_not_found",
        "enrollment_not_live",
        "illegal_enrollment_transition",
        "program_not_found",
        "training_already_recorded",
        "training_forbidden",
    ),
    "updateEnrollment": (
        "availability_slot_unknown",
        "cadence_out_of_range",
        "cycle_dates_out_of_order",
        "enrollment_not_found",
        "enrollment_profile_locked",
        "enrollment_profile_own_only",
        "interests_too_long",
        "invalid_turn_policy",
        "person_named_twice",
        "pilot_capacity_out_of_range",
        "program_name_required",
        "program_not_found",
        "relationships_per_person_out_of_range",
        "role_preference_not_allowed",
        "skill_unknown",
    ),
    "withdrawEnrollment": (
        "enrollment_not_found",
        "illegal_enrollment_transition",
        "program_not_found",
        "withdraw_forbidden",
    ),
}
