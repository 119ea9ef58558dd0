"""Nobody left alone who could still be paired: a last pass over the full graph of allowed pairs.

Scores are never negative, so adding a pair never lowers the total. After the solver, anyone with
spare capacity is offered every allowed partner who also has spare capacity (not only candidates),
best scores first. Afterwards no allowed pair has both people with room left: an unmatched person's
every allowed partner is at capacity, which is exactly what their reason then says.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from app.domain.matching.greedy import greedy_edges
from app.domain.matching.problem import Problem

IntArray = npt.NDArray[np.int64]

_ROWS = 2048


def fill_free(problem: Problem, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Extra pairs (solver indices; reverse: mentor first) among people with room left."""
    n, m = problem.order.size, problem.n_first
    reverse = m < n
    left = problem.capacity.astype(np.int64).copy()
    taken: set[tuple[int, int]] = set()
    for one, other in pairs:
        left[one] -= 1
        left[other] -= 1
        taken.add((min(one, other), max(one, other)))
    graph = problem.graph
    has_partner = (
        np.concatenate([graph.first_has_partner, graph.second_has_partner]) if reverse else graph.first_has_partner
    )
    extra: list[tuple[int, int]] = []
    free = np.flatnonzero((left > 0) & has_partner)
    rows_all = free[free < m] if reverse else free
    for start in range(0, rows_all.size, _ROWS):
        rows = rows_all[start : start + _ROWS]
        rows = rows[left[rows] > 0]
        cols = np.flatnonzero((left > 0) & has_partner)
        cols = cols[cols >= m] if reverse else cols
        if rows.size == 0 or cols.size == 0:
            continue
        local_cols = cols - m if reverse else cols
        r, c = np.nonzero(np.isfinite(problem.scorer.subset(rows, local_cols)))
        a: IntArray = rows[r]
        b: IntArray = cols[c]
        if not reverse:
            a, b = np.minimum(a, b), np.maximum(a, b)
        fresh = np.asarray([(x, y) not in taken for x, y in zip(a.tolist(), b.tolist(), strict=True)], dtype=bool)
        a, b = a[fresh], b[fresh]
        if a.size == 0:
            continue
        key = np.unique(a * n + b)
        a, b = np.asarray(key // n, dtype=np.int64), np.asarray(key % n, dtype=np.int64)
        picked = greedy_edges(a, b, problem.features.scores(a, b), left)
        for x, y in zip(a[picked].tolist(), b[picked].tolist(), strict=True):
            left[x] -= 1
            left[y] -= 1
            taken.add((x, y))
            extra.append((x, y))
    return extra
