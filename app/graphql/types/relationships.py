"""Relationships: two colleagues in a program, their agreement, health and turns."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry

from app.domain import health as health_domain
from app.graphql.context import Info
from app.graphql.enums import (
    EndReason,
    HealthReason,
    HealthStatus,
    MeetingStatus,
    RelationshipSource,
    RelationshipStatus,
)
from app.graphql.resolve import people_of
from app.graphql.types.base import build, enum, maybe_enum
from app.graphql.types.people import Person
from app.graphql.types.turns import PolicyProposal, Turns
from app.services.pairs import RelationshipView

if TYPE_CHECKING:
    from app.graphql.types.goals import Goal
    from app.graphql.types.meetings import Meeting
    from app.graphql.types.programs import Program

ProgramType = Annotated["Program", strawberry.lazy("app.graphql.types.programs")]
MeetingType = Annotated["Meeting", strawberry.lazy("app.graphql.types.meetings")]
GoalType = Annotated["Goal", strawberry.lazy("app.graphql.types.goals")]


@strawberry.type(description="What the pair agreed: shared goals, cadence, boundaries, channels.")
class Agreement:
    shared_goals: list[str]
    cadence_days: int = strawberry.field(description="Meet every N days; drives the health signal.")
    boundaries: str
    channels: list[str]


@strawberry.type(description="Judged at read time from the meetings held against the agreed cadence.")
class Health:
    status: HealthStatus
    reason: HealthReason
    expected_meetings: int
    held_meetings: int
    days_since_last: int | None

    @classmethod
    def of(cls, health: health_domain.Health) -> Health:
        return build(cls, health, status=enum(HealthStatus, health.status), reason=enum(HealthReason, health.reason))


@strawberry.type
class Acceptance:
    person_id: UUID
    accepted_at: datetime


@strawberry.type(description="Two colleagues in a program, taking turns as mentor and mentee.")
class Relationship:
    id: UUID
    program_id: UUID
    member_ids: list[UUID]
    designated_mentor_id: UUID = strawberry.field(
        description="Leads first (reverse: the junior mentor; reciprocal: primary)."
    )
    senior_member_id: UUID
    junior_member_id: UUID
    source: RelationshipSource
    status: RelationshipStatus
    end_reason: EndReason | None
    acceptances: list[Acceptance]
    agreement: Agreement
    program_policy: str = strawberry.field(description="The program's role-turn policy when the pair was proposed.")
    effective_policy: str = strawberry.field(description="The policy in force now (the pair's override, if any).")
    policy_proposal: PolicyProposal | None
    ready_at_turn: int | None
    health: Health
    score: float | None
    explanation: str
    proposed_at: datetime
    activated_at: datetime | None
    closed_at: datetime | None
    version: int = strawberry.field(description="Send it back as `expectedVersion` to avoid lost updates.")
    view: strawberry.Private[RelationshipView]

    @strawberry.field(description="Both members, as the caller may see them.")
    async def members(self, info: Info) -> list[Person]:
        return [p for p in await people_of(info, self.member_ids) if p is not None]

    @strawberry.field(description="The caller's partner: the other member (null when the caller is not a member).")
    async def partner(self, info: Info) -> Person | None:
        me = info.context.actor.person_id
        if me not in self.member_ids:
            return None
        other = next(m for m in self.member_ids if m != me)
        return (await people_of(info, [other]))[0]

    @strawberry.field
    async def program(self, info: Info) -> ProgramType | None:
        from app.graphql.types.programs import Program

        found = await info.context.loaders.program.load(self.program_id)
        return None if found is None else Program.of(found)

    @strawberry.field(description="Who leads the next meeting and why, the ledger and the balance of turns.")
    async def turns(self, info: Info) -> Turns:
        return Turns.of(await info.context.loaders.turns.load(self.view.relationship))

    @strawberry.field(description="The pair's meetings in start-time order; `last: N` keeps the N most recent.")
    async def meetings(
        self, info: Info, status: list[MeetingStatus] | None = None, last: int | None = None
    ) -> list[MeetingType]:
        from app.graphql.types.meetings import Meeting

        found = await info.context.loaders.meetings.load(self.id)
        wanted = {s.value for s in status or ()}
        chosen = [m for m in found if not wanted or m.status in wanted]
        if last is not None:
            chosen = chosen[-last:] if last > 0 else []
        return [Meeting.of(m) for m in chosen]

    @strawberry.field(description="The pair's learning goals, oldest first.")
    async def goals(self, info: Info) -> list[GoalType]:
        from app.graphql.types.goals import Goal

        return [Goal.of(g) for g in await info.context.loaders.goals.load(self.id)]

    @classmethod
    def of(cls, found: RelationshipView) -> Relationship:
        r = found.relationship
        proposal = r.policy_proposal
        return build(
            cls,
            r,
            view=found,
            member_ids=list(r.member_ids),
            source=enum(RelationshipSource, r.source),
            status=enum(RelationshipStatus, r.status),
            end_reason=maybe_enum(EndReason, r.end_reason),
            acceptances=[Acceptance(person_id=p, accepted_at=at) for p, at in r.acceptances.items()],
            agreement=build(Agreement, r.agreement, shared_goals=list(r.agreement.shared_goals)),
            program_policy=r.program_policy.to_str(),
            effective_policy=r.effective_policy.to_str(),
            policy_proposal=None
            if proposal is None
            else PolicyProposal(
                policy=proposal.policy.to_str(), proposed_by=proposal.proposed_by, proposed_at=proposal.proposed_at
            ),
            health=Health.of(found.health),
        )
