"""Meeting use cases: scheduling with the leader the role-turn policy gives, rescheduling,
cancelling, holding, missing; the shared agenda, notes and resources; and each member's private
reflection, which only its author can ever read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import DomainError, not_found
from app.domain.meetings import Meeting, MeetingMode, MeetingStatus, Reflection, Resource, ResourceKind
from app.domain.ports import Page, PageRequest, UnitOfWork
from app.domain.relationships import Relationship
from app.services.common import ensure_version
from app.services.pairs import check_pair, load_pair, refresh_health, require_member


async def _load(uow: UnitOfWork, actor: Actor, meeting_id: UUID) -> tuple[Meeting, Relationship]:
    """The meeting and its relationship; to anyone who may not see the relationship the meeting does not exist."""
    meeting = await uow.meetings.get(meeting_id)
    if meeting is None:
        raise not_found("meeting", meeting_id)
    relationship, _ = await load_pair(uow, actor, meeting.relationship_id, hidden_as=("meeting", meeting_id))
    return meeting, relationship


async def schedule(
    uow: UnitOfWork,
    actor: Actor,
    *,
    relationship_id: UUID,
    starts_at: datetime,
    duration_minutes: int = 60,
    mode: MeetingMode = "video",
    agenda: str = "",
) -> Meeting:
    """Schedule a meeting of the pair; the role-turn policy names who leads it.

    - only the two members, while the relationship is ``active``;
    - the time carries a timezone; 5–480 minutes; in person, video, chat or forum;
    - it starts in 2000 or later and ends before 2100 (``meeting_time_out_of_range``);
    - a meeting may be scheduled in the past, to record one held already;
    - meetings are turns in start-time order: a meeting placed before others shifts their leaders,
      and every scheduled meeting's leader is re-planned.
    """
    me = policies.require_person(actor)
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        meeting = relationship.schedule_meeting(
            by=me,
            meeting_id=uow.ids.new_id(),
            meetings=await uow.meetings.of_relationship(relationship.id),
            starts_at=starts_at,
            duration_minutes=duration_minutes,
            mode=mode,
            agenda=agenda,
            now=uow.clock.now(),
        )
        uow.meetings.add(meeting)
        await uow.commit()
        return meeting


async def get_meeting(uow: UnitOfWork, actor: Actor, *, meeting_id: UUID) -> Meeting:
    """Read a meeting: time, leader, agenda, shared notes, resources — never any reflection.

    - the two members and the program's coordinators (and admins); to anyone else it does not exist.
    """
    async with uow:
        meeting = await uow.queries.meeting(actor, meeting_id)
        if meeting is None:
            raise not_found("meeting", meeting_id)
        return meeting


async def list_meetings(
    uow: UnitOfWork,
    actor: Actor,
    *,
    relationship_id: UUID,
    statuses: frozenset[MeetingStatus] = frozenset(),
    page: PageRequest,
) -> Page[Meeting]:
    """A pair's meetings in the order they were scheduled; filter by ``status`` (repeatable).

    - the two members and the program's coordinators (and admins); to anyone else it does not exist.
    """
    async with uow:
        await check_pair(uow, actor, relationship_id)
        return await uow.queries.meetings(relationship_id, statuses, page)


async def update_meeting(
    uow: UnitOfWork,
    actor: Actor,
    *,
    meeting_id: UUID,
    agenda: str | None = None,
    shared_notes: str | None = None,
    starts_at: datetime | None = None,
    duration_minutes: int | None = None,
    expected_version: int | None,
) -> Meeting:
    """Edit the agenda or the shared notes, or move the meeting (and change its length).

    - only the two members; nothing is written on a cancelled meeting;
    - only a scheduled meeting moves; moving it re-plans the leaders of the scheduled meetings.
    """
    async with uow:
        meeting, relationship = await _load(uow, actor, meeting_id)
        me = require_member(relationship, actor)
        ensure_version(meeting, expected_version, "meeting")
        now = uow.clock.now()
        if agenda is not None:
            meeting.update_agenda(me, agenda, now)
        if shared_notes is not None:
            meeting.update_notes(me, shared_notes, now)
        if starts_at is not None or duration_minutes is not None:
            meeting.reschedule(starts_at or meeting.starts_at, now, duration_minutes)
            relationship.replan_meetings(await uow.meetings.of_relationship(relationship.id))
        await uow.commit()
        return meeting


async def _close(
    uow: UnitOfWork,
    actor: Actor,
    meeting_id: UUID,
    expected_version: int | None,
    close: Callable[[Meeting, datetime], object],
) -> Meeting:
    """A member closes a scheduled meeting (held, missed, cancelled): the leaders of the scheduled
    meetings are re-planned and the relationship's health is re-judged."""
    async with uow:
        meeting, relationship = await _load(uow, actor, meeting_id)
        require_member(relationship, actor)
        ensure_version(meeting, expected_version, "meeting")
        close(meeting, uow.clock.now())
        meetings = await uow.meetings.of_relationship(relationship.id)
        relationship.replan_meetings(meetings)
        await refresh_health(uow, relationship, meetings)
        await uow.commit()
        return meeting


