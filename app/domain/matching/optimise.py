"""Solving the candidate graph and proving how good the result is.

- **Two-sided pools** (reverse): the exact b-matching of the candidate graph by min-cost flow
  (``flow``, capacities included), certified over the full graph of allowed pairs (``bounds``);
  pairs outside the graph that break the certificate are added and the flow solved again (column
  generation). Small pools repeat this until nothing is left outside: the result is then the
  proven optimum.
- **One pool** (reciprocal): the best fractional matching of the double cover and its repair into
  pairs (``general``), certified the same way; capacities above 1 are filled in further rounds.
  Where it fits the time limit (``exact``), Edmonds' blossom algorithm then solves the candidate
  graph exactly, and every allowed pair that could still beat that total (by LP reduced costs) is
  added until none is left: the result is then the proven optimum of the full graph.
- If even the first solve cannot finish within the time limit, greedy pairing on the candidate graph
  is used instead and the bound falls back to thresholds only; every fallback is in the notes. An
  auction still bidding at the time limit stops (``AuctionStopped``): the solve keeps what it had
  before that round (greedy pairing if it was the first).

Each better solution is handed to ``incumbent`` (chosen edges, a proven bound) as soon as it exists,
so that a caller who stops the solve keeps the best one found so far.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.auction import AuctionStopped
from app.domain.matching.bipartite import Warm, assign
from app.domain.matching.bounds import Certificate, certify
from app.domain.matching.candidates import BlockScorer, unique_keys
from app.domain.matching.deadline import Deadline
from app.domain.matching.exact import blossom_edges, estimated_seconds
from app.domain.matching.flow import bipartite_b_matching
from app.domain.matching.general import match_general
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.model import MatchingSettings
from app.domain.matching.problem import Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Incumbent = Callable[[IntArray, float], None]

# Seconds per candidate edge a solve may need (measured 5e-6 to 8e-6 at 50,000 people on two
# cores; kept pessimistic), used to decide before calling it whether it can finish in time.
_SECONDS_PER_EDGE = 1e-5
_COLUMN_ROUNDS = 3  # large pools: solve again at most this many times with pairs found missing
_GOOD_ENOUGH = 5e-4  # large pools: no column round when outside pairs add less than this share
_LEFTOVER_LIMIT = 3000  # people left over that are still re-paired over the full graph
EXHAUSTIVE_PEOPLE = 3000  # up to this many people, column generation runs until nothing is missing
EXACT_ONE_POOL_PEOPLE = 2500  # up to this many people (and if it fits), one pool is solved exactly
_EXACT_ROUNDS = 6  # blossom solves at most, each after adding the pairs that could still improve


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


@dataclass(frozen=True)
class Solved:
    """Chosen edges, a proven upper bound of the best total over all allowed pairs (pins apart),
    the method, and whether the chosen edges are the proven optimum."""

    chosen: IntArray
    bound: float
    solver: str
    proven: bool


def optimise(
    problem: Problem,
    settings: MatchingSettings,
    deadline: Deadline,
    notes: list[str],
    incumbent: Incumbent,
    *,
    early: Incumbent | None = None,
) -> Solved:
    """Best pairs of the problem, with a bound over the full graph (see the module docstring).
    ``early``, when given, first receives greedy pairing on the candidate graph."""
    reverse = settings.kind == "reverse"
    n = problem.order.size
    per_edge = _SECONDS_PER_EDGE / 2 if reverse else _SECONDS_PER_EDGE
    if not deadline.fits(per_edge * (problem.first.size + n)):
        return _greedy_at_time_limit(
            problem, reverse, notes, incumbent, f"the solver would not finish within {deadline.seconds:g} s"
        )
    if early is not None:
        # The cheapest complete result first, for a caller who may have to stop the solve.
        chosen = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
        prices = np.zeros(n - problem.n_first if reverse else n)
        early(chosen, _bound_value(problem, _certificate(problem, prices, None), prices))
    exhaustive = n <= EXHAUSTIVE_PEOPLE
    if reverse:
        return _two_sided(problem, deadline, notes, incumbent, exhaustive)
    return _one_pool(problem, deadline, notes, incumbent, exhaustive)


def _greedy_at_time_limit(problem: Problem, reverse: bool, notes: list[str], incumbent: Incumbent, why: str) -> Solved:
    """Greedy pairing on the candidate graph, bounded by thresholds only: the time limit's fallback."""
    notes.append(f"time limit: {why}; pairs come from greedy on the candidate graph")
    n = problem.order.size
    chosen = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
    prices = np.zeros(n - problem.n_first if reverse else n)
    certificate = _certificate(problem, prices, None)
    bound = _bound_value(problem, certificate, prices)
    incumbent(chosen, bound)
    return Solved(chosen, bound, "greedy (time limit)", False)


