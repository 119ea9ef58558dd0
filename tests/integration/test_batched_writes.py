"""How the unit of work writes: many aggregates of a kind in one statement, child rows as a diff of
what was loaded (never deleted and re-inserted), and optimistic concurrency that still holds for a
batch: one stale aggregate refuses the whole commit."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import pytest

from app.domain.actors import Actor, Role
from app.domain.errors import DomainError
from app.domain.people import Person, PersonChanges, PersonDetails
from app.domain.programs import ObjectiveDraft, ProgramChanges, ProgramDraft, ProgramKind
from app.services import programs as program_service

ADMIN = Actor(subject="batch-admin", issuer="test", roles=frozenset({Role.ADMIN}))


def new_person(uow: Any, n: int) -> Person:
    now = uow.clock.now()
    details = PersonDetails(email=f"batch.{n}@example.com", given_name="Batch", family_name=str(n))
    return Person.create(id=uow.ids.new_id(), details=details, now=now)


async def make_people(container: Any, count: int) -> list[UUID]:
    async with container.uow() as uow:
        people = [new_person(uow, n) for n in range(count)]
        for person in people:
            uow.people.add(person)
        await uow.commit()
    return [p.id for p in people]


async def test_new_aggregates_of_a_kind_are_inserted_in_one_statement(container, sql) -> None:
    with sql() as log:
        await make_people(container, 25)
    assert log.table_writes("people") == [("INSERT", 25)]
    assert log.table_writes("outbox") == [("INSERT", 25)]


async def test_changed_aggregates_of_a_kind_are_updated_in_one_statement(container, sql, backend) -> None:
    ids = await make_people(container, 12)
    async with container.uow() as uow:
        for person in await uow.people.get_many(ids):
            person.update(PersonChanges(department="Finance"), now=uow.clock.now())
        with sql() as log:
            await uow.commit()
    assert log.table_writes("people") == [("UPDATE", 12)]
    if backend == "postgresql":  # the driver cannot count a batch's rows: the versions are locked and read first
        assert sum("FOR UPDATE" in s for s in log.statements) == 1
    async with container.uow() as uow:
        assert {(p.department, p.version) for p in await uow.people.get_many(ids)} == {("Finance", 2)}


async def test_one_stale_aggregate_in_a_batch_refuses_the_whole_commit(container) -> None:
    ids = await make_people(container, 3)
    late = container.uow()
    async with late:
        stale_copies = await late.people.get_many(ids)
        await late.rollback()  # its read is over; the database is free for the other writer
        async with container.uow() as early:
            (await early.people.get(ids[1])).update(PersonChanges(job_title="Early"), now=early.clock.now())
            await early.commit()
        for person in stale_copies:
            person.update(PersonChanges(department="Late"), now=late.clock.now())
        with pytest.raises(DomainError) as refused:
            await late.commit()
    assert refused.value.code == "stale_version"
    async with container.uow() as uow:
        found = {p.id: (p.department, p.job_title, p.version) for p in await uow.people.get_many(ids)}
    assert found == {
        ids[0]: (None, None, 1),
        ids[1]: (None, "Early", 2),
        ids[2]: (None, None, 1),
    }


async def draft(container: Any, org: Any) -> tuple[UUID, list[UUID]]:
    staff = [await org.person(f"Staff {n}") for n in range(3)]
    proposer = Actor(subject="batch-proposer", issuer="test", person_id=staff[0], roles=frozenset({Role.ADMIN}))
    program = await program_service.create_program(
        container.uow(),
        proposer,
        kind=ProgramKind.RECIPROCAL,
        draft=ProgramDraft(
            name="Exchange",
            cycle_start=date(2027, 1, 11),
            cycle_end=date(2027, 6, 30),
            coordinator_ids=staff[:2],
            objectives=[
                ObjectiveDraft(metric="skills", target=70, unit="%"),
                ObjectiveDraft(metric="retention", target=90, unit="%"),
                ObjectiveDraft(metric="posts", target=4, unit="posts"),
            ],
        ),
    )
    return program.id, staff


async def test_editing_a_program_writes_only_the_objectives_and_staff_that_changed(container, org, sql) -> None:
    program_id, staff = await draft(container, org)
    async with container.uow() as uow:
        program = await uow.programs.get(program_id)
        kept, retargeted, _removed = program.objectives
        changes = ProgramChanges(
            objectives=[
                ObjectiveDraft(id=kept.id, metric=kept.metric, target=kept.target, unit=kept.unit),
                ObjectiveDraft(id=retargeted.id, metric=retargeted.metric, target=75, unit="%"),
                ObjectiveDraft(metric="stories", target=10, unit="stories"),
            ],
            coordinator_ids=[staff[0], staff[2]],
        )
        program.update(changes, now=uow.clock.now(), new_id=uow.ids.new_id)
        added = program.objectives[2]
        with sql() as log:
            await uow.commit()
    assert log.table_writes("program_objectives") == [("DELETE", 1), ("UPDATE", 1), ("INSERT", 1)]
    assert log.table_writes("program_staff") == [("DELETE", 1), ("INSERT", 1)]

    async with container.uow() as uow:
        program = await uow.programs.get(program_id)
    assert [(o.id, o.target) for o in program.objectives] == [(kept.id, 70), (retargeted.id, 75), (added.id, 10)]
    assert program.coordinator_ids == [staff[0], staff[2]]


async def test_a_program_edit_that_leaves_its_collections_alone_writes_no_child_row(container, org, sql) -> None:
    program_id, _ = await draft(container, org)
    async with container.uow() as uow:
        program = await uow.programs.get(program_id)
        program.update(ProgramChanges(name="Exchange 2027"), now=uow.clock.now(), new_id=uow.ids.new_id)
        with sql() as log:
            await uow.commit()
    assert log.table_writes("programs") == [("UPDATE", 1)]
    assert log.table_writes("program_objectives") == log.table_writes("program_staff") == []
