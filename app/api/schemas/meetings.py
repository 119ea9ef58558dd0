from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field

from app.api.bounds import within
from app.api.schemas.base import Input, Output, PatchInput
from app.api.schemas.enums import MeetingMode, MeetingStatus, ResourceKind
from app.domain.meetings import (
    DURATION_MINUTES,
    EARLIEST_MEETING_START,
    LATEST_MEETING_END,
    SAFE_LINK_SCHEMES,
    Meeting,
    Reflection,
    is_safe_link,
)

Minutes = Annotated[
    int,
    within(DURATION_MINUTES),
    Field(description=f"Length in minutes ({DURATION_MINUTES.minimum}–{DURATION_MINUTES.maximum})."),
]
MEETING_WINDOW = (
    f"A meeting starts on or after {EARLIEST_MEETING_START:%Y-%m-%d} and ends by {LATEST_MEETING_END:%Y-%m-%d} (UTC); "
    "otherwise `meeting_time_out_of_range`."
)
# Documents the domain's rule (is_safe_link), which alone enforces it with ``resource_url_unsafe``.
SAFE_LINK_PATTERN = (
    "^("
    + "|".join(
        "".join(f"[{c}{c.upper()}]" for c in scheme) + (":" if scheme == "mailto" else "://")
        for scheme in SAFE_LINK_SCHEMES
    )
    + ")"
)


class MeetingCreate(Input):
    starts_at: AwareDatetime = Field(
        description="With a timezone offset; may be in the past to record a meeting. " + MEETING_WINDOW
    )
    duration_minutes: Minutes = 60
    mode: MeetingMode = MeetingMode.VIDEO
    agenda: Annotated[str, Field(max_length=10000)] = ""

    model_config = Input.model_config | {
        "json_schema_extra": {
            "examples": [{"starts_at": "2027-02-02T15:00:00+01:00", "duration_minutes": 45, "mode": "video"}]
        }
    }


class MeetingUpdate(PatchInput):
    agenda: Annotated[str | None, Field(default=None, max_length=10000)] = None
    shared_notes: Annotated[
        str | None, Field(default=None, max_length=50000, description="Both members read and write them.")
    ] = None
    starts_at: AwareDatetime | None = Field(default=None, description="Move a scheduled meeting. " + MEETING_WINDOW)
    duration_minutes: Annotated[Annotated[int, within(DURATION_MINUTES)] | None, Field(default=None)] = None


class HeldIn(Input):
    led_by: UUID | None = Field(
        default=None, description="Who actually led (default: the planned leader); the other member is drift."
    )


class ResourceIn(Input):
    title: Annotated[str, Field(min_length=1, max_length=300)]
    url: Annotated[
        str,
        Field(
            min_length=1,
            max_length=2000,
            examples=["https://example.com/guide"],
            description="A web page (`https`, `http`) or an e-mail address (`mailto`); other links are refused "
            "with `resource_url_unsafe`.",
            json_schema_extra={"pattern": SAFE_LINK_PATTERN},
        ),
    ]
    kind: ResourceKind = Field(description="`expert` (a person to talk to) or `material`.")


class ResourceOut(Output):
    title: str
    url: str
    kind: ResourceKind
    suggested_by: UUID | None


class MeetingOut(Output):
    """A meeting as both members and the coordinators see it: no reflection, ever."""

    id: UUID
    relationship_id: UUID
    program_id: UUID
    member_ids: list[UUID]
    starts_at: datetime
    ends_at: datetime
    duration_minutes: int
    mode: MeetingMode
    status: MeetingStatus
    planned_leader_id: UUID = Field(description="The leader the role-turn policy gives this meeting.")
    led_by: UUID | None = Field(description="Who actually led a held meeting.")
    drifted: bool
    agenda: str
    shared_notes: str
    resources: list[ResourceOut]
    scheduled_at: datetime | None
    closed_at: datetime | None
    version: int

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingOut:
        return cls(
            id=meeting.id,
            relationship_id=meeting.relationship_id,
            program_id=meeting.program_id,
            member_ids=list(meeting.member_ids),
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            duration_minutes=meeting.duration_minutes,
            mode=meeting.mode,
            status=meeting.status,
            planned_leader_id=meeting.planned_leader_id,
            led_by=meeting.led_by,
            drifted=meeting.drifted,
            agenda=meeting.agenda,
            shared_notes=meeting.shared_notes,
            # never serve a link stored before unsafe ones were refused: a front end would render it
            resources=[ResourceOut.model_validate(r) for r in meeting.resources if is_safe_link(r.url)],
            scheduled_at=meeting.scheduled_at,
            closed_at=meeting.closed_at,
            version=meeting.version,
        )


class MeetingList(Output):
    items: list[MeetingOut]
    next_cursor: str | None


class ReflectionIn(Input):
    text: Annotated[str, Field(min_length=1, max_length=20000)]


class ReflectionOut(Output):
    """Your private reflection: only you can ever read it."""

    meeting_id: UUID
    author_id: UUID
    text: str
    written_at: datetime
    version: int

    @classmethod
    def of(cls, meeting_id: UUID, reflection: Reflection) -> ReflectionOut:
        return cls(
            meeting_id=meeting_id,
            author_id=reflection.author_id,
            text=reflection.text,
            written_at=reflection.written_at,
            version=reflection.version,
        )
