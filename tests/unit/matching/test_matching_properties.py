"""Properties of every matching run on random small organisations (hypothesis).

Hard constraints are checked with an independent predicate that walks the raw reporting tree;
optimality is checked against networkx's exact blossom algorithm (and SciPy's dense assignment for
two-sided pools): the engine's total never exceeds the optimum, the optimum never exceeds the
engine's upper bound, and two-sided pools are solved exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_pools import Pool, allowed_graph, assignment_optimum, breaks_hard_constraint, exact_optimum, pools

import app.domain.matching.general as general_module
import app.domain.matching.optimise as optimise_module
from app.domain.matching import MatchingResult, MatchingSettings, solve

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TOLERANCE = 1e-5  # integer scaling of scores costs at most ~5e-7 per pair


def _settings(data: st.DataObject, kind: str, *, top_k: int | None = None) -> MatchingSettings:
    return MatchingSettings(
        kind=kind,  # type: ignore[arg-type]
        reporting_line_depth=data.draw(st.integers(min_value=1, max_value=3)),
        exclude_same_manager_peers=data.draw(st.booleans()),
        min_seniority_gap=data.draw(st.integers(min_value=0, max_value=2)),
        top_k=top_k if top_k is not None else data.draw(st.sampled_from([1, 2, 3, 24])),
    )


def _check_result(result: MatchingResult, pool: Pool, config: MatchingSettings) -> None:
    by_enrollment = {c.enrollment_id: c for c in pool.candidates}
    used: Counter[Any] = Counter()
    seen: set[frozenset[Any]] = set()
    for pair in result.pairs:
        a, b = (by_enrollment[e] for e in pair.enrollment_ids)
        assert not breaks_hard_constraint(a, b, pool, config), pair
        key = frozenset(pair.enrollment_ids)
        assert key not in seen, "a pair proposed twice"
        seen.add(key)
        used[a.enrollment_id] += 1
        used[b.enrollment_id] += 1
        if config.kind == "reverse":
            assert pair.mentor_enrollment_id == a.enrollment_id
            assert a.role == "mentor"
            assert b.role == "mentee"
    for enrollment, count in used.items():
        assert count <= by_enrollment[enrollment].remaining_capacity, "capacity exceeded"
    left_out = {u.enrollment_id for u in result.unmatched}
    assert len(left_out) == len(result.unmatched), "someone listed twice as unmatched"
    for c in pool.candidates:
        assert (c.enrollment_id in left_out) == (used[c.enrollment_id] == 0)
    assert result.total_score <= result.upper_bound + TOLERANCE
    assert 0.0 <= result.quality <= 1.0
    assert result.total_score == pytest.approx(sum(p.score for p in result.pairs))


@pytest.mark.parametrize("kind", ["reverse", "reciprocal"])
@FAST
@given(data=st.data())
def test_no_pair_breaks_a_hard_constraint_and_nobody_exceeds_capacity(kind: str, data: st.DataObject) -> None:
    pool = data.draw(pools(kind, capacities=True))
    config = _settings(data, kind)
    result = solve(pool.candidates, config, exclusions=pool.exclusions)
    _check_result(result, pool, config)


@pytest.mark.parametrize("kind", ["reverse", "reciprocal"])
@FAST
@given(data=st.data())
def test_total_never_exceeds_the_optimum_and_the_optimum_never_exceeds_the_bound(
    kind: str, data: st.DataObject
) -> None:
    # Small top_k prunes the candidate graph: the bound must still hold for the full graph.
    pool = data.draw(pools(kind))
    config = _settings(data, kind)
    result = solve(pool.candidates, config, exclusions=pool.exclusions)
    _check_result(result, pool, config)
    optimum = exact_optimum(pool, config)
    assert result.total_score <= optimum + TOLERANCE
    assert optimum <= result.upper_bound + TOLERANCE


@FAST
@given(data=st.data())
def test_two_sided_pools_are_solved_exactly(data: st.DataObject) -> None:
    pool = data.draw(pools("reverse"))
    config = _settings(data, "reverse", top_k=24)
    result = solve(pool.candidates, config, exclusions=pool.exclusions)
    assert result.total_score == pytest.approx(exact_optimum(pool, config), abs=TOLERANCE)
    assert result.total_score == pytest.approx(assignment_optimum(pool, config), abs=TOLERANCE)


@FAST
@given(data=st.data())
def test_one_pool_is_optimal_whenever_the_lp_solution_is_integral(data: st.DataObject) -> None:
    pool = data.draw(pools("reciprocal"))
    config = _settings(data, "reciprocal", top_k=24)
    result = solve(pool.candidates, config, exclusions=pool.exclusions)
    optimum = exact_optimum(pool, config)
    assert result.total_score <= optimum + TOLERANCE <= result.upper_bound + 2 * TOLERANCE
    if not any("fractional" in note for note in result.notes):
        assert result.total_score == pytest.approx(optimum, abs=TOLERANCE)


@pytest.mark.parametrize("kind", ["reverse", "reciprocal"])
@FAST
@given(data=st.data())
def test_pins_are_honoured(kind: str, data: st.DataObject) -> None:
    pool = data.draw(pools(kind))
    config = _settings(data, kind)
    graph = allowed_graph(pool, config)
    if graph.number_of_edges() == 0:
        return
    pinned = data.draw(st.sampled_from(sorted(graph.edges, key=str)))
    result = solve(pool.candidates, config, exclusions=pool.exclusions, pins=[pinned])
    _check_result(result, pool, config)
    kept = [p for p in result.pairs if p.pinned]
    assert len(kept) == 1
    assert set(kept[0].enrollment_ids) == set(pinned)
    assert result.total_score <= result.upper_bound + TOLERANCE


@FAST
@given(data=st.data())
def test_result_does_not_depend_on_input_order(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(["reverse", "reciprocal"]))
    pool = data.draw(pools(kind))
    config = _settings(data, kind)
    shuffled = list(pool.candidates)
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    first = solve(pool.candidates, config, exclusions=pool.exclusions)
    second = solve(shuffled, config, exclusions=pool.exclusions)
    assert first.pairs == second.pairs
    assert first.unmatched == second.unmatched
    assert first.upper_bound == second.upper_bound


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_auction_path_keeps_every_guarantee(data: st.DataObject) -> None:
    # Pools above EXACT_NODES people are solved by auction; force that path on small pools.
    pool = data.draw(pools("reciprocal"))
    config = _settings(data, "reciprocal")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(general_module, "EXACT_NODES", 1)
        result = solve(pool.candidates, config, exclusions=pool.exclusions)
    _check_result(result, pool, config)
    optimum = exact_optimum(pool, config)
    assert result.total_score <= optimum + TOLERANCE <= result.upper_bound + 2 * TOLERANCE


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_a_path_search_cut_short_keeps_every_guarantee(data: st.DataObject) -> None:
    # The local improvement of one pool stops when its search budget runs out (dense graphs).
    pool = data.draw(pools("reciprocal"))
    config = _settings(data, "reciprocal")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(general_module, "_PATH_BUDGET", 1)
        result = solve(pool.candidates, config, exclusions=pool.exclusions)
    _check_result(result, pool, config)
    optimum = exact_optimum(pool, config)
    assert result.total_score <= optimum + TOLERANCE <= result.upper_bound + 2 * TOLERANCE


@pytest.mark.parametrize("kind", ["reverse", "reciprocal"])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_time_limit_falls_back_to_greedy_with_a_valid_bound(kind: str, data: st.DataObject) -> None:
    pool = data.draw(pools(kind))
    config = _settings(data, kind)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(optimise_module, "_SECONDS_PER_EDGE", 1e9)
        result = solve(pool.candidates, config, exclusions=pool.exclusions)
    _check_result(result, pool, config)
    if result.pairs or any(c.remaining_capacity for c in pool.candidates):
        assert result.solver in ("greedy (time limit)", "none")
    assert exact_optimum(pool, config) <= result.upper_bound + TOLERANCE


@pytest.mark.parametrize("kind", ["reverse", "reciprocal"])
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_bound_holds_for_larger_pools_with_a_heavily_pruned_graph(kind: str, data: st.DataObject) -> None:
    # top_k = 2 leaves most allowed pairs out of the candidate graph: the certificate must rescore.
    pool = data.draw(pools(kind, max_size=40))
    config = _settings(data, kind, top_k=2)
    result = solve(pool.candidates, config, exclusions=pool.exclusions)
    _check_result(result, pool, config)
    optimum = exact_optimum(pool, config)
    assert result.total_score <= optimum + TOLERANCE <= result.upper_bound + 2 * TOLERANCE
