"""The candidate graph of a pool whose scores mostly tie: everyone keeps partners of their own."""

from __future__ import annotations

import numpy as np
import pytest
from matching_pools import candidate
from threadpoolctl import threadpool_info

import app.domain.matching.bounds as bounds_module
import app.domain.matching.one_pool as one_pool_module
import app.domain.matching.prices as prices_module
from app.domain.matching import MatchingSettings, solve
from app.domain.matching.auction import auction
from app.domain.matching.bounds import _most_violated, certify_problem
from app.domain.matching.candidates import BlockScorer
from app.domain.matching.constraints import blocked_pairs
from app.domain.matching.general import double_cover_options, match_general
from app.domain.matching.prices import _sample_duals, spread
from app.domain.matching.problem import build_problem
from bench.orgs import build_organisation

SETTINGS = MatchingSettings(kind="reciprocal", top_k=8)


def _plain_pool(n: int) -> list:
    """What an HRIS import without skills gives: a handful of departments and cities, one interest,
    one meeting mode; most pairs score exactly the same."""
    return [
        candidate(
            i,
            department=("Sales", "Finance", "Legal")[i % 3],
            location=("Leeds", "Lyon")[i % 2],
            seniority=1 + i % 3,
            interests=frozenset({"running"}),
            meeting_modes=frozenset({"video"}),
        )
        for i in range(n)
    ]


def test_ties_spread_over_the_pool_instead_of_making_hubs_of_the_first_people() -> None:
    pool = _plain_pool(3000)
    capacity = np.ones(len(pool), dtype=np.int64)
    problem = build_problem(pool, SETTINGS, capacity, blocked_pairs(pool, SETTINGS, (), ()), lambda _f: None)
    assert problem is not None
    degree = np.bincount(np.concatenate([problem.first, problem.second]), minlength=len(pool))
    # Each person lists 8 partners and is listed by about 8 others; without tie-breaking the first
    # people of each score class are everyone's partners (degrees in the hundreds).
    assert degree.max() <= 4 * SETTINGS.top_k
    assert degree.min() >= SETTINGS.top_k


def test_a_tied_pool_is_solved_on_its_candidate_graph_without_column_generation() -> None:
    # Without tie-breaking: dozens of rounds of column generation (over a minute), quality 0.86.
    result = solve(_plain_pool(3000), SETTINGS)
    assert len(result.pairs) == 1500
    assert result.quality >= 0.999
    assert not any(note.startswith("column generation") for note in result.notes)


def test_column_generation_takes_tied_violations_in_a_fixed_spread_order_not_by_column() -> None:
    gain = np.ones((300, 4000), dtype=np.float32)
    gain[7, 3999] = 2.0  # a clear best is always taken
    gain[8, :] = -1.0  # nothing positive: nothing taken
    rows, cols = _most_violated(gain, 8)
    assert np.array_equal(np.bincount(rows, minlength=300)[[6, 7, 8]], [8, 8, 0])
    assert 3999 in cols[rows == 7]
    # By column order every row would take columns 0–7: eight hubs, which the solver cannot share.
    assert np.unique(cols).size > 1000
    assert np.bincount(cols).max() <= 10  # not even one hub (argmax alone picks the first of ties)
    again = _most_violated(gain, 8)
    assert np.array_equal(rows, again[0]) and np.array_equal(cols, again[1])


def test_a_tied_two_sided_pool_needs_one_round_of_column_generation() -> None:
    # Before the spread order: three rounds, and the third still left the bound at quality 0.92.
    org = build_organisation(4000, "reverse", 0, "plain")
    result = solve(org.candidates, MatchingSettings(kind="reverse"), exclusions=org.exclusions)
    assert sum(note.startswith("column generation") for note in result.notes) == 1
    assert result.quality >= 0.999


def _ladder(n: int, classes: int, step: float, seed: int = 0) -> np.ndarray:
    """Scores of n people in a few classes (a symmetric matrix): pairs of classes a, b score
    ``(a + b) · step``, the diagonal is blocked."""
    kind = np.random.default_rng(seed).integers(0, classes, n)
    scores = (kind[:, None] + kind[None, :]).astype(np.float64) * step
    np.fill_diagonal(scores, -np.inf)
    return scores