async def cancel(uow: UnitOfWork, actor: Actor, *, meeting_id: UUID, expected_version: int | None) -> Meeting:
    """Cancel a scheduled meeting.

    - only the two members;
    - a cancelled meeting consumes no turn: the leaders of the later scheduled meetings are
      re-planned (each moves one turn earlier).
    """
    return await _close(uow, actor, meeting_id, expected_version, Meeting.cancel)


async def mark_held(
    uow: UnitOfWork, actor: Actor, *, meeting_id: UUID, led_by: UUID | None = None, expected_version: int | None
) -> Meeting:
    """Record that the meeting took place, and who led it.

    - only the two members, once the meeting has started (``meeting_in_future``);
    - ``led_by`` defaults to the planned leader; naming the other member is allowed and reported as
      drift in the turn ledger;
    - the held meeting consumes a turn; later scheduled meetings are re-planned; the relationship's
      health is re-judged (a move into at risk / stalled is announced).
    """
    return await _close(uow, actor, meeting_id, expected_version, lambda m, now: m.mark_held(now, led_by))


async def mark_missed(uow: UnitOfWork, actor: Actor, *, meeting_id: UUID, expected_version: int | None) -> Meeting:
    """Record that nobody met at the agreed time.

    - only the two members, once the meeting has started;
    - a missed meeting consumes no turn; the relationship's health is re-judged.
    """
    return await _close(uow, actor, meeting_id, expected_version, Meeting.mark_missed)


async def add_resource(
    uow: UnitOfWork,
    actor: Actor,
    *,
    meeting_id: UUID,
    title: str,
    url: str,
    kind: ResourceKind,
    expected_version: int | None,
) -> Meeting:
    """Suggest a resource in a meeting: a link to another expert or to material.

    - only the two members; the suggester is recorded; not on a cancelled meeting;
    - the link is a web page (``https``/``http``) or an e-mail address (``mailto``), never a script,
      data or file link (``resource_url_unsafe``).
    """
    async with uow:
        meeting, relationship = await _load(uow, actor, meeting_id)
        me = require_member(relationship, actor)
        ensure_version(meeting, expected_version, "meeting")
        meeting.add_resource(me, Resource(title.strip(), url.strip(), kind), uow.clock.now())
        await uow.commit()
        return meeting


async def put_reflection(
    uow: UnitOfWork, actor: Actor, *, meeting_id: UUID, text: str, expected_version: int | None
) -> Reflection:
    """Write or rewrite your private reflection on a held meeting.

    - only the two members, each their own; after the meeting was held (``meeting_not_held``);
    - nobody else can ever read it — not the partner, not a coordinator, not an admin — and no
      event, feed or list carries it; writing it does not change the meeting's version.
    """
    async with uow:
        meeting, relationship = await _load(uow, actor, meeting_id)
        me = require_member(relationship, actor)
        earlier = await uow.meetings.reflection(meeting.id, me)
        if earlier is not None:
            meeting.reflections[me] = earlier
        if earlier is None and expected_version is not None:
            raise DomainError(code="stale_version", detail="You have no reflection here yet.", kind="precondition")
        if earlier is not None:
            ensure_version(earlier, expected_version, "reflection")
        reflection = meeting.write_reflection(me, text, uow.clock.now())
        await uow.meetings.save_reflection(meeting.id, reflection)
        await uow.commit()
        return reflection


async def get_reflection(uow: UnitOfWork, actor: Actor, *, meeting_id: UUID) -> Reflection:
    """Read your own private reflection on a meeting.

    - the author only: for anyone else it does not exist (``reflection_not_found``), whether or not
      a reflection exists — its existence is private too.
    """
    async with uow:
        meeting, _ = await _load(uow, actor, meeting_id)
        # only ever asked for by (meeting, the caller): nobody else's reflection is even read
        reflection = None if actor.person_id is None else await uow.meetings.reflection(meeting.id, actor.person_id)
        if reflection is None or not policies.can_read_reflection(actor, reflection.author_id):
            raise not_found("reflection", meeting_id)
        return reflection
