"""Two-sided pools (reverse programs): the exact b-matching of the candidate graph, certified.

Min-cost flow (``flow``, capacities included) solves the candidate graph exactly, warm-started from
the scan prices; its LP duals are certified over the full graph of allowed pairs (``bounds``) and give
the b-matching LP bound. Pairs outside the graph that break the certificate are added and the flow
solved again from the last duals (``columns``); small pools repeat this until nothing is left
outside, and the result is then the proven optimum.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

# ``solution.SECONDS_PER_EDGE`` is read at call time, through the module (tests change it).
from app.domain.matching import solution
from app.domain.matching.bounds import certify
from app.domain.matching.columns import COLUMN_ROUNDS, GOOD_ENOUGH, add_edges, pair_leftovers
from app.domain.matching.deadline import Deadline
from app.domain.matching.flow import bipartite_b_matching
from app.domain.matching.problem import Problem
from app.domain.matching.solution import Incumbent, Solved

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_NONE = np.zeros(0, np.int64)
_NO_WEIGHT = np.zeros(0, np.float64)


def two_sided(problem: Problem, deadline: Deadline, notes: list[str], incumbent: Incumbent, exhaustive: bool) -> Solved:
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
            if column_round >= COLUMN_ROUNDS or float(np.dot(problem.capacity[:m], gain)) <= GOOD_ENOUGH * bound:
                break
        if not deadline.fits(solution.SECONDS_PER_EDGE / 2 * (problem.first.size + n)):
            break
        added = add_edges(problem, certificate, reverse=True)
        if added == 0:
            break
        column_round += 1
        notes.append(f"column generation: {added} pairs from outside the candidate graph added")
        warm = (row_dual, prices)
    proven = exhaustive and within and certificate.violating_rows.size == 0 and flow.first_dual is not None
    chosen, extra = pair_leftovers(problem, chosen, True)
    if extra:
        notes.append(f"{extra} pairs formed among people left over, outside the candidate graph")
    return Solved(chosen, bound, "min-cost flow (OR-Tools)", proven)


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
