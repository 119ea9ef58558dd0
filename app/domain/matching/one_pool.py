"""One pool (reciprocal programs): the best fractional matching of the double cover, in rounds.

A round is a best matching of some edges (``general``: the double cover's assignment, its cycles
repaired into pairs), warm-started from the previous round's prices. Its LP prices are certified over
the full graph (``bounds``); pairs outside the graph that break the certificate are added and the
pool solved again (``columns``). A solve after that starts cold when the pairs outside moved the
prices far (over ``WARM_GAIN_SHARE`` of the bound), and otherwise gets a budget for its warm start
before it starts over cold; an auction stopped by the time limit leaves the previous round standing.

Capacities above 1 are filled in further rounds over the unused edges among people with room, and
the fractional b-matching of the double cover (min-cost flow, ``flow``) tightens the bound and may
replace the result. Small pools then go on to the exact step (``one_pool_exact``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# ``solution.SECONDS_PER_EDGE`` is read at call time, through the module (tests change it).
from app.domain.matching import solution
from app.domain.matching.auction import AuctionStopped
from app.domain.matching.bipartite import Warm, assign
from app.domain.matching.bounds import bound_value, certify, certify_problem
from app.domain.matching.columns import COLUMN_ROUNDS, GOOD_ENOUGH, add_edges, edges_of, pair_leftovers
from app.domain.matching.deadline import Deadline
from app.domain.matching.flow import bipartite_b_matching
from app.domain.matching.general import match_general
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.one_pool_exact import exact_one_pool
from app.domain.matching.problem import Problem
from app.domain.matching.solution import Incumbent, Solved, greedy_at_time_limit

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

EXACT_ONE_POOL_PEOPLE = 2500  # up to this many people (and if it fits), one pool is solved exactly
WARM_GAIN_SHARE = 0.01  # a solve after column generation starts warm only if outside pairs added less

_NONE = np.zeros(0, np.int64)
_NO_WEIGHT = np.zeros(0, np.float64)


@dataclass(frozen=True)
class _Round:
    """One best matching of some edges: chosen edge indices, LP prices (solver order), the state
    that warm-starts the next solve, the method used and how many fractional cycles were repaired."""

    chosen: IntArray
    prices: FloatArray | None
    warm: Warm | None
    method: str
    fractional_cycles: int = 0


def _solve_once(
    problem: Problem, live: IntArray, reverse: bool, warm: Warm | None, deadline: Deadline | None = None
) -> _Round:
    first, second, weight = problem.first[live], problem.second[live], problem.weight[live]
    n = problem.order.size
    if reverse:
        m = problem.n_first
        result = assign(m, n - m, first, second - m, weight, warm=warm)
        return _Round(live[result.edges], result.second_price, result.warm, "sparse assignment (LAPJVsp)")
    general = match_general(n, first, second, weight, warm=warm, deadline=deadline)
    return _Round(live[general.edges], general.prices, general.warm, general.method, general.long_cycles)


def one_pool(problem: Problem, deadline: Deadline, notes: list[str], incumbent: Incumbent, exhaustive: bool) -> Solved:
    n = problem.order.size
    everyone = np.arange(problem.first.size)
    warm: Warm | None = Warm(problem.graph.first_price, problem.graph.second_price)
    column_round = 0
    solved: _Round | None = None
    kept = np.zeros(0, np.int64)  # the chosen pairs (as keys) of the round before the current one
    first_seconds = 0.0
    while True:
        try:
            if solved is None:
                started = time.perf_counter()
                solved = _solve_once(problem, everyone, False, warm, deadline)
                first_seconds = time.perf_counter() - started
            else:
                solved = _solve_again(problem, everyone, warm, deadline, max(0.5, first_seconds))
        except AuctionStopped:
            if solved is None:
                return greedy_at_time_limit(problem, False, notes, incumbent, "the matching was still being solved")
            # The previous round stands (its certificate holds for the full graph), found again among
            # the reordered edges.
            notes.append("time limit: stopped while solving again with the added pairs; the previous solve stands")
            chosen = edges_of(problem, kept)
            break
        chosen, found_prices, next_warm = solved.chosen, solved.prices, solved.warm
        if found_prices is None:
            notes.append("LP prices could not be recovered: the bound uses thresholds only")
            prices = np.zeros(n)
            certificate = certify_problem(problem, prices, None)
            break
        prices = found_prices
        within = not deadline.passed()
        # Pairs breaking the certificate are only kept when column generation follows (below).
        certificate = certify_problem(problem, prices, problem.scorer if within else None, collect=False)
        if not within:
            notes.append("time limit: the bound uses thresholds only (valid, looser)")
            break
        if int(problem.capacity.max(initial=0)) <= 1:
            incumbent(chosen, bound_value(problem, certificate, prices))
        next_warm = next_warm if next_warm is not None else Warm(certificate.profit, prices)
        if certificate.breaking.size == 0:
            break
        # What pairs outside the graph add to the bound: all that column generation can remove.
        gain = certificate.outside_gain
        outside = math.fsum((problem.capacity[: gain.size].astype(np.float64) * gain).tolist())
        whole = bound_value(problem, certificate, prices)
        if not exhaustive and (column_round >= COLUMN_ROUNDS or outside <= GOOD_ENOUGH * whole):
            break
        if not deadline.fits(solution.SECONDS_PER_EDGE * (problem.first.size + n)):
            break
        # Adding edges reorders the edge arrays: only ever followed by a new solve.
        kept = problem.first[chosen] * n + problem.second[chosen]
        added = add_edges(problem, certify_problem(problem, prices, problem.scorer, among=certificate.breaking), False)
        if added == 0:
            break
        column_round += 1
        notes.append(f"column generation: {added} pairs from outside the candidate graph added")
        everyone = np.arange(problem.first.size)
        # Prices that the pairs outside moved far (a pool whose scores mostly tie, measured: 7 % of
        # the bound at 50,000 people) make a warm auction bid in tiny steps until its budget runs
        # out (11.6 s, then 4.6 s cold): such a solve starts cold at once.
        warm = next_warm if outside <= WARM_GAIN_SHARE * whole else None
    bound = bound_value(problem, certificate, prices)
    chosen, extra = pair_leftovers(problem, chosen, False)
    if extra:
        notes.append(f"{extra} pairs formed among people left over, outside the candidate graph")
    if solved.fractional_cycles:
        notes.append(f"{solved.fractional_cycles} cycles of the fractional LP optimum repaired into pairs")
    name = solved.method
    # The exact step's reduced-cost argument needs a bound and duals of one and the same LP solution.
    closure_bound = bound
    if int(problem.capacity.max(initial=0)) > 1:
        chosen, rounds = _capacity_rounds(problem, chosen, False, deadline, notes, next_warm)
        name += f", {rounds} capacity rounds"
        if not deadline.passed():
            chosen, bound, better = _b_matching_cover(problem, chosen, bound, certificate.profit, prices, deadline)
            if better:
                name = "double-cover b-matching (min-cost flow) + greedy repair"
    incumbent(chosen, bound)
    if n <= EXACT_ONE_POOL_PEOPLE and found_prices is not None and not deadline.passed():
        exact = exact_one_pool(problem, certificate, prices, chosen, closure_bound, deadline, notes)
        if exact is not None:
            incumbent(exact.chosen, exact.bound)
            return exact
    return Solved(chosen, bound, name, False)


def _solve_again(problem: Problem, live: IntArray, warm: Warm | None, deadline: Deadline, seconds: float) -> _Round:
    """A solve after column generation, warm-started from the previous one. Prices far from what the
    added pairs are worth can make a warm auction bid in tiny steps for minutes (a pool whose scores
    mostly tie, measured: over ten minutes, against under three seconds cold), so the warm start gets
    ``seconds``, then the solve starts over from zero prices (at once without ``warm``)."""
    if warm is None:
        return _solve_once(problem, live, False, None, deadline)
    budget = Deadline(time.perf_counter(), min(seconds, deadline.left()))
    try:
        return _solve_once(problem, live, False, warm, budget)
    except AuctionStopped:
        if deadline.passed():
            raise
    return _solve_once(problem, live, False, None, deadline)


def _capacity_rounds(
    problem: Problem,
    chosen: IntArray,
    reverse: bool,
    deadline: Deadline,
    notes: list[str],
    warm: Warm | None,
) -> tuple[IntArray, int]:
    """Fill capacities above 1: repeat a best matching of the unused edges among people with room."""
    first, second = problem.first, problem.second
    left = problem.capacity.copy()
    used = np.zeros(first.size, dtype=bool)
    picked = [chosen]
    rounds = 1
    edges = chosen
    while True:
        used[edges] = True
        np.subtract.at(left, first[edges], 1)
        np.subtract.at(left, second[edges], 1)
        live = np.flatnonzero(~used & (left[first] > 0) & (left[second] > 0))
        if live.size == 0:
            break
        if deadline.passed():
            notes.append(f"time limit: capacity rounds stopped after round {rounds}")
            break
        try:
            edges = _solve_once(problem, live, reverse, warm, deadline).chosen
        except AuctionStopped:
            notes.append(f"time limit: capacity rounds stopped during round {rounds + 1}")
            break
        if edges.size == 0:
            break
        picked.append(edges)
        rounds += 1
    return np.sort(np.concatenate(picked)), rounds


def _b_matching_cover(
    problem: Problem,
    chosen: IntArray,
    bound: float,
    profit: FloatArray,
    prices: FloatArray,
    deadline: Deadline,
) -> tuple[IntArray, float, bool]:
    """One pool with capacities: the fractional b-matching optimum of the double cover (each person
    a row and a column with their capacity, a pair an arc each way) by min-cost flow. Its LP duals
    give a bound as tight as the b-matching LP allows (the cap-1 prices overcharge people who take
    several partners); pairs used both ways are kept and the half-used ones repaired greedily.
    Returns the better of the two solutions, the tighter bound, and whether the new pairs won."""
    n = problem.order.size
    first, second, weight = problem.first, problem.second, problem.weight
    rows, cols = np.concatenate([first, second]), np.concatenate([second, first])
    flow = bipartite_b_matching(
        n,
        n,
        rows,
        cols,
        np.concatenate([weight, weight]),
        np.concatenate([problem.capacity, problem.capacity]),
        warm=((profit + prices) / 2, (profit + prices) / 2),
        deadline=deadline,
    )
    if flow.first_dual is not None and flow.second_dual is not None and not deadline.passed():
        cover = certify(
            problem.graph,
            _NONE,
            _NONE,
            _NO_WEIGHT,
            flow.second_dual,
            problem.scorer,
            floor=flow.first_dual,
            skip=(rows, cols),
            collect=False,
        )
        capacity = problem.capacity.astype(np.float64)
        slack = np.maximum(np.concatenate([weight, weight]) - cover.profit[rows] - flow.second_dual[cols], 0.0)
        tighter = (
            math.fsum((capacity * cover.profit).tolist())
            + math.fsum((capacity * flow.second_dual).tolist())
            + math.fsum(slack.tolist())
        ) / 2
        bound = min(bound, tighter)
    used = np.zeros(first.size, dtype=np.int64)
    e = first.size
    np.add.at(used, flow.edges % e, 1)
    both = np.flatnonzero(used == 2)
    left = problem.capacity.astype(np.int64).copy()
    np.subtract.at(left, first[both], 1)
    np.subtract.at(left, second[both], 1)
    rest = np.flatnonzero(used < 2)
    extra = rest[greedy_edges(first[rest], second[rest], weight[rest], left)]
    candidate = np.sort(np.concatenate([both, extra]))
    if math.fsum(weight[candidate].tolist()) > math.fsum(weight[chosen].tolist()):
        return candidate, bound, True
    return chosen, bound, False
