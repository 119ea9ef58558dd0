"""The demo organisation's lived-in part: a reciprocal pilot already running, with pairs that met,
goals they set and meetings ahead — so that the tour, a front end or a fuzzer finds relationships,
turns, meetings and goals to look at from the first minute, as in a real deployment."""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from app.bootstrap import Container
from app.domain.actors import Actor, Role
from app.domain.enrollments import Profile, RolePreference
from app.domain.errors import DomainError
from app.domain.people import Person
from app.domain.programs import FocusArea, ProgramDraft, ProgramKind, ProgramStatus
from app.services import enrollments, goals, meetings, pairing, programs, relationships

GOALS = [
    ("Post confidently on LinkedIn once a week", "Four posts written without help"),
    ("Run a retrospective with my own team", "One retro planned and facilitated"),
    ("Automate my weekly report", "The report builds itself from the spreadsheet"),
    ("Give feedback that lands", "Two feedback conversations prepared together"),
]


def person_actor(person: Person, *roles: Role) -> Actor:
    return Actor(
        subject=f"seed|{person.id}",
        issuer="turnabout",
        email=person.email,
        person_id=person.id,
        roles=frozenset(roles or {Role.EMPLOYEE}),
    )


async def seed_pilot(container: Container, *, coordinator: Actor, people: list[Person], rng: random.Random) -> int:
    """A running reciprocal pilot: pairs proposed by the coordinator, accepted, meeting. Returns the
    number of pairs."""
    start = date(2026, 9, 7)
    pilot = await programs.create_program(
        container.uow(),
        coordinator,
        kind=ProgramKind.RECIPROCAL,
        draft=ProgramDraft(
            name="Reciprocal pilot 2026",
            description="Six pairs trying reciprocal mentoring before the company-wide launch.",
            focus_areas=[FocusArea.INTERGENERATIONAL, FocusArea.CULTURE],
            cycle_start=start,
            cycle_end=start + timedelta(days=150),
            cadence_days=14,
            role_turn_policy="senior_first(2)",
        ),
    )
    await programs.transition_program(
        container.uow(), coordinator, program_id=pilot.id, to=ProgramStatus.ENROLLING, expected_version=None
    )
    juniors = [p for p in people if p.seniority <= 2]
    seniors = [p for p in people if p.seniority >= 4]
    enrolled: dict[UUID, UUID] = {}
    for person in rng.sample(juniors, k=min(8, len(juniors))) + rng.sample(seniors, k=min(8, len(seniors))):
        enrollment = await enrollments.enrol(
            container.uow(),
            person_actor(person),
            program_id=pilot.id,
            person_id=None,
            profile=Profile(role_preference=RolePreference.BOTH, motivation="Curious about the other side."),
        )
        await enrollments.approve(
            container.uow(), coordinator, program_id=pilot.id, enrollment_id=enrollment.id, expected_version=None
        )
        enrolled[person.id] = enrollment.id
    await programs.transition_program(
        container.uow(), coordinator, program_id=pilot.id, to=ProgramStatus.MATCHING, expected_version=None
    )
    by_id = {p.id: p for p in people}
    pending_juniors = [p.id for p in juniors if p.id in enrolled]
    pending_seniors = [p.id for p in seniors if p.id in enrolled]
    pairs = 0
    for junior in pending_juniors:
        for senior in list(pending_seniors):
            try:  # the hard constraints (reporting lines above all) refuse some pairs: try the next senior
                view = await pairing.create_relationship(
                    container.uow(),
                    coordinator,
                    program_id=pilot.id,
                    enrollment_ids=(enrolled[junior], enrolled[senior]),
                )
            except DomainError:
                continue
            pending_seniors.remove(senior)
            await _live_pair(container, view.relationship.id, by_id[junior], by_id[senior], pairs)
            pairs += 1
            break
        if pairs == 6:
            break
    await programs.transition_program(
        container.uow(), coordinator, program_id=pilot.id, to=ProgramStatus.ACTIVE, expected_version=None
    )
    return pairs


async def _live_pair(container: Container, relationship_id: UUID, junior: Person, senior: Person, index: int) -> None:
    members = (person_actor(junior), person_actor(senior))
    for member in members:
        await relationships.accept(container.uow(), member, relationship_id=relationship_id, expected_version=None)
    now = container.clock.now().replace(second=0, microsecond=0)
    first = await meetings.schedule(
        container.uow(),
        members[0],
        relationship_id=relationship_id,
        starts_at=now - timedelta(days=12),
        agenda="Kick-off",
    )
    await meetings.mark_held(container.uow(), members[1], meeting_id=first.id, expected_version=None)
    await meetings.schedule(
        container.uow(), members[1], relationship_id=relationship_id, starts_at=now + timedelta(days=2 + index)
    )
    title, criteria = GOALS[index % len(GOALS)]
    await goals.create_goal(
        container.uow(), members[index % 2], relationship_id=relationship_id, title=title, success_criteria=criteria
    )
