"""Maximum-weight matching of one pool (reciprocal programs): anyone may pair with anyone.

Exact blossom algorithms are too slow in pure Python at scale, so the engine solves the assignment
problem on the bipartite double cover instead: every person appears once as a row and once as a
column, pair i–j is the two edges (i, j) and (j, i), and (i, i) means "unmatched". Its optimum is the
best *fractional* matching, worth twice at least the best matching: half of it is an upper bound,
and its LP prices feed ``bounds``. It is solved exactly (LAPJVsp) up to ``EXACT_NODES`` people and
by auction (within ``rows × eps``) above. The assignment is a permutation made of

- fixed points: unmatched people;
- 2-cycles i → j → i: pairs, kept as they are;
- longer cycles (the fractional part): each is repaired by an exact dynamic programme for the best
  matching on that cycle (for an odd cycle, one person is left out).

People left out then take any still-free candidate partner, best scores first, and finally
augmenting paths from the people still free improve the total where they can (``_augment``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.auction import auction
from app.domain.matching.bipartite import SCALE, Warm, integer_weights, solve_assignment
from app.domain.matching.candidates import pair_noise
from app.domain.matching.deadline import Deadline
from app.domain.matching.greedy import greedy_edges

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

EXACT_NODES = 6000  # up to this many people solved exactly (LAPJVsp), above by auction
AUCTION_EPS = (4e-3, 4e-4)  # ε-scaling phases, as shares of the largest edge score
_AUGMENT_PASSES = 8
_DEEP_NODES = 500  # up to this many people, augmenting paths may cross up to _DEEP_DEPTH pairs
_DEEP_DEPTH = 3
# Partner lists one search may read: the deep search grows like degree³, so dense small graphs (a
# large top_k) would otherwise take minutes; a search that runs out keeps the best path found so far.
_PATH_BUDGET = 200_000


@dataclass(frozen=True)
class GeneralMatching:
    """Chosen edges (indices into the edge arrays), LP prices ``y ≥ 0`` (or None), how many cycles of
    length ≥ 3 had to be repaired, and the state to warm-start the next solve."""

    edges: IntArray
    prices: FloatArray | None
    long_cycles: int
    warm: Warm | None = None
    method: str = "double-cover assignment (LAPJVsp) + cycle repair"


def match_general(
    n: int,
    first: IntArray,
    second: IntArray,
    weight: FloatArray,
    *,
    warm: Warm | None = None,
    deadline: Deadline | None = None,
) -> GeneralMatching:
    """Near-optimal matching of the candidate graph ``first[e] < second[e]`` with LP prices.

    The double cover is solved exactly (LAPJVsp) up to ``EXACT_NODES`` people, by auction above.
    ``warm`` only speeds the solver up: estimated prices for LAPJVsp, a previous auction's prices and
    assignment for the auction. An auction still bidding when ``deadline`` passes raises
    ``AuctionStopped``.
    """
    if first.size == 0:
        return GeneralMatching(edges=np.zeros(0, np.int64), prices=np.zeros(n), long_cycles=0)
    cover = _solve_double_cover(n, first, second, weight, warm, deadline)
    edges, long_cycles = _repair(n, first, second, weight, cover.sigma)
    return GeneralMatching(edges, cover.prices, long_cycles, cover.warm, cover.method)


def fractional_prices(n: int, first: IntArray, second: IntArray, weight: FloatArray) -> FloatArray | None:
    """Only the LP prices of the best fractional matching (None if they could not be recovered):
    what the price estimate needs, without the cost of turning the optimum into pairs."""
    if first.size == 0:
        return np.zeros(n)
    return _solve_double_cover(n, first, second, weight, None, None).prices


@dataclass(frozen=True)
class _DoubleCover:
    """The double cover's optimal permutation ``sigma``, its fractional-matching prices (or None),
    the state to warm-start the next solve and the method used."""

    sigma: IntArray
    prices: FloatArray | None
    warm: Warm | None
    method: str


def _solve_double_cover(
    n: int, first: IntArray, second: IntArray, weight: FloatArray, warm: Warm | None, deadline: Deadline | None
) -> _DoubleCover:
    if n > EXACT_NODES:
        rows, cols, values, indptr = double_cover_options(n, first, second, weight)
        # Only a previous auction's prices (with its assignment) warm-start the auction. Scan prices
        # alone slowed it down: the first solve of 50,000 people took 3.2 s from them against 1.6 s
        # from zero (9.8 s against 3.4 s on a pool whose scores mostly tie).
        held = warm.assignment if warm is not None else None
        start = np.maximum(warm.second, 0.0) if warm is not None and held is not None else np.zeros(n)
        sigma, price = auction(indptr, cols, values, n, start, auction_schedule(weight), held, deadline)
        profit = np.full(n, -np.inf)
        np.maximum.at(profit, rows, values - price[cols])
        # Row profits U and column prices V satisfy U_i + V_j ≥ w_ij on both orientations and
        # U_i + V_i ≥ 0: their average is a fractional-matching dual (see below).
        prices = np.maximum((profit + price) / 2, 0.0)
        return _DoubleCover(sigma, prices, Warm(profit, price, sigma), "double-cover auction + cycle repair")
    rows = np.concatenate([first, second, np.arange(n)])
    cols = np.concatenate([second, first, np.arange(n)])
    method = "double-cover assignment (LAPJVsp) + cycle repair"
    w = integer_weights(weight)
    big = int(w.max()) + 1
    cost = np.concatenate([big - w, big - w, np.full(n, big)])
    y = integer_weights(warm.second) if warm is not None else np.zeros(n, np.int64)
    # Potentials −y (rows) and K − y (columns): reduced costs y_i + y_j − w_ij, and 2·y_i for "unmatched".
    solution = solve_assignment(rows, cols, cost, -y, big - y, n)
    if solution.duals is None:
        return _DoubleCover(solution.col_of_row, None, None, method)
    a, b = solution.duals
    # Row/column duals U = −a, V = K − b satisfy U_i + V_j ≥ w_ij and U_i + V_i ≥ 0; their average
    # y = (U + V) / 2 ≥ 0 satisfies y_i + y_j ≥ w_ij: a fractional-matching dual with Σy = optimum / 2.
    prices = np.maximum((-a + big - b) / 2, 0.0) / SCALE
    return _DoubleCover(solution.col_of_row, prices, Warm(prices, prices), method)


def double_cover_options(
    n: int, first: IntArray, second: IntArray, weight: FloatArray
) -> tuple[IntArray, IntArray, FloatArray, IntArray]:
    """The double cover as the auction reads it: ``(rows, cols, values, indptr)``, grouped by row,
    each pair both ways and ``(i, i)`` (unmatched) at 0. Each row's options come in a fixed
    pseudo-random order (``pair_noise``): the auction gives ties to the option listed first, and in
    column order every bidder of a pool whose scores mostly tie went for the same few people (a
    price war of eps-sized bids: 3,972 rounds instead of 14 on 2,000 people who all tie)."""
    rows = np.concatenate([first, second, np.arange(n)])
    cols = np.concatenate([second, first, np.arange(n)])
    values = np.concatenate([weight, weight, np.zeros(n)])
    # rows + noise in [0, 1): one sort by row, then noise (half the time of a lexsort of the two).
    order = np.argsort(rows + pair_noise(rows, cols), kind="stable")
    rows, cols, values = rows[order], cols[order], values[order]
    return rows, cols, values, np.searchsorted(rows, np.arange(n + 1))


def auction_schedule(weight: FloatArray) -> list[float]:
    """The ε of each auction phase for these edge scores."""
    top = float(np.max(weight, initial=0.0)) or 1.0
    return [share * top for share in AUCTION_EPS]


def _repair(n: int, first: IntArray, second: IntArray, weight: FloatArray, sigma: IntArray) -> tuple[IntArray, int]:
    """Matching from the double cover's permutation: 2-cycles kept, longer cycles repaired, then
    a greedy fill of whoever is left; returns (chosen edges, number of cycles repaired)."""

    key = first * n + second
    order = np.argsort(key)

    def edge_of(a: IntArray, b: IntArray) -> IntArray:
        return np.asarray(order[np.searchsorted(key, np.minimum(a, b) * n + np.maximum(a, b), sorter=order)])

    chosen: list[int] = []
    two = np.flatnonzero((sigma != np.arange(n)) & (sigma[sigma] == np.arange(n)))
    two = two[two < sigma[two]]
    chosen.extend(edge_of(two, sigma[two]).tolist())
    long_cycles = 0
    in_long = np.flatnonzero((sigma != np.arange(n)) & (sigma[sigma] != np.arange(n)))
    seen = np.zeros(n, dtype=bool)
    succ = sigma.tolist()
    for start in in_long.tolist():
        if seen[start]:
            continue
        cycle = [start]
        seen[start] = True
        node = succ[start]
        while node != start:
            cycle.append(node)
            seen[node] = True
            node = succ[node]
        long_cycles += 1
        nodes = np.asarray(cycle, dtype=np.int64)
        edges = edge_of(nodes, np.roll(nodes, -1))
        chosen.extend(edges[_best_on_cycle(weight[edges].tolist())].tolist())
    picked = np.asarray(sorted(chosen), dtype=np.int64)
    # Leftovers: anyone still free takes a free candidate partner, best score first.
    free = np.ones(n, dtype=bool)
    free[first[picked]] = False
    free[second[picked]] = False
    spare = np.flatnonzero(free[first] & free[second])
    if spare.size:
        extra = spare[greedy_edges(first[spare], second[spare], weight[spare], np.ones(n, np.int64))]
        picked = np.sort(np.concatenate([picked, extra]))
    return _augment(n, first, second, weight, picked), long_cycles


def _augment(n: int, first: IntArray, second: IntArray, weight: FloatArray, picked: IntArray) -> IntArray:
    """Local improvement around the people left free, by alternating paths from a free person u:
    u takes a neighbour v, whose partner v' takes a neighbour, … and the path ends at a free person
    or leaves its last partner free. The best path that raises the total is applied; paths cross at
    most one pair on large pools (u–v=v'–x) and ``_DEEP_DEPTH`` pairs on small ones (reading at
    most ``_PATH_BUDGET`` partners per search). Every move raises the total, so this stops; it only
    starts from the free people (about one per odd cycle), so it stays cheap at any scale."""
    ends = np.concatenate([first, second])
    others = np.concatenate([second, first])
    edge_ids = np.concatenate([np.arange(first.size), np.arange(first.size)])
    order = np.argsort(ends, kind="stable")
    ptr = np.searchsorted(ends[order], np.arange(n + 1)).tolist()
    neighbour = others[order]
    via = edge_ids[order]
    mate = [-1] * n
    mate_edge = [-1] * n
    for e in picked.tolist():
        a, b = int(first[e]), int(second[e])
        mate[a], mate[b], mate_edge[a], mate_edge[b] = b, a, e, e
    values = weight.tolist()
    partner_lists: dict[int, list[tuple[int, int]]] = {}

    def around(node: int) -> list[tuple[int, int]]:
        """(neighbour, edge) pairs of ``node``, built once per node."""
        found = partner_lists.get(node)
        if found is None:
            lo, hi = ptr[node], ptr[node + 1]
            found = partner_lists[node] = list(zip(neighbour[lo:hi].tolist(), via[lo:hi].tolist(), strict=True))
        return found

    def join(e: int) -> None:
        a, b = int(first[e]), int(second[e])
        mate[a], mate[b], mate_edge[a], mate_edge[b] = b, a, e, e

    depth = _DEEP_DEPTH if n <= _DEEP_NODES else 1

    def best_path(u: int) -> tuple[float, list[int], list[int]]:
        """Best alternating path from free u: (gain, edges to add, matched edges to drop)."""
        best: tuple[float, list[int], list[int]] = (1e-12, [], [])
        stack: list[tuple[int, float, list[int], list[int], frozenset[int]]] = [(u, 0.0, [], [], frozenset({u}))]
        budget = _PATH_BUDGET
        while stack and budget > 0:
            node, gain, added, dropped, seen = stack.pop()
            partners = around(node)
            budget -= len(partners)
            for v, e_in in partners:
                if v in seen:
                    continue
                if mate[v] == -1:
                    if gain + values[e_in] > best[0]:
                        best = (gain + values[e_in], [*added, e_in], dropped)
                    continue
                v2, e_old = mate[v], mate_edge[v]
                if v2 in seen:
                    continue
                step = gain + values[e_in] - values[e_old]
                if step > best[0]:  # stop here: v2 is left free
                    best = (step, [*added, e_in], [*dropped, e_old])
                if len(dropped) + 1 < depth:
                    stack.append((v2, step, [*added, e_in], [*dropped, e_old], seen | {v, v2}))
                else:
                    onward = around(v2)
                    budget -= len(onward)
                    for x, e_x in onward:
                        if x not in seen and x != v and mate[x] == -1 and step + values[e_x] > best[0]:
                            best = (step + values[e_x], [*added, e_in, e_x], [*dropped, e_old])
        return best

    for _ in range(_AUGMENT_PASSES):
        moved = False
        for u in range(n):
            if mate[u] != -1 or ptr[u] == ptr[u + 1]:
                continue
            _, added, dropped = best_path(u)
            if not added:
                continue
            for e in dropped:
                a, b = int(first[e]), int(second[e])
                mate[a] = mate[b] = mate_edge[a] = mate_edge[b] = -1
            for e in added:
                join(e)
            moved = True
        if not moved:
            break
    chosen = sorted({mate_edge[u] for u in range(n) if mate[u] != -1})
    return np.asarray(chosen, dtype=np.int64)


def _best_on_cycle(weights: list[float]) -> list[int]:
    """Positions of the best matching on a cycle whose edge t joins nodes t and t+1 (mod length)."""
    length = len(weights)
    without_last = _best_on_path(weights[:-1])
    with_last = [length - 1] + [t + 1 for t in _best_on_path(weights[1:-2])] if length >= 3 else []
    value_without = sum(weights[t] for t in without_last)
    value_with = sum(weights[t] for t in with_last)
    return with_last if value_with > value_without else without_last


def _best_on_path(weights: list[float]) -> list[int]:
    """Positions of the best matching on a path whose edge t joins nodes t and t+1."""
    best = [0.0] * (len(weights) + 1)  # best[t]: using edges before t
    for t, value in enumerate(weights):
        skip = best[t]
        take = value + (best[t - 1] if t >= 1 else 0.0)
        best[t + 1] = take if take > skip else skip
    picked: list[int] = []
    t = len(weights)
    while t > 0:
        take = weights[t - 1] + (best[t - 2] if t >= 2 else 0.0)
        if take > best[t - 1] and best[t] == take:
            picked.append(t - 1)
            t -= 2
        else:
            t -= 1
    return picked[::-1]
