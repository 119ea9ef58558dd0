"""Live updates over a real socket (uvicorn on a local port, graphql-transport-ws), and the Python
``gql`` client against the service: the way front ends and scripts will really talk to it."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError
from gql.transport.httpx import HTTPXAsyncTransport
from gql.transport.websockets import WebsocketsTransport

PORTS = range(8740, 8800)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8740-8799")


@pytest.fixture
async def server(app: Any, container: Any, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[str]:
    monkeypatch.setattr(container.outbox_feed, "poll_seconds", 0.05)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", ws="websockets")
    served = uvicorn.Server(config)
    task = asyncio.create_task(served.serve())
    for _ in range(1000):  # up to 10 s to bind and start
        if served.started:
            break
        await asyncio.sleep(0.01)
    assert served.started, "the test server did not start"
    yield f"127.0.0.1:{port}"
    served.should_exit = True
    await task


def _socket(server: str, headers: dict[str, str]) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=f"ws://{server}/graphql",
        init_payload={"Authorization": headers["Authorization"]},
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
    )


CHANGES = gql(
    """subscription { myRelationshipChanges { event relationship { id status version turns { heldTurns } } } }"""
)


async def _next(subscription: Any) -> dict[str, Any]:
    result: dict[str, Any] = await asyncio.wait_for(anext(subscription), timeout=10)
    return result


async def test_a_member_sees_changes_to_their_own_relationship_live(server, world, client, clock) -> None:
    await world.setup()
    pair = await world.pair()
    other = await world.pair()
    async with Client(transport=_socket(server, pair.senior.headers)) as session:
        changes = session.subscribe(CHANGES)
        listening = asyncio.ensure_future(_next(changes))
        await asyncio.sleep(0.3)  # the subscription is registered before the change is made
        # a change to someone else's relationship is not announced to this member
        paused = await client.post(f"/api/v1/relationships/{other.id}/pause", headers=other.junior.headers)
        assert paused.status_code == 200
        await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.junior)
        first = await listening
        assert first["myRelationshipChanges"]["event"] == "meeting.scheduled"
        assert first["myRelationshipChanges"]["relationship"]["id"] == pair.id
        paused = await client.post(f"/api/v1/relationships/{pair.id}/pause", headers=pair.junior.headers)
        assert paused.status_code == 200
        second = await _next(changes)
        assert second["myRelationshipChanges"]["event"] == "relationship.paused"
        assert second["myRelationshipChanges"]["relationship"]["status"] == "PAUSED"
        await changes.aclose()


@pytest.mark.parametrize("payload", [{"Authorization": "Bearer nope"}, {}], ids=["bad token", "no token"])
async def test_a_socket_without_a_valid_token_is_refused(server, payload) -> None:
    async with websockets.connect(f"ws://{server}/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4403


async def test_matching_run_progress_streams_until_the_run_is_done(server, world, gql_http) -> None:
    await world.setup()
    people = [await world.person(f"Pool {i}", seniority=2 + i) for i in range(4)]
    await world.enrol_all(people)
    started = await gql_http(
        world.coordinator.headers,
        """mutation($p: UUID!) { startMatchingRun(programId: $p) { ... on MatchingRun { id status } } }""",
        p=world.program["id"],
    )
    run = started["startMatchingRun"]
    async with Client(transport=_socket(server, world.coordinator.headers)) as session:
        progress = session.subscribe(
            GraphQLRequest(
                "subscription($r: UUID!) { matchingRunProgress(runId: $r) { id status progress pairs } }",
                variable_values={"r": run["id"]},
            )
        )
        seen = [update async for update in progress]
    assert seen[-1]["matchingRunProgress"]["status"] == "COMPLETED"
    assert seen[-1]["matchingRunProgress"]["pairs"] == 2


async def test_staff_of_another_program_cannot_follow_a_run(server, world, gql_http) -> None:
    await world.setup()
    await world.enrol_all([await world.person(f"Pool {i}", seniority=2 + i) for i in range(2)])
    started = await gql_http(
        world.coordinator.headers,
        """mutation($p: UUID!) { startMatchingRun(programId: $p) { ... on MatchingRun { id } } }""",
        p=world.program["id"],
    )
    async with Client(transport=_socket(server, world.other_coordinator.headers)) as session:
        progress = session.subscribe(
            GraphQLRequest(
                "subscription($r: UUID!) { matchingRunProgress(runId: $r) { id } }",
                variable_values={"r": started["startMatchingRun"]["id"]},
            )
        )
        with pytest.raises(Exception, match="matching run"):
            await anext(progress)


async def test_the_gql_client_runs_a_query_and_a_mutation(app, world) -> None:
    await world.setup()
    pair = await world.pair()
    transport = HTTPXAsyncTransport(
        url="http://test/graphql", headers=pair.junior.headers, transport=httpx.ASGITransport(app=app)
    )
    async with Client(transport=transport, fetch_schema_from_transport=True) as session:
        mine = await session.execute(
            GraphQLRequest(
                "query($id: UUID!) { relationship(id: $id) { id status version partner { id } } }",
                variable_values={"id": pair.id},
            )
        )
        relationship = mine["relationship"]
        assert relationship["partner"]["id"] == pair.senior.id
        paused = await session.execute(
            GraphQLRequest(
                """mutation($id: UUID!, $v: Int) { pauseRelationship(id: $id, expectedVersion: $v) {
                     __typename ... on Relationship { status version } ... on Problem { code } } }""",
                variable_values={"id": pair.id, "v": relationship["version"]},
            )
        )
        assert paused["pauseRelationship"] == {
            "__typename": "Relationship",
            "status": "PAUSED",
            "version": relationship["version"] + 1,
        }
        # the client validates against the served schema: a typo never leaves the machine
        with pytest.raises(Exception, match="Cannot query field"):
            await session.execute(gql("{ me { nonsense } }"))
    unauthenticated = HTTPXAsyncTransport(url="http://test/graphql", transport=httpx.ASGITransport(app=app))
    with pytest.raises(TransportQueryError, match="bearer token") as refused:
        async with Client(transport=unauthenticated) as session:
            await session.execute(gql("{ me { id } }"))
    assert refused.value.errors is not None
    assert refused.value.errors[0]["extensions"]["code"] == "unauthenticated"


@pytest.mark.parametrize(
    "subscription",
    [
        "subscription { myRelationshipChanges { event } }",
        'subscription { matchingRunProgress(runId: "00000000-0000-7000-8000-000000000000") { id } }',
    ],
    ids=["my relationship changes", "matching run progress"],
)
async def test_an_integration_key_cannot_subscribe(server, world, client, subscription) -> None:
    """Subscriptions are for people: no integration scope grants them (checked before anything is read)."""
    await world.setup()
    made = await client.post(
        "/api/v1/api-keys", headers=world.admin.headers, json={"name": "HRIS", "scopes": ["programs:read"]}
    )
    assert made.status_code == 201, made.text
    async with Client(transport=_socket(server, {"Authorization": f"Bearer {made.json()['key']}"})) as session:
        with pytest.raises(TransportQueryError, match="no integration scope grants it"):
            await anext(session.subscribe(gql(subscription)))
