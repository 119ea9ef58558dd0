"""Maximum-weight matching of a two-sided pool (reverse programs), exact on the candidate graph.

The problem is turned into a minimum-cost *perfect* assignment that always exists, so that anyone may
stay unmatched: rows are the mentors plus one "stays unmatched" row per mentee, columns the mentees
plus one "stays unmatched" column per mentor.

- mentor i – mentee j (a candidate edge): cost ``K − w_ij``;
- mentor i – its own dummy column, dummy row of mentee j – mentee j: cost ``(K + 1) / 2`` each;
- dummy row of j – dummy column of i, for every candidate edge (i, j): cost 1 (the two dummies left
  over when i and j pair up).

A perfect assignment then costs ``(M + N)(K + 1)/2 − Σ w`` over the chosen pairs, so minimising cost
maximises the total score. Weights are scaled to integers (LAPJVsp can stall on float costs, and exact
integers make the optimum exact for the rounded weights). SciPy's ``min_weight_full_bipartite_matching``
returns no duals, so they are recovered from the optimal assignment by Bellman–Ford on the
complementary-slackness constraints; they become the prices of ``bounds``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

SCALE = float(1 << 20)  # score units → integer cost units: rounding costs at most 5e-7 per pair


@dataclass(frozen=True)
class Warm:
    """What a previous solve (or the price estimate) knows: dual estimates of both sides, in score
    units, and the previous assignment of the auction's rows (or None). Only speeds solvers up."""

    first: FloatArray
    second: FloatArray
    assignment: IntArray | None = None


def integer_weights(weight: FloatArray) -> IntArray:
    """Scores scaled to integers (≥ 0)."""
    return np.maximum(np.rint(weight * SCALE), 0).astype(np.int64)


@dataclass(frozen=True)
class Assignment:
    """Matched edges (indices into the edge arrays given) and LP prices of the second side.

    ``second_price[j] ≥ 0`` are dual prices for the candidate graph (in score units): optimal for the
    exact solver, ``eps``-optimal for the auction; ``None`` when they could not be recovered.
    ``warm`` carries the state to warm-start the next solve.
    """

    edges: IntArray
    second_price: FloatArray | None
    warm: Warm | None = None


def optimal_duals(
    matrix: sp.csr_matrix, col_of_row: IntArray, start: FloatArray, max_rounds: int
) -> tuple[FloatArray, FloatArray] | None:
    """Row and column potentials ``a, b`` with ``a_r + b_c ≤ cost_rc`` everywhere, equality on the
    assignment, or ``None`` if Bellman–Ford does not settle within ``max_rounds``.

    With ``b_c = cost(row_of_c, c) − a_(row_of_c)``, feasibility is ``a_r ≤ a_r' + cost_rc − cost_r'c``
    for every edge (r, c) where r' is c's assigned row: a shortest-path system, free of negative cycles
    exactly because the assignment is optimal. Relaxation may start anywhere (``start``: the warm
    potentials, so that it settles in a few rounds); it converges to a feasible solution.
    """
    n = matrix.shape[0]
    row_of_col = np.empty(n, dtype=np.int64)
    row_of_col[col_of_row] = np.arange(n)
    indptr, indices, cost = matrix.indptr, matrix.indices, matrix.data
    rows = np.repeat(np.arange(n), np.diff(indptr))
    on_assignment = indices == col_of_row[rows]
    matched_cost_of_row = np.empty(n)
    matched_cost_of_row[rows[on_assignment]] = cost[on_assignment]
    matched_cost_of_col = matched_cost_of_row[row_of_col]
    source = row_of_col[indices]
    offset = cost - matched_cost_of_col[indices]
    a = start.astype(np.float64)
    for _ in range(max_rounds):
        relaxed = np.minimum(np.minimum.reduceat(a[source] + offset, indptr[:-1]), a)
        if np.array_equal(relaxed, a):
            b = matched_cost_of_col - a[row_of_col]
            return a, b
        a = relaxed
    return None


@dataclass(frozen=True)
class SquareSolution:
    """Optimal perfect assignment ``col_of_row`` of a square cost matrix, with optimal potentials
    ``a`` (rows) and ``b`` (columns), or ``None`` for them when they could not be recovered."""

    col_of_row: IntArray
    duals: tuple[FloatArray, FloatArray] | None


