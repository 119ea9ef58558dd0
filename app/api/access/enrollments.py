"""The access rules of the operations in ``routes/enrollments.py``: enrollments in programs."""

from __future__ import annotations

from typing import Final

ACCESS: Final[dict[str, str]] = {
    "myEnrollments": "self",
    "enrol": "any_person",
    "listEnrollments": "filtered",
    "getEnrollment": "enrollment",
    "updateEnrollment": "own_enrollment",
    "approveEnrollment": "program_staff",
    "withdrawEnrollment": "enrollment",
    "recordTraining": "training",
}
