"""The access rules of the operations in ``routes/programs.py``: programs, reviews and invitations."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listPrograms": "announced",
    "getProgram": "announced",
    "listObjectives": "announced",
    "createProgram": "hr",
    "updateProgram": "program_staff",
    "transitionProgram": "program_staff",
    "listComments": "any_person",
    "commentOnProposal": "any_person",
    "listReviews": "reviewers",
    "reviewProposal": "committee",
    "invite": "program_staff",
    "listInvitations": "program_staff",
}
