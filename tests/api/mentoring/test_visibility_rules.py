""" "Who may see what" has one definition: the read side's SQL filters admit exactly what the policy
functions allow, for every kind of caller, on a seeded organisation (two programs with their own
coordinators, a committee member, pairs with meetings and goals, enrollments, a former pair).

If a filter in ``app/adapters/persistence/queries/visibility.py`` and a function in
``app/domain/policies.py`` ever disagree — in either direction — this test names the caller, the
thing and both answers.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor, Role
from app.domain.ports import EnrollmentFilter, PageRequest, PeopleFilter
from app.domain.programs import Program
from app.domain.relationships import Relationship
from app.services import pairing, relationships


async def _seed(world: Any, clock: Any, client: Any) -> dict[str, Any]:
    await world.setup()
    committee = await world.person("Kim Committee")
    program_id = world.program["id"]
    patched = await client.patch(
        f"/api/v1/programs/{program_id}",
        headers=world.coordinator.headers,
        json={"committee_member_ids": [committee.id]},
    )
    assert patched.status_code == 200, patched.text
    first, second = await world.pairs(2)
    proposed = await world.pair(accept=False)
    # a pair in the other program, and a pair that ended (its members stay each other's "former partner")
    outsiders = [await world.person("Olga Other", seniority=2), await world.person("Otis Other", seniority=7)]
    await world.enrol_all(outsiders, world.other_program)
    other = await pairing.create_relationship(
        world.container.uow(),
        world.other_coordinator.actor,
        program_id=UUID(world.other_program["id"]),
        enrollment_ids=(UUID(outsiders[0].enrollment_id), UUID(outsiders[1].enrollment_id)),
    )
    for pair in (first, second):
        await world.meeting(pair.id, clock.now() - timedelta(days=1), pair.junior)
    await relationships.end(
        world.container.uow(),
        world.coordinator.actor,
        relationship_id=UUID(second.id),
        reason="mismatch",
        expected_version=None,
    )
    goal = await client.post(
        f"/api/v1/relationships/{first.id}/goals", headers=first.senior.headers, json={"title": "Learn"}
    )
    assert goal.status_code == 201, goal.text
    loner = await world.person("Lou Loner")
    return {
        "pairs": [first, second, proposed],
        "other": other.relationship.id,
        "committee": committee,
        "loner": loner,
        "outsiders": outsiders,
    }


def _callers(world: Any, seeded: dict[str, Any]) -> dict[str, Actor]:
    first = seeded["pairs"][0]

    def of(member: Any, *roles: Role) -> Actor:
        return Actor(
            subject=f"s-{member.id}",
            issuer="t",
            person_id=UUID(member.id),
            roles=frozenset({Role.EMPLOYEE, *roles}),
        )

    return {
        "admin": of(world.admin, Role.ADMIN),
        "coordinator of this program": of(world.coordinator, Role.COORDINATOR),
        "coordinator of the other program": of(world.other_coordinator, Role.COORDINATOR),
        "committee member": of(seeded["committee"]),
        "member": of(first.junior),
        "partner": of(first.senior),
        "former partner": of(seeded["pairs"][1].junior),
        "member of a proposed pair": of(seeded["pairs"][2].senior),
        "employee": of(seeded["loner"]),
        "HR coordinator role, no program": Actor(
            subject="hr", issuer="t", person_id=UUID(seeded["loner"].id), roles=frozenset({Role.COORDINATOR})
        ),
        "integration": Actor(subject="hris", issuer="t", roles=frozenset({Role.INTEGRATION})),
        "identity without a person": Actor(subject="ghost", issuer="t", roles=frozenset({Role.EMPLOYEE})),
    }


async def test_the_sql_filters_admit_exactly_what_the_policies_allow(world, clock, client) -> None:
    seeded = await _seed(world, clock, client)
    container = world.container
    async with container.uow() as uow:
        pair_ids = [UUID(p.id) for p in seeded["pairs"]] + [seeded["other"]]
        pairs: dict[UUID, Relationship] = {}
        for pair_id in pair_ids:
            loaded = await uow.relationships.get(pair_id)
            assert loaded is not None
            pairs[pair_id] = loaded
        programs: dict[UUID, Program] = {}
        for program_id in {r.program_id for r in pairs.values()}:
            program = await uow.programs.get(program_id)
            assert program is not None
            programs[program_id] = program
        meetings = [m for pair_id in pair_ids for m in await uow.meetings.of_relationship(pair_id)]
        goals = [g for pair_id in pair_ids for g in (await uow.queries.goals(pair_id, PageRequest(limit=50))).items]
        people = (await uow.queries.people(PeopleFilter(), PageRequest(limit=500))).items
        enrollments = [
            e
            for program_id in programs
            for e in (await uow.enrollments.list(EnrollmentFilter(program_id=program_id), PageRequest(limit=500))).items
        ]
    assert meetings and goals and len(people) > 10 and len(enrollments) > 6

    disagreements: list[str] = []
    for name, actor in _callers(world, seeded).items():
        async with container.uow(read_only=True) as uow:
            reads = uow.queries
            seen_pairs = set(await reads.relationships_by_ids(actor, pair_ids))
            seen_meetings = {m.id for ms in (await reads.meetings_of(actor, pair_ids)).values() for m in ms}
            seen_goals = {g.id for gs in (await reads.goals_of(actor, pair_ids)).values() for g in gs}
            seen_people = set(await reads.people_by_ids(actor, [p.id for p in people]))
            seen_enrollments = set(await reads.enrollments_by_ids(actor, [e.id for e in enrollments]))
            singles = {
                "relationship": {i for i in pair_ids if await reads.relationship_access(actor, i) is not None},
                "meeting": {m.id for m in meetings if await reads.meeting(actor, m.id) is not None},
                "goal": {g.id for g in goals if await reads.goal(actor, g.id) is not None},
                "person": {p.id for p in people if await reads.person(actor, p.id) is not None},
                "enrollment": {e.id for e in enrollments if await reads.enrollment(actor, e.id) is not None},
            }
            access = {pid: await reads.program_access(actor, pid) for pid in programs}
        partners = {other for r in pairs.values() if r.is_member(actor.person_id) for other in r.member_ids} - {
            actor.person_id
        }

        def may_see(relationship: Relationship, actor: Actor = actor) -> bool:
            return policies.can_read_relationship(actor, programs[relationship.program_id], relationship.member_ids)

        expected = {
            "relationship": {i for i, r in pairs.items() if may_see(r)},
            "meeting": {m.id for m in meetings if may_see(pairs[m.relationship_id])},
            "goal": {g.id for g in goals if may_see(pairs[g.relationship_id])},
            "person": {p.id for p in people if policies.can_read_person(actor, p.id, partner_ids=partners)},
            "enrollment": {
                e.id for e in enrollments if policies.can_read_enrollment(actor, programs[e.program_id], e.person_id)
            },
        }
        batch = {
            "relationship": seen_pairs,
            "meeting": seen_meetings,
            "goal": seen_goals,
            "person": seen_people,
            "enrollment": seen_enrollments,
        }
        for kind, allowed in expected.items():
            for label, got in (("batch", batch[kind]), ("single", singles[kind])):
                if got != allowed:
                    disagreements.append(
                        f"{name} / {kind} ({label}): SQL-only {sorted(map(str, got - allowed))}, "
                        f"policy-only {sorted(map(str, allowed - got))}"
                    )
        for program_id, program in programs.items():
            row = access[program_id]
            assert row is not None
            for question in ("is_coordinator", "is_committee_member"):
                if getattr(row, question)(actor.person_id) != getattr(program, question)(actor.person_id):
                    disagreements.append(f"{name} / program {question}")
    assert not disagreements, "\n".join(disagreements)
