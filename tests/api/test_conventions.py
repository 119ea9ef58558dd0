"""The REST conventions of API.md, seen from a client: problem+json, ETag/If-Match, Idempotency-Key,
pagination bounds, request ids, health and readiness, and a usable OpenAPI document."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from app.bootstrap import build_container
from app.domain.actors import Role
from app.main import create_app
from app.settings import Settings

API = "/api/v1"
PROBLEM_FIELDS = {"type", "title", "status", "detail", "code", "instance", "request_id", "errors"}


def assert_problem(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = dict(response.json())
    assert set(body) <= PROBLEM_FIELDS
    assert {"type", "title", "status", "detail", "code", "errors"} <= set(body)
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"].endswith("/" + code)
    assert body["title"] and body["detail"]
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


@pytest.fixture
async def hana(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Hana Coordinator")
    return dict(auth(org.email("Hana Coordinator"), Role.COORDINATOR))


async def new_program(client: Any, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    body = {"kind": "reciprocal", "name": "P", "cycle_start": "2027-01-11", "cycle_end": "2027-06-30", **fields}
    response = await client.post(f"{API}/programs", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


# --- problem+json -------------------------------------------------------------------------------------
async def test_every_failure_is_a_problem_document(client, org, auth, hana) -> None:
    await org.person("Sam Junior")
    employee = auth(org.email("Sam Junior"))
    program = await new_program(client, hana)
    url = f"{API}/programs/{program['id']}"

    assert_problem(await client.get(f"{API}/people"), 401, "unauthenticated")
    assert_problem(await client.get(f"{API}/people", headers=employee), 403, "directory_restricted")
    assert_problem(
        await client.get(f"{API}/programs/0190a1b2-0000-7000-8000-000000000000", headers=hana), 404, "program_not_found"
    )
    assert_problem(
        await client.post(f"{url}/transitions", headers=hana, json={"to": "active"}), 409, "illegal_program_transition"
    )
    assert_problem(
        await client.patch(url, headers={**hana, "If-Match": '"v9"'}, json={"name": "N"}), 412, "stale_version"
    )
    invalid = assert_problem(
        await client.patch(url, headers=hana, json={"cadence_days": "often"}), 422, "validation_failed"
    )
    assert invalid["errors"] == [{"path": "body.cadence_days", "message": invalid["errors"][0]["message"]}]
    assert_problem(await client.get("/api/v1/nowhere", headers=hana), 404, "route_not_found")
    assert_problem(await client.get("/nowhere"), 404, "route_not_found")
    assert_problem(await client.delete(f"{API}/skills", headers=hana), 405, "method_not_allowed")


async def test_bad_input_is_never_a_server_error(client, hana) -> None:
    broken_json = await client.post(
        f"{API}/programs", headers={**hana, "content-type": "application/json"}, content=b"{not json"
    )
    assert_problem(broken_json, 422, "malformed_body")
    assert_problem(await client.get(f"{API}/programs/not-a-uuid", headers=hana), 422, "validation_failed")
    for limit in ("0", "201", "many"):
        response = await client.get(f"{API}/programs", headers=hana, params={"limit": limit})
        assert_problem(response, 422, "validation_failed")
    assert_problem(await client.get(f"{API}/programs", headers=hana, params={"cursor": "%%%"}), 422, "cursor_invalid")


async def test_an_unexpected_failure_is_a_500_problem_without_internals(app, auth, hana, monkeypatch) -> None:
    from app.services import skills

    async def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(skills, "list_skills", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get(f"{API}/skills", headers=hana)
    body = assert_problem(response, 500, "internal_error")
    assert "secret internal detail" not in response.text
    assert "RuntimeError" not in body["detail"]


# --- ETag and If-Match ------------------------------------------------------------------------------
async def test_single_resources_carry_an_etag_that_if_match_accepts(client, hana) -> None:
    program = await new_program(client, hana)
    url = f"{API}/programs/{program['id']}"
    fetched = await client.get(url, headers=hana)
    assert fetched.headers["ETag"] == '"v1"'

    strong = await client.patch(url, headers={**hana, "If-Match": '"v1"'}, json={"name": "Matched"})
    assert strong.status_code == 200
    assert strong.headers["ETag"] == '"v2"'
    star = await client.patch(url, headers={**hana, "If-Match": "*"}, json={"name": "Any version"})
    assert star.status_code == 200
    assert star.headers["ETag"] == '"v3"'


async def test_if_match_compares_strongly_so_a_weak_tag_never_matches(client, hana) -> None:
    """RFC 9110 §13.1.1: If-Match uses the strong comparison; W/"v1" is not "v1"."""
    program = await new_program(client, hana)
    url = f"{API}/programs/{program['id']}"
    weak = await client.patch(url, headers={**hana, "If-Match": 'W/"v1"'}, json={"name": "Weakly matched"})
    assert_problem(weak, 412, "stale_version")
    assert (await client.get(url, headers=hana)).json() == program


async def test_a_stale_if_match_is_412_and_the_program_is_unchanged(client, hana) -> None:
    program = await new_program(client, hana)
    url = f"{API}/programs/{program['id']}"
    await client.patch(url, headers=hana, json={"name": "Renamed"})

    stale_edit = await client.patch(url, headers={**hana, "If-Match": '"v1"'}, json={"name": "Lost update"})
    assert_problem(stale_edit, 412, "stale_version")
    stale_move = await client.post(f"{url}/transitions", headers={**hana, "If-Match": '"v1"'}, json={"to": "enrolling"})
    assert_problem(stale_move, 412, "stale_version")
    now = (await client.get(url, headers=hana)).json()
    assert (now["name"], now["status"], now["version"]) == ("Renamed", "draft", 2)


@pytest.mark.parametrize("if_match", ['"1"', '"va"', 'W/"v1"'])
async def test_an_if_match_this_api_never_gave_out_is_412_and_changes_nothing(client, hana, if_match) -> None:
    program = await new_program(client, hana)
    url = f"{API}/programs/{program['id']}"
    response = await client.patch(url, headers={**hana, "If-Match": if_match}, json={"name": "Changed"})
    assert_problem(response, 412, "stale_version")
    assert (await client.get(url, headers=hana)).json() == program


@pytest.mark.parametrize("if_match", ["v1", '"v1', "W/v1", '"v1", "v2"', 'v"1"'])
async def test_a_malformed_if_match_is_a_field_error_like_any_other(client, hana, if_match) -> None:
    program = await new_program(client, hana)
    url = f"{API}/programs/{program['id']}"
    response = await client.patch(url, headers={**hana, "If-Match": if_match}, json={"name": "Changed"})
    body = assert_problem(response, 422, "validation_failed")
    assert [e["path"] for e in body["errors"]] == ["header.If-Match"]
    assert (await client.get(url, headers=hana)).json() == program


async def test_a_malformed_if_match_does_not_hide_a_bad_path_id_or_body(client, hana) -> None:
    response = await client.patch(
        f"{API}/programs/not-a-uuid", headers={**hana, "If-Match": "v1"}, json={"cadence_days": "often"}
    )
    body = assert_problem(response, 422, "validation_failed")
    assert {e["path"] for e in body["errors"]} == {"path.program_id", "header.If-Match", "body.cadence_days"}


async def test_a_well_formed_if_match_on_a_missing_resource_is_404_not_412(client, hana) -> None:
    response = await client.patch(
        f"{API}/programs/0190a1b2-0000-7000-8000-000000000000", headers={**hana, "If-Match": '"v7"'}, json={"name": "N"}
    )
    assert_problem(response, 404, "program_not_found")


# --- Idempotency-Key ---------------------------------------------------------------------------------
async def test_an_idempotent_replay_returns_the_first_response_and_creates_once(client, hana) -> None:
    body = {"name": "Python", "category": "technology"}
    headers = {**hana, "Idempotency-Key": "create-python-1"}
    first = await client.post(f"{API}/skills", headers=headers, json=body)
    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers

    replay = await client.post(f"{API}/skills", headers=headers, json=body)
    assert replay.status_code == 201
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    assert replay.headers["ETag"] == first.headers["ETag"]
    assert replay.headers["Location"] == first.headers["Location"]
    assert len((await client.get(f"{API}/skills", headers=hana)).json()["items"]) == 1


async def test_the_same_key_with_another_body_is_refused(client, hana) -> None:
    headers = {**hana, "Idempotency-Key": "k-1"}
    await client.post(f"{API}/skills", headers=headers, json={"name": "Python", "category": "technology"})
    reused = await client.post(f"{API}/skills", headers=headers, json={"name": "Rust", "category": "technology"})
    assert_problem(reused, 422, "idempotency_key_reused")
    other_route = await client.post(f"{API}/programs", headers=headers, json={"kind": "reverse", "name": "Python"})
    assert_problem(other_route, 422, "idempotency_key_reused")
    assert (await client.get(f"{API}/programs", headers=hana)).json()["items"] == []
    names = [s["name"] for s in (await client.get(f"{API}/skills", headers=hana)).json()["items"]]
    assert names == ["Python"]


async def test_a_failed_create_releases_its_key(client, org, auth, hana) -> None:
    await org.person("Sam Junior")
    program = await new_program(client, hana)
    employee = {**auth(org.email("Sam Junior")), "Idempotency-Key": "enrol-once"}
    url = f"{API}/programs/{program['id']}/enrollments"

    closed = await client.post(url, headers=employee, json={"role_preference": "both"})
    assert_problem(closed, 409, "enrolment_closed")
    await client.post(f"{API}/programs/{program['id']}/transitions", headers=hana, json={"to": "enrolling"})

    retried = await client.post(url, headers=employee, json={"role_preference": "both"})
    assert retried.status_code == 201, retried.text
    assert "Idempotent-Replayed" not in retried.headers
    replayed = await client.post(url, headers=employee, json={"role_preference": "both"})
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert replayed.json()["id"] == retried.json()["id"]


async def test_keys_belong_to_their_caller(client, org, auth, hana) -> None:
    await org.person("Other Coordinator")
    other = auth(org.email("Other Coordinator"), Role.COORDINATOR)
    body = {"kind": "reverse", "name": "Same body"}
    mine = await client.post(f"{API}/programs", headers={**hana, "Idempotency-Key": "shared"}, json=body)
    theirs = await client.post(f"{API}/programs", headers={**other, "Idempotency-Key": "shared"}, json=body)
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


# --- request ids, health, readiness ---------------------------------------------------------------
async def test_the_request_id_is_echoed_or_made_up(client) -> None:
    echoed = await client.get("/healthz", headers={"X-Request-ID": "req-42.a_b"})
    assert echoed.headers["X-Request-ID"] == "req-42.a_b"
    problem = await client.get(f"{API}/people", headers={"X-Request-ID": "req-43"})
    assert problem.headers["X-Request-ID"] == "req-43"
    assert problem.json()["request_id"] == "req-43"
    made_up = await client.get("/healthz", headers={"X-Request-ID": "no spaces; or <tags>"})
    assert made_up.headers["X-Request-ID"] not in {"", "no spaces; or <tags>"}
    assert (await client.get("/healthz")).headers["X-Request-ID"]


async def test_liveness_and_readiness_at_head(client) -> None:
    alive = await client.get("/healthz")
    assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "migrations": "at_head"}


@pytest.mark.parametrize("stamp", [None, "not_a_revision_of_ours"])
async def test_readiness_is_503_when_the_schema_is_not_at_head(container, empty_database, stamp) -> None:
    url = await empty_database("unmigrated")
    settings = Settings(
        database_url=url, dev_signing_key_path=container.settings.dev_signing_key_path, log_level="warning"
    )
    other = build_container(settings)
    try:
        if stamp is not None:
            async with other.engine.begin() as connection:
                await connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
                await connection.execute(text("INSERT INTO alembic_version VALUES (:v)"), {"v": stamp})
        transport = httpx.ASGITransport(app=create_app(settings, container=other))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/readyz")
            alive = await client.get("/healthz")
    finally:
        await other.aclose()
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready", "database": "ok", "migrations": "behind"}
    assert alive.status_code == 200


# --- the OpenAPI document ------------------------------------------------------------------------------
async def test_every_operation_is_documented_for_client_generators(client) -> None:
    document = (await client.get("/openapi.json")).json()
    operations = [
        (path, method, op)
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    for path, method, op in operations:
        assert op["operationId"][0].islower() and "_" not in op["operationId"], op["operationId"]
        assert op.get("summary") and op.get("tags"), (method, path)
        if path.startswith(API):
            assert "401" in op["responses"], (method, path)
            problem = op["responses"]["401"]["content"]
            assert "application/problem+json" in problem, (method, path)


async def test_a_body_that_is_not_json_is_a_422_problem_and_creates_nothing(client, hana) -> None:
    response = await client.post(
        f"{API}/programs", headers={**hana, "Content-Type": "application/json"}, content=b'{"kind": "rev'
    )
    assert_problem(response, 422, "malformed_body")
    undecodable = await client.post(
        f"{API}/programs", headers={**hana, "Content-Type": "application/json"}, content=b"\xff\xfe\x00"
    )
    assert_problem(undecodable, 422, "malformed_body")
    assert (await client.get(f"{API}/programs", headers=hana)).json()["items"] == []


async def test_patch_null_clears_only_what_may_be_empty(client, hana) -> None:
    created = await client.post(
        f"{API}/programs",
        headers=hana,
        json={
            "kind": "reciprocal",
            "name": "P",
            "cycle_start": "2027-01-11",
            "cycle_end": "2027-06-30",
            "pilot_capacity": 10,
        },
    )
    program = created.json()
    refused = await client.patch(f"{API}/programs/{program['id']}", headers=hana, json={"name": None})
    body = assert_problem(refused, 422, "validation_failed")
    assert "name" in body["errors"][0]["message"]
    unchanged = (await client.get(f"{API}/programs/{program['id']}", headers=hana)).json()
    assert (unchanged["name"], unchanged["version"]) == ("P", 1)

    cleared = await client.patch(f"{API}/programs/{program['id']}", headers=hana, json={"pilot_capacity": None})
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["pilot_capacity"] is None
