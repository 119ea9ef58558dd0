"""What is said and sent about a program before it starts: comments on a draft proposal, the
advisory committee's reviews, and invitations to apply. Plain records; the rules on when they may
be made live on :class:`app.domain.programs.Program`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


@dataclass(frozen=True)
class ProposalComment:
    id: UUID
    program_id: UUID
    author_id: UUID
    body: str
    created_at: datetime


class ReviewVerdict(StrEnum):
    ENDORSE = "endorse"
    REQUEST_CHANGES = "request_changes"
    CONCERNS = "concerns"


@dataclass(frozen=True)
class CommitteeReview:
    id: UUID
    program_id: UUID
    reviewer_id: UUID
    verdict: ReviewVerdict
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Invitation:
    """A coordinator's invitation to apply: it enrols nobody, the invitee decides."""

    id: UUID
    program_id: UUID
    person_id: UUID
    invited_by: UUID | None
    message: str
    created_at: datetime
