"""Steps every mentoring use case shares: loading a pair the caller may see, refreshing the health
signal, and what a closed relationship leaves behind (enrollments, scheduled meetings)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import forbidden, not_found
from app.domain.health import CheckinSignal, Health
from app.domain.meetings import Meeting
from app.domain.ports import UnitOfWork
from app.domain.programs import Program
from app.domain.read_side import RelationshipAccess
from app.domain.relationships import Relationship


@dataclass(frozen=True)
class RelationshipView:
    """A relationship with its health as of the read."""

    relationship: Relationship
    health: Health


async def load_program(uow: UnitOfWork, program_id: UUID, *, lock: bool = False) -> Program:
    program = await uow.programs.get(program_id, lock=lock)
    if program is None:
        raise not_found("program", program_id)
    return program


async def check_pair(
    uow: UnitOfWork, actor: Actor, relationship_id: UUID, *, hidden_as: tuple[str, UUID] | None = None
) -> RelationshipAccess:
    """The narrow access row of a relationship the caller may see; 404 unless the caller is a member
    or the program's staff (a relationship's existence is as private as its content).

    ``hidden_as``: the (noun, id) the 404 names when the caller came for something inside the
    relationship (a meeting, a goal), so the answer says nothing of the relationship.
    """
    access = await uow.queries.relationship_access(actor, relationship_id)
    if access is None:
        noun, ident = hidden_as or ("relationship", relationship_id)
        raise not_found(noun, ident)
    return access


async def load_pair(
    uow: UnitOfWork, actor: Actor, relationship_id: UUID, *, hidden_as: tuple[str, UUID] | None = None
) -> tuple[Relationship, RelationshipAccess]:
    """For a change: the relationship aggregate, once :func:`check_pair` let the caller see it; the
    access row answers the policies' questions about the caller's role in the program."""
    access = await check_pair(uow, actor, relationship_id, hidden_as=hidden_as)
    relationship = await uow.relationships.get(relationship_id)
    if relationship is None:  # deleted with its program between the two reads
        noun, ident = hidden_as or ("relationship", relationship_id)
        raise not_found(noun, ident)
    return relationship, access


def require_member(relationship: Relationship, actor: Actor) -> UUID:
    """The caller's person id when they are one of the two members; else ``not_a_member``."""
    me = policies.require_person(actor)
    if not relationship.is_member(me):
        raise forbidden("not_a_member", "Only the two members of the relationship may do this.")
    return me


async def refresh_health(
    uow: UnitOfWork,
    relationship: Relationship,
    meetings: list[Meeting] | None = None,
    *,
    new_signals: Sequence[CheckinSignal] = (),
) -> Health:
    """Judge the pair now and keep the signal; a move into at risk / stalled raises its event.

    ``meetings``: the pair's meetings as changed in this use case (not yet written), if loaded;
    ``new_signals``: check-ins given in this use case (not yet written).
    """
    if meetings is None:
        held = (await uow.meetings.held_times([relationship.id]))[relationship.id]
    else:
        held = [m.starts_at for m in meetings if m.status == "held"]
    signals = [*(await uow.queries.checkin_signals([relationship.id]))[relationship.id], *new_signals]
    health = relationship.health(held, uow.clock.now(), signals)
    relationship.observe_health(health)
    return health


async def view(uow: UnitOfWork, relationship: Relationship) -> RelationshipView:
    held = await uow.queries.held_times([relationship.id])
    signals = await uow.queries.checkin_signals([relationship.id])
    return RelationshipView(
        relationship, relationship.health(held[relationship.id], uow.clock.now(), signals[relationship.id])
    )


async def release_enrollments(
    uow: UnitOfWork, relationship: Relationship, *, completed: bool, skip: frozenset[UUID] = frozenset()
) -> None:
    """After a relationship closes, each member without another live relationship in the program
    returns to the pool (``ready``), or completes the program when the relationship completed."""
    now = uow.clock.now()
    for person_id in relationship.member_ids:
        if person_id in skip:
            continue
        if await uow.relationships.live_of(person_id, relationship.program_id):
            continue
        enrollment = await uow.enrollments.live_for(relationship.program_id, person_id)
        if enrollment is None or enrollment.status != "matched":
            continue
        if completed:
            enrollment.complete(now=now)
        else:
            enrollment.return_to_pool(now=now)


async def cancel_scheduled(uow: UnitOfWork, relationship: Relationship) -> None:
    """A closed relationship keeps no scheduled meetings (calendars then show them cancelled)."""
    now = uow.clock.now()
    for meeting in await uow.meetings.of_relationship(relationship.id):
        if meeting.status == "scheduled":
            meeting.cancel(now)
