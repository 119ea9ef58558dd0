"""GraphQL over the same app, the same cast as the REST mentoring tests (``world``), both databases."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

# The mentoring tests' cast (staff, programs, pairs made through the same services), shared here.
from tests.api.mentoring.conftest import clock, world  # noqa: F401


class GraphQL:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def raw(self, query: str, headers: dict[str, str], **variables: Any) -> httpx.Response:
        return await self.client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)

    async def __call__(self, query: str, headers: dict[str, str], **variables: Any) -> dict[str, Any]:
        """The ``data`` of a query that must succeed without errors."""
        response = await self.raw(query, headers, **variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)


@pytest.fixture
def gql_http(gql: GraphQL) -> Any:
    """``await gql_http(headers, query, **variables)`` → data (no errors allowed)."""

    async def run(headers: dict[str, str], query: str, **variables: Any) -> dict[str, Any]:
        return await gql(query, headers, **variables)

    return run
