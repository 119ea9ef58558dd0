"""One pool proven optimal: blossom on the candidate graph, grown until no pair outside could beat it.

Where it fits the time limit (``exact.estimated_seconds``), Edmonds' blossom algorithm solves the
candidate graph exactly (``exact``); every allowed pair whose LP reduced cost says it could still
beat that total is added (``columns``) and the graph solved again, until none is left: the result is
then the proven optimum of the full graph, not only of the candidates.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from app.domain.matching.bounds import Certificate
from app.domain.matching.columns import add_pairs, edges_of
from app.domain.matching.deadline import Deadline
from app.domain.matching.exact import blossom_edges, estimated_seconds
from app.domain.matching.problem import Problem
from app.domain.matching.solution import Solved

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_EXACT_ROUNDS = 6  # blossom solves at most, each after adding the pairs that could still improve


def exact_one_pool(
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
        added = add_pairs(problem, *_could_improve(problem, dual, gap))
        if added == 0:
            notes.append("exact: blossom optimum over every pair that could matter (proven optimal)")
            return Solved(edges_of(problem, best_keys), best_total, "blossom (exact, rustworkx)", True)
        notes.append(f"exact: {added} pairs that could still improve the total added")
    notes.append("exact: the optimum could not be proven within the rounds allowed; the bound is the LP bound")
    return None


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
