"""Confidential concern use cases: a participant tells the program's coordinators, who act on it."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.concerns import Concern, ConcernKind, ConcernOutcome
from app.domain.errors import forbidden, not_found
from app.domain.ports import Page, PageRequest, UnitOfWork
from app.services.common import ensure_version
from app.services.pairs import load_pair, require_member
from app.services.relationships import end_for_rematch


async def raise_concern(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    kind: ConcernKind,
    text: str,
    relationship_id: UUID | None = None,
    rematch: bool = False,
) -> Concern:
    """Raise a confidential concern with the program's coordinators (mismatch, conduct, workload,
    other), optionally asking for another partner.

    - a participant of the program (an enrollment in it), about the program or one of their own
      relationships in it;
    - only you and the program's coordinators can read it — not your partner, not other
      coordinators, not admins; ``concern.raised`` carries ids only;
    - ``rematch``: ask to be re-matched; it needs ``relationship_id``.
    """
    me = policies.require_person(actor)
    async with uow:
        if await uow.queries.program_access(actor, program_id) is None:
            raise not_found("program", program_id)
        if relationship_id is not None:
            relationship, _ = await load_pair(uow, actor, relationship_id)
            require_member(relationship, actor)
            if relationship.program_id != program_id:
                raise not_found("relationship", relationship_id)
        elif await uow.enrollments.live_for(program_id, me) is None:
            raise forbidden("not_a_participant", "Only the program's participants raise concerns about it.")
        concern = Concern.raise_(
            id=uow.ids.new_id(),
            program_id=program_id,
            relationship_id=relationship_id,
            raised_by=me,
            kind=kind,
            text=text,
            rematch_requested=rematch,
            now=uow.clock.now(),
        )
        uow.concerns.add(concern)
        await uow.commit()
        return concern


async def get_concern(uow: UnitOfWork, actor: Actor, *, concern_id: UUID) -> Concern:
    """Read a concern.

    - its raiser and the program's coordinators; to anyone else (admins included) it does not exist.
    """
    async with uow:
        concern = await uow.queries.concern(actor, concern_id)
        if concern is None:
            raise not_found("concern", concern_id)
        return concern


async def list_concerns(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID | None = None, page: PageRequest
) -> Page[Concern]:
    """Concerns, oldest first: those you raised, and those of the programs you coordinate.

    - filter: ``program_id``.
    """
    async with uow:
        return await uow.queries.concerns(actor, program_id, page)


async def close_concern(
    uow: UnitOfWork,
    actor: Actor,
    *,
    concern_id: UUID,
    outcome: ConcernOutcome,
    note: str = "",
    expected_version: int | None,
) -> Concern:
    """Close a concern: ``resolved``, or for a rematch request ``rematch_approved`` /
    ``rematch_declined``.

    - the program's coordinators only (``concern_handle_forbidden`` for the raiser);
    - ``rematch_approved`` ends the relationship with reason ``rematch``: scheduled meetings are
      cancelled, both members return to the pool (``ready``) and the pair is never proposed again;
    - ``concern.resolved`` carries the outcome, no text.
    """
    me = policies.require_person(actor)
    async with uow:
        visible = await uow.queries.concern(actor, concern_id)
        concern = await uow.concerns.get(concern_id) if visible is not None else None
        if concern is None:
            raise not_found("concern", concern_id)
        access = await uow.queries.program_access(actor, concern.program_id)
        policies.require(
            access is not None and policies.can_handle_concern(actor, access),
            "concern_handle_forbidden",
            "Only the program's coordinators close a concern.",
        )
        ensure_version(concern, expected_version, "concern")
        concern.close(by=me, outcome=outcome, note=note, now=uow.clock.now())
        if outcome == "rematch_approved" and concern.relationship_id is not None:
            relationship = await uow.relationships.get(concern.relationship_id)
            if relationship is not None and relationship.is_live:
                await end_for_rematch(uow, relationship)
        await uow.commit()
        return concern