def _two_sided(
    problem: Problem, deadline: Deadline, notes: list[str], incumbent: Incumbent, exhaustive: bool
) -> Solved:
    m, n = problem.n_first, problem.order.size
    warm = (problem.graph.first_price, problem.graph.second_price)
    column_round = 0
    while True:
        flow = bipartite_b_matching(
            m, n - m, problem.first, problem.second - m, problem.weight, problem.capacity, warm=warm, deadline=deadline
        )
        if flow.first_dual is None or flow.second_dual is None:
            notes.append("LP duals could not be recovered: the bound uses the scan prices (valid, looser)")
            row_dual, prices = warm
        else:
            row_dual, prices = flow.first_dual, flow.second_dual
        within = not deadline.passed()
        certificate = certify(
            problem.graph,
            _NONE,
            _NONE,
            _NO_WEIGHT,
            prices,
            problem.scorer if within else None,
            floor=row_dual,
            skip=(problem.first, problem.second - m),
        )
        bound = _two_sided_bound(problem, certificate.profit, prices)
        chosen = flow.edges
        incumbent(chosen, bound)
        if not within:
            notes.append("time limit: the bound uses thresholds only (valid, looser)")
            break
        missing = certificate.violating_rows.size
        if missing == 0:
            break
        if not exhaustive:
            gain = certificate.outside_gain
            if column_round >= _COLUMN_ROUNDS or float(np.dot(problem.capacity[:m], gain)) <= _GOOD_ENOUGH * bound:
                break
        if not deadline.fits(_SECONDS_PER_EDGE / 2 * (problem.first.size + n)):
            break
        added = _add_edges(problem, certificate, reverse=True)
        if added == 0:
            break
        column_round += 1
        notes.append(f"column generation: {added} pairs from outside the candidate graph added")
        warm = (row_dual, prices)
    proven = exhaustive and within and certificate.violating_rows.size == 0 and flow.first_dual is not None
    chosen, extra = _pair_leftovers(problem, chosen, True)
    if extra:
        notes.append(f"{extra} pairs formed among people left over, outside the candidate graph")
    return Solved(chosen, bound, "min-cost flow (OR-Tools)", proven)


_NONE = np.zeros(0, np.int64)
_NO_WEIGHT = np.zeros(0, np.float64)


def _two_sided_bound(problem: Problem, profit: FloatArray, prices: FloatArray) -> float:
    """``Σ cap·u + Σ cap·p + Σ over graph pairs of max(0, w − u − p)``: the b-matching LP dual."""
    m = problem.n_first
    capacity = problem.capacity.astype(np.float64)
    slack = np.maximum(problem.weight - profit[problem.first] - prices[problem.second - m], 0.0)
    return (
        math.fsum((capacity[:m] * profit).tolist())
        + math.fsum((capacity[m:] * prices).tolist())
        + math.fsum(slack.tolist())
    )


