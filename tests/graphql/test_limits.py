"""Abusive queries are refused before they reach the database, each with a clear message and code;
introspection and GraphiQL follow the settings; persisted queries work as Apollo clients expect."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.main import create_app


async def post(client: httpx.AsyncClient, headers: dict[str, str], query: str, **extra: Any) -> dict[str, Any]:
    response = await client.post("/graphql", headers=headers, json={"query": query, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str | None]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


@pytest.fixture
async def caller(world: Any) -> dict[str, str]:
    await world.setup()
    headers: dict[str, str] = world.coordinator.headers
    return headers


async def test_a_deep_query_is_refused(client, caller, sql) -> None:
    deep = "{ me { manager " + "{ manager " * 15 + "{ id }" + " }" * 15 + " } }"
    with sql() as seen:
        body = await post(client, caller, deep)
    assert body["data"] is None
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert seen.statements == []  # refused before any read


async def test_a_costly_query_is_refused_with_its_estimate(client, caller, sql) -> None:
    costly = (
        "{ programs(first: 200) { nodes { relationships(first: 200) { nodes { meetings { id } goals { id } } } } } }"
    )
    with sql() as seen:
        body = await post(client, caller, costly)
    assert codes(body) == ["query_too_costly"]
    assert body["errors"][0]["extensions"]["cost"] > body["errors"][0]["extensions"]["limit"]
    assert seen.statements == []


async def test_fragments_and_variables_do_not_hide_the_cost(client, caller) -> None:
    hidden = """
      query($n: Int) { programs(first: 200) { nodes { ...Pairs } } }
      fragment Pairs on Program { relationships(first: $n) { nodes { meetings { id } goals { id } } } }
    """
    body = await post(client, caller, hidden, variables={"n": 200})
    assert codes(body) == ["query_too_costly"]


async def test_too_many_aliases_are_refused(client, caller) -> None:
    aliased = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(40)) + " }"
    body = await post(client, caller, aliased)
    assert body["data"] is None
    assert "aliases" in body["errors"][0]["message"]


async def test_a_huge_document_is_refused_by_its_tokens(client, caller) -> None:
    huge = "{ me { " + "id " * 6000 + "} }"
    body = await post(client, caller, huge)
    assert body["data"] is None
    assert "token" in body["errors"][0]["message"].lower()


async def test_a_page_size_beyond_rest_limit_is_refused_like_rest(client, caller) -> None:
    body = await post(client, caller, "{ programs(first: 201) { nodes { id } } }")
    assert codes(body) == ["validation_failed"]
    rest = await client.get("/api/v1/programs?limit=201", headers=caller)
    assert rest.status_code == 422


async def test_a_screen_sized_query_passes(client, caller) -> None:
    body = await post(
        client,
        caller,
        "{ programs(first: 20) { nodes { name relationships(first: 20) { nodes { meetings(last: 5) { id } } } } } }",
    )
    assert "errors" not in body, body


def _app(container: Any, **settings: Any) -> Any:
    configured = container.settings.model_copy(update=settings)
    return create_app(configured, container=container)


async def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_introspection_and_graphiql_are_on_in_development(client, caller) -> None:
    body = await post(client, caller, "{ __schema { queryType { name } } }")
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"
    page = await client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


async def test_production_settings_can_turn_introspection_and_graphiql_off(container, caller) -> None:
    async with await _client(_app(container, graphql_introspection=False, graphql_ide=False)) as quiet:
        body = await post(quiet, caller, "{ __schema { queryType { name } } }")
        assert body["data"] is None
        assert "introspection" in body["errors"][0]["message"].lower()
        assert (await quiet.get("/graphql", headers={"Accept": "text/html"})).status_code == 404
        assert "errors" not in await post(quiet, caller, "{ me { id } }")


def _persisted(digest: str) -> dict[str, Any]:
    return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


async def test_automatic_persisted_queries_follow_the_apollo_protocol(client, caller) -> None:
    query = "{ me { id displayName } }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    first = await client.post("/graphql", headers=caller, json=_persisted(digest))
    assert codes(first.json()) == ["PERSISTED_QUERY_NOT_FOUND"]
    registered = await post(client, caller, query, **_persisted(digest))
    assert registered["data"]["me"]["displayName"]
    again = await client.post("/graphql", headers=caller, json=_persisted(digest))
    assert again.json()["data"] == registered["data"]
    wrong = await post(client, caller, "{ me { id } }", **_persisted(digest))
    assert codes(wrong) == ["PERSISTED_QUERY_HASH_MISMATCH"]


async def test_a_registry_admits_only_its_queries(container, caller, tmp_path: Path) -> None:
    allowed = "{ me { id } }"
    registry = tmp_path / "persisted-documents.json"
    registry.write_text(json.dumps({hashlib.sha256(allowed.encode()).hexdigest(): allowed}))
    app = _app(container, graphql_persisted_queries="registry", graphql_persisted_queries_registry=registry)
    async with await _client(app) as strict:
        assert "errors" not in await post(strict, caller, allowed)
        by_hash = await strict.post(
            "/graphql", headers=caller, json=_persisted(hashlib.sha256(allowed.encode()).hexdigest())
        )
        assert "errors" not in by_hash.json()
        assert codes(await post(strict, caller, "{ me { email } }")) == ["persisted_query_required"]
