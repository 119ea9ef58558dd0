"""Growing the candidate graph during a solve: column generation, and the people left over.

The certificate (``bounds``) meets the pairs outside the candidate graph that break it; ``add_edges``
adds them to the graph with exact scores and the solve runs again (column generation). Large pools
stop after ``COLUMN_ROUNDS`` such rounds, or as soon as the pairs outside add less than
``GOOD_ENOUGH`` of the bound. The edge arrays stay sorted by pair key, so edge indices from before an
addition are found again by key (``edges_of``). After the last solve, ``pair_leftovers`` pairs the
people still left with room among themselves, over the full graph.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from app.domain.matching.bipartite import assign
from app.domain.matching.bounds import Certificate
from app.domain.matching.candidates import unique_keys
from app.domain.matching.general import match_general
from app.domain.matching.problem import Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

COLUMN_ROUNDS = 3  # large pools: solve again at most this many times with pairs found missing
GOOD_ENOUGH = 5e-4  # large pools: no column round when outside pairs add less than this share
_LEFTOVER_LIMIT = 3000  # people left over that are still re-paired over the full graph


def add_edges(problem: Problem, certificate: Certificate, reverse: bool) -> int:
    """Add the violating pairs the certificate met to the graph (exact scores); how many were new."""
    a, b = certificate.violating_rows, certificate.violating_cols
    if reverse:
        b = b + problem.n_first
    return add_pairs(problem, a, b)


def add_pairs(problem: Problem, a: IntArray, b: IntArray) -> int:
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


def edges_of(problem: Problem, keys: IntArray) -> IntArray:
    every = problem.first * problem.order.size + problem.second
    return np.sort(np.searchsorted(every, keys))


def pair_leftovers(problem: Problem, chosen: IntArray, reverse: bool) -> tuple[IntArray, int]:
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
    add_pairs(problem, a[picked], b[picked])
    every = problem.first * n_total + problem.second
    return np.sort(np.searchsorted(every, keys)), int(picked.size)
