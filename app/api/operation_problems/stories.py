"""The problem codes of the operations in ``routes/stories.py``: success stories and recognitions."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "writeStory": (
        "actor_not_a_person",
        "not_a_member",
        "not_a_participant",
        "program_not_found",
        "relationship_not_found",
        "story_needs_relationship",
        "story_text_required",
    ),
    "listStories": (),
    "getStory": ("story_not_found",),
    "consentToStory": (
        "actor_not_a_person",
        "illegal_story_transition",
        "not_the_named_partner",
        "program_not_found",
        "story_not_found",
    ),
    "publishStory": ("illegal_story_transition", "program_not_found", "story_approve_forbidden", "story_not_found"),
    "unpublishStory": ("illegal_story_transition", "program_not_found", "story_edit_forbidden", "story_not_found"),
    "deleteStory": ("program_not_found", "story_edit_forbidden", "story_not_found"),
    "grantRecognition": (
        "actor_not_a_person",
        "incentive_unknown",
        "person_not_found",
        "program_not_found",
        "recognition_grant_forbidden",
        "recognition_needs_completion",
        "recognition_note_too_long",
        "relationship_not_found",
    ),
    "listRecognitions": (),
}
