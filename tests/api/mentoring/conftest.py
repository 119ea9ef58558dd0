"""A cast for the mentoring-core tests: programs launched through the API, people enrolled and
approved, pairs made by a coordinator and accepted — every step through the public API."""

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
from app.domain.actors import Role

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


@dataclass
class Pair:
    id: str
    program_id: str
    junior: Member
    senior: Member
    etag: str

    def member(self, person_id: str) -> Member:
        return self.junior if self.junior.id == person_id else self.senior


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
        return Member(str(person_id), unique, self.auth(self.org.email(unique), *roles), "")

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
        program = program or self.program
        base = f"/api/v1/programs/{program['id']}"
        staff = self.coordinator.headers if program is self.program else self.other_coordinator.headers
        await self.client.post(base + "/transitions", headers=staff, json={"to": "enrolling"})
        enrollment = ok(
            await self.client.post(base + "/enrollments", headers=member.headers, json={"role_preference": role}), 201
        )
        approved = ok(await self.client.post(f"{base}/enrollments/{enrollment['id']}/approve", headers=staff))
        assert approved["status"] == "ready"
        await self.client.post(base + "/transitions", headers=staff, json={"to": "matching"})
        member.enrollment_id = enrollment["id"]
        return member

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

    async def pair(self, *, accept: bool = True, **extra: Any) -> Pair:
        """Two new people (a junior and a senior), enrolled, paired by the coordinator, accepted."""
        junior = await self.enrol(await self.person("Sam Junior", seniority=2))
        senior = await self.enrol(await self.person("Vera Senior", seniority=7))
        created = await self.propose(junior, senior, **extra)
        relationship = ok(created, 201)
        etag = created.headers["ETag"]
        if accept:
            for member in (junior, senior):
                accepted = await self.client.post(
                    f"/api/v1/relationships/{relationship['id']}/accept", headers=member.headers
                )
                relationship = ok(accepted)
                etag = accepted.headers["ETag"]
        return Pair(relationship["id"], self.program["id"], junior, senior, etag)

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
