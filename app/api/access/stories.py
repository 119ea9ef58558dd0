"""The access rules of the operations in ``routes/stories.py``: success stories and recognitions."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "writeStory": "participants",
    "listStories": "stories_filtered",
    "getStory": "story",
    "consentToStory": "story_partner",
    "publishStory": "story_approver",
    "unpublishStory": "story_owner",
    "deleteStory": "story_owner",
    "grantRecognition": "pair_staff",
    "listRecognitions": "filtered",
}
