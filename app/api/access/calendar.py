"""The access rules of the operations in ``routes/calendar.py``: the personal calendar feed."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "calendarFeed": "public",
    "createCalendarFeed": "self",
    "revokeCalendarFeed": "self",
}
