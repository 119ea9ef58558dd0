"""Solving the candidate graph and proving how good the result is.

Round one is a best matching of the candidate graph (``bipartite`` or ``general``), then a
certificate over the full graph (``bounds``); pairs outside the graph that break the certificate are
added and round one is solved again (column generation) while that can still move the bound by more
than ``_GOOD_ENOUGH``. Capacities above 1 are filled in further rounds. If the exact solver cannot
finish within the time limit, greedy pairing on the candidate graph is used instead and the bound
falls back to thresholds only; both are reported in the notes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.bipartite import Warm, assign
from app.domain.matching.bounds import Certificate, certify
from app.domain.matching.candidates import BlockScorer, unique_keys
from app.domain.matching.general import match_general
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.model import MatchingSettings
from app.domain.matching.problem import Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# Seconds per candidate edge the solver may need (measured 5e-6 to 8e-6 at 50,000 people on two
# cores; kept pessimistic), used to decide before calling it whether it can finish inside the time
# limit: neither the SciPy call nor an auction phase can be interrupted.
_SECONDS_PER_EDGE = 1e-5
_COLUMN_ROUNDS = 3  # solve again at most this many times with pairs the certificate found missing
_GOOD_ENOUGH = 5e-4  # no column round when pairs outside the graph add less than this share to the bound
_LEFTOVER_LIMIT = 3000  # people left over that are still re-paired over the full graph


@dataclass(frozen=True)
class _Round:
    """One best matching of some edges: chosen edge indices, LP prices (solver order), the state
    that warm-starts the next solve, the method used and how many fractional cycles were repaired."""

    chosen: IntArray
    prices: FloatArray | None
    warm: Warm | None
    method: str
    fractional_cycles: int = 0


def _solve_once(problem: Problem, live: IntArray, reverse: bool, warm: Warm | None) -> _Round:
    first, second, weight = problem.first[live], problem.second[live], problem.weight[live]
    n = problem.order.size
    if reverse:
        m = problem.n_first
        result = assign(m, n - m, first, second - m, weight, warm=warm)
        return _Round(live[result.edges], result.second_price, result.warm, "sparse assignment (LAPJVsp)")
    general = match_general(n, first, second, weight, warm=warm)
    return _Round(live[general.edges], general.prices, general.warm, general.method, general.long_cycles)


def optimise(
    problem: Problem, settings: MatchingSettings, started: float, notes: list[str]
) -> tuple[IntArray, Certificate, FloatArray, str]:
    """Chosen edges, the bound certificate and its prices, and the solver's name.

    Round one is solved, then certified against the full graph; pairs found to break the LP
    certificate are added to the graph and round one is solved again (at most ``_COLUMN_ROUNDS``
    times). Capacities above 1 are then filled in further rounds on the final graph.
    """
    reverse = settings.kind == "reverse"
    limit = settings.time_limit_seconds
    n = problem.order.size
    if time.perf_counter() - started + _SECONDS_PER_EDGE * (problem.first.size + n) > limit:
        notes.append(
            f"time limit: the exact solver would not finish within {limit:g} s; "
            "pairs come from greedy on the candidate graph"
        )
        chosen = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
        prices = np.zeros(n - problem.n_first if reverse else n)
        return chosen, _certificate(problem, prices, None), prices, "greedy (time limit)"
    everyone = np.arange(problem.first.size)
    warm: Warm | None = Warm(problem.graph.first_price, problem.graph.second_price)
    for column_round in range(_COLUMN_ROUNDS + 1):
        solved = _solve_once(problem, everyone, reverse, warm)
        chosen, found_prices, next_warm = solved.chosen, solved.prices, solved.warm
        if found_prices is None:
            notes.append("LP prices could not be recovered: the bound uses thresholds only")
            prices = np.zeros(n - problem.n_first if reverse else n)
            certificate = _certificate(problem, prices, None)
            break
        prices = found_prices
        within = time.perf_counter() - started < limit
        certificate = _certificate(problem, prices, problem.scorer if within else None)
        if not within:
            notes.append("time limit: the bound uses thresholds only (valid, looser)")
            break
        next_warm = next_warm if next_warm is not None else Warm(certificate.profit, prices)
        if column_round == _COLUMN_ROUNDS:
            break
        # Column generation can only remove what pairs outside the graph add to the bound.
        gain = certificate.outside_gain
        capacity = problem.capacity[: gain.size].astype(np.float64)
        if math.fsum((capacity * gain).tolist()) <= _GOOD_ENOUGH * _bound_value(problem, certificate, prices):
            break
        if time.perf_counter() - started + _SECONDS_PER_EDGE * (problem.first.size + n) > limit:
            break
        # Adding edges reorders the edge arrays: only ever followed by a new solve.
        added = _add_edges(problem, certificate, reverse)
        if added == 0:
            break
        notes.append(f"column generation: {added} pairs from outside the candidate graph added")
        everyone = np.arange(problem.first.size)
        warm = next_warm
    chosen, extra = _pair_leftovers(problem, chosen, reverse)
    if extra:
        notes.append(f"{extra} pairs formed among people left over, outside the candidate graph")
    if solved.fractional_cycles:
        notes.append(f"{solved.fractional_cycles} cycles of the fractional LP optimum repaired into pairs")
    name = solved.method
    if int(problem.capacity.max(initial=0)) > 1:
        chosen, rounds = _capacity_rounds(problem, chosen, reverse, started, limit, notes, next_warm)
        name += f", {rounds} capacity rounds"
    return chosen, certificate, prices, name


def _capacity_rounds(
    problem: Problem,
    chosen: IntArray,
    reverse: bool,
    started: float,
    limit: float,
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
        if time.perf_counter() - started > limit:
            notes.append(f"time limit: capacity rounds stopped after round {rounds}")
            break
        edges = _solve_once(problem, live, reverse, warm).chosen
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
