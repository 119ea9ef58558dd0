"""Personal iCalendar feeds: a secret, revocable URL per person that calendar apps subscribe to.

The secret is shown once and stored as its SHA-256 digest; whoever holds the URL reads the feed,
so the feed carries times, who leads and with whom — never agendas, shared notes or reflections.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from uuid import UUID

from icalendar import Calendar, Event

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import not_found
from app.domain.meetings import Meeting
from app.domain.ports import CalendarFeed, UnitOfWork

PRODID = "-//Turnabout//Mentoring meetings//EN"
_STATUS = {"scheduled": "CONFIRMED", "held": "CONFIRMED", "missed": "CONFIRMED", "cancelled": "CANCELLED"}


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_feed(uow: UnitOfWork, actor: Actor) -> str:
    """Create your calendar feed, or rotate it: a new secret URL replaces any earlier one.

    - for yourself only; the secret is returned once and stored hashed — keep the URL private;
    - the earlier URL stops working at once.
    """
    me = policies.require_person(actor)
    async with uow:
        now = uow.clock.now()
        await uow.calendar_feeds.revoke_all(me, now=now)
        token = secrets.token_urlsafe(32)
        await uow.calendar_feeds.add(
            CalendarFeed(id=uow.ids.new_id(), person_id=me, token_hash=token_hash(token), created_at=now)
        )
        await uow.commit()
        return token


async def revoke_feed(uow: UnitOfWork, actor: Actor) -> None:
    """Revoke your calendar feed: its URL stops working (calendar apps get 404)."""
    me = policies.require_person(actor)
    async with uow:
        await uow.calendar_feeds.revoke_all(me, now=uow.clock.now())
        await uow.commit()


async def render_feed(uow: UnitOfWork, *, token: str) -> bytes:
    """The person's meetings as ``text/calendar`` (RFC 5545).

    - an unknown or revoked secret, or the secret of someone who has left (deactivated), finds
      nothing: a leaver's calendar app stops receiving meetings the moment HR deactivates them;

    - one VEVENT per meeting, UID = the meeting id, times in UTC, SEQUENCE = the meeting's version;
    - SUMMARY names the partner and who leads; cancelled meetings carry STATUS:CANCELLED;
    - no agenda, shared notes or reflections — the URL may sit in a third-party calendar.
    """
    async with uow:
        # looked up by digest, so no secret is ever compared: a lookup's timing could at most tell
        # how much of the digest of a guess matches, which says nothing of any stored secret
        feed = await uow.calendar_feeds.by_hash(token_hash(token))
        if feed is None or feed.revoked_at is not None:
            raise not_found("calendar_feed", "for this URL")
        owner = await uow.people.get(feed.person_id)
        if owner is None or not owner.active:
            raise not_found("calendar_feed", "for this URL")
        meetings = await uow.meetings.of_person(feed.person_id)
        people = {p.id: p for p in await uow.people.get_many(sorted({m for x in meetings for m in x.member_ids}))}
        names = {ident: person.display_name for ident, person in people.items()}
        now = uow.clock.now()
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", "Turnabout mentoring")
        for meeting in meetings:
            calendar.add_component(_event(meeting, feed.person_id, names, now))
        return bytes(calendar.to_ical())


def _event(meeting: Meeting, owner: UUID, names: dict[UUID, str], now: datetime) -> Event:
    partner = meeting.member_ids[1] if meeting.member_ids[0] == owner else meeting.member_ids[0]
    leader = meeting.led_by or meeting.planned_leader_id
    leads = "you lead" if leader == owner else f"{names.get(leader, 'your partner')} leads"
    event = Event()
    event.add("uid", str(meeting.id))
    event.add("dtstamp", now)
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"Mentoring with {names.get(partner, 'your partner')} ({leads})")
    event.add("status", _STATUS[meeting.status])
    event.add("sequence", meeting.version)
    event.add("categories", ["Mentoring"])
    return event
