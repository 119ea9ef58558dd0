"""Role-turns: who leads each meeting, checked against an independent, turn-by-turn model."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import DomainError
from app.domain.meetings import MeetingStatus
from app.domain.role_turns import (
    AcceptedSwap,
    MeetingEntry,
    PolicyPeriod,
    TurnContext,
    TurnPolicy,
    balance,
    ledger,
    next_leader,
    plan,
    planned_leader,
)

A = UUID(int=1)
B = UUID(int=2)
T0 = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def other(member: UUID) -> UUID:
    return B if member == A else A


def entry(n: int, status: MeetingStatus = "held", led_by: UUID | None = None) -> MeetingEntry:
    return MeetingEntry(UUID(int=1000 + n), T0 + timedelta(days=7 * n), status, led_by)


def context(policy: str, *, first: UUID = A, senior: UUID = B, **extra: object) -> TurnContext:
    return TurnContext.of(
        member_a=A,
        member_b=B,
        first_leader_id=first,
        senior_id=senior,
        policy=TurnPolicy.parse(policy),
        **extra,  # type: ignore[arg-type]
    )


# --- an independent reference model: walks the turns one by one, keeping state ---------------
@dataclass
class Walker:
    """Plays one policy period like a pair would, keeping who is up and how many turns are left.

    alternate: ``up`` leads the current block, ``left`` turns remain in it; senior_first: ``left``
    senior turns remain, then ``up`` (the junior first) leads and hands over every turn.
    """

    first: UUID
    senior: UUID
    policy: TurnPolicy
    up: UUID
    left: int

    @classmethod
    def start(cls, first: UUID, senior: UUID, policy: TurnPolicy) -> Walker:
        if policy.kind == "senior_first":
            return cls(first, senior, policy, other(senior), policy.senior_leads_first)
        return cls(first, senior, policy, first, policy.every)

    def step(self, turn: int, ready_at: int | None) -> UUID:
        kind = self.policy.kind
        if kind in ("fixed", "primary_with_exchange"):
            return self.first
        if kind == "alternate":
            leader = self.up
            self.left -= 1
            if self.left == 0:
                self.up, self.left = other(self.up), self.policy.every
            return leader
        if ready_at is not None and ready_at <= turn:
            self.left = 0  # the junior is ready: the senior's turns are over
        if self.left > 0:
            self.left -= 1
            return self.senior
        leader = self.up
        self.up = other(leader)
        return leader


def reference_leaders(ctx: TurnContext, turns: int) -> list[UUID]:
    starts = {period.from_turn: period.policy for period in ctx.policy_history}
    swapped = {swap.turn_index for swap in ctx.swaps}
    leaders: list[UUID] = []
    walker: Walker | None = None
    for turn in range(turns):
        if turn in starts:
            walker = Walker.start(ctx.first_leader_id, ctx.senior_id, starts[turn])
        assert walker is not None
        leader = walker.step(turn, ctx.ready_at_turn)
        if turn in swapped and walker.policy.kind != "fixed":
            leader = other(leader)
        leaders.append(leader)
    return leaders


# --- strategies --------------------------------------------------------------------------------
policies = st.one_of(
    st.just(TurnPolicy.fixed()),
    st.just(TurnPolicy.primary_with_exchange()),
    st.integers(1, 4).map(TurnPolicy.alternate),
    st.integers(0, 5).map(TurnPolicy.senior_first),
)
members = st.sampled_from([A, B])
statuses: st.SearchStrategy[MeetingStatus] = st.sampled_from(["scheduled", "held", "cancelled", "missed"])


@st.composite
def contexts(draw: st.DrawFn) -> TurnContext:
    first_policy = draw(policies)
    later_starts = draw(st.lists(st.integers(1, 25), unique=True, max_size=3))
    history = [PolicyPeriod(first_policy, 0)] + [PolicyPeriod(draw(policies), turn) for turn in sorted(later_starts)]
    swap_turns = draw(st.lists(st.integers(0, 30), unique=True, max_size=6))
    return TurnContext(
        member_a=A,
        member_b=B,
        first_leader_id=draw(members),
        senior_id=draw(members),
        policy_history=tuple(history),
        ready_at_turn=draw(st.none() | st.integers(0, 30)),
        swaps=tuple(AcceptedSwap(UUID(int=500 + t), t) for t in swap_turns),
    )


@st.composite
def meetings(draw: st.DrawFn, max_size: int = 30) -> list[MeetingEntry]:
    rows = draw(
        st.lists(
            st.tuples(statuses, st.none() | members, st.integers(0, 100_000)),
            max_size=max_size,
            unique_by=lambda row: row[2],
        )
    )
    return [
        MeetingEntry(
            UUID(int=10_000 + i),
            T0 + timedelta(minutes=minute),
            status,
            led_by if status == "held" else None,
        )
        for i, (status, led_by, minute) in enumerate(rows)
    ]


# --- properties --------------------------------------------------------------------------------
@settings(max_examples=300)
@given(contexts(), meetings())
def test_every_turn_follows_the_policy_like_the_reference_model(ctx: TurnContext, entries: list[MeetingEntry]) -> None:
    def in_time_order(status: MeetingStatus) -> list[UUID]:
        chosen = sorted((e.starts_at, e.meeting_id) for e in entries if e.status == status)
        return [meeting_id for _, meeting_id in chosen]

    held, scheduled = in_time_order("held"), in_time_order("scheduled")
    expected = reference_leaders(ctx, len(held) + len(scheduled) + 1)

    planned = {line.meeting_id: line.planned_leader_id for line in ledger(ctx, entries)}
    assert planned == dict(zip(held, expected, strict=False))
    assert next_leader(ctx, entries).leader_id == expected[len(held)]
    assert next_leader(ctx, entries).turn_index == len(held)
    projected = {p.meeting_id: p.decision.leader_id for p in plan(ctx, entries)}
    assert projected == dict(zip(scheduled, expected[len(held) :], strict=False))


@given(st.integers(0, 40), members)
def test_alternate_every_meeting_gives_each_member_half_of_an_even_number_of_turns(n: int, first: UUID) -> None:
    ctx = context("alternate(1)", first=first)
    result = balance(ctx, [entry(i) for i in range(2 * n)])
    assert (result.member_a.led, result.member_b.led) == (n, n)
    assert result.imbalance == 0
    assert result.drift_count == 0


@settings(max_examples=200)
@given(contexts(), meetings(), st.lists(st.integers(0, 100_000), max_size=10), st.data())
def test_cancelled_or_missed_meetings_never_consume_a_turn(
    ctx: TurnContext,
    entries: list[MeetingEntry],
    minutes: list[int],
    data: st.DataObject,
) -> None:
    extra = [
        MeetingEntry(
            UUID(int=90_000 + i),
            T0 + timedelta(minutes=m),
            data.draw(st.sampled_from(["cancelled", "missed"])),
        )
        for i, m in enumerate(minutes)
    ]
    with_extra = entries + extra

    def planned(rows: list[MeetingEntry]) -> dict[UUID, UUID]:
        return {line.meeting_id: line.planned_leader_id for line in ledger(ctx, rows)}

    def projected(rows: list[MeetingEntry]) -> dict[UUID, UUID]:
        return {p.meeting_id: p.decision.leader_id for p in plan(ctx, rows)}

    assert planned(with_extra) == planned(entries)
    assert projected(with_extra) == projected(entries)
    assert next_leader(ctx, with_extra) == next_leader(ctx, entries)


@given(st.integers(0, 8), members)
def test_without_ready_the_senior_leads_the_first_k_turns(k: int, senior: UUID) -> None:
    ctx = context(f"senior_first({k})", senior=senior)
    lines = ledger(ctx, [entry(i) for i in range(k + 4)])
    assert [line.planned_leader_id for line in lines[:k]] == [senior] * k
    assert {line.reason_code for line in lines[:k]} <= {"senior_first_k"}
    assert lines[k].reason_code == "senior_first_alternation"
    # then the pair alternates, the junior first
    assert [line.planned_leader_id for line in lines[k:]] == [
        other(senior),
        senior,
    ] * 2


@given(st.integers(1, 8).flatmap(lambda k: st.tuples(st.just(k), st.integers(0, k - 1))))
def test_when_the_junior_declares_ready_at_r_before_k_the_junior_leads_turn_r(
    k_and_r: tuple[int, int],
) -> None:
    k, r = k_and_r
    ctx = context(f"senior_first({k})", senior=B, ready_at_turn=r)
    leaders = [planned_leader(ctx, t) for t in range(k + 3)]
    assert [d.leader_id for d in leaders[:r]] == [B] * r
    assert leaders[r].leader_id == A
    assert leaders[r].reason_code == "junior_declared_ready"
    assert [d.leader_id for d in leaders[r : r + 4]] == [A, B, A, B]


@given(contexts(), meetings())
def test_balance_adds_up(ctx: TurnContext, entries: list[MeetingEntry]) -> None:
    result = balance(ctx, entries)
    lines = ledger(ctx, entries)
    assert result.held == len(lines) == result.member_a.led + result.member_b.led
    assert result.member_a.planned + result.member_b.planned == result.held
    assert result.drift_count == sum(1 for line in lines if line.drifted)
    assert result.imbalance == result.member_a.led - result.member_b.led
    assert result.imbalance_vs_plan == result.member_b.planned - result.member_b.led
    if result.held:
        assert result.member_a.share + result.member_b.share == pytest.approx(1.0)
        assert result.drift_share == pytest.approx(result.drift_count / result.held)


@given(policies)
def test_a_policy_reads_back_from_its_text(policy: TurnPolicy) -> None:
    assert TurnPolicy.parse(policy.to_str()) == policy


# --- examples --------------------------------------------------------------------------------
def test_fixed_the_designated_mentor_always_leads_and_swaps_do_not_apply() -> None:
    ctx = context("fixed", first=B, swaps=[AcceptedSwap(UUID(int=9), 1)])
    decisions = [planned_leader(ctx, t) for t in range(4)]
    assert {d.leader_id for d in decisions} == {B}
    assert {d.reason_code for d in decisions} == {"fixed_mentor"}


def test_alternate_every_two_meetings_starts_with_the_first_leader() -> None:
    ctx = context("alternate(2)", first=B)
    assert [planned_leader(ctx, t).leader_id for t in range(6)] == [B, B, A, A, B, B]
    assert planned_leader(ctx, 0).reason_code == "alternate_every_n"


def test_an_accepted_swap_flips_one_turn_then_the_pattern_resumes() -> None:
    ctx = context("alternate(1)", swaps=[AcceptedSwap(UUID(int=9), 2)])
    decisions = [planned_leader(ctx, t) for t in range(5)]
    assert [d.leader_id for d in decisions] == [A, B, B, B, A]
    assert decisions[2].reason_code == "swap_accepted"


def test_primary_with_exchange_the_primary_leads_except_swapped_turns() -> None:
    ctx = context("primary_with_exchange", swaps=[AcceptedSwap(UUID(int=9), 1)])
    assert [planned_leader(ctx, t).leader_id for t in range(3)] == [A, B, A]
    assert planned_leader(ctx, 0).reason_code == "primary"


def test_a_drifted_turn_is_reported_and_does_not_shift_the_plan() -> None:
    ctx = context("alternate(1)")
    entries = [entry(0, led_by=A), entry(1, led_by=A), entry(2, led_by=A)]
    lines = ledger(ctx, entries)
    assert [line.drifted for line in lines] == [False, True, False]
    assert next_leader(ctx, entries).leader_id == B
    result = balance(ctx, entries)
    assert (result.drift_count, result.imbalance, result.imbalance_vs_plan) == (1, 3, 1)
    assert result.member_a.share == 1.0


def test_scheduled_meetings_are_projected_in_time_order_after_the_held_ones() -> None:
    ctx = context("alternate(1)")
    held = [entry(0), entry(1), entry(2)]
    later, sooner = entry(5, "scheduled"), entry(4, "scheduled")
    projected = plan(ctx, [*held, later, sooner])
    assert [(p.meeting_id, p.decision.turn_index) for p in projected] == [
        (sooner.meeting_id, 3),
        (later.meeting_id, 4),
    ]
    assert [p.decision.leader_id for p in projected] == [B, A]


def test_cancelling_an_earlier_scheduled_meeting_shifts_the_later_ones() -> None:
    ctx = context("alternate(1)")
    first, second = entry(1, "scheduled"), entry(2, "scheduled")
    before = plan(ctx, [entry(0), first, second])
    after = plan(ctx, [entry(0), replace(first, status="cancelled"), second])
    assert before[1].decision.leader_id == A
    assert [(p.meeting_id, p.decision.leader_id) for p in after] == [(second.meeting_id, B)]


def test_an_override_counts_its_pattern_from_the_turn_it_took_effect() -> None:
    ctx = TurnContext(
        member_a=A,
        member_b=B,
        first_leader_id=A,
        senior_id=B,
        policy_history=(
            PolicyPeriod(TurnPolicy.fixed(), 0),
            PolicyPeriod(TurnPolicy.alternate(1), 3),
        ),
    )
    assert [planned_leader(ctx, t).leader_id for t in range(6)] == [A, A, A, A, B, A]
    assert ctx.policy == TurnPolicy.alternate(1)


def test_a_ready_declared_before_a_senior_first_period_lets_the_junior_lead_its_start() -> None:
    ctx = TurnContext(
        member_a=A,
        member_b=B,
        first_leader_id=A,
        senior_id=B,
        policy_history=(
            PolicyPeriod(TurnPolicy.senior_first(3), 0),
            PolicyPeriod(TurnPolicy.fixed(), 2),
            PolicyPeriod(TurnPolicy.senior_first(3), 4),
        ),
        ready_at_turn=1,
    )
    assert [planned_leader(ctx, t).leader_id for t in range(6)] == [B, A, A, A, A, B]


def test_a_held_meeting_without_a_recorded_leader_counts_as_led_as_planned() -> None:
    assert not ledger(context("fixed"), [entry(0)])[0].drifted


def test_the_decision_explains_itself() -> None:
    decision = next_leader(context("senior_first(2)", senior=B), [])
    assert decision.reason_code == "senior_first_k"
    assert "senior" in decision.reason
    assert decision.policy == TurnPolicy.senior_first(2)


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("fixed", TurnPolicy.fixed()),
        ("alternate", TurnPolicy.alternate(1)),
        (" alternate( 3 ) ", TurnPolicy.alternate(3)),
        ("senior_first", TurnPolicy.senior_first(3)),
        ("senior_first(0)", TurnPolicy.senior_first(0)),
        ("primary_with_exchange", TurnPolicy.primary_with_exchange()),
    ],
)
def test_policies_parse(text: str, policy: TurnPolicy) -> None:
    assert TurnPolicy.parse(text) == policy


@pytest.mark.parametrize("text", ["", "rotate", "fixed(2)", "alternate(0)", "alternate(-1)", "alternate(x)"])
def test_malformed_policies_are_refused(text: str) -> None:
    with pytest.raises(DomainError) as error:
        TurnPolicy.parse(text)
    assert (error.value.code, error.value.kind) == ("invalid_turn_policy", "invalid")


def test_policy_parameters_are_validated() -> None:
    with pytest.raises(DomainError, match="invalid_turn_policy"):
        TurnPolicy.senior_first(-1)
    with pytest.raises(DomainError, match="invalid_turn_policy"):
        TurnPolicy.alternate(0)
    assert TurnPolicy("fixed", every=5) == TurnPolicy.fixed()


@pytest.mark.parametrize(
    "changes",
    [
        {"member_b": A},
        {"first_leader_id": UUID(int=99)},
        {"senior_id": UUID(int=99)},
        {"policy_history": ()},
        {"policy_history": (PolicyPeriod(TurnPolicy.fixed(), 1),)},
        {"ready_at_turn": -1},
        {"swaps": (AcceptedSwap(UUID(int=7), 1), AcceptedSwap(UUID(int=8), 1))},
    ],
)
def test_an_inconsistent_context_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(DomainError) as error:
        replace(context("fixed"), **changes)  # type: ignore[arg-type]
    assert error.value.code == "invalid_turn_context"


def test_turn_indexes_start_at_zero() -> None:
    with pytest.raises(DomainError, match="invalid_turn_index"):
        planned_leader(context("fixed"), -1)
