"""Time limits stop the solve itself: the run in its own process returns at the limit with the best
result found so far, a valid bound and truthful reasons.

The fast test uses a pool and a limit small enough for every CI run; the 50,000-person test is
opt-in (``TURNABOUT_SLOW_TESTS=1``, marker ``slow``): CI runs it as a separate step.
"""

from __future__ import annotations

import os
import time

import pytest

from app.adapters.matching.process_solver import solve_in_process, warm_up
from app.domain.errors import DomainError
from app.domain.matching import MatchingResult, MatchingSettings, solve
from bench.checker import PairToCheck, count_violations
from bench.orgs import Organisation, build_organisation

SLOW = pytest.mark.skipif(not os.environ.get("TURNABOUT_SLOW_TESTS"), reason="opt-in: TURNABOUT_SLOW_TESTS=1")


def _check(result: MatchingResult, org: Organisation, settings: MatchingSettings) -> None:
    broken = count_violations(
        org,
        (PairToCheck(p.enrollment_ids[0], p.enrollment_ids[1], p.mentor_enrollment_id) for p in result.pairs),
        kind=settings.kind,
        reporting_line_depth=settings.reporting_line_depth,
        min_seniority_gap=settings.min_seniority_gap,
        exclude_same_manager_peers=settings.exclude_same_manager_peers,
    )
    assert sum(broken.values()) == 0, broken
    assert result.total_score <= result.upper_bound
    paired = {e for p in result.pairs for e in p.enrollment_ids}
    for person in result.unmatched:
        assert person.enrollment_id not in paired
        assert person.reason in {"no_allowed_partner", "at_capacity", "not_selected", "odd_one_out", "not_solved"}
    if result.pairs:
        assert all(u.reason != "not_solved" for u in result.unmatched)


async def test_a_solve_that_finishes_in_time_returns_the_engines_own_result() -> None:
    org = build_organisation(300, "reciprocal", seed=3)
    settings = MatchingSettings(kind="reciprocal")
    seen: list[float] = []
    result = await solve_in_process(
        org.candidates, settings, exclusions=org.exclusions, time_limit_s=60, progress=seen.append
    )
    direct = solve(org.candidates, settings, exclusions=org.exclusions)
    assert [p.enrollment_ids for p in result.pairs] == [p.enrollment_ids for p in direct.pairs]
    assert not result.stopped_by_deadline
    assert seen and seen[-1] == 1.0
    _check(result, org, settings)


async def test_the_limit_stops_the_solve_and_keeps_the_best_result_found() -> None:
    warm_up()
    org = build_organisation(6000, "reciprocal", seed=1)
    settings = MatchingSettings(kind="reciprocal")
    limit = 2.5
    started = time.perf_counter()
    result = await solve_in_process(org.candidates, settings, exclusions=org.exclusions, time_limit_s=limit)
    elapsed = time.perf_counter() - started
    assert elapsed <= limit + 1.0  # killing and joining the process; a loaded CI machine
    _check(result, org, settings)
    if result.stopped_by_deadline:
        assert any("time limit" in note for note in result.notes)
        assert not result.proven_optimal


async def test_a_limit_before_any_pairing_reports_everyone_as_not_solved() -> None:
    org = build_organisation(3000, "reverse", seed=2)
    settings = MatchingSettings(kind="reverse")
    result = await solve_in_process(org.candidates, settings, exclusions=org.exclusions, time_limit_s=0.05)
    assert result.stopped_by_deadline
    assert result.pairs == []
    assert {u.reason for u in result.unmatched} <= {"not_solved", "at_capacity"}
    assert result.upper_bound >= 0
    _check(result, org, settings)


async def test_engine_errors_come_back_as_they_are() -> None:
    org = build_organisation(40, "reverse", seed=2)
    mentor = next(c for c in org.candidates if c.role == "mentor")
    with pytest.raises(DomainError) as raised:
        await solve_in_process(
            org.candidates,
            MatchingSettings(kind="reverse"),
            pins=[(mentor.enrollment_id, mentor.enrollment_id)],
            time_limit_s=30,
        )
    assert raised.value.code == "pin_breaks_constraint"


@pytest.mark.slow
@SLOW
@pytest.mark.parametrize("kind", ["reverse", "reciprocal"])
async def test_fifty_thousand_people_with_a_ten_second_limit_return_within_eleven(kind: str) -> None:
    warm_up()
    org = build_organisation(50_000, kind, seed=0)
    settings = MatchingSettings(kind=kind)  # type: ignore[arg-type]
    started = time.perf_counter()
    result = await solve_in_process(org.candidates, settings, exclusions=org.exclusions, time_limit_s=10)
    assert time.perf_counter() - started <= 11
    _check(result, org, settings)