def solve_assignment(
    rows: IntArray, cols: IntArray, cost: IntArray, row_potential: IntArray, col_potential: IntArray, n: int
) -> SquareSolution:
    """Optimal perfect assignment of the square integer cost matrix ``(rows, cols, cost)``.

    The solver sees reduced costs ``cost − row_potential − col_potential``, each row shifted to a
    minimum of 1 (the SciPy routine treats zeros as missing edges): the same optimal assignments, but
    with near-optimal potentials LAPJVsp finishes in a fraction of the time. The same potentials
    warm-start the recovery of the duals.
    """
    order = np.lexsort((cols, rows))
    rows, cols, cost = rows[order], cols[order], cost[order]
    reduced = cost - row_potential[rows] - col_potential[cols]
    indptr = np.searchsorted(rows, np.arange(n + 1))
    row_min = np.minimum.reduceat(reduced, indptr[:-1])
    shifted = (reduced - np.repeat(row_min, np.diff(indptr)) + 1).astype(np.float64)
    _, col_of_row = min_weight_full_bipartite_matching(sp.csr_matrix((shifted, cols, indptr), shape=(n, n)))
    col_of_row = np.asarray(col_of_row, dtype=np.int64)
    matrix = sp.csr_matrix((cost.astype(np.float64), cols, indptr), shape=(n, n))
    duals = optimal_duals(matrix, col_of_row, row_potential.astype(np.float64), max_rounds=4 * n + 10)
    return SquareSolution(col_of_row=col_of_row, duals=duals)


def assign(
    n_first: int, n_second: int, first: IntArray, second: IntArray, weight: FloatArray, *, warm: Warm | None = None
) -> Assignment:
    """Best total score matching of the candidate graph ``first[e]``–``second[e]`` (unique edges).

    ``warm`` (dual estimates, previous assignment) only speeds the solver up.
    """
    if first.size == 0:
        return Assignment(edges=np.zeros(0, np.int64), second_price=np.zeros(n_second))
    first_potential = warm.first if warm is not None else None
    second_potential = warm.second if warm is not None else None
    w = integer_weights(weight)
    big = int(w.max()) + 1
    big += 1 - big % 2  # odd, so that (big + 1) / 2 is an integer
    half = (big + 1) // 2
    m, n, e = n_first, n_second, first.size
    rows = np.concatenate([first, np.arange(m), m + np.arange(n), m + second])
    cols = np.concatenate([second, n + np.arange(m), np.arange(n), n + first])
    cost = np.concatenate([big - w, np.full(m, half), np.full(n, half), np.ones(e, np.int64)])
    u = integer_weights(first_potential) if first_potential is not None else np.zeros(m, np.int64)
    v = integer_weights(second_potential) if second_potential is not None else np.zeros(n, np.int64)
    # Potentials for dual estimates u (mentors) and v (mentees): the reduced costs are u + v − w on
    # real edges, u on "mentor unmatched", v on "mentee unmatched" and 0 between dummies.
    row_potential = np.concatenate([-u, np.full(n, half - big)])
    col_potential = np.concatenate([big - v, np.full(m, half)])
    solution = solve_assignment(rows, cols, cost, row_potential, col_potential, m + n)
    col_of_row = solution.col_of_row
    paired = np.flatnonzero(col_of_row[:m] < n)
    edges = _edge_index(first, second, n, paired, col_of_row[paired])
    if solution.duals is None:
        return Assignment(edges=edges, second_price=None)
    a, b = solution.duals
    price = np.maximum(half - a[m : m + n] - b[:n], 0.0) / SCALE  # v_j = (K+1)/2 − a(dummy of j) − b(j)
    profit = np.maximum(half - a[:m] - b[n : n + m], 0.0) / SCALE  # u_i = (K+1)/2 − a(i) − b(dummy of i)
    return Assignment(edges=edges, second_price=price, warm=Warm(profit, price))


def _edge_index(first: IntArray, second: IntArray, n_second: int, rows: IntArray, cols: IntArray) -> IntArray:
    """Positions in the edge arrays of the pairs ``rows[t]``–``cols[t]`` (all present)."""
    key = first * n_second + second
    order = np.argsort(key)
    return np.sort(order[np.searchsorted(key, rows * n_second + cols, sorter=order)])
