"""Learning-goal use cases: what each member wants to learn in the pair, and how it goes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.errors import conflict, invalid, not_found
from app.domain.goals import LearningGoal
from app.domain.ports import Page, PageRequest, UnitOfWork
from app.services.common import ensure_version
from app.services.pairs import check_pair, load_pair, load_program, require_member


async def _load(uow: UnitOfWork, actor: Actor, goal_id: UUID) -> LearningGoal:
    """The goal; to anyone who may not see its relationship the goal does not exist."""
    goal = await uow.goals.get(goal_id)
    if goal is None:
        raise not_found("goal", goal_id)
    await check_pair(uow, actor, goal.relationship_id, hidden_as=("goal", goal_id))
    return goal


async def _act(
    uow: UnitOfWork,
    actor: Actor,
    goal_id: UUID,
    expected_version: int | None,
    change: Callable[[LearningGoal, UUID, datetime], object],
) -> LearningGoal:
    """Load, check the version, apply the owner's or the partner's change, commit."""
    me = policies.require_person(actor)
    async with uow:
        goal = await _load(uow, actor, goal_id)
        ensure_version(goal, expected_version, "goal")
        change(goal, me, uow.clock.now())
        await uow.commit()
        return goal


async def create_goal(
    uow: UnitOfWork,
    actor: Actor,
    *,
    relationship_id: UUID,
    title: str,
    success_criteria: str = "",
    owner_id: UUID | None = None,
    target_date: date | None = None,
    objective_id: UUID | None = None,
) -> LearningGoal:
    """Set a learning goal in the relationship (typically together, at the first meeting).

    - only the two members, while the relationship is active or paused;
    - the owner is the learner (default: you), the other member is the accountability partner;
    - an ``objective_id`` must be one of the program's objectives (``objective_unknown``);
    - the target date, when given, is not in the past.
    """
    policies.require_person(actor)  # an identity that is no person is refused before anything is read
    async with uow:
        relationship, _ = await load_pair(uow, actor, relationship_id)
        me = require_member(relationship, actor)
        if relationship.status not in ("active", "paused"):
            raise conflict("relationship_not_active", f"The relationship is {relationship.status}.")
        owner = owner_id or me
        if not relationship.is_member(owner):
            raise invalid("owner_not_a_member", "The owner is one of the two members.", path="owner_id")
        if objective_id is not None and objective_id not in {
            o.id for o in (await load_program(uow, relationship.program_id)).objectives
        }:
            raise invalid("objective_unknown", "No such objective in this program.", path="objective_id")
        goal = LearningGoal.create(
            id=uow.ids.new_id(),
            relationship_id=relationship.id,
            program_id=relationship.program_id,
            owner_id=owner,
            partner_id=relationship.partner_of(owner),
            title=title,
            success_criteria=success_criteria.strip(),
            now=uow.clock.now(),
            target_date=target_date,
            objective_id=objective_id,
        )
        uow.goals.add(goal)
        await uow.commit()
        return goal


async def get_goal(uow: UnitOfWork, actor: Actor, *, goal_id: UUID) -> LearningGoal:
    """Read a learning goal with its progress updates.

    - the two members and the program's coordinators (and admins); to anyone else it does not exist.
    """
    async with uow:
        goal = await uow.queries.goal(actor, goal_id)
        if goal is None:
            raise not_found("goal", goal_id)
        return goal


async def list_goals(uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, page: PageRequest) -> Page[LearningGoal]:
    """A relationship's learning goals, oldest first.

    - the two members and the program's coordinators (and admins); to anyone else it does not exist.
    """
    async with uow:
        await check_pair(uow, actor, relationship_id)
        return await uow.queries.goals(relationship_id, page)


async def revise_goal(
    uow: UnitOfWork,
    actor: Actor,
    *,
    goal_id: UUID,
    title: str | None = None,
    success_criteria: str | None = None,
    target_date: date | None = None,
    expected_version: int | None,
) -> LearningGoal:
    """Change a goal's title, success criteria or target date.

    - the owner and the partner only (``not_a_member``); not once achieved or dropped.
    """

    def revise(goal: LearningGoal, me: UUID, now: datetime) -> None:
        goal.revise(me, now, title=title, success_criteria=success_criteria, target_date=target_date)

    return await _act(uow, actor, goal_id, expected_version, revise)


async def record_progress(
    uow: UnitOfWork, actor: Actor, *, goal_id: UUID, note: str, percent: int, expected_version: int | None
) -> LearningGoal:
    """Log progress on a goal: a note and a percent (0–100).

    - the owner and the partner only; the first update of an open goal moves it to ``in_progress``;
      a closed goal takes no updates.
    """

    def record(goal: LearningGoal, me: UUID, now: datetime) -> None:
        goal.record_progress(me, note.strip(), percent, now)

    return await _act(uow, actor, goal_id, expected_version, record)


async def start_goal(uow: UnitOfWork, actor: Actor, *, goal_id: UUID, expected_version: int | None) -> LearningGoal:
    """Mark an open goal as in progress (the owner and the partner only)."""
    return await _act(uow, actor, goal_id, expected_version, LearningGoal.start)


async def achieve_goal(uow: UnitOfWork, actor: Actor, *, goal_id: UUID, expected_version: int | None) -> LearningGoal:
    """Mark a goal achieved (final); announced as ``goal.achieved``.

    - the owner and the partner only; from open or in progress.
    """
    return await _act(uow, actor, goal_id, expected_version, LearningGoal.achieve)


async def drop_goal(uow: UnitOfWork, actor: Actor, *, goal_id: UUID, expected_version: int | None) -> LearningGoal:
    """Drop a goal (final).

    - the owner and the partner only; from open or in progress.
    """
    return await _act(uow, actor, goal_id, expected_version, LearningGoal.drop)
