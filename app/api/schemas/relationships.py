from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from app.api.bounds import within
from app.api.schemas.base import Input, Output, PatchInput
from app.api.schemas.enums import (
    EarlyEndReason,
    EndReason,
    HealthReason,
    HealthStatus,
    RelationshipSource,
    RelationshipStatus,
)
from app.domain.health import Health
from app.domain.programs import CADENCE_DAYS
from app.services.pairs import RelationshipView

Line = Annotated[str, Field(min_length=1, max_length=300)]
Channel = Annotated[str, Field(min_length=1, max_length=80, examples=["video call", "team chat"])]


class RelationshipCreate(Input):
    program_id: UUID
    enrollment_ids: Annotated[
        list[UUID], Field(min_length=2, max_length=2, description="The two enrollments to pair, in this program.")
    ]
    designated_mentor_id: UUID | None = Field(
        default=None,
        description="Person id of the member who leads first. Reverse programs: must be the junior who "
        "offered to mentor (the default). Reciprocal programs: default the senior.",
    )

    model_config = Input.model_config | {
        "json_schema_extra": {
            "examples": [
                {
                    "program_id": "0193a0d2-7a55-7c3e-9a41-1f2e3d4c5b6a",
                    "enrollment_ids": [
                        "0193a0d2-7a55-7c3e-9a41-1f2e3d4c5b6b",
                        "0193a0d2-7a55-7c3e-9a41-1f2e3d4c5b6c",
                    ],
                }
            ]
        }
    }


class EndIn(Input):
    reason: EarlyEndReason = Field(
        description="Why the relationship ends early; `rematch` excludes the pair from later proposals."
    )


class AgreementUpdate(PatchInput):
    shared_goals: Annotated[list[Line] | None, Field(default=None, max_length=20)] = None
    cadence_days: Annotated[
        Annotated[int, within(CADENCE_DAYS)] | None,
        Field(default=None, description="Meet every N days; drives the health signal."),
    ] = None
    boundaries: Annotated[str | None, Field(default=None, max_length=5000)] = None
    channels: Annotated[list[Channel] | None, Field(default=None, max_length=10)] = None


class AgreementOut(Output):
    shared_goals: list[str]
    cadence_days: int
    boundaries: str
    channels: list[str]


class HealthOut(Output):
    """Judged at read time from the meetings held against the agreed cadence (paused time excluded)."""

    status: HealthStatus
    reason: HealthReason
    expected_meetings: int
    held_meetings: int
    days_since_last: int | None

    @classmethod
    def of(cls, health: Health) -> HealthOut:
        return cls(
            status=health.status,
            reason=health.reason,
            expected_meetings=health.expected_meetings,
            held_meetings=health.held_meetings,
            days_since_last=health.days_since_last,
        )


class AcceptanceOut(Output):
    person_id: UUID
    accepted_at: datetime


class PolicyProposalOut(Output):
    policy: str
    proposed_by: UUID
    proposed_at: datetime


class RelationshipOut(Output):
    id: UUID
    program_id: UUID
    member_ids: list[UUID]
    designated_mentor_id: UUID = Field(description="Leads first (reverse: the junior mentor; reciprocal: primary).")
    senior_member_id: UUID
    junior_member_id: UUID
    source: RelationshipSource
    status: RelationshipStatus
    end_reason: EndReason | None
    acceptances: list[AcceptanceOut]
    agreement: AgreementOut
    program_policy: str = Field(description="The program's role-turn policy when the pair was proposed.")
    effective_policy: str = Field(description="The policy in force now (the pair's override, if any).")
    policy_proposal: PolicyProposalOut | None
    ready_at_turn: int | None
    health: HealthOut
    score: float | None
    explanation: str
    proposed_at: datetime
    activated_at: datetime | None
    closed_at: datetime | None
    version: int

    @classmethod
    def of(cls, found: RelationshipView) -> RelationshipOut:
        r = found.relationship
        proposal = r.policy_proposal
        return cls(
            id=r.id,
            program_id=r.program_id,
            member_ids=list(r.member_ids),
            designated_mentor_id=r.designated_mentor_id,
            senior_member_id=r.senior_member_id,
            junior_member_id=r.junior_member_id,
            source=r.source,
            status=r.status,
            end_reason=r.end_reason,
            acceptances=[AcceptanceOut(person_id=p, accepted_at=at) for p, at in r.acceptances.items()],
            agreement=AgreementOut.model_validate(r.agreement),
            program_policy=r.program_policy.to_str(),
            effective_policy=r.effective_policy.to_str(),
            policy_proposal=None
            if proposal is None
            else PolicyProposalOut(
                policy=proposal.policy.to_str(), proposed_by=proposal.proposed_by, proposed_at=proposal.proposed_at
            ),
            ready_at_turn=r.ready_at_turn,
            health=HealthOut.of(found.health),
            score=r.score,
            explanation=r.explanation,
            proposed_at=r.proposed_at,
            activated_at=r.activated_at,
            closed_at=r.closed_at,
            version=r.version,
        )


class RelationshipList(Output):
    items: list[RelationshipOut]
    next_cursor: str | None