def _one_pool(problem: Problem, deadline: Deadline, notes: list[str], incumbent: Incumbent, exhaustive: bool) -> Solved:
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
                return _greedy_at_time_limit(problem, False, notes, incumbent, "the matching was still being solved")
            # The previous round stands (its certificate holds for the full graph), found again among
            # the reordered edges.
            notes.append("time limit: stopped while solving again with the added pairs; the previous solve stands")
            chosen = _edges_of(problem, kept)
            break
        chosen, found_prices, next_warm = solved.chosen, solved.prices, solved.warm
        if found_prices is None:
            notes.append("LP prices could not be recovered: the bound uses thresholds only")
            prices = np.zeros(n)
            certificate = _certificate(problem, prices, None)
            break
        prices = found_prices
        within = not deadline.passed()
        certificate = _certificate(problem, prices, problem.scorer if within else None)
        if not within:
            notes.append("time limit: the bound uses thresholds only (valid, looser)")
            break
        if int(problem.capacity.max(initial=0)) <= 1:
            incumbent(chosen, _bound_value(problem, certificate, prices))
        next_warm = next_warm if next_warm is not None else Warm(certificate.profit, prices)
        if certificate.violating_rows.size == 0:
            break
        if not exhaustive:
            # Column generation can only remove what pairs outside the graph add to the bound.
            gain = certificate.outside_gain
            capacity = problem.capacity[: gain.size].astype(np.float64)
            if column_round >= _COLUMN_ROUNDS or math.fsum((capacity * gain).tolist()) <= _GOOD_ENOUGH * (
                _bound_value(problem, certificate, prices)
            ):
                break
        if not deadline.fits(_SECONDS_PER_EDGE * (problem.first.size + n)):
            break
        # Adding edges reorders the edge arrays: only ever followed by a new solve.
        kept = problem.first[chosen] * n + problem.second[chosen]
        added = _add_edges(problem, certificate, False)
        if added == 0:
            break
        column_round += 1
        notes.append(f"column generation: {added} pairs from outside the candidate graph added")
        everyone = np.arange(problem.first.size)
        warm = next_warm
    bound = _bound_value(problem, certificate, prices)
    chosen, extra = _pair_leftovers(problem, chosen, False)
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
        exact = _exact_one_pool(problem, certificate, prices, chosen, closure_bound, deadline, notes)
        if exact is not None:
            incumbent(exact.chosen, exact.bound)
            return exact
    return Solved(chosen, bound, name, False)


def _solve_again(problem: Problem, live: IntArray, warm: Warm | None, deadline: Deadline, seconds: float) -> _Round:
    """A solve after column generation, warm-started from the previous one. Prices far from what the
    added pairs are worth can make a warm auction bid in tiny steps for minutes (a pool whose scores
    mostly tie, measured: over ten minutes, against under three seconds cold), so the warm start gets
    ``seconds``, then the solve starts over from zero prices."""
    budget = Deadline(time.perf_counter(), min(seconds, deadline.left()))
    try:
        return _solve_once(problem, live, False, warm, budget)
    except AuctionStopped:
        if deadline.passed():
            raise
    return _solve_once(problem, live, False, None, deadline)


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


