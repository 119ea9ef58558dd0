"""API keys for integrations: created by admins, shown once, stored hashed, scoped, expiring,
revocable at once, ``last_used_at`` written at most once a minute; usable on REST and GraphQL; an
integration never reads a person's self-identified attributes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI
from sqlalchemy import text

from app.api import problems
from app.api.deps import require_scope
from app.api.routing import api_router
from app.domain.actors import Actor, Role, Scope
from app.services import api_keys

API = "/api/v1"


async def new_key(client: Any, admin: dict[str, str], *scopes: str, **fields: Any) -> dict[str, Any]:
    made = await client.post(
        f"{API}/api-keys", headers=admin, json={"name": "HRIS sync", "scopes": list(scopes), **fields}
    )
    assert made.status_code == 201, made.text
    body: dict[str, Any] = made.json()
    return body


def key_headers(key: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {key['key']}"}


async def test_a_key_is_shown_once_stored_hashed_and_listed_without_its_secret(client, world, container) -> None:
    await world.setup()
    key = await new_key(client, world.admin.headers, "people:read")
    assert key["key"].startswith(f"tb_{key['prefix']}_")
    async with container.engine.connect() as connection:
        stored = (await connection.execute(text("SELECT * FROM api_keys"))).mappings().one()
    assert key["key"] not in str(dict(stored))
    assert key["key"].split("_", 2)[2] not in str(dict(stored))
    listed = await client.get(f"{API}/api-keys", headers=world.admin.headers)
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["prefix"] == key["prefix"] and "key" not in item
    assert key["key"] not in listed.text
    async with container.engine.connect() as connection:
        created = (
            await connection.execute(text("SELECT payload FROM outbox WHERE event_type = 'api_key.created'"))
        ).scalar_one()
    assert key["key"] not in str(created)


async def test_only_admins_manage_keys(client, world) -> None:
    await world.setup()
    for headers in (world.coordinator.headers, world.other_coordinator.headers):
        refused = await client.post(f"{API}/api-keys", headers=headers, json={"name": "x", "scopes": ["people:read"]})
        assert refused.status_code == 403
        assert refused.json()["code"] == "api_keys_admin_only"
    key = await new_key(client, world.admin.headers, "people:read", "people:write", "webhooks:manage")
    by_key = await client.post(
        f"{API}/api-keys", headers=key_headers(key), json={"name": "x", "scopes": ["people:read"]}
    )
    assert by_key.status_code == 403  # a key cannot mint keys, whatever its scopes
    assert by_key.json()["code"] == "insufficient_scope"


async def test_bad_keys_are_refused_with_their_rules_codes(client, world) -> None:
    await world.setup()
    admin = world.admin.headers
    cases = {
        "api_key_scopes_invalid": {"name": "x", "scopes": []},
        "api_key_expiry_in_past": {
            "name": "x",
            "scopes": ["people:read"],
            "expires_at": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
        },
        "api_key_name_invalid": {"name": "   ", "scopes": ["people:read"]},
    }
    for code, body in cases.items():
        refused = await client.post(f"{API}/api-keys", headers=admin, json=body)
        assert refused.status_code == 422, (code, refused.text)
        assert refused.json()["code"] in (code, "validation_failed"), refused.text
    unknown = await client.post(f"{API}/api-keys", headers=admin, json={"name": "x", "scopes": ["root"]})
    assert unknown.status_code == 422


async def test_scopes_decide_what_a_key_may_call(client, world, container) -> None:
    await world.setup()
    reader = key_headers(await new_key(client, world.admin.headers, "people:read"))
    assert (await client.get(f"{API}/people", headers=reader)).status_code == 200
    refused = await client.post(
        f"{API}/people", headers=reader, json={"email": "n@example.com", "given_name": "N", "family_name": "N"}
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "insufficient_scope"
    challenge = refused.headers["WWW-Authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="people:write"' in challenge
    programs = await client.get(f"{API}/programs", headers=reader)
    assert programs.status_code == 403
    assert programs.json()["code"] == "insufficient_scope"
    writer = key_headers(await new_key(client, world.admin.headers, "people:write"))
    made = await client.post(
        f"{API}/people", headers=writer, json={"email": "n@example.com", "given_name": "N", "family_name": "N"}
    )
    assert made.status_code == 201, made.text
    assert (await client.get(f"{API}/me", headers=writer)).json()["code"] == "insufficient_scope"


async def test_a_revoked_key_stops_at_once_and_an_expired_one_is_refused(client, world, clock) -> None:
    await world.setup()
    key = await new_key(client, world.admin.headers, "people:read")
    assert (await client.get(f"{API}/people", headers=key_headers(key))).status_code == 200
    revoked = await client.post(f"{API}/api-keys/{key['id']}/revoke", headers=world.admin.headers)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    after = await client.get(f"{API}/people", headers=key_headers(key))
    assert after.status_code == 401
    assert after.json()["code"] == "invalid_token"
    assert 'error="invalid_token"' in after.headers["WWW-Authenticate"]
    again = await client.post(f"{API}/api-keys/{key['id']}/revoke", headers=world.admin.headers)
    assert again.status_code == 409
    assert again.json()["code"] == "api_key_revoked"

    expiring = await new_key(
        client, world.admin.headers, "people:read", expires_at=(clock.now() + timedelta(hours=1)).isoformat()
    )
    assert (await client.get(f"{API}/people", headers=key_headers(expiring))).status_code == 200
    clock.advance(hours=2)
    assert (await client.get(f"{API}/people", headers=key_headers(expiring))).status_code == 401


async def test_a_tampered_key_with_a_real_prefix_is_refused(client, world) -> None:
    await world.setup()
    key = await new_key(client, world.admin.headers, "people:read")
    forged = {"Authorization": f"Bearer tb_{key['prefix']}_{'A' * 43}"}
    assert (await client.get(f"{API}/people", headers=forged)).status_code == 401
    assert (await client.get(f"{API}/people", headers={"X-API-Key": key["key"]})).status_code == 200


async def test_last_used_is_written_at_most_once_a_minute(client, world, clock, sql) -> None:
    await world.setup()
    key = await new_key(client, world.admin.headers, "people:read")
    with sql() as seen:
        for _ in range(5):
            assert (await client.get(f"{API}/people", headers=key_headers(key))).status_code == 200
    assert seen.rows_written("UPDATE", "api_keys") == 1
    clock.advance(seconds=61)
    with sql() as seen:
        for _ in range(3):
            await client.get(f"{API}/people", headers=key_headers(key))
    assert seen.rows_written("UPDATE", "api_keys") == 1
    [item] = (await client.get(f"{API}/api-keys", headers=world.admin.headers)).json()["items"]
    assert item["last_used_at"] is not None


async def test_integrations_never_read_self_identified_attributes(client, world, auth) -> None:
    await world.setup()
    sam = await world.person("Sam Junior")
    stated = await client.patch(
        f"{API}/me/consent", headers=sam.headers, json={"attributes": {"ethnicity": "x"}, "matching_consent": False}
    )
    assert stated.status_code == 200, stated.text
    key = key_headers(await new_key(client, world.admin.headers, "people:read", "people:write"))
    legacy = auth("hris@example.com", Role.INTEGRATION, scopes=("people:read",))  # an IdP service client
    for headers in (key, legacy, world.admin.headers, world.coordinator.headers):
        person = await client.get(f"{API}/people/{sam.id}", headers=headers)
        assert person.status_code == 200, person.text
        assert person.json()["attributes"] is None
        listed = await client.get(f"{API}/people", headers=headers, params={"q": "Sam"})
        assert all(p["attributes"] is None for p in listed.json()["items"])
    own = await client.get(f"{API}/me", headers=sam.headers)
    assert own.json()["attributes"] == {"ethnicity": "x"}


async def test_a_key_works_on_graphql_with_the_same_scopes(client, world) -> None:
    await world.setup()
    reader = key_headers(await new_key(client, world.admin.headers, "people:read"))
    query = {"query": "{ people(first: 5) { nodes { id email attributes { name value } } } }"}
    answered = await client.post("/graphql", json=query, headers=reader)
    assert answered.status_code == 200, answered.text
    assert "errors" not in answered.json(), answered.text
    writer = key_headers(await new_key(client, world.admin.headers, "metrics:read"))
    refused = await client.post("/graphql", json=query, headers=writer)
    assert "errors" in refused.json()
    bad = await client.post("/graphql", json=query, headers={"Authorization": "Bearer tb_abcdefgh_nope"})
    assert bad.status_code == 401
    for field in ("{ skills { nodes { id } } }", "{ relationships { nodes { id } } }", "{ me { id } }"):
        refused = (await client.post("/graphql", json={"query": field}, headers=reader)).json()
        assert refused["errors"][0]["extensions"]["code"] == "insufficient_scope", refused


async def test_a_warm_key_costs_no_sql_at_the_door(client, world, sql) -> None:
    await world.setup()
    key = key_headers(await new_key(client, world.admin.headers, "programs:read"))
    assert (await client.get(f"{API}/programs", headers=key)).status_code == 200  # cached, last use written
    with sql() as seen:
        for _ in range(3):
            assert (await client.get(f"{API}/programs", headers=key)).status_code == 200
    assert not [s for s in seen.statements if "api_keys" in s]


async def test_require_scope_guards_a_route_for_the_webhooks_branch(container) -> None:
    router = api_router()

    @router.get("/hooks")
    async def hooks(actor: Annotated[Actor, Depends(require_scope(Scope.WEBHOOKS_MANAGE))]) -> dict[str, str]:
        return {"kind": actor.kind.value}

    app = FastAPI()
    app.state.container = container
    problems.install(app)
    app.include_router(router)
    admin = Actor(subject="a", issuer="t", roles=frozenset({Role.ADMIN}))
    _, with_scope = await api_keys.create_api_key(
        container.uow(), admin, name="hooks", scopes=["webhooks:manage"], expires_at=None
    )
    _, without = await api_keys.create_api_key(
        container.uow(), admin, name="other", scopes=["people:read"], expires_at=None
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        allowed = await http.get("/hooks", headers={"Authorization": f"Bearer {with_scope}"})
        assert allowed.json() == {"kind": "api_key"}
        refused = await http.get("/hooks", headers={"Authorization": f"Bearer {without}"})
        assert refused.status_code == 403
        assert refused.json()["code"] == "insufficient_scope"
        assert 'scope="webhooks:manage"' in refused.headers["WWW-Authenticate"]
