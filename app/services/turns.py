"""Role-turn use cases: who leads the next meeting and why, the ledger of who led, the balance,
and what a pair asks of each other (policy overrides, the junior's ready declaration, swaps)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import not_found
from app.domain.ports import UnitOfWork
from app.domain.relationships import Relationship
from app.domain.role_turns import (
    LedgerLine,
    MeetingEntry,
    PlannedTurn,
    TurnBalance,
    TurnDecision,
    balance,
    held_turns,
    ledger,
    next_leader,
    plan,
)
from app.domain.turn_policies import TurnPolicy
from app.services.common import ensure_version
from app.services.pairs import load_pair


@dataclass(frozen=True)
class TurnsView:
    """The turn-taking state of a pair: the policy in force, the next leader, the projected leaders
    of scheduled meetings, the ledger of held turns and the balance."""

    relationship: Relationship
    held: int
    next: TurnDecision
    planned: list[PlannedTurn]
    ledger: list[LedgerLine]
    balance: TurnBalance


def turns_of(relationship: Relationship, entries: list[MeetingEntry]) -> TurnsView:
    context = relationship.turn_context()
    return TurnsView(
        relationship=relationship,
        held=held_turns(entries),
        next=next_leader(context, entries),
        planned=plan(context, entries),
        ledger=ledger(context, entries),
        balance=balance(context, entries),
    )


async def get_turns(uow: UnitOfWork, actor: Actor, *, relationship_id: UUID) -> TurnsView:
    """Who leads the next meeting and why, the projected leader of every scheduled meeting, the
    ledger of held meetings (planned vs actual leader) and the balance of turns with drift.

    - the two members and the program's coordinators (and admins); to anyone else it does not exist;
    - a turn is a held meeting: cancelled and missed meetings never consume one;
    - ``next.reason_code`` says why: ``fixed_mentor``, ``alternate_every_n``, ``senior_first_k``,
      ``junior_declared_ready``, ``senior_first_alternation``, ``primary`` or ``swap_accepted``.
    """
    async with uow:
        relationship = await uow.queries.relationship(actor, relationship_id)
        if relationship is None:
            raise not_found("relationship", relationship_id)
        return turns_of(relationship, await uow.queries.meeting_entries(relationship.id))


async def _act(
    uow: UnitOfWork,
    actor: Actor,
    relationship_id: UUID,
    expected_version: int | None,
    change: Callable[[Relationship, UUID, int], object],
) -> TurnsView:
    """Load, check the version, apply a member's turn action, re-plan scheduled meetings, commit."""
    me = policies.require_person(actor)
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        ensure_version(relationship, expected_version, "relationship")
        meetings = await uow.meetings.of_relationship(relationship.id)
        change(relationship, me, held_turns(MeetingEntry.of(m) for m in meetings))
        relationship.replan_meetings(meetings)
        await uow.commit()
        return turns_of(relationship, [MeetingEntry.of(m) for m in meetings])


async def propose_policy(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, policy: TurnPolicy, expected_version: int | None
) -> TurnsView:
    """A member proposes a different role-turn policy for the pair (overriding the program's).

    - only the two members, while the relationship is active or paused;
    - one proposal waits at a time (``policy_proposal_pending``); proposing the policy in force
      is refused (``policy_unchanged``);
    - nothing changes until the other member accepts.
    """
    now = uow.clock.now()
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, _: r.propose_policy(me, policy, now))


async def accept_policy(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> TurnsView:
    """The other member accepts the proposed policy: it applies from the next turn.

    - the proposer cannot accept their own proposal (``own_proposal``);
    - the new policy counts its pattern from the next turn; scheduled meetings are re-planned.
    """
    now = uow.clock.now()
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, turn: r.accept_policy(me, turn, now))


async def decline_policy(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> TurnsView:
    """The other member declines the proposed policy; the pair keeps its current one."""
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, _: r.decline_policy(me))


async def withdraw_policy(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> TurnsView:
    """The proposer withdraws their policy proposal."""
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, _: r.withdraw_policy(me))


async def declare_ready(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> TurnsView:
    """The junior declares they are ready to lead (``senior_first`` only).

    - only the junior member (``only_junior_declares_ready``), once, before the senior's K
      turns are over;
    - the junior leads the next turn and the pair alternates from there; scheduled meetings are
      re-planned.
    """
    now = uow.clock.now()
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, turn: r.declare_ready(me, turn, now))


async def request_swap(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, expected_version: int | None
) -> TurnsView:
    """A member asks the other to swap roles for the next turn.

    - only the two members; refused under ``fixed`` (``swap_not_allowed_under_fixed``);
    - one request waits at a time (``swap_pending``).
    """
    swap_id, now = uow.ids.new_id(), uow.clock.now()
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, _: r.request_swap(me, swap_id, now))


async def accept_swap(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, swap_id: UUID, expected_version: int | None
) -> TurnsView:
    """The other member accepts the swap: the next turn's leader flips, then the pattern resumes.

    - the requester cannot accept their own swap (``own_swap_request``);
    - scheduled meetings are re-planned.
    """
    now = uow.clock.now()
    return await _act(
        uow, actor, relationship_id, expected_version, lambda r, me, turn: r.accept_swap(me, swap_id, turn, now)
    )


async def decline_swap(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, swap_id: UUID, expected_version: int | None
) -> TurnsView:
    """The other member declines the swap; nothing changes."""
    now = uow.clock.now()
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, _: r.decline_swap(me, swap_id, now))


async def withdraw_swap(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, swap_id: UUID, expected_version: int | None
) -> TurnsView:
    """The requester withdraws their swap request."""
    now = uow.clock.now()
    return await _act(uow, actor, relationship_id, expected_version, lambda r, me, _: r.withdraw_swap(me, swap_id, now))