def _exact_one_pool(
    problem: Problem,
    certificate: Certificate,
    prices: FloatArray,
    chosen: IntArray,
    bound: float,
    deadline: Deadline,
    notes: list[str],
) -> Solved | None:
    """Blossom on the candidate graph, grown until no allowed pair outside it could beat the total.

    With ``Y = (u + p) / 2`` from the certificate, every allowed pair has ``Y_i + Y_j ≥ w_ij`` and any
    set of pairs scores at most ``bound − Σ over its pairs of (Y_i + Y_j − w_ij)``. So once every
    allowed pair outside the graph has ``Y_i + Y_j − w_ij ≥ bound − total``, the graph's optimum is
    the optimum of the full graph. Returns ``None`` (after a note) when it cannot finish in time.
    """
    n = problem.order.size
    dual = (certificate.profit + prices) / 2
    # Edge indices change when pairs are added: the best solution is kept as pair keys.
    best_keys = problem.first[chosen] * n + problem.second[chosen]
    best_total = math.fsum(problem.weight[chosen].tolist())
    for _ in range(_EXACT_ROUNDS):
        estimate = estimated_seconds(n, problem.capacity, problem.first.size)
        if not deadline.fits(2 * estimate):
            notes.append("time limit: no time left to prove the optimum exactly; the bound is the LP bound")
            return None
        edges = blossom_edges(n, problem.first, problem.second, problem.weight, problem.capacity)
        total = math.fsum(problem.weight[edges].tolist())
        if total >= best_total:
            best_keys, best_total = problem.first[edges] * n + problem.second[edges], total
        gap = bound - best_total
        added = _add_pairs(problem, *_could_improve(problem, dual, gap))
        if added == 0:
            notes.append("exact: blossom optimum over every pair that could matter (proven optimal)")
            return Solved(_edges_of(problem, best_keys), best_total, "blossom (exact, rustworkx)", True)
        notes.append(f"exact: {added} pairs that could still improve the total added")
    notes.append("exact: the optimum could not be proven within the rounds allowed; the bound is the LP bound")
    return None


def _edges_of(problem: Problem, keys: IntArray) -> IntArray:
    every = problem.first * problem.order.size + problem.second
    return np.sort(np.searchsorted(every, keys))


def _could_improve(problem: Problem, dual: FloatArray, gap: float) -> tuple[IntArray, IntArray]:
    """Allowed pairs ``i < j`` whose reduced cost ``Y_i + Y_j − w_ij`` may be below ``gap``."""
    n = problem.order.size
    scorer = problem.scorer
    q = problem.graph.first_price
    margin = problem.graph.margin
    rows: list[IntArray] = []
    cols: list[IntArray] = []
    everyone = np.arange(n)
    for start in range(0, n, 1024):
        part = everyone[start : start + 1024]
        # Block entries are w − q_i − q_j (within the margin): back to reduced costs by the duals.
        reduced = (dual - q)[part][:, None] + (dual - q)[None, :] - scorer.subset(part, everyone).astype(np.float64)
        r, c = np.nonzero(reduced - 2 * margin < gap)
        keep = part[r] < c
        rows.append(part[r[keep]])
        cols.append(c[keep])
    return np.concatenate(rows), np.concatenate(cols)


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


def _certificate(problem: Problem, prices: FloatArray, scorer: BlockScorer | None) -> Certificate:
    m = problem.n_first
    if m == problem.order.size:  # one pool: the graph seen from every person, both ways
        rows = np.concatenate([problem.first, problem.second])
        cols = np.concatenate([problem.second, problem.first])
        weight = np.concatenate([problem.weight, problem.weight])
        return certify(problem.graph, rows, cols, weight, prices, scorer)
    return certify(problem.graph, problem.first, problem.second - m, problem.weight, prices, scorer)


def _add_edges(problem: Problem, certificate: Certificate, reverse: bool) -> int:
    """Add the violating pairs the certificate met to the graph (exact scores); how many were new."""
    a, b = certificate.violating_rows, certificate.violating_cols
    if reverse:
        b = b + problem.n_first
    return _add_pairs(problem, a, b)


def _add_pairs(problem: Problem, a: IntArray, b: IntArray) -> int:
    """Add pairs (solver indices) to the graph with exact scores, keeping the edge arrays sorted by
    key; returns how many were new. Edge indices from before are invalid afterwards."""
    if a.size == 0:
        return 0
    if problem.n_first == problem.order.size:
        a, b = np.minimum(a, b), np.maximum(a, b)
    n = problem.order.size
    old = problem.first * n + problem.second  # sorted
    key = unique_keys(a * n + b)
    at = np.minimum(np.searchsorted(old, key), max(old.size - 1, 0))
    key = key[old[at] != key] if old.size else key
    if key.size == 0:
        return 0
    first, second = key // n, key % n
    weight = problem.features.scores(first, second)
    merged = np.concatenate([old, key])
    order = np.argsort(merged, kind="stable")
    problem.first = np.concatenate([problem.first, first])[order]
    problem.second = np.concatenate([problem.second, second])[order]
    problem.weight = np.concatenate([problem.weight, weight])[order]
    return int(key.size)


