"""A cast for the mentoring-core tests: programs launched through the API; people enrolled,
approved, paired by a coordinator and accepted through the services the API calls (the same rules,
without an HTTP round trip per step — the API flows themselves are driven end to end by
``test_scenario`` and ``test_pairing``, and refused or allowed per caller by ``test_visibility``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import select

from app.adapters.persistence.tables import OutboxRow
from app.domain.actors import Actor, Role
from app.domain.enrollments import Profile, RolePreference
from app.domain.programs import ProgramStatus
from app.services import enrollments, pairing, programs, relationships

_names = itertools.count(1)


class SettableClock:
    """The container's clock, moved by the test (tokens keep real time)."""

    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current

    def set(self, when: datetime) -> None:
        self.current = when


@pytest.fixture
def clock(container: Any, monkeypatch: pytest.MonkeyPatch) -> SettableClock:
    settable = SettableClock(datetime.now(UTC).replace(microsecond=0))
    monkeypatch.setattr(container, "clock", settable)
    return settable


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass
class Member:
    id: str
    name: str
    headers: dict[str, str]
    enrollment_id: str
    roles: tuple[Role, ...] = ()

    @property
    def actor(self) -> Actor:
        """The caller the API would resolve from ``headers``, for steps taken through the services."""
        return Actor(
            subject=f"cast-{self.id}",
            issuer="tests",
            person_id=UUID(self.id),
            roles=frozenset(self.roles or {Role.EMPLOYEE}),
        )


@dataclass
class Pair:
    id: str
    program_id: str
    junior: Member
    senior: Member


class World:
    """Staff and programs made once per test; ``pair()`` adds two fresh people in a pair."""

    def __init__(self, client: httpx.AsyncClient, auth: Any, org: Any, container: Any) -> None:
        self.client, self.auth, self.org, self.container = client, auth, org, container

    async def setup(self, *, policy: str = "alternate(1)", kind: str = "reciprocal", **program: Any) -> World:
        self.coordinator = await self.person("Cora Ordinator", Role.COORDINATOR)
        self.other_coordinator = await self.person("Otto Ordinator", Role.COORDINATOR)
        self.admin = await self.person("Ada Admin", Role.ADMIN)
        self.program = await self.launch(self.coordinator, policy=policy, kind=kind, **program)
        self.other_program = await self.launch(self.other_coordinator, policy="fixed", kind="reciprocal")
        return self

    async def person(self, name: str, *roles: Role, **fields: Any) -> Member:
        unique = f"{name} {next(_names)}"
        if isinstance(fields.get("manager_id"), str):
            fields["manager_id"] = UUID(fields["manager_id"])
        person_id = await self.org.person(unique, **fields)
        return Member(str(person_id), unique, self.auth(self.org.email(unique), *roles), "", roles)

    async def launch(self, coordinator: Member, *, policy: str, kind: str, **fields: Any) -> dict[str, Any]:
        body = {
            "kind": kind,
            "name": f"Program {next(_names)}",
            "cycle_start": "2027-01-11",
            "cycle_end": "2027-06-30",
            "role_turn_policy": policy,
            **fields,
        }
        program = ok(await self.client.post("/api/v1/programs", headers=coordinator.headers, json=body), 201)
        for to in ("enrolling", "matching"):
            program = ok(
                await self.client.post(
                    f"/api/v1/programs/{program['id']}/transitions", headers=coordinator.headers, json={"to": to}
                )
            )
        return program

    async def enrol(self, member: Member, program: dict[str, Any] | None = None, role: str = "both") -> Member:
        """Enrol while the program is enrolling (re-opened if needed) and approve: ``ready``."""
        await self.enrol_all([member], program, role)
        return member

    async def enrol_all(self, members: list[Member], program: dict[str, Any] | None = None, role: str = "both") -> None:
        """Enrol and approve several people in one enrolment window (through the services)."""
        program = program or self.program
        program_id = UUID(program["id"])
        staff = (self.coordinator if program is self.program else self.other_coordinator).actor
        await self._move(staff, program_id, ProgramStatus.ENROLLING)
        for member in members:
            enrollment = await enrollments.enrol(
                self.container.uow(),
                member.actor,
                program_id=program_id,
                person_id=None,
                profile=Profile(role_preference=RolePreference(role)),
            )
            approved = await enrollments.approve(
                self.container.uow(), staff, program_id=program_id, enrollment_id=enrollment.id, expected_version=None
            )
            assert approved.status == "ready"
            member.enrollment_id = str(enrollment.id)
        await self._move(staff, program_id, ProgramStatus.MATCHING)

    async def _move(self, staff: Actor, program_id: UUID, to: ProgramStatus) -> None:
        program = await programs.get_program(self.container.uow(), staff, program_id=program_id)
        if program.status is not to:
            await programs.transition_program(
                self.container.uow(), staff, program_id=program_id, to=to, expected_version=None
            )

    async def propose(self, junior: Member, senior: Member, **extra: Any) -> httpx.Response:
        return await self.client.post(
            "/api/v1/relationships",
            headers=self.coordinator.headers,
            json={
                "program_id": self.program["id"],
                "enrollment_ids": [junior.enrollment_id, senior.enrollment_id],
                **extra,
            },
        )

    async def pair(self, *, accept: bool = True) -> Pair:
        """Two new people (a junior and a senior), enrolled, paired by the coordinator, accepted."""
        return (await self.pairs(1, accept=accept))[0]

    async def pairs(self, count: int, *, accept: bool = True) -> list[Pair]:
        """``count`` pairs of new people, enrolled in one window, paired and (by default) accepted."""
        people = [
            await self.person(name, seniority=seniority)
            for _ in range(count)
            for name, seniority in (("Sam Junior", 2), ("Vera Senior", 7))
        ]
        await self.enrol_all(people)
        made = []
        for junior, senior in zip(people[::2], people[1::2], strict=True):
            created = await pairing.create_relationship(
                self.container.uow(),
                self.coordinator.actor,
                program_id=UUID(self.program["id"]),
                enrollment_ids=(UUID(junior.enrollment_id), UUID(senior.enrollment_id)),
            )
            made.append(Pair(str(created.relationship.id), self.program["id"], junior, senior))
        if accept:
            for pair in made:
                await self.accept(pair)
        return made

    async def accept(self, pair: Pair) -> None:
        """Both members accept the proposed pair: it is active."""
        for member in (pair.junior, pair.senior):
            await relationships.accept(
                self.container.uow(), member.actor, relationship_id=UUID(pair.id), expected_version=None
            )

    async def meeting(self, relationship_id: str, starts_at: datetime, by: Member, **extra: Any) -> dict[str, Any]:
        body = {"starts_at": starts_at.isoformat(), "duration_minutes": 45, **extra}
        response = await self.client.post(
            f"/api/v1/relationships/{relationship_id}/meetings", headers=by.headers, json=body
        )
        return ok(response, 201)

    ok = staticmethod(ok)

    async def outbox(self) -> list[tuple[str, dict[str, Any]]]:
        table = OutboxRow.__table__  # type: ignore[attr-defined]
        async with self.container.engine.connect() as connection:
            rows = await connection.execute(select(table.c.event_type, table.c.payload).order_by(table.c.id))
            return [(row.event_type, dict(row.payload)) for row in rows]


@pytest.fixture
async def world(client: httpx.AsyncClient, auth: Any, org: Any, container: Any) -> World:
    return World(client, auth, org, container)
