"""SQLModel tables. Importing this package registers every table on ``metadata``."""

from app.adapters.persistence.tables.base import metadata
from app.adapters.persistence.tables.directory import IdentityRow, PersonRow, SkillRow
from app.adapters.persistence.tables.enrollments import EnrollmentRow
from app.adapters.persistence.tables.platform import IdempotencyRow, OutboxRow
from app.adapters.persistence.tables.programs import (
    CommitteeReviewRow,
    InvitationRow,
    ObjectiveRow,
    ProgramRow,
    ProgramStaffRow,
    ProposalCommentRow,
)

__all__ = [
    "CommitteeReviewRow",
    "EnrollmentRow",
    "IdempotencyRow",
    "IdentityRow",
    "InvitationRow",
    "ObjectiveRow",
    "OutboxRow",
    "PersonRow",
    "ProgramRow",
    "ProgramStaffRow",
    "ProposalCommentRow",
    "SkillRow",
    "metadata",
]