def test_the_spread_is_half_a_step_of_a_tied_pools_score_ladder_and_scales_with_it() -> None:
    scores = _ladder(400, 4, 1 / 3)
    assert spread(scores, 10.0, 24, 1e-6) == pytest.approx(1 / 6)
    # The same pool with weights a million times smaller: the same spread, scaled.
    assert spread(scores * 1e-6, 10.0, 24, 1e-12) == pytest.approx(1e-6 / 6)
    # Ties too few to fill a list: each sampled partner stands for one person only.
    assert spread(scores, 1.0, 400, 1e-6) == 0.0


def test_a_pool_whose_scores_do_not_tie_gets_no_spread() -> None:
    scores = np.random.default_rng(1).random((400, 400)) * 8
    np.fill_diagonal(scores, -np.inf)
    # A sample of 400 from 10,000 people: each partner stands for 25, but the best one ties with no other.
    assert spread(scores, 25.0, 24, 8 * 2.0**-13) == 0.0


def test_the_sampled_markets_prices_charge_every_sampled_pair_not_only_the_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 600 people in two classes: every person ties with about 300 partners, more than the 128 a
    # sampled person lists, so prices solved on the lists alone can undercharge pairs left out.
    scores = _ladder(600, 2, 1.0, seed=3)
    row, col = _sample_duals(scores, symmetric=True) or (None, None)
    assert row is not None and col is not None
    assert (scores - row[:, None] - col[None, :]).max() <= 1e-6
    monkeypatch.setattr(prices_module, "_SAMPLE_ROUNDS", 1)
    row, col = _sample_duals(scores, symmetric=True) or (None, None)
    assert row is not None and col is not None
    assert (scores - row[:, None] - col[None, :]).max() > 0.1


def test_a_tied_one_pool_is_listed_widely_enough_to_need_no_column_generation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = build_organisation(4000, "reciprocal", 0, "plain")
    result = solve(org.candidates, MatchingSettings(kind="reciprocal"), exclusions=org.exclusions)
    assert not any(note.startswith("column generation") for note in result.notes)
    assert result.quality >= 0.999
    # Lists ranked at prices one step off (no spread): the best matching needs pairs left out.
    monkeypatch.setattr(prices_module, "spread", lambda *_args: 0.0)
    result = solve(org.candidates, MatchingSettings(kind="reciprocal"), exclusions=org.exclusions)
    assert sum(note.startswith("column generation") for note in result.notes) == 1


def test_a_solve_after_column_generation_that_moved_prices_far_starts_cold(monkeypatch: pytest.MonkeyPatch) -> None:
    # A tied pool listed at scan prices alone (no spread): the pairs outside add over 1 % of the
    # bound, and a warm second solve would bid in tiny steps until its budget ran out, then start
    # over cold anyway.
    monkeypatch.setattr(prices_module, "spread", lambda *_args: 0.0)
    warm_starts: list[bool] = []
    solve_once = one_pool_module._solve_once

    def recorded(problem, live, reverse, warm, deadline=None):  # type: ignore[no-untyped-def]
        warm_starts.append(warm is not None)
        return solve_once(problem, live, reverse, warm, deadline)

    monkeypatch.setattr(one_pool_module, "_solve_once", recorded)
    org = build_organisation(4000, "reciprocal", 0, "plain")
    result = solve(org.candidates, MatchingSettings(kind="reciprocal"), exclusions=org.exclusions)
    assert sum(note.startswith("column generation") for note in result.notes) == 1
    assert warm_starts == [True, False]
    assert result.quality >= 0.999


class _CountingDeadline:
    """Never passes; counts how often the auction looks (once per round of simultaneous bids)."""

    def __init__(self) -> None:
        self.looks = 0

    def passed(self) -> bool:
        self.looks += 1
        return False


