"""Best total score of a two-sided pool (reverse programs), capacities included: a min-cost flow.

Source → mentor (capacity = the mentor's remaining capacity), mentor → mentee for every candidate
pair (capacity 1: a pair is proposed once), mentee → sink (the mentee's capacity), and a bypass
source → sink so that nobody has to be paired. Minimising ``−score`` maximises the total; the flow
is integral, so this is the exact b-matching optimum of the candidate graph (OR-Tools' cost-scaling
solver, on integer costs from ``costs``).

The LP duals the bound needs are recovered from the optimal flow: shortest-path potentials ``π`` of
the residual graph (Bellman–Ford rounds, warm-started from the previous duals, each relaxing only
the arcs that leave the nodes whose potential fell in the round before) satisfy
``cost + π_tail − π_head ≥ 0`` on every residual arc, so ``y_i = max(0, π_i − π_T)`` (mentors) and
``p_j = max(0, π_T − π_j)`` (mentees) satisfy ``y_i + p_j ≥ w_ij`` on every pair left unused; pairs
in the flow are covered by their own slack ``z_e = max(0, w_e − y_i − p_j)`` in ``bounds``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from app.domain.matching.costs import IntegerCosts, integer_costs
from app.domain.matching.deadline import Deadline

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_BITS = 60  # integer costs, times the solver's internal scaling (≤ nodes), stay inside int64
# Bellman–Ford rounds before giving up on exact duals: warm starts need few, but the rounds grow
# with the longest alternating path (505 for a 50,000-person reverse pool); the run's
# deadline stops them first.
_DUAL_ROUNDS = 5000
_ROUNDS_PER_CHECK = 50  # rounds between two looks at the deadline


@dataclass(frozen=True)
class FlowMatching:
    """Chosen edges (indices into the edge arrays) and the LP duals of both sides in score units
    (``None`` when they could not be recovered in time: the bound then uses the warm duals)."""

    edges: IntArray
    first_dual: FloatArray | None
    second_dual: FloatArray | None


def bipartite_b_matching(
    n_first: int,
    n_second: int,
    first: IntArray,
    second: IntArray,
    weight: FloatArray,
    capacity: IntArray,
    *,
    warm: tuple[FloatArray, FloatArray] | None = None,
    deadline: Deadline | None = None,
) -> FlowMatching:
    """Best total score of the candidate graph ``first[e]`` (mentor) – ``second[e]`` (mentee, local
    index) where person ``v`` (mentors first, then mentees) takes at most ``capacity[v]`` pairs.
    The duals are given up (``None``) if ``deadline`` passes while they are computed."""
    m, n = n_first, n_second
    if first.size == 0:
        return FlowMatching(np.zeros(0, np.int64), np.zeros(m), np.zeros(n))
    capacity = capacity.astype(np.int64)
    max_pairs = int(min(capacity[:m].sum(), capacity[m:].sum(), first.size))
    bits = _BITS - math.ceil(math.log2(m + n + 3))
    while True:
        costs = integer_costs(weight, max_pairs, bits)
        solver, status = _solve(m, n, first, second, costs, capacity)
        if status != solver.BAD_COST_RANGE or bits <= 20:
            break
        bits -= 8
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min-cost flow ended with status {status}")
    e = first.size
    used = np.asarray(solver.flows(np.arange(m, m + e, dtype=np.int64)), dtype=np.int64)
    edges = np.flatnonzero(used > 0).astype(np.int64)
    duals = _duals(m, n, first, second, costs, capacity, edges, solver, warm, deadline)
    if duals is None:
        return FlowMatching(edges, None, None)
    return FlowMatching(edges, duals[0], duals[1])


def _solve(
    m: int, n: int, first: IntArray, second: IntArray, costs: IntegerCosts, capacity: IntArray
) -> tuple[min_cost_flow.SimpleMinCostFlow, int]:
    source, sink = m + n, m + n + 1
    supply = int(capacity[:m].sum())
    tails = np.concatenate([np.full(m, source), first, np.arange(m, m + n), [source]]).astype(np.int64)
    heads = np.concatenate([np.arange(m), second + m, np.full(n, sink), [sink]]).astype(np.int64)
    caps = np.concatenate([capacity[:m], np.ones(first.size, np.int64), capacity[m:], [supply]]).astype(np.int64)
    unit_costs = np.concatenate([np.zeros(m, np.int64), -costs.value, np.zeros(n + 1, np.int64)]).astype(np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, unit_costs)
    supplies = np.zeros(m + n + 2, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    solver.set_nodes_supplies(np.arange(m + n + 2, dtype=np.int64), supplies)
    return solver, solver.solve()


def _duals(
    m: int,
    n: int,
    first: IntArray,
    second: IntArray,
    costs: IntegerCosts,
    capacity: IntArray,
    edges: IntArray,
    solver: min_cost_flow.SimpleMinCostFlow,
    warm: tuple[FloatArray, FloatArray] | None,
    deadline: Deadline | None,
) -> tuple[FloatArray, FloatArray] | None:
    """Dual prices of both sides from shortest-path potentials of the residual graph."""
    source, sink = m + n, m + n + 1
    e = first.size
    used = np.zeros(e, dtype=bool)
    used[edges] = True
    out_flow = np.asarray(solver.flows(np.arange(m, dtype=np.int64)), dtype=np.int64)
    in_flow = np.asarray(solver.flows(np.arange(m + e, m + e + n, dtype=np.int64)), dtype=np.int64)
    bypass = int(solver.flow(m + e + n))
    mentors, mentees = np.arange(m), np.arange(m, m + n)
    parts_tail: list[IntArray] = []
    parts_head: list[IntArray] = []
    parts_cost: list[IntArray] = []

    def arcs(tail: IntArray, head: IntArray, cost: IntArray) -> None:
        parts_tail.append(tail.astype(np.int64))
        parts_head.append(head.astype(np.int64))
        parts_cost.append(cost.astype(np.int64))

    zero_m, zero_n = np.zeros(m, np.int64), np.zeros(n, np.int64)
    free_out = out_flow < capacity[:m]
    arcs(np.full(int(free_out.sum()), source), mentors[free_out], zero_m[free_out])
    arcs(mentors[out_flow > 0], np.full(int((out_flow > 0).sum()), source), zero_m[out_flow > 0])
    arcs(first[~used], second[~used] + m, -costs.value[~used])
    arcs(second[used] + m, first[used], costs.value[used])
    free_in = in_flow < capacity[m:]
    arcs(mentees[free_in], np.full(int(free_in.sum()), sink), zero_n[free_in])
    arcs(np.full(int((in_flow > 0).sum()), sink), mentees[in_flow > 0], zero_n[in_flow > 0])
    arcs(np.asarray([source]), np.asarray([sink]), np.zeros(1, np.int64))
    if bypass > 0:
        arcs(np.asarray([sink]), np.asarray([source]), np.zeros(1, np.int64))
    tail = np.concatenate(parts_tail)
    head = np.concatenate(parts_head)
    cost = np.concatenate(parts_cost)
    # Arcs grouped by tail: a round relaxes only the arcs leaving nodes whose potential fell in the
    # round before (the others were relaxed when their tail last changed, and heads only fall), so
    # each round ends exactly where a round over every arc would, at a fraction of the work.
    order = np.argsort(tail, kind="stable")
    tail, head, cost = tail[order], head[order], cost[order]
    nodes = m + n + 2
    first_arc = np.zeros(nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(tail, minlength=nodes), out=first_arc[1:])
    potential = np.zeros(nodes, dtype=np.int64)
    if warm is not None:
        scale = 1.0 / costs.unit
        potential[:m] = np.rint(np.maximum(warm[0], 0.0) * scale).astype(np.int64)
        potential[m : m + n] = -np.rint(np.maximum(warm[1], 0.0) * scale).astype(np.int64)
    arcs_now = np.arange(tail.size)
    for done in range(_DUAL_ROUNDS):
        if deadline is not None and done % _ROUNDS_PER_CHECK == 0 and deadline.passed():
            return None
        relaxed = potential.copy()
        np.minimum.at(relaxed, head[arcs_now], potential[tail[arcs_now]] + cost[arcs_now])
        changed = np.flatnonzero(relaxed < potential)
        if changed.size == 0:
            unit = costs.unit
            # π_source ≥ π_sink (the bypass), so measuring both sides from the sink keeps
            # y_i + p_j ≥ π_i − π_j ≥ cost on every unused pair. A cost is the rounded score plus
            # one pairing unit: mentors give that unit back (with short exact costs it is not
            # negligible), and take what rounding may have taken off a score.
            base = potential[sink]
            first_dual = np.maximum(potential[:m] - base - 1, 0) * unit + costs.rounding
            second_dual = np.maximum(base - potential[m : m + n], 0) * unit
            return first_dual.astype(np.float64), second_dual.astype(np.float64)
        potential = relaxed
        counts = first_arc[changed + 1] - first_arc[changed]
        offsets = np.cumsum(counts) - counts
        arcs_now = np.repeat(first_arc[changed] - offsets, counts) + np.arange(int(counts.sum()))
    return None
