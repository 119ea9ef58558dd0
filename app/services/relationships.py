"""Relationship use cases: reading pairs, accepting or declining a proposal, the pair's rhythm
(pause, resume, complete), early endings and the agreement the members keep."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import not_found
from app.domain.health import HealthStatus
from app.domain.ports import Page, PageRequest, RelationshipFilter, UnitOfWork
from app.domain.relationships import Agreement, EndReason, Relationship, RelationshipStatus
from app.services.common import ensure_version
from app.services.pairs import (
    RelationshipView,
    cancel_scheduled,
    load_pair,
    refresh_health,
    release_enrollments,
    view,
)
from app.services.stories import grant_on_completion

# filtering by health judges every relationship read: read more than a page at a time
_HEALTH_SCAN_BATCH = 50


async def get_relationship(uow: UnitOfWork, actor: Actor, *, relationship_id: UUID) -> RelationshipView:
    """Read a relationship with its health.

    - its two members and the program's coordinators (and admins); to anyone else it does not exist.
    """
    async with uow:
        relationship = await uow.queries.relationship(actor, relationship_id)
        if relationship is None:
            raise not_found("relationship", relationship_id)
        return await view(uow, relationship)


async def list_relationships(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID | None = None,
    statuses: frozenset[RelationshipStatus] = frozenset(),
    person_id: UUID | None = None,
    health: HealthStatus | None = None,
    page: PageRequest,
) -> Page[RelationshipView]:
    """List relationships, oldest first.

    - participants see only their own; coordinators see their programs' (and their own); admins
      see all;
    - filters: ``program_id``, ``status`` (repeatable), ``person_id`` (a member), and ``health``
      (``on_track``, ``at_risk``, ``stalled``, ``not_judged``) judged at the time of the request, so
      coordinators see who needs help now.
    """
    async with uow:
        flt = RelationshipFilter(program_id=program_id, statuses=statuses, person_id=person_id)
        now = uow.clock.now()
        batch_size = page.limit if health is None else max(page.limit, _HEALTH_SCAN_BATCH)
        found: list[RelationshipView] = []
        after = page.after
        while True:
            batch = await uow.queries.relationships(actor, flt, PageRequest(limit=batch_size, after=after))
            held = await uow.queries.held_times([r.id for r in batch.items])
            signals = await uow.queries.checkin_signals([r.id for r in batch.items])
            for relationship in batch.items:
                judged = relationship.health(held[relationship.id], now, signals[relationship.id])
                if health is None or judged.status == health:
                    found.append(RelationshipView(relationship, judged))
            if health is None:
                return Page(found, next_after=batch.next_after)
            # health is judged now, never stored: read on until one more than a page matched
            if len(found) > page.limit or batch.next_after is None:
                break
            after = batch.next_after
        if len(found) > page.limit:
            found = found[: page.limit]
            return Page(found, next_after=found[-1].relationship.id)
        return Page(found, next_after=None)


async def _changed(uow: UnitOfWork, relationship: Relationship) -> RelationshipView:
    health = await refresh_health(uow, relationship)
    await uow.commit()
    return RelationshipView(relationship, health)


async def accept(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> RelationshipView:
    """A member accepts the proposed pairing; when both have, the relationship is ``active``.

    - only the two members (``not_a_member`` for the program's staff);
    - accepting twice is refused (``already_accepted``); only a proposal can be accepted.
    """
    me = policies.require_person(actor)
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        ensure_version(relationship, expected_version, "relationship")
        relationship.accept(me, uow.clock.now())
        return await _changed(uow, relationship)


async def decline(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> RelationshipView:
    """A member declines the proposed pairing.

    - only the two members, only while it is ``proposed``;
    - the relationship ends with reason ``declined``; the pair is excluded from every later
      proposal in this program (matching and manual); both enrollments return to ``ready``.
    """
    me = policies.require_person(actor)
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        ensure_version(relationship, expected_version, "relationship")
        exclusion = relationship.decline(me, uow.clock.now())
        await uow.relationships.add_exclusion(exclusion, exclusion_id=uow.ids.new_id())
        await release_enrollments(uow, relationship, completed=False)
        return await _changed(uow, relationship)


async def _steer(
    uow: UnitOfWork,
    actor: Actor,
    relationship_id: UUID,
    expected_version: int | None,
    verb: str,
    change: Callable[[Relationship, datetime], object],
) -> Relationship:
    """Load, let the members or the program's coordinators ``verb`` the pair, check the version,
    apply the change. The caller finishes (and commits) through :func:`_changed`."""
    relationship, access = await load_pair(uow, actor, relationship_id)
    policies.require(
        policies.can_steer_relationship(actor, access.program, relationship.member_ids),
        "relationship_steer_forbidden",
        f"Only the members and the program's coordinators {verb} a relationship.",
    )
    ensure_version(relationship, expected_version, "relationship")
    change(relationship, uow.clock.now())
    return relationship


async def pause(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> RelationshipView:
    """Pause an active relationship (leave, workload); paused time does not count against the cadence.

    - either member or the program's coordinators.
    """
    async with uow:
        relationship = await _steer(uow, actor, relationship_id, expected_version, "pause", Relationship.pause)
        return await _changed(uow, relationship)


async def resume(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> RelationshipView:
    """Resume a paused relationship.

    - either member or the program's coordinators.
    """
    async with uow:
        relationship = await _steer(uow, actor, relationship_id, expected_version, "resume", Relationship.resume)
        return await _changed(uow, relationship)


async def complete(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> RelationshipView:
    """Complete an active or paused relationship at the end of its cycle.

    - either member or the program's coordinators;
    - scheduled meetings left are cancelled; each member's enrollment completes unless they have
      another live relationship in the program;
    - completed with its goals achieved (at least one, none left open), both members are recognised
      with the program's first incentive (``recognition.granted``).
    """
    async with uow:
        relationship = await _steer(uow, actor, relationship_id, expected_version, "complete", Relationship.complete)
        await cancel_scheduled(uow, relationship)
        await release_enrollments(uow, relationship, completed=True)
        await grant_on_completion(uow, relationship)
        return await _changed(uow, relationship)


async def end(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, reason: EndReason, expected_version: int | None
) -> RelationshipView:
    """End a relationship early: ``mismatch``, ``rematch``, ``left_organisation`` or ``other``.

    - the program's coordinators and admins (members ask for a rematch confidentially; they do
      not end a relationship on their own);
    - ``rematch`` excludes the pair from later proposals;
    - scheduled meetings left are cancelled; both members return to the pool (``ready``).
    """
    async with uow:
        relationship, access = await load_pair(uow, actor, relationship_id)
        policies.require(
            policies.can_end_relationship(actor, access.program),
            "relationship_end_forbidden",
            "Only the program's coordinators end a relationship early.",
        )
        ensure_version(relationship, expected_version, "relationship")
        await _end(uow, relationship, reason)
        return await _changed(uow, relationship)


async def _end(uow: UnitOfWork, relationship: Relationship, reason: EndReason, *, leaver: UUID | None = None) -> None:
    exclusion = relationship.end(reason, uow.clock.now())
    if exclusion is not None:
        await uow.relationships.add_exclusion(exclusion, exclusion_id=uow.ids.new_id())
    await cancel_scheduled(uow, relationship)
    skip = frozenset() if leaver is None else frozenset({leaver})
    await release_enrollments(uow, relationship, completed=False, skip=skip)


async def end_for_rematch(uow: UnitOfWork, relationship: Relationship) -> None:
    """Inside an approved rematch request: the relationship ends with ``rematch`` (the pair is
    excluded from later proposals, both return to the pool); its health is refreshed (no commit)."""
    await _end(uow, relationship, "rematch")
    await refresh_health(uow, relationship)


async def end_relationships_of_leaver(uow: UnitOfWork, person_id: UUID) -> None:
    """Inside a deactivation: every proposed, active or paused relationship of the person ends
    with ``left_organisation``; their partners return to the pool (no commit here)."""
    for relationship in await uow.relationships.live_of(person_id):
        await _end(uow, relationship, "left_organisation", leaver=person_id)


async def update_agreement(
    uow: UnitOfWork,
    actor: Actor,
    *,
    relationship_id: UUID,
    shared_goals: Sequence[str] | None = None,
    cadence_days: int | None = None,
    boundaries: str | None = None,
    channels: Sequence[str] | None = None,
    expected_version: int | None,
) -> RelationshipView:
    """The members rewrite their agreement: shared goals, cadence (days), boundaries, channels.

    - only the two members; not once the relationship is completed or ended;
    - fields left out keep their value; the cadence is 1–365 days and drives the health signal.
    """
    me = policies.require_person(actor)
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        ensure_version(relationship, expected_version, "relationship")
        current = relationship.agreement
        agreement = Agreement(
            shared_goals=[g.strip() for g in shared_goals] if shared_goals is not None else list(current.shared_goals),
            cadence_days=cadence_days if cadence_days is not None else current.cadence_days,
            boundaries=boundaries if boundaries is not None else current.boundaries,
            channels=[c.strip() for c in channels] if channels is not None else list(current.channels),
        )
        relationship.update_agreement(me, agreement, uow.clock.now())
        return await _changed(uow, relationship)
