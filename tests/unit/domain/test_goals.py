"""Goals: program objectives and a pair's learning goals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from app.domain.errors import DomainError
from app.domain.events import GoalAchieved, GoalStatusChanged, LearningGoalCreated
from app.domain.goals import LearningGoal
from app.domain.programs import Objective

OWNER = UUID(int=1)
PARTNER = UUID(int=2)
STRANGER = UUID(int=3)
GOAL = UUID(int=50)
REL = UUID(int=10)
PROGRAM = UUID(int=20)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def goal(**kwargs: object) -> LearningGoal:
    arguments: dict[str, object] = {
        "id": GOAL,
        "relationship_id": REL,
        "program_id": PROGRAM,
        "owner_id": OWNER,
        "partner_id": PARTNER,
        "title": "Post weekly on the company network",
        "success_criteria": "Four posts with replies",
        "now": NOW,
        "target_date": date(2025, 6, 30),
    }
    arguments.update(kwargs)
    return LearningGoal.create(**arguments)  # type: ignore[arg-type]


def code_of(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str]:
    return error.value.code, error.value.kind


@pytest.mark.parametrize(
    ("metric", "target", "unit", "code"),
    [
        (" ", 70, "%", "objective_metric_required"),
        ("seniors report better skills", -1, "%", "objective_target_negative"),
        ("seniors report better skills", 120, "%", "objective_target_over_100"),
    ],
)
def test_objectives_are_checked(metric: str, target: float, unit: str, code: str) -> None:
    with pytest.raises(DomainError) as error:
        Objective(UUID(int=7), metric, target, unit)
    assert code_of(error) == (code, "invalid")


def test_an_objective_may_count_beyond_100_when_not_a_percentage() -> None:
    assert Objective(UUID(int=7), "stories published", 150, "stories").target == 150


def test_a_new_goal_is_open_and_owned_by_the_learner() -> None:
    new = goal()
    assert (new.status, new.owner_id, new.partner_id, new.latest_percent) == (
        "open",
        OWNER,
        PARTNER,
        0,
    )


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"partner_id": OWNER}, "owner_is_partner"),
        ({"title": "  "}, "goal_title_required"),
        ({"target_date": date(2025, 3, 2)}, "target_date_in_past"),
    ],
)
def test_a_goal_is_checked_when_created(kwargs: dict[str, object], code: str) -> None:
    with pytest.raises(DomainError) as error:
        goal(**kwargs)
    assert code_of(error) == (code, "invalid")


def test_progress_moves_an_open_goal_in_progress() -> None:
    learning = goal()
    learning.record_progress(PARTNER, "First post out", 25, NOW)
    learning.record_progress(OWNER, "Second post", 50, NOW + timedelta(days=7))
    assert learning.status == "in_progress"
    assert learning.latest_percent == 50
    assert [u.author_id for u in learning.progress] == [PARTNER, OWNER]


@pytest.mark.parametrize("percent", [-1, 101])
def test_progress_is_a_percentage(percent: int) -> None:
    with pytest.raises(DomainError) as error:
        goal().record_progress(OWNER, "x", percent, NOW)
    assert code_of(error) == ("progress_percent_out_of_range", "invalid")


def test_achieving_a_goal_announces_it() -> None:
    learning = goal()
    learning.start(OWNER, NOW)
    learning.achieve(PARTNER, NOW + timedelta(days=30))
    assert (learning.status, learning.closed_at) == (
        "achieved",
        NOW + timedelta(days=30),
    )
    assert learning.events == [
        LearningGoalCreated(relationship_id=REL, program_id=PROGRAM, goal_id=GOAL, owner_id=OWNER),
        GoalStatusChanged(
            relationship_id=REL,
            program_id=PROGRAM,
            goal_id=GOAL,
            owner_id=OWNER,
            from_status="open",
            to_status="in_progress",
        ),
        GoalAchieved(relationship_id=REL, program_id=PROGRAM, goal_id=GOAL, owner_id=OWNER),
    ]


def test_dropping_a_goal_announces_the_new_status_without_its_text() -> None:
    learning = goal()
    learning.events.clear()
    learning.drop(OWNER, NOW)
    (event,) = learning.events
    assert isinstance(event, GoalStatusChanged)
    assert (event.from_status, event.to_status) == ("open", "dropped")
    assert "Post weekly" not in str(event.payload())


@pytest.mark.parametrize("action", ["achieve", "drop"])
def test_an_open_goal_may_be_achieved_or_dropped_directly(action: str) -> None:
    learning = goal()
    getattr(learning, action)(OWNER, NOW)
    assert learning.status == {"achieve": "achieved", "drop": "dropped"}[action]


@pytest.mark.parametrize("final", ["achieve", "drop"])
@pytest.mark.parametrize("action", ["start", "achieve", "drop"])
def test_achieved_and_dropped_are_final(final: str, action: str) -> None:
    learning = goal()
    getattr(learning, final)(OWNER, NOW)
    with pytest.raises(DomainError) as error:
        getattr(learning, action)(OWNER, NOW)
    assert code_of(error) == ("illegal_goal_transition", "conflict")


def test_a_closed_goal_takes_no_progress_or_revision() -> None:
    learning = goal()
    learning.drop(OWNER, NOW)
    with pytest.raises(DomainError, match="goal_closed"):
        learning.record_progress(OWNER, "late", 90, NOW)
    with pytest.raises(DomainError, match="goal_closed"):
        learning.revise(OWNER, NOW, title="New")


def test_owner_and_partner_revise_the_goal() -> None:
    learning = goal()
    learning.revise(PARTNER, NOW, title=" Post twice a week ", target_date=date(2025, 7, 31))
    assert (learning.title, learning.target_date) == (
        "Post twice a week",
        date(2025, 7, 31),
    )


@pytest.mark.parametrize("action", ["start", "achieve", "drop"])
def test_only_the_owner_and_the_partner_act_on_a_goal(action: str) -> None:
    with pytest.raises(DomainError) as error:
        getattr(goal(), action)(STRANGER, NOW)
    assert code_of(error) == ("not_a_member", "forbidden")
    with pytest.raises(DomainError, match="not_a_member"):
        goal().record_progress(STRANGER, "x", 10, NOW)