def _pair_leftovers(problem: Problem, chosen: IntArray, reverse: bool) -> tuple[IntArray, int]:
    """Pair people the solution left with room and allowed partners among themselves, over the full
    graph (their allowed pairs need not be candidates). Returns the new chosen edges and how many
    pairs were added; the total can only grow."""
    n, m = problem.order.size, problem.n_first
    first, second = problem.first, problem.second
    used = np.zeros(n, dtype=np.int64)
    np.add.at(used, first[chosen], 1)
    np.add.at(used, second[chosen], 1)
    graph = problem.graph
    has_partner = (
        np.concatenate([graph.first_has_partner, graph.second_has_partner]) if reverse else graph.first_has_partner
    )
    free = np.flatnonzero((used < problem.capacity) & has_partner)
    if free.size < 2 or free.size > _LEFTOVER_LIMIT:
        return chosen, 0
    scorer = problem.scorer
    if reverse:
        rows, cols = free[free < m], free[free >= m] - m
        if rows.size == 0 or cols.size == 0:
            return chosen, 0
        allowed = np.isfinite(scorer.subset(rows, cols))
        r, c = np.nonzero(allowed)
        a, b = rows[r], cols[c] + m
    else:
        allowed = np.isfinite(scorer.subset(free, free))
        r, c = np.nonzero(np.triu(allowed, k=1))
        a, b = free[r], free[c]
    # Pairs already chosen (capacities above 1) are not proposed twice.
    taken = set(zip((first[chosen]).tolist(), (second[chosen]).tolist(), strict=True))
    fresh = np.asarray([(x, y) not in taken for x, y in zip(a.tolist(), b.tolist(), strict=True)], dtype=bool)
    a, b = a[fresh], b[fresh]
    if a.size == 0:
        return chosen, 0
    weight = problem.features.scores(a, b)
    local = {int(v): i for i, v in enumerate(free.tolist())}
    la = np.asarray([local[int(v)] for v in a.tolist()], dtype=np.int64)
    lb = np.asarray([local[int(v)] for v in b.tolist()], dtype=np.int64)
    if reverse:
        # Local indices keep mentors before mentees (free is sorted and mentors come first).
        k = int(rows.size)
        picked = assign(k, free.size - k, la, lb - k, weight).edges
    else:
        picked = match_general(free.size, la, lb, weight).edges
    if picked.size == 0:
        return chosen, 0
    n_total = problem.order.size
    keys = np.concatenate([first[chosen] * n_total + second[chosen], a[picked] * n_total + b[picked]])
    _add_pairs(problem, a[picked], b[picked])
    every = problem.first * n_total + problem.second
    return np.sort(np.searchsorted(every, keys)), int(picked.size)


def upper_bound(problem: Problem, certificate: Certificate, prices: FloatArray, notes: list[str]) -> float:
    if certificate.rescored:
        notes.append(f"upper bound: {certificate.rescored} people rescored against partners outside the graph")
    return _bound_value(problem, certificate, prices)


def _bound_value(problem: Problem, certificate: Certificate, prices: FloatArray) -> float:
    """``Σ cap·u + Σ cap·p`` (two-sided) or half of it on the double cover (one pool)."""
    capacity = problem.capacity.astype(np.float64)
    m = problem.n_first
    profit = certificate.profit
    if m == problem.order.size:
        return (math.fsum((capacity * profit).tolist()) + math.fsum((capacity * prices).tolist())) / 2
    return math.fsum((capacity[:m] * profit).tolist()) + math.fsum((capacity[m:] * prices).tolist())
