"""The access rules of the operations in ``routes/relationships.py``: mentoring relationships."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "listRelationships": "filtered",
    "createRelationship": "program_staff",
    "getRelationship": "pair",
    "acceptRelationship": "members",
    "declineRelationship": "members",
    "updateAgreement": "members",
    "pauseRelationship": "pair",
    "resumeRelationship": "pair",
    "completeRelationship": "pair",
    "endRelationship": "pair_staff",
}
