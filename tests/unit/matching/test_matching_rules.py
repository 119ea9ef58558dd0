"""Hard constraints (``pair_violations``), settings validation and the engine's visible behaviour:
reasons for the unmatched, pins, forbids, capacities, baseline and progress."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from matching_pools import candidate, uid

from app.domain.errors import DomainError
from app.domain.matching import Candidate, MatchingSettings, Weights, pair_violations, solve
from app.domain.matching.bipartite import assign
from app.domain.matching.greedy import greedy_edges

REVERSE = MatchingSettings(kind="reverse")
RECIPROCAL = MatchingSettings(kind="reciprocal")
BOSS, SKIP, ME, REPORT, PEER = (uid(n) for n in (1, 2, 3, 4, 5))
# SKIP manages BOSS who manages ME and PEER; ME manages REPORT.


ME_C = candidate(3, manager_chain=(BOSS, SKIP))


# ------------------------------------------------------------------------------ pair_violations


def test_reporting_line_blocks_manager_skip_level_and_reports_up_to_depth() -> None:
    boss = candidate(1, manager_chain=(SKIP,))
    skip = candidate(2)
    report = candidate(4, manager_chain=(ME, BOSS, SKIP))
    assert pair_violations(ME_C, boss, RECIPROCAL) == ["reporting_line"]
    assert pair_violations(ME_C, skip, RECIPROCAL) == ["reporting_line"]
    assert pair_violations(report, ME_C, RECIPROCAL) == ["reporting_line"]
    assert pair_violations(report, boss, RECIPROCAL) == ["reporting_line"]  # boss's report's report
    shallow = MatchingSettings(kind="reciprocal", reporting_line_depth=1)
    assert pair_violations(ME_C, skip, shallow) == []
    assert pair_violations(report, boss, shallow) == []


def test_peers_with_the_same_manager_are_blocked_only_when_the_program_says_so() -> None:
    peer = candidate(5, manager_chain=(BOSS, SKIP))
    assert pair_violations(ME_C, peer, RECIPROCAL) == []
    strict = MatchingSettings(kind="reciprocal", exclude_same_manager_peers=True)
    assert pair_violations(ME_C, peer, strict) == ["same_manager"]


def test_declined_or_rematched_pairs_are_excluded() -> None:
    other = candidate(9)
    exclusions = frozenset({frozenset({ME, other.person_id})})
    assert pair_violations(ME_C, other, RECIPROCAL, exclusions) == ["excluded_pair"]


def test_reverse_needs_a_junior_mentor_and_a_senior_mentee() -> None:
    mentor = candidate(10, role="mentor", seniority=3)
    assert pair_violations(mentor, candidate(11, role="mentee", seniority=4), REVERSE) == []
    assert pair_violations(mentor, candidate(11, role="mentee", seniority=3), REVERSE) == ["seniority_gap"]
    wide = MatchingSettings(kind="reverse", min_seniority_gap=2)
    assert pair_violations(mentor, candidate(11, role="mentee", seniority=4), wide) == ["seniority_gap"]
    assert pair_violations(mentor, candidate(11, role="mentor", seniority=9), REVERSE) == ["role_mismatch"]
    assert pair_violations(mentor, candidate(11, role="both", seniority=9), REVERSE) == ["role_mismatch"]


def test_reciprocal_programs_ignore_roles_and_seniority() -> None:
    assert pair_violations(candidate(10, seniority=5), candidate(11, seniority=5), RECIPROCAL) == []


def test_violations_are_listed_in_a_stable_order() -> None:
    boss = candidate(1, role="mentee", seniority=1, manager_chain=(SKIP,))
    me = candidate(3, role="mentor", seniority=5, manager_chain=(BOSS, SKIP))
    forbids = frozenset({frozenset({me.enrollment_id, boss.enrollment_id})})
    exclusions = frozenset({frozenset({ME, BOSS})})
    found = pair_violations(me, boss, REVERSE, exclusions, forbids=forbids)
    assert found == ["seniority_gap", "reporting_line", "excluded_pair", "forbidden_pair"]
    assert pair_violations(me, me, RECIPROCAL)[0] == "same_person"


# ------------------------------------------------------------------------------ settings


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: Weights(skills=-1.0), "invalid_matching_weight"),
        (lambda: Weights(interests=math.nan), "invalid_matching_weight"),
        (lambda: Weights(0, 0, 0, 0, 0, 0, 0, 0), "matching_weights_all_zero"),
        (lambda: MatchingSettings(kind="sideways"), "invalid_program_kind"),  # type: ignore[arg-type]
        (lambda: MatchingSettings(kind="reverse", reporting_line_depth=0), "invalid_reporting_line_depth"),
        (lambda: MatchingSettings(kind="reverse", min_seniority_gap=-1), "invalid_min_seniority_gap"),
        (lambda: MatchingSettings(kind="reverse", ideal_seniority_gap=0), "invalid_ideal_seniority_gap"),
        (lambda: MatchingSettings(kind="reverse", top_k=0), "invalid_top_k"),
        (lambda: MatchingSettings(kind="reverse", top_k=True), "invalid_top_k"),
        (lambda: MatchingSettings(kind="reverse", time_limit_seconds=0), "invalid_time_limit"),
        (lambda: MatchingSettings(kind="reverse", department_preference="mixed"), "invalid_department_preference"),  # type: ignore[arg-type]
    ],
)
def test_invalid_settings_are_refused_with_a_stable_code(build: Callable[[], object], code: str) -> None:
    with pytest.raises(DomainError) as raised:
        build()
    assert raised.value.code == code
    assert raised.value.kind == "invalid"


def test_defaults_are_valid() -> None:
    config = MatchingSettings(kind="reverse")
    assert config.reporting_line_depth == 2
    assert config.department_preference == "cross"
    assert config.weights.total() > 0


# ------------------------------------------------------------------------------ engine behaviour


def _mentor(n: int, **fields: Any) -> Candidate:
    return candidate(n, role="mentor", seniority=1, skills_offered=frozenset({"python"}), **fields)


def _mentee(n: int, **fields: Any) -> Candidate:
    return candidate(n, role="mentee", seniority=6, skills_wanted=frozenset({"python"}), **fields)


def test_people_left_out_get_honest_reasons() -> None:
    full = _mentee(20, remaining_capacity=0)
    boss = _mentee(21)
    blocked = _mentor(22, manager_chain=(boss.person_id,))
    too_senior = candidate(23, role="mentor", seniority=9)
    spare_a, spare_b, taken = _mentor(24), _mentor(25), _mentee(26)
    result = solve([full, boss, blocked, too_senior, spare_a, spare_b, taken], REVERSE)
    reasons = {u.enrollment_id: u for u in result.unmatched}
    assert reasons[full.enrollment_id].reason == "at_capacity"
    assert reasons[too_senior.enrollment_id].reason == "no_allowed_partner"
    assert reasons[too_senior.enrollment_id].detail.startswith("seniority_gap")
    # Three mentors could take the two free mentees: one of them is left out, with allowed partners.
    assert len(result.pairs) == 2
    assert {u.reason for u in result.unmatched} == {"at_capacity", "no_allowed_partner", "not_selected"}
    (left,) = [u for u in result.unmatched if u.reason == "not_selected"]
    assert left.enrollment_id in {blocked.enrollment_id, spare_a.enrollment_id, spare_b.enrollment_id}
    assert "4 mentors for 2 mentees" in left.detail


def test_the_dominant_blocking_constraint_is_named() -> None:
    boss = _mentee(21)
    skip = _mentee(27)
    mentor = _mentor(22, manager_chain=(boss.person_id, skip.person_id))
    result = solve([boss, skip, mentor], REVERSE)
    (alone,) = [u for u in result.unmatched if u.enrollment_id == mentor.enrollment_id]
    assert alone.reason == "no_allowed_partner"
    assert alone.detail.startswith("reporting_line: all 2 possible partners are blocked")


def test_an_odd_pool_leaves_an_odd_one_out() -> None:
    people = [candidate(n, interests=frozenset({"chess"})) for n in (1, 2, 3)]
    result = solve(people, RECIPROCAL)
    assert len(result.pairs) == 1
    (alone,) = result.unmatched
    assert alone.reason == "odd_one_out"


def test_the_best_total_beats_greedy_first_come_pairing() -> None:
    # Greedy takes the single best edge a–x (10) and strands b; the optimum pairs a–y and b–x.
    weights = np.asarray([10.0, 9.0, 9.0])
    first = np.asarray([0, 0, 1])  # a, a, b
    second = np.asarray([2, 3, 2])  # x, y, x
    taken = greedy_edges(first, second, weights, np.ones(4, dtype=np.int64))
    assert weights[taken].sum() == 10.0
    best = assign(2, 2, first, second - 2, weights).edges
    assert weights[best].sum() == 18.0


def test_pins_are_kept_and_refused_when_they_break_a_rule() -> None:
    mentor, mentee, other = _mentor(1), _mentee(2), _mentee(3)
    result = solve([mentor, mentee, other], REVERSE, pins=[(mentee.enrollment_id, mentor.enrollment_id)])
    pinned = [p for p in result.pairs if p.pinned]
    assert len(pinned) == 1
    assert pinned[0].enrollment_ids == (mentor.enrollment_id, mentee.enrollment_id)
    assert pinned[0].mentor_enrollment_id == mentor.enrollment_id
    with pytest.raises(DomainError) as raised:
        solve([mentor, mentee], REVERSE, pins=[(mentor.enrollment_id, mentor.enrollment_id)])
    assert raised.value.code == "pin_breaks_constraint"
    assert "same_person" in raised.value.detail
    boss = _mentee(4)
    report = _mentor(5, manager_chain=(boss.person_id,))
    with pytest.raises(DomainError) as raised:
        solve([boss, report], REVERSE, pins=[(boss.enrollment_id, report.enrollment_id)])
    assert raised.value.code == "pin_breaks_constraint"
    assert "reporting_line" in raised.value.detail
    with pytest.raises(DomainError) as raised:
        solve([mentor, mentee, other], REVERSE, pins=[(mentor.enrollment_id, mentee.enrollment_id)] * 2)
    assert raised.value.code == "duplicate_pin"
    with pytest.raises(DomainError) as raised:
        solve(
            [mentor, mentee, other],
            REVERSE,
            pins=[(mentor.enrollment_id, mentee.enrollment_id), (mentor.enrollment_id, other.enrollment_id)],
        )
    assert raised.value.code == "pin_exceeds_capacity"
    with pytest.raises(DomainError) as raised:
        solve([mentor], REVERSE, pins=[(mentor.enrollment_id, uid(99))])
    assert raised.value.code == "pin_unknown_enrollment"


def test_forbidden_pairs_are_never_proposed() -> None:
    mentor = _mentor(1, interests=frozenset({"chess"}))
    best, second = _mentee(2, interests=frozenset({"chess"})), _mentee(3)
    assert solve([mentor, best, second], REVERSE).pairs[0].enrollment_ids[1] == best.enrollment_id
    result = solve([mentor, best, second], REVERSE, forbids=[(mentor.enrollment_id, best.enrollment_id)])
    assert [p.enrollment_ids for p in result.pairs] == [(mentor.enrollment_id, second.enrollment_id)]


def test_capacity_above_one_is_filled_with_distinct_partners() -> None:
    senior = _mentee(1, remaining_capacity=2)
    juniors = [_mentor(n) for n in (2, 3, 4)]
    result = solve([senior, *juniors], REVERSE)
    assert len(result.pairs) == 2
    partners = {p.enrollment_ids[0] for p in result.pairs}
    assert len(partners) == 2
    assert all(p.enrollment_ids[1] == senior.enrollment_id for p in result.pairs)
    assert result.proven_optimal


def test_capacities_are_filled_to_the_best_total_not_in_greedy_rounds() -> None:
    # Round by round, the first round would pair the senior with its single best junior (5) and
    # strand the other senior; the best total gives the hub its two other juniors instead.
    hub = _mentee(1, remaining_capacity=2, interests=frozenset({"chess", "jazz"}))
    other = _mentee(2, interests=frozenset({"chess"}))
    star = _mentor(3, interests=frozenset({"chess", "jazz"}))
    juniors = [_mentor(n, interests=frozenset({"jazz"})) for n in (4, 5)]
    forbids = [(other.enrollment_id, j.enrollment_id) for j in juniors]
    result = solve([hub, other, star, *juniors], REVERSE, forbids=forbids)
    partners = {p.enrollment_ids for p in result.pairs}
    assert (star.enrollment_id, other.enrollment_id) in partners
    assert {(j.enrollment_id, hub.enrollment_id) for j in juniors} <= partners
    assert result.quality == 1.0


def test_invalid_pools_are_refused() -> None:
    with pytest.raises(DomainError) as raised:
        solve([candidate(1, role="both")], REVERSE)
    assert raised.value.code == "role_not_in_program"
    with pytest.raises(DomainError) as raised:
        solve([candidate(1), candidate(1)], RECIPROCAL)
    assert raised.value.code == "duplicate_enrollment"
    with pytest.raises(DomainError) as raised:
        solve([candidate(1, remaining_capacity=-1)], RECIPROCAL)
    assert raised.value.code == "invalid_capacity"


def test_empty_and_one_person_pools_are_fine() -> None:
    assert solve([], RECIPROCAL).pairs == []
    result = solve([candidate(1)], RECIPROCAL)
    assert result.pairs == []
    assert result.unmatched[0].reason == "no_allowed_partner"
    assert result.quality == 1.0


def test_progress_is_reported_from_start_to_finish_and_the_baseline_on_request() -> None:
    people = [candidate(n, interests=frozenset({"chess", "jazz"}), seniority=n) for n in range(1, 9)]
    seen: list[float] = []
    result = solve(people, RECIPROCAL, progress=seen.append, with_greedy_baseline=True)
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert result.greedy_total is not None
    assert result.greedy_total <= result.upper_bound
    assert solve(people, RECIPROCAL).greedy_total is None
    assert result.pairs[0].summary.startswith("Score ")
