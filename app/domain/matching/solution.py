"""What a solve hands back, and the fallback when it cannot run within the time limit.

``Solved`` is the result of ``optimise``; ``Incumbent`` receives each better solution (chosen edges,
a proven bound) as soon as it exists. Before each solve the run's deadline is asked whether
``SECONDS_PER_EDGE`` times the edges still fits; when even the first solve would not,
``greedy_at_time_limit`` pairs greedily on the candidate graph, bounded by thresholds only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from app.domain.matching.bounds import bound_value, certify_problem
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.problem import Problem

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
Incumbent = Callable[[IntArray, float], None]

# Seconds per candidate edge a solve may need (measured 5e-6 to 8e-6 at 50,000 people on two
# cores; kept pessimistic), used to decide before calling it whether it can finish in time.
SECONDS_PER_EDGE = 1e-5


@dataclass(frozen=True)
class Solved:
    """Chosen edges, a proven upper bound of the best total over all allowed pairs (pins apart),
    the method, and whether the chosen edges are the proven optimum."""

    chosen: IntArray
    bound: float
    solver: str
    proven: bool


def greedy_at_time_limit(problem: Problem, reverse: bool, notes: list[str], incumbent: Incumbent, why: str) -> Solved:
    """Greedy pairing on the candidate graph, bounded by thresholds only: the time limit's fallback."""
    notes.append(f"time limit: {why}; pairs come from greedy on the candidate graph")
    n = problem.order.size
    chosen = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
    prices = np.zeros(n - problem.n_first if reverse else n)
    certificate = certify_problem(problem, prices, None)
    bound = bound_value(problem, certificate, prices)
    incumbent(chosen, bound)
    return Solved(chosen, bound, "greedy (time limit)", False)
