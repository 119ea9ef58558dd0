"""The access rules of the operations in ``routes/people.py``: people, the signed-in person included."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "getMe": "self",
    "updateMyConsent": "self",
    "listPeople": "directory",
    "getPerson": "person",
    "createPerson": "people_write",
    "updatePerson": "people_write",
    "deactivatePerson": "people_write",
    "upsertPeople": "people_write",
}
