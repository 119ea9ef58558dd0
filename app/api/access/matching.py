"""The access rules of the operations in ``routes/matching.py``: matching runs and their proposals."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listMatchingRuns": "program_staff",
    "startMatchingRun": "program_staff",
    "getMatchingRun": "program_staff_hidden",
    "compareMatchingRun": "program_staff_hidden",
    "listMatchingProposals": "program_staff_hidden",
    "listMatchingUnmatched": "program_staff_hidden",
    "publishMatchingRun": "program_staff_hidden",
}