def test_an_auction_over_a_pool_that_all_ties_spreads_its_bids() -> None:
    n = 600
    first, second = np.triu_indices(n, k=1)
    _rows, cols, values, indptr = double_cover_options(n, first, second, np.ones(first.size))
    deadline = _CountingDeadline()
    sigma, _price = auction(indptr, cols, values, n, np.zeros(n), [0.01, 0.001], None, deadline)  # type: ignore[arg-type]
    assert sorted(sigma.tolist()) == list(range(n))
    # Options in index order sent every bidder to the same people: 585 rounds here.
    assert deadline.looks < 40


def test_the_scan_runs_blas_on_one_thread_and_gives_the_threads_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # The scan overlaps its matrix products (a background thread) with the selection (this one);
    # BLAS on every core took both cores from the selection (50,000 people: 5.6 s against 4.0 s).
    def blas_threads() -> set[int]:
        return {int(info["num_threads"]) for info in threadpool_info() if info["user_api"] == "blas"}

    seen: list[set[int]] = []
    block = BlockScorer.block

    def recorded(self, r0, r1, c0, c1):  # type: ignore[no-untyped-def]
        seen.append(blas_threads())
        return block(self, r0, r1, c0, c1)

    monkeypatch.setattr(BlockScorer, "block", recorded)
    before = blas_threads()
    pool = _plain_pool(600)
    capacity = np.ones(len(pool), dtype=np.int64)
    build_problem(pool, SETTINGS, capacity, blocked_pairs(pool, SETTINGS, (), ()), lambda _f: None)
    assert seen and all(threads == {1} for threads in seen)
    assert blas_threads() == before


def _first_solve(n: int) -> tuple:
    """A tied pool's problem and its first solve's LP prices (the certificate then opens most rows)."""
    org = build_organisation(n, "reciprocal", 0, "plain")
    settings = MatchingSettings(kind="reciprocal")
    pool = list(org.candidates)
    capacity = np.asarray([c.remaining_capacity for c in pool], dtype=np.int64)
    problem = build_problem(pool, settings, capacity, blocked_pairs(pool, settings, org.exclusions, ()), lambda _f: 0)
    assert problem is not None
    solved = match_general(problem.order.size, problem.first, problem.second, problem.weight)
    assert solved.prices is not None
    return problem, solved.prices


def test_a_one_pool_certificate_scores_each_pair_of_open_rows_once_with_the_same_profits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem, prices = _first_solve(3000)
    scored: list[int] = []
    subset = BlockScorer.subset

    def counted(self, rows, cols):  # type: ignore[no-untyped-def]
        scored.append(rows.size * cols.size)
        return subset(self, rows, cols)

    monkeypatch.setattr(BlockScorer, "subset", counted)
    both = certify_problem(problem, prices, problem.scorer, collect=False)
    assert 2 * both.rescored > problem.order.size  # most rows open: pairs among them both ways
    both_ways = sum(scored)
    scored.clear()
    monkeypatch.setattr(bounds_module._Rescan, "both_ways_pays", lambda *_args: False)
    one_way = certify_problem(problem, prices, problem.scorer, collect=False)
    # The same upper estimates, up to float32 rounding (the products differ in order).
    np.testing.assert_allclose(both.profit, one_way.profit, rtol=0, atol=1e-6)
    assert both_ways < 0.7 * sum(scored)


def test_a_certificate_that_does_not_collect_names_the_rows_breaking_it_and_proves_the_same() -> None:
    problem, prices = _first_solve(3000)
    # Prices off by up to half a point: pairs outside the graph break the certificate.
    prices = prices + np.random.default_rng(5).random(prices.size) / 2
    kept = certify_problem(problem, prices, problem.scorer)
    named = certify_problem(problem, prices, problem.scorer, collect=False)
    np.testing.assert_allclose(kept.profit, named.profit, rtol=0, atol=1e-6)
    assert named.violating_rows.size == 0 and named.breaking.size > 0
    # The rows named are exactly those whose pairs column generation gets.
    assert np.array_equal(named.breaking, np.unique(kept.violating_rows))
    again = certify_problem(problem, prices, problem.scorer, among=named.breaking)
    assert np.array_equal(np.unique(again.violating_rows), named.breaking)
