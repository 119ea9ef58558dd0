"""The bare ceiling of ``bench/api.py``: Starlette + asyncpg answering the benchmark's requests from
Turnabout's own tables with plain SQL.

No ORM, no validation, no authentication, no authorization, no domain rules: what is left is the
floor cost of the same HTTP server (uvicorn, one process), the same database round trips and about
the same JSON. Turnabout's throughput divided by this one says how much of a request is spent in the
service itself. It reads and writes only what the database schema holds (no import of ``app``):

- ``GET /api/v1/people/{id}``: one row by primary key;
- ``GET /api/v1/people?limit=&cursor=``: a keyset page in id order, as the service pages;
- ``POST /api/v1/people``: the person and its ``person.created`` outbox row in one transaction (the
  transactional outbox is a promise of the product, so the ceiling pays for it too);
- ``GET /api/v1/relationships/{id}/turns``: the pair, its meetings and swaps; the ledger, the planned
  leaders and the balance are read from the leaders the service stored on each meeting;
- ``GET /api/v1/programs/{id}/enrollments?limit=&cursor=``: a keyset page of one program.

    BARE_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/tb_bench_api \\
        uv run uvicorn bench.bare_app:create_app --factory --port 8501 --log-level warning

The pool is sized like the service's (10 connections, up to 20).
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import asyncpg
import uuid6
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PERSON_COLUMNS = (
    "id, external_id, email, given_name, family_name, department, location, job_title, seniority, "
    "manager_id, hire_date, generation, active, deactivated_at, created_at, updated_at, version"
)

ENROLLMENT_COLUMNS = (
    "id, program_id, person_id, status, role_preference, motivation, skills_offered, skills_wanted, interests,"
    " meeting_modes, availability, approved_at, training_completed_at, withdrawn_at, withdrawal_reason, created_at,"
    " updated_at, version"
)

FIRST = UUID(int=0)  # a first page starts after the nil UUID, below every id


def _plain(value: object) -> object:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)  # UUIDs (asyncpg returns its own UUID type)


def _json(content: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    body = json.dumps(content, default=_plain, separators=(",", ":"))
    return Response(body, status_code=status, media_type="application/json", headers=headers)


def _not_found() -> Response:
    return _json({"code": "not_found"}, 404)


def _page(request: Request) -> tuple[int, UUID | None]:
    limit = min(max(int(request.query_params.get("limit", "50")), 1), 200)
    cursor = request.query_params.get("cursor")
    after = UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))) if cursor else None
    return limit, after


def _paged(rows: list[asyncpg.Record], limit: int, shape: Callable[[asyncpg.Record], dict[str, Any]]) -> dict[str, Any]:
    items = [shape(row) for row in rows[:limit]]
    more = len(rows) > limit
    last = rows[limit - 1]["id"] if more else None
    cursor = base64.urlsafe_b64encode(UUID(str(last)).bytes).decode().rstrip("=") if last else None
    return {"items": items, "next_cursor": cursor}


def _person(row: asyncpg.Record) -> dict[str, Any]:
    person = dict(row)
    person["display_name"] = f"{row['given_name']} {row['family_name']}"
    person["attributes"] = None  # private: shown only to the person themself, as the service does
    person["matching_consent"] = None
    return person


def _pool(request: Request) -> asyncpg.Pool:
    pool: asyncpg.Pool = request.app.state.pool
    return pool


async def get_person(request: Request) -> Response:
    row = await _pool(request).fetchrow(
        f"SELECT {PERSON_COLUMNS} FROM people WHERE id = $1",  # noqa: S608 (a constant column list)
        UUID(request.path_params["person_id"]),
    )
    if row is None:
        return _not_found()
    return _json(_person(row), headers={"ETag": f'"v{row["version"]}"'})


async def list_people(request: Request) -> Response:
    limit, after = _page(request)
    rows = await _pool(request).fetch(
        f"SELECT {PERSON_COLUMNS} FROM people WHERE id > $1 ORDER BY id LIMIT $2",  # noqa: S608
        after or FIRST,
        limit + 1,
    )
    return _json(_paged(rows, limit, _person))


async def create_person(request: Request) -> Response:
    body = json.loads(await request.body())
    now = datetime.now(UTC)
    person_id = uuid6.uuid7()
    async with _pool(request).acquire() as connection, connection.transaction():
        row = await connection.fetchrow(
            "INSERT INTO people (id, external_id, email, given_name, family_name, department, location, job_title,"  # noqa: S608
            " seniority, manager_id, hire_date, generation, attributes, matching_consent, active, created_at,"
            " updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, '{}'::jsonb, false,"
            f" true, $13, $13, 1) RETURNING {PERSON_COLUMNS}",
            person_id,
            body.get("external_id"),
            str(body["email"]).strip().lower(),
            body["given_name"],
            body["family_name"],
            body.get("department"),
            body.get("location"),
            body.get("job_title"),
            int(body.get("seniority", 1)),
            UUID(body["manager_id"]) if body.get("manager_id") else None,
            date.fromisoformat(body["hire_date"]) if body.get("hire_date") else None,
            body.get("generation"),
            now,
        )
        await connection.execute(
            "INSERT INTO outbox (id, event_type, payload, occurred_at) VALUES ($1, 'person.created', $2, $3)",
            uuid6.uuid7(),
            {"person_id": str(person_id), "external_id": body.get("external_id")},
            now,
        )
    assert row is not None  # INSERT … RETURNING always returns the row
    headers = {"ETag": '"v1"', "Location": f"/api/v1/people/{person_id}"}
    return _json(_person(row), 201, headers)


async def get_turns(request: Request) -> Response:
    relationship_id = UUID(request.path_params["relationship_id"])
    async with _pool(request).acquire() as connection:
        pair = await connection.fetchrow(
            "SELECT id, member_a_id, member_b_id, designated_mentor_id, program_policy, policy_overrides,"
            " policy_proposal, ready_at_turn, version FROM relationships WHERE id = $1",
            relationship_id,
        )
        if pair is None:
            return _not_found()
        meetings = await connection.fetch(
            "SELECT id, starts_at, status, planned_leader_id, led_by FROM meetings"
            " WHERE relationship_id = $1 ORDER BY starts_at, id",
            relationship_id,
        )
        swaps = await connection.fetch(
            "SELECT id, requested_by, requested_at, status, turn_index, decided_at FROM turn_swaps"
            " WHERE relationship_id = $1 ORDER BY requested_at",
            relationship_id,
        )
    return _json(_turns(pair, meetings, swaps), headers={"ETag": f'"v{pair["version"]}"'})


def _turns(pair: asyncpg.Record, meetings: list[asyncpg.Record], swaps: list[asyncpg.Record]) -> dict[str, Any]:
    held = [m for m in meetings if m["status"] == "held"]
    scheduled = [m for m in meetings if m["status"] == "scheduled"]
    ledger = [
        {
            "meeting_id": m["id"],
            "starts_at": m["starts_at"],
            "turn_index": index,
            "planned_leader_id": m["planned_leader_id"],
            "actual_leader_id": m["led_by"] or m["planned_leader_id"],
            "drifted": (m["led_by"] or m["planned_leader_id"]) != m["planned_leader_id"],
        }
        for index, m in enumerate(held)
    ]
    planned = [
        {
            "meeting_id": m["id"],
            "starts_at": m["starts_at"],
            "turn_index": len(held) + i,
            "leader_id": m["planned_leader_id"],
        }
        for i, m in enumerate(scheduled)
    ]
    members = (pair["member_a_id"], pair["member_b_id"])
    led = {member: sum(1 for line in ledger if line["actual_leader_id"] == member) for member in members}
    drift = sum(1 for line in ledger if line["drifted"])
    overrides = pair["policy_overrides"] or []
    return {
        "relationship_id": pair["id"],
        "program_policy": pair["program_policy"],
        "effective_policy": overrides[-1]["policy"] if overrides else pair["program_policy"],
        "policy_history": overrides,
        "policy_proposal": pair["policy_proposal"],
        "ready_at_turn": pair["ready_at_turn"],
        "held_turns": len(held),
        "next": {
            "turn_index": len(held),
            "leader_id": planned[0]["leader_id"] if planned else pair["designated_mentor_id"],
        },
        "planned": planned,
        "ledger": ledger,
        "balance": {
            "held": len(held),
            "members": [
                {"person_id": member, "led": led[member], "share": led[member] / len(held) if held else 0.0}
                for member in members
            ],
            "drift_count": drift,
            "drift_share": drift / len(held) if held else 0.0,
            "imbalance": led[members[0]] - led[members[1]],
        },
        "swaps": [dict(swap) for swap in swaps],
        "relationship_version": pair["version"],
    }


async def list_enrollments(request: Request) -> Response:
    limit, after = _page(request)
    program_id = UUID(request.path_params["program_id"])
    rows = await _pool(request).fetch(
        f"SELECT {ENROLLMENT_COLUMNS} FROM enrollments WHERE program_id = $1 AND id > $2 ORDER BY id LIMIT $3",  # noqa: S608
        program_id,
        after or FIRST,
        limit + 1,
    )
    return _json(_paged(rows, limit, lambda row: dict(row)))


async def _decode_json(connection: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):
        await connection.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


def create_app() -> Starlette:
    dsn = os.environ["BARE_DATABASE_URL"]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with asyncpg.create_pool(dsn, min_size=10, max_size=20, init=_decode_json) as pool:
            app.state.pool = pool
            yield

    return Starlette(
        routes=[
            Route("/api/v1/people", list_people, methods=["GET"]),
            Route("/api/v1/people", create_person, methods=["POST"]),
            Route("/api/v1/people/{person_id}", get_person),
            Route("/api/v1/relationships/{relationship_id}/turns", get_turns),
            Route("/api/v1/programs/{program_id}/enrollments", list_enrollments),
        ],
        lifespan=lifespan,
    )
