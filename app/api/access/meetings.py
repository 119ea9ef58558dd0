"""The access rules of the operations in ``routes/meetings.py``: meetings and their reflections."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listMeetings": "pair",
    "scheduleMeeting": "members",
    "getMeeting": "pair",
    "updateMeeting": "members",
    "cancelMeeting": "members",
    "markMeetingHeld": "members",
    "markMeetingMissed": "members",
    "addMeetingResource": "members",
    "getReflection": "author",
    "putReflection": "own_reflection",
}
