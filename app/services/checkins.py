"""Check-in use cases: a member's pulse on their relationship, read by the program's coordinators."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.checkins import MISSED_AFTER_DAYS, CheckIn, CheckinSchedule, next_due
from app.domain.errors import conflict, not_found
from app.domain.health import CheckinSignal
from app.domain.ports import CheckinFilter, Page, PageRequest, RelationshipFilter, UnitOfWork
from app.services.pairs import load_pair, refresh_health, require_member


async def submit_checkin(
    uow: UnitOfWork,
    actor: Actor,
    *,
    relationship_id: UUID,
    rating: int,
    going_well: str = "",
    not_going_well: str = "",
) -> CheckIn:
    """Check in on your relationship: a rating 1–5, what goes well and what does not.

    - only the two members, while the relationship is active or paused;
    - check-ins fall due after the pair's meeting N, then every D days (the program's
      ``checkin_after_meeting``, default 3, and ``checkin_every_days``, default 60);
    - it fulfils your check-in that is due, if one is; otherwise it is an extra one;
    - the program's coordinators read it, the partner never does; its rating feeds the pair's
      health (an average of 2 or less over the latest three puts the pair at risk);
    - announced as ``checkin.submitted`` with ids only.
    """
    policies.require_person(actor)
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        me = require_member(relationship, actor)
        if relationship.status not in ("active", "paused"):
            raise conflict("relationship_not_active", f"The relationship is {relationship.status}.")
        checkin = await uow.checkins.open_for(relationship.id, me)
        if checkin is None:
            checkin = CheckIn.unprompted(
                id=uow.ids.new_id(), relationship_id=relationship.id, program_id=relationship.program_id, person_id=me
            )
            uow.checkins.add(checkin)
        now = uow.clock.now()
        checkin.submit(rating=rating, going_well=going_well, not_going_well=not_going_well, now=now)
        await refresh_health(uow, relationship, new_signals=[CheckinSignal(now, rating, me)])
        await uow.commit()
        return checkin


async def get_checkin(uow: UnitOfWork, actor: Actor, *, checkin_id: UUID) -> CheckIn:
    """Read a check-in.

    - its author and the program's coordinators (and admins); to the partner, and anyone else, it
      does not exist.
    """
    async with uow:
        checkin = await uow.queries.checkin(actor, checkin_id)
        if checkin is None:
            raise not_found("checkin", checkin_id)
        return checkin


async def list_checkins(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID | None = None,
    relationship_id: UUID | None = None,
    person_id: UUID | None = None,
    page: PageRequest,
) -> Page[CheckIn]:
    """List check-ins, oldest first: due, submitted and missed.

    - participants see only their own; coordinators see their programs' (admins all);
    - filters: ``program_id``, ``relationship_id``, ``person_id``.
    """
    async with uow:
        flt = CheckinFilter(program_id=program_id, relationship_id=relationship_id, person_id=person_id)
        return await uow.queries.checkins(actor, flt, page)


CHECKIN_SWEEP_JOB = "checkins.sweep"


async def make_checkins_due(
    new_uow: Callable[[], UnitOfWork], *, schedule: CheckinSchedule | None = None, page_size: int = 200
) -> int:
    """The scheduled sweep (the ``checkins.sweep`` job, not a use case): every member of an active
    relationship whose next check-in time has come — by its program's schedule (``schedule`` overrides
    it, for tests) — gets a due check-in (``checkin.due``); due ones
    left unsubmitted past their time are missed (``checkin.missed``) and the pair's health is judged
    again. One unit of work per page. Returns how many check-ins changed."""
    changed = 0
    # overdue ones first: a member whose check-in was just missed may be due for the next one
    async with new_uow() as uow:
        now = uow.clock.now()
        touched: set[UUID] = set()
        for checkin in await uow.checkins.overdue(now - timedelta(days=MISSED_AFTER_DAYS)):
            checkin.miss(now)
            touched.add(checkin.relationship_id)
            changed += 1
        await uow.commit()
    after: UUID | None = None
    while True:
        async with new_uow() as uow:
            now = uow.clock.now()
            page = await uow.relationships.list(
                RelationshipFilter(statuses=frozenset({"active"})), PageRequest(limit=page_size, after=after)
            )
            ids = [r.id for r in page.items]
            held = await uow.meetings.held_times(ids)
            last = await uow.checkins.last_due(ids)
            programs = await uow.queries.programs_by_ids(list({r.program_id for r in page.items}))
            for relationship in page.items:
                program = programs.get(relationship.program_id)
                rule = schedule or (program.checkin_schedule() if program is not None else CheckinSchedule())
                for person_id in relationship.member_ids:
                    due = next_due(rule, held[relationship.id], last.get((relationship.id, person_id)))
                    if due is None or due > now or await uow.checkins.open_for(relationship.id, person_id):
                        continue
                    uow.checkins.add(
                        CheckIn.become_due(
                            id=uow.ids.new_id(),
                            relationship_id=relationship.id,
                            program_id=relationship.program_id,
                            person_id=person_id,
                            due_at=now,
                        )
                    )
                    changed += 1
            await uow.commit()
        if page.next_after is None:
            break
        after = page.next_after
    for relationship_id in sorted(touched):
        async with new_uow() as uow:
            pair = await uow.relationships.get(relationship_id)
            if pair is not None:
                await refresh_health(uow, pair)
                await uow.commit()
    return changed
