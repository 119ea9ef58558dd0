"""The problem codes of the operations in ``routes/calendar.py``: the personal calendar feed."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "calendarFeed": ("calendar_feed_not_found",),
    "createCalendarFeed": ("actor_not_a_person",),
    "revokeCalendarFeed": ("actor_not_a_person",),
}
