"""Role-turns: who leads each meeting of a pair as mentor, and how well the pair kept to it.

A *turn* is a held meeting. Turn ``t`` is the ``t``-th held meeting of the relationship in
start-time order (ties broken by meeting id), counting from 0.

Rules:
- ``fixed``: the designated mentor leads every turn (classic reverse mentoring); swaps never apply.
- ``alternate(N)``: roles switch every N turns, starting with the designated first leader.
- ``senior_first(K)``: the senior member leads the first K turns, then the pair alternates every
  turn starting with the junior. If the junior declared ready at turn ``r < K`` the junior leads
  turn ``r`` and alternation starts there.
- ``primary_with_exchange``: the primary (the designated mentor) leads every turn, except turns
  flipped by an accepted swap.
- An accepted swap flips the leader of exactly one turn: the turn that was next when the swap was
  accepted. The pattern then resumes by turn index (the swap does not shift it).
- Cancelled and missed meetings never consume a turn.
- Scheduled meetings get projected leaders in start-time order: after ``h`` held turns the
  ``k``-th scheduled meeting (from 0) gets the leader of turn ``h + k``. Cancelling an earlier
  scheduled meeting therefore shifts the later ones; projections are recomputed, never stored
  as truth.
- A pair's policy override takes effect from a turn index; the new policy counts its pattern
  from that turn as if the relationship started there (``alternate`` starts again with the first
  leader, ``senior_first`` gives the senior K turns again unless the junior declared ready; a
  ready declaration made before the period began lets the junior lead its first turn).
- The plan goes by turn index: when someone other than the planned leader leads a turn, that is
  *drift*; the plan does not shift to compensate, the drift is reported instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Literal
from uuid import UUID

from app.domain.errors import invalid
from app.domain.meetings import Meeting, MeetingStatus

# re-exported: the engine and its callers speak of policies and their periods
from app.domain.turn_policies import PolicyPeriod as PolicyPeriod
from app.domain.turn_policies import TurnPolicy as TurnPolicy
from app.domain.turn_policies import TurnPolicyKind as TurnPolicyKind

TurnReasonCode = Literal[
    "fixed_mentor",
    "alternate_every_n",
    "senior_first_k",
    "junior_declared_ready",
    "senior_first_alternation",
    "primary",
    "swap_accepted",
]


@dataclass(frozen=True)
class AcceptedSwap:
    """A swap one member requested and the other accepted; it flips turn ``turn_index``."""

    swap_id: UUID
    turn_index: int


@dataclass(frozen=True)
class TurnContext:
    """Everything the engine needs to know about a pair.

    Rules:
    - the two members differ; the first leader and the senior are members;
    - the policy history starts at turn 0 and its ``from_turn`` strictly increase;
    - at most one accepted swap per turn (a second would undo the first).
    Violations raise ``invalid_turn_context``.
    """

    member_a: UUID
    member_b: UUID
    first_leader_id: UUID
    senior_id: UUID
    policy_history: tuple[PolicyPeriod, ...]
    ready_at_turn: int | None = None
    swaps: tuple[AcceptedSwap, ...] = ()

    def __post_init__(self) -> None:
        members = {self.member_a, self.member_b}
        problems: list[str] = []
        if len(members) != 2:
            problems.append("the two members must differ")
        if self.first_leader_id not in members:
            problems.append("the first leader must be a member")
        if self.senior_id not in members:
            problems.append("the senior must be a member")
        starts = [period.from_turn for period in self.policy_history]
        if not starts or starts[0] != 0:
            problems.append("the policy history must start at turn 0")
        if any(later <= earlier for earlier, later in pairwise(starts)):
            problems.append("policy periods must start at increasing turns")
        if self.ready_at_turn is not None and self.ready_at_turn < 0:
            problems.append("the ready turn cannot be negative")
        swap_turns = [swap.turn_index for swap in self.swaps]
        if any(turn < 0 for turn in swap_turns) or len(set(swap_turns)) != len(swap_turns):
            problems.append("swaps need distinct, non-negative turns")
        if problems:
            raise invalid("invalid_turn_context", "; ".join(problems) + ".")

    @classmethod
    def of(
        cls,
        *,
        member_a: UUID,
        member_b: UUID,
        first_leader_id: UUID,
        senior_id: UUID,
        policy: TurnPolicy,
        ready_at_turn: int | None = None,
        swaps: Iterable[AcceptedSwap] = (),
    ) -> TurnContext:
        """A context with a single policy from turn 0."""
        return cls(
            member_a=member_a,
            member_b=member_b,
            first_leader_id=first_leader_id,
            senior_id=senior_id,
            policy_history=(PolicyPeriod(policy, 0),),
            ready_at_turn=ready_at_turn,
            swaps=tuple(swaps),
        )

    @property
    def policy(self) -> TurnPolicy:
        """The policy in force for the turns to come."""
        return self.policy_history[-1].policy

    def other(self, member_id: UUID) -> UUID:
        return self.member_b if member_id == self.member_a else self.member_a

    def period_at(self, turn_index: int) -> PolicyPeriod:
        current = self.policy_history[0]
        for period in self.policy_history:
            if period.from_turn <= turn_index:
                current = period
        return current


@dataclass(frozen=True)
class TurnDecision:
    """Who leads turn ``turn_index`` and why: a stable ``reason_code`` and a human sentence."""

    leader_id: UUID
    turn_index: int
    reason_code: TurnReasonCode
    reason: str
    policy: TurnPolicy


@dataclass(frozen=True)
class MeetingEntry:
    """What the engine reads of a meeting. ``led_by`` is who actually led a held meeting."""

    meeting_id: UUID
    starts_at: datetime
    status: MeetingStatus
    led_by: UUID | None = None

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingEntry:
        return cls(meeting.id, meeting.starts_at, meeting.status, meeting.led_by)


@dataclass(frozen=True)
class PlannedTurn:
    """A scheduled meeting with the leader projected for it."""

    meeting_id: UUID
    starts_at: datetime
    decision: TurnDecision


@dataclass(frozen=True)
class LedgerLine:
    """A held meeting: the leader the policy planned and the one who actually led."""

    meeting_id: UUID
    starts_at: datetime
    turn_index: int
    planned_leader_id: UUID
    actual_leader_id: UUID
    reason_code: TurnReasonCode

    @property
    def drifted(self) -> bool:
        return self.planned_leader_id != self.actual_leader_id


@dataclass(frozen=True)
class MemberTurns:
    member_id: UUID
    led: int
    planned: int
    share: float  # of held turns actually led; 0.0 when nothing is held yet


@dataclass(frozen=True)
class TurnBalance:
    """How turns were shared and how far the pair drifted from the policy.

    ``imbalance`` is turns led by member a minus turns led by member b; ``imbalance_vs_plan`` is
    turns member a actually led minus turns the policy planned for a (positive: a led more than
    planned, negative: b did).
    """

    held: int
    member_a: MemberTurns
    member_b: MemberTurns
    drift_count: int
    drift_share: float
    imbalance: int
    imbalance_vs_plan: int


def planned_leader(context: TurnContext, turn_index: int) -> TurnDecision:
    """The leader the policy gives turn ``turn_index``, accepted swaps included."""
    if turn_index < 0:
        raise invalid("invalid_turn_index", "Turn indexes start at 0.")
    period = context.period_at(turn_index)
    policy = period.policy
    leader, code, reason = _pattern_leader(context, period, turn_index)
    swapped = any(swap.turn_index == turn_index for swap in context.swaps)
    if swapped and policy.allows_swaps:
        return TurnDecision(
            leader_id=context.other(leader),
            turn_index=turn_index,
            reason_code="swap_accepted",
            reason="The pair accepted a swap: the other member leads this one turn.",
            policy=policy,
        )
    return TurnDecision(leader, turn_index, code, reason, policy)


def _pattern_leader(context: TurnContext, period: PolicyPeriod, turn_index: int) -> tuple[UUID, TurnReasonCode, str]:
    policy = period.policy
    # every policy counts its pattern from the turn it took effect
    local = turn_index - period.from_turn
    first, second = context.first_leader_id, context.other(context.first_leader_id)
    if policy.kind == "fixed":
        return (
            first,
            "fixed_mentor",
            "The designated mentor always leads (fixed policy).",
        )
    if policy.kind == "primary_with_exchange":
        return (
            first,
            "primary",
            "The primary mentor leads unless the pair swaps a turn.",
        )
    if policy.kind == "alternate":
        block = local // policy.every
        leader = first if block % 2 == 0 else second
        who = "the first leader" if leader == first else "the other member"
        return (
            leader,
            "alternate_every_n",
            f"Roles switch every {policy.every} held meeting(s); this turn falls to {who}.",
        )
    senior, junior = context.senior_id, context.other(context.senior_id)
    k = policy.senior_leads_first
    switch = k
    ready = context.ready_at_turn
    if ready is not None and ready - period.from_turn < k:
        switch = max(0, ready - period.from_turn)
    if local < switch:
        return (
            senior,
            "senior_first_k",
            f"The senior leads the first {k} held meeting(s).",
        )
    if local == switch and switch < k:
        return (
            junior,
            "junior_declared_ready",
            "The junior declared ready and leads this turn.",
        )
    leader = junior if (local - switch) % 2 == 0 else senior
    who = "junior" if leader == junior else "senior"
    return (
        leader,
        "senior_first_alternation",
        f"After the senior's turns the pair alternates; the {who} leads.",
    )


def _by_time(entries: Iterable[MeetingEntry], status: MeetingStatus) -> list[MeetingEntry]:
    chosen = [entry for entry in entries if entry.status == status]
    return sorted(chosen, key=lambda entry: (entry.starts_at, entry.meeting_id.int))


def held_turns(entries: Iterable[MeetingEntry]) -> int:
    """How many turns were consumed: the number of held meetings."""
    return sum(1 for entry in entries if entry.status == "held")


def next_leader(context: TurnContext, entries: Sequence[MeetingEntry]) -> TurnDecision:
    """Who leads the next turn: the turn after the held meetings."""
    return planned_leader(context, held_turns(entries))


def plan(context: TurnContext, entries: Sequence[MeetingEntry]) -> list[PlannedTurn]:
    """Projected leaders for the scheduled meetings, in start-time order."""
    held = held_turns(entries)
    return [
        PlannedTurn(entry.meeting_id, entry.starts_at, planned_leader(context, held + k))
        for k, entry in enumerate(_by_time(entries, "scheduled"))
    ]


def ledger(context: TurnContext, entries: Sequence[MeetingEntry]) -> list[LedgerLine]:
    """Each held meeting with its planned and actual leader (actual = planned if unrecorded)."""
    lines: list[LedgerLine] = []
    for turn, entry in enumerate(_by_time(entries, "held")):
        decision = planned_leader(context, turn)
        lines.append(
            LedgerLine(
                meeting_id=entry.meeting_id,
                starts_at=entry.starts_at,
                turn_index=turn,
                planned_leader_id=decision.leader_id,
                actual_leader_id=decision.leader_id if entry.led_by is None else entry.led_by,
                reason_code=decision.reason_code,
            )
        )
    return lines


def balance(context: TurnContext, entries: Sequence[MeetingEntry]) -> TurnBalance:
    """Each member's count and share of led turns, and the drift from the policy."""
    lines = ledger(context, entries)
    held = len(lines)

    def turns_of(member_id: UUID) -> MemberTurns:
        led = sum(1 for line in lines if line.actual_leader_id == member_id)
        planned = sum(1 for line in lines if line.planned_leader_id == member_id)
        return MemberTurns(member_id, led, planned, led / held if held else 0.0)

    a, b = turns_of(context.member_a), turns_of(context.member_b)
    drift = sum(1 for line in lines if line.drifted)
    return TurnBalance(
        held=held,
        member_a=a,
        member_b=b,
        drift_count=drift,
        drift_share=drift / held if held else 0.0,
        imbalance=a.led - b.led,
        imbalance_vs_plan=a.led - a.planned,
    )
