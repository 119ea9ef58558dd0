"""Health: meetings held against the cadence, check-ins, pauses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.errors import DomainError
from app.domain.health import CheckinSignal, PausePeriod, assess_health

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
CADENCE = 14


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def every_cadence(until: float) -> list[datetime]:
    return [day(d) for d in range(CADENCE, int(until) + 1, CADENCE)]


def test_meeting_on_cadence_is_on_track() -> None:
    health = assess_health(CADENCE, START, every_cadence(60), day(60))
    assert (health.status, health.reason) == ("on_track", "on_cadence")
    assert (health.expected_meetings, health.held_meetings, health.days_since_last) == (
        4,
        4,
        4,
    )


def test_a_fresh_relationship_is_on_track() -> None:
    health = assess_health(CADENCE, START, [], day(10))
    assert (health.status, health.expected_meetings, health.days_since_last) == (
        "on_track",
        0,
        None,
    )


def test_no_meeting_for_more_than_one_and_a_half_cadences_is_at_risk() -> None:
    health = assess_health(CADENCE, START, [day(14)], day(14 + 22))
    assert (health.status, health.reason) == ("at_risk", "meeting_overdue")
    assert health.days_since_last == 22


def test_holding_fewer_than_three_quarters_of_the_expected_is_at_risk() -> None:
    # 8 cadences elapsed, 5 held (< 6), the last one recent
    held = [day(d) for d in (14, 28, 80, 100, 110)]
    health = assess_health(CADENCE, START, held, day(112))
    assert (health.status, health.reason, health.expected_meetings) == (
        "at_risk",
        "behind_cadence",
        8,
    )


def test_no_meeting_for_more_than_three_cadences_is_stalled() -> None:
    health = assess_health(CADENCE, START, [day(10)], day(10 + 43))
    assert (health.status, health.reason) == ("stalled", "no_meeting_for_3_cadences")


def test_nothing_held_two_cadences_after_activation_is_stalled() -> None:
    assert assess_health(CADENCE, START, [], day(28)).status == "at_risk"
    health = assess_health(CADENCE, START, [], day(29))
    assert (health.status, health.reason) == ("stalled", "none_held_after_2_cadences")


def test_poor_recent_checkins_move_on_track_to_at_risk() -> None:
    held = every_cadence(60)
    poor = [
        CheckinSignal(day(20), 5),
        CheckinSignal(day(40), 2),
        CheckinSignal(day(50), 1),
    ]
    poor.append(CheckinSignal(day(55), 3))
    health = assess_health(CADENCE, START, held, day(60), poor)
    assert (health.status, health.reason) == ("at_risk", "low_checkins")
    fine = [
        CheckinSignal(day(40), 2),
        CheckinSignal(day(50), 4),
        CheckinSignal(day(55), 3),
    ]
    assert assess_health(CADENCE, START, held, day(60), fine).status == "on_track"


def test_checkins_never_hide_a_stalled_relationship() -> None:
    great = [CheckinSignal(day(50), 5)]
    assert assess_health(CADENCE, START, [], day(60), great).status == "stalled"


def test_a_paused_relationship_is_not_judged() -> None:
    health = assess_health(CADENCE, START, [], day(100), pauses=[PausePeriod(day(5), None)])
    assert (health.status, health.reason, health.judged) == (
        "not_judged",
        "paused",
        False,
    )


def test_paused_time_does_not_count_against_the_cadence() -> None:
    pause = PausePeriod(day(15), day(75))
    health = assess_health(CADENCE, START, [day(14)], day(80), pauses=[pause])
    assert (health.status, health.days_since_last, health.expected_meetings) == (
        "on_track",
        6,
        1,
    )


def test_a_relationship_never_activated_is_not_judged() -> None:
    health = assess_health(CADENCE, None, [], day(100))
    assert (health.status, health.reason) == ("not_judged", "not_active")


def test_meetings_after_now_do_not_count() -> None:
    health = assess_health(CADENCE, START, [day(14), day(40)], day(30))
    assert (health.held_meetings, health.days_since_last) == (1, 16)


def test_ratings_are_one_to_five_and_cadence_positive() -> None:
    with pytest.raises(DomainError, match="checkin_rating_out_of_range"):
        CheckinSignal(START, 6)
    with pytest.raises(DomainError, match="cadence_out_of_range"):
        assess_health(0, START, [], day(1))
