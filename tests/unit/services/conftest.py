"""The fast service tier: every write use case through an in-memory unit of work, in milliseconds.

``cast`` builds people, programs, enrollments and pairs through the use cases themselves; tests then
act through a use case and look at what it returned, what the store holds and what it announced.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from fake_store import SequentialIds, SettableClock, Store  # noqa: E402
from fake_uow import FakeUnitOfWork  # noqa: E402

from app.domain.actors import Actor, Role  # noqa: E402
from app.domain.enrollments import Enrollment, Profile, RolePreference  # noqa: E402
from app.domain.people import PersonDetails  # noqa: E402
from app.domain.programs import Program, ProgramDraft, ProgramKind, ProgramStatus  # noqa: E402
from app.domain.relationships import Relationship  # noqa: E402
from app.services import enrollments, pairing, people, programs, relationships  # noqa: E402

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
SYSTEM = Actor(subject="tests", issuer="tests", roles=frozenset({Role.ADMIN}))


PairCast = tuple[Relationship, Actor, Actor, Actor]


class Cast:
    """People, programs, enrollments and pairs made through the use cases."""

    def __init__(self, uow: Callable[[], FakeUnitOfWork], store: Store, clock: SettableClock) -> None:
        self.uow, self.store, self.clock = uow, store, clock

    async def person(self, name: str, *roles: Role, seniority: int = 3, **fields: Any) -> Actor:
        given, _, family = name.partition(" ")
        details = PersonDetails(
            email=f"{name.lower().replace(' ', '.')}@example.com",
            given_name=given,
            family_name=family or "Test",
            seniority=seniority,
            **fields,
        )
        person = await people.create_person(self.uow(), SYSTEM, details=details)
        return Actor(subject=name, issuer="tests", person_id=person.id, roles=frozenset(roles or {Role.EMPLOYEE}))

    async def program(
        self,
        coordinator: Actor,
        *,
        kind: ProgramKind = ProgramKind.RECIPROCAL,
        status: ProgramStatus | None = None,
        **settings: Any,
    ) -> Program:
        draft = ProgramDraft(name="Exchange", cycle_start=date(2027, 1, 11), cycle_end=date(2027, 6, 30), **settings)
        program = await programs.create_program(self.uow(), coordinator, kind=kind, draft=draft)
        for to in (ProgramStatus.ENROLLING, ProgramStatus.MATCHING, ProgramStatus.ACTIVE):
            if status is None or status is program.status:
                break
            program = await programs.transition_program(
                self.uow(), coordinator, program_id=program.id, to=to, expected_version=None
            )
        return program

    async def ready(self, member: Actor, program: Program, coordinator: Actor, role: str = "both") -> Enrollment:
        """Enrolled and approved (the program must be enrolling)."""
        enrollment = await enrollments.enrol(
            self.uow(), member, program_id=program.id, person_id=None,
            profile=Profile(role_preference=RolePreference(role)),
        )  # fmt: skip
        return await enrollments.approve(
            self.uow(), coordinator, program_id=program.id, enrollment_id=enrollment.id, expected_version=None
        )

    async def pair(self, *, accept: bool = True, policy: str = "alternate(1)") -> PairCast:
        """A coordinator's program in matching and a junior and a senior paired in it: (pair, junior,
        senior, coordinator)."""
        coordinator = await self.person("Cora Ordinator", Role.COORDINATOR)
        junior = await self.person("Sam Junior", seniority=2)
        senior = await self.person("Vera Senior", seniority=7)
        program = await self.program(coordinator, status=ProgramStatus.ENROLLING, role_turn_policy=policy)
        first = await self.ready(junior, program, coordinator)
        second = await self.ready(senior, program, coordinator)
        await programs.transition_program(
            self.uow(), coordinator, program_id=program.id, to=ProgramStatus.MATCHING, expected_version=None
        )
        made = await pairing.create_relationship(
            self.uow(), coordinator, program_id=program.id, enrollment_ids=(first.id, second.id)
        )
        pair = made.relationship
        if accept:
            for member in (junior, senior):
                pair = (
                    await relationships.accept(self.uow(), member, relationship_id=pair.id, expected_version=None)
                ).relationship
        return pair, junior, senior, coordinator

    def announced(self) -> list[str]:
        """Event types announced so far (and forgets them, so each step is checked on its own)."""
        types = self.store.event_types()
        self.store.outbox.clear()
        return types


@pytest.fixture
def store() -> Store:
    return Store()


@pytest.fixture
def clock() -> SettableClock:
    return SettableClock(NOW)


@pytest.fixture
def uow(store: Store, clock: SettableClock) -> Callable[[], FakeUnitOfWork]:
    ids = SequentialIds()
    return lambda: FakeUnitOfWork(store, clock=clock, ids=ids)


@pytest.fixture
def cast(uow: Callable[[], FakeUnitOfWork], store: Store, clock: SettableClock) -> Cast:
    return Cast(uow, store, clock)


def ids_of(items: list[Any]) -> list[UUID]:
    return [item.id for item in items]
