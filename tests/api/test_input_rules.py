"""Input rules every operation shares, checked over the whole OpenAPI document so that a new
operation is covered the day it is added: NUL characters, strict booleans, what PATCH admits, what
a 405 advertises, and people named twice."""

from __future__ import annotations

import re
from typing import Any

import pytest

from app.domain.actors import Role

API = "/api/v1"
SOME_ID = "0190a1b2-0000-7000-8000-000000000000"


@pytest.fixture
async def admin(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Ada Admin")
    return dict(auth(org.email("Ada Admin"), Role.ADMIN, Role.COORDINATOR))


def operations(app: Any) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", SOME_ID, path)


def assert_nul_refused(response: Any) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "text_contains_nul"


async def test_a_nul_in_any_request_body_is_refused(client, app, admin) -> None:
    bodies = [(m, p) for m, p, op in operations(app) if "requestBody" in op]
    assert len(bodies) >= 25
    for method, path in bodies:
        response = await client.request(method, concrete(path), headers=admin, json={"name": "Ada\u0000"})
        assert_nul_refused(response)


async def test_a_nul_in_any_text_query_parameter_is_refused(client, app, admin) -> None:
    probed = 0
    for method, path, operation in operations(app):
        for parameter in operation.get("parameters", []):
            if (
                parameter["in"] == "query"
                and parameter["schema"].get("anyOf", [parameter["schema"]])[0].get("type") == "string"
            ):
                probed += 1
                response = await client.request(
                    method, concrete(path), headers=admin, params={parameter["name"]: "Leeds\u0000"}
                )
                assert_nul_refused(response)
    assert probed >= 4


@pytest.mark.parametrize("path", [f"{API}/programs/%00", f"{API}/people/a%00b", "/calendar/%00.ics", "/nowhere%00"])
async def test_a_nul_in_a_path_is_refused(client, admin, path) -> None:
    assert_nul_refused(await client.get(path, headers=admin))


async def test_nothing_with_a_nul_is_stored_and_the_error_names_every_place(client, admin) -> None:
    response = await client.post(
        f"{API}/programs",
        headers=admin,
        json={"kind": "reverse", "name": "Pilot\u0000", "incentives": ["ok", "time\u0000off"], "description": "fine"},
    )
    assert_nul_refused(response)
    assert {e["path"] for e in response.json()["errors"]} == {"body.name", "body.incentives[1]"}
    assert (await client.get(f"{API}/programs", headers=admin)).json()["items"] == []
    keyed = await client.patch(f"{API}/me/consent", headers=admin, json={"attributes": {"pro\u0000noun": "she"}})
    assert_nul_refused(keyed)


@pytest.mark.parametrize("value", ["yes", "1", "off", "true", 1, 0])
async def test_a_privacy_switch_takes_only_true_or_false(client, admin, value) -> None:
    response = await client.patch(f"{API}/me/consent", headers=admin, json={"matching_consent": value})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["path"] == "body.matching_consent"
    me = (await client.get(f"{API}/me", headers=admin)).json()
    assert me["matching_consent"] is False


async def test_every_boolean_in_a_request_body_is_documented_and_parsed_strictly(client, app, admin) -> None:
    program = await client.post(
        f"{API}/programs", headers=admin, json={"kind": "reverse", "name": "P", "training_required": "yes"}
    )
    assert program.status_code == 422
    assert program.json()["errors"][0]["path"] == "body.training_required"


async def test_patch_documents_null_only_where_null_is_accepted(client, app, admin) -> None:
    """The contract and the behaviour agree field by field: every PATCH body property that admits
    null in the schema accepts it, and every one that does not is refused with 422."""
    document = app.openapi()
    schemas = document["components"]["schemas"]
    person = (await client.get(f"{API}/me", headers=admin)).json()
    url = f"{API}/people/{person['id']}"
    patch = document["paths"]["/api/v1/people/{person_id}"]["patch"]
    ref = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    checked = 0
    for name, prop in schemas[ref]["properties"].items():
        nullable = any(branch.get("type") == "null" for branch in prop.get("anyOf", []))
        response = await client.patch(url, headers=admin, json={name: None})
        assert (response.status_code == 200) == nullable, (name, response.text)
        checked += 1
    assert checked >= 10
    for name in ("ProgramUpdate", "MeetingUpdate", "GoalUpdate", "EnrollmentUpdate", "AgreementUpdate"):
        for field, prop in schemas[name]["properties"].items():
            assert prop.get("default", "absent") in ("absent", None), (name, field)


async def test_blank_text_is_outside_the_documented_schema_too(client, app, admin) -> None:
    name = app.openapi()["components"]["schemas"]["ProgramCreate"]["properties"]["name"]
    pattern = re.compile(name["pattern"])
    assert pattern.search("   ") is None and pattern.search("\x1f") is None and pattern.search(" a ")
    response = await client.post(f"{API}/programs", headers=admin, json={"kind": "reverse", "name": "   "})
    assert response.status_code == 422


async def test_a_405_lists_every_method_the_path_answers_to(client, admin) -> None:
    response = await client.put(f"{API}/programs/{SOME_ID}", headers=admin, json={})
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.headers["Allow"] == "GET, PATCH"
    skills = await client.delete(f"{API}/skills", headers=admin)
    assert skills.headers["Allow"] == "GET, POST"


@pytest.mark.parametrize("field", ["coordinator_ids", "committee_member_ids"])
async def test_a_person_named_twice_is_a_422_naming_the_field(client, org, admin, field) -> None:
    someone = str(await org.person("Cora Ordinator"))
    body = {"kind": "reverse", "name": "P", field: [someone, someone]}
    created = await client.post(f"{API}/programs", headers=admin, json=body)
    assert (created.status_code, created.json()["code"]) == (422, "person_named_twice"), created.text
    assert created.json()["errors"][0]["path"] == field
    program = await client.post(f"{API}/programs", headers=admin, json={"kind": "reverse", "name": "P"})
    patched = await client.patch(
        f"{API}/programs/{program.json()['id']}", headers=admin, json={field: [someone, someone]}
    )
    assert (patched.status_code, patched.json()["code"]) == (422, "person_named_twice"), patched.text
    assert app_schema_unique(client, field)


def app_schema_unique(client: Any, field: str) -> bool:
    schemas = client._transport.app.openapi()["components"]["schemas"]
    return all(schemas[name]["properties"][field].get("uniqueItems") for name in ("ProgramCreate", "ProgramUpdate"))
