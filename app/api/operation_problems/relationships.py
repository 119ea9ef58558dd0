"""The problem codes of the operations in ``routes/relationships.py``: mentoring relationships."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "acceptRelationship": (
        "actor_not_a_person",
        "already_accepted",
        "cadence_out_of_range",
        "illegal_relationship_transition",
        "not_a_member",
        "program_not_found",
        "relationship_not_found",
    ),
    "completeRelationship": (
        "cadence_out_of_range",
        "illegal_enrollment_transition",
        "illegal_meeting_transition",
        "program_not_found",
        "relationship_not_found",
        "relationship_steer_forbidden",
    ),
    "createRelationship": (
        "cadence_out_of_range",
        "designated_mentor_mismatch",
        "enrollment_not_ready",
        "enrollment_unknown",
        "illegal_enrollment_transition",
        "invalid_turn_policy",
        "mentor_not_a_member",
        "pair_breaks_constraint",
        "pairing_forbidden",
        "person_inactive",
        "program_not_found",
        "program_not_matching",
        "same_enrollment_twice",
        "same_member_twice",
    ),
    "declineRelationship": (
        "actor_not_a_person",
        "cadence_out_of_range",
        "illegal_enrollment_transition",
        "illegal_relationship_transition",
        "not_a_member",
        "program_not_found",
        "relationship_not_found",
    ),
    "endRelationship": (
        "cadence_out_of_range",
        "illegal_enrollment_transition",
        "illegal_meeting_transition",
        "illegal_relationship_transition",
        "invalid_end_reason",
        "program_not_found",
        "relationship_end_forbidden",
        "relationship_not_found",
    ),
    "getRelationship": ("cadence_out_of_range", "program_not_found", "relationship_not_found"),
    "listRelationships": ("cadence_out_of_range",),
    "pauseRelationship": (
        "cadence_out_of_range",
        "illegal_relationship_transition",
        "program_not_found",
        "relationship_not_found",
        "relationship_steer_forbidden",
    ),
    "resumeRelationship": (
        "cadence_out_of_range",
        "program_not_found",
        "relationship_not_found",
        "relationship_steer_forbidden",
    ),
    "updateAgreement": (
        "actor_not_a_person",
        "cadence_out_of_range",
        "not_a_member",
        "program_not_found",
        "relationship_not_active",
        "relationship_not_found",
    ),
}
