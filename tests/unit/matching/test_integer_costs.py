"""Scores as integers for the min-cost flow: exact and short when the scores allow it."""

from __future__ import annotations

import math

import numpy as np
from scipy.optimize import linear_sum_assignment

from app.domain.matching.costs import integer_costs
from app.domain.matching.flow import bipartite_b_matching


def test_scores_in_halves_become_the_smallest_exact_integers() -> None:
    weight = np.array([0.0, 2.5, 3.5, 1.0])
    costs = integer_costs(weight, max_pairs=9, bits=50)
    assert costs.scale == 2.0
    assert costs.rounding == 0.0
    assert costs.value.tolist() == [1, 51, 71, 21]  # 2·w·(9 + 1) + 1


def test_other_scores_take_the_whole_integer_range_and_say_what_rounding_costs() -> None:
    weight = np.array([0.1, 0.3, 0.25])
    costs = integer_costs(weight, max_pairs=9, bits=50)
    assert costs.scale > 2.0**40
    assert 0.0 < costs.rounding <= 0.5 / costs.scale
    # A probe that fits a small scale does not decide alone: one weight further on does not.
    halves_then_tenth = np.r_[np.full(300, 0.5), 0.1]
    assert integer_costs(halves_then_tenth, 9, 50).scale > 2.0**40


def test_exact_costs_give_duals_that_prove_the_optimum_with_no_slack() -> None:
    rng = np.random.default_rng(7)
    m, n = 40, 45
    dense = rng.integers(0, 8, size=(m, n)) / 2.0  # halves: scores of a pool without skills
    first, second = np.nonzero(dense >= 0)
    weight = dense[first, second]
    found = bipartite_b_matching(m, n, first, second, weight, np.ones(m + n, np.int64))
    rows, cols = linear_sum_assignment(dense, maximize=True)
    best = float(dense[rows, cols].sum())
    assert math.isclose(float(weight[found.edges].sum()), best, rel_tol=0, abs_tol=1e-12)
    assert found.first_dual is not None and found.second_dual is not None
    slack = np.maximum(weight - found.first_dual[first] - found.second_dual[second], 0.0)
    bound = float(found.first_dual.sum() + found.second_dual.sum() + slack.sum())
    assert math.isclose(bound, best, rel_tol=0, abs_tol=1e-9)
