"""Meetings: the turn's leader, agenda, shared notes, resources — and never a private reflection."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.domain import meetings as domain
from app.graphql.context import Info
from app.graphql.enums import MeetingMode, MeetingStatus, ResourceKind
from app.graphql.resolve import people_of
from app.graphql.types.base import build, enum
from app.graphql.types.people import Person


@strawberry.type(description="A link to an expert or to material, suggested by a member.")
class Resource:
    title: str
    url: str
    kind: ResourceKind
    suggested_by: UUID | None


@strawberry.type(description="A meeting as both members and the coordinators see it: no reflection, ever.")
class Meeting:
    id: UUID
    relationship_id: UUID
    program_id: UUID
    member_ids: list[UUID]
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    mode: MeetingMode
    status: MeetingStatus
    planned_leader_id: UUID = strawberry.field(description="The leader the role-turn policy gives this meeting.")
    led_by: UUID | None = strawberry.field(description="Who actually led a held meeting.")
    drifted: bool
    agenda: str
    shared_notes: str
    resources: list[Resource]
    scheduled_at: datetime | None
    closed_at: datetime | None
    version: int = strawberry.field(description="Send it back as `expectedVersion` to avoid lost updates.")

    @strawberry.field(description="The member who leads this meeting's turn.")
    async def leader(self, info: Info) -> Person | None:
        return (await people_of(info, [self.led_by or self.planned_leader_id]))[0]

    @classmethod
    def of(cls, meeting: domain.Meeting) -> Meeting:
        return build(
            cls,
            meeting,
            member_ids=list(meeting.member_ids),
            mode=enum(MeetingMode, meeting.mode),
            status=enum(MeetingStatus, meeting.status),
            resources=[build(Resource, r, kind=enum(ResourceKind, r.kind)) for r in meeting.resources],
        )


@strawberry.type(description="Your private reflection on a meeting: only you can ever read it.")
class Reflection:
    meeting_id: UUID
    author_id: UUID
    text: str
    written_at: datetime
    version: int

    @classmethod
    def of(cls, meeting_id: UUID, reflection: domain.Reflection) -> Reflection:
        return build(cls, reflection, meeting_id=meeting_id)
