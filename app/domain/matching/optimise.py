"""Solving the candidate graph and proving how good the result is.

- **Two-sided pools** (reverse, ``two_sided``): the exact b-matching of the candidate graph by
  min-cost flow (``flow``, capacities included), certified over the full graph of allowed pairs
  (``bounds``); pairs outside the graph that break the certificate are added and the flow solved
  again (column generation, ``columns``). Small pools repeat this until nothing is left outside: the
  result is then the proven optimum.
- **One pool** (reciprocal, ``one_pool``): the best fractional matching of the double cover and its
  repair into pairs (``general``), certified the same way; capacities above 1 are filled in further
  rounds. Where it fits the time limit (``one_pool_exact``), Edmonds' blossom algorithm then solves
  the candidate graph exactly, and every allowed pair that could still beat that total (by LP reduced
  costs) is added until none is left: the result is then the proven optimum of the full graph.
- If even the first solve cannot finish within the time limit, greedy pairing on the candidate graph
  is used instead and the bound falls back to thresholds only (``solution``); every fallback is in
  the notes. An auction still bidding at the time limit stops (``AuctionStopped``): the solve keeps
  what it had before that round (greedy pairing if it was the first).

Each better solution is handed to ``incumbent`` (chosen edges, a proven bound) as soon as it exists,
so that a caller who stops the solve keeps the best one found so far.
"""

from __future__ import annotations

import numpy as np

# ``solution.SECONDS_PER_EDGE`` is read at call time, through the module (tests change it).
from app.domain.matching import solution
from app.domain.matching.bounds import bound_value, certify_problem
from app.domain.matching.deadline import Deadline
from app.domain.matching.greedy import greedy_edges
from app.domain.matching.model import MatchingSettings
from app.domain.matching.one_pool import one_pool
from app.domain.matching.problem import Problem
from app.domain.matching.solution import Incumbent, Solved, greedy_at_time_limit
from app.domain.matching.two_sided import two_sided

EXHAUSTIVE_PEOPLE = 3000  # up to this many people, column generation runs until nothing is missing


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
    per_edge = solution.SECONDS_PER_EDGE / 2 if reverse else solution.SECONDS_PER_EDGE
    if not deadline.fits(per_edge * (problem.first.size + n)):
        return greedy_at_time_limit(
            problem, reverse, notes, incumbent, f"the solver would not finish within {deadline.seconds:g} s"
        )
    if early is not None:
        # The cheapest complete result first, for a caller who may have to stop the solve.
        chosen = greedy_edges(problem.first, problem.second, problem.weight, problem.capacity)
        prices = np.zeros(n - problem.n_first if reverse else n)
        early(chosen, bound_value(problem, certify_problem(problem, prices, None), prices))
    exhaustive = n <= EXHAUSTIVE_PEOPLE
    if reverse:
        return two_sided(problem, deadline, notes, incumbent, exhaustive)
    return one_pool(problem, deadline, notes, incumbent, exhaustive)
