"""Errors as data, with REST's codes: the same mistake gets the same code through either door; a
refused mutation undoes only itself; a commit that fails never answers with data; a bug never
shows its insides."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.adapters.persistence.tables import LearningGoalRow, OutboxRow

RESULT = "__typename ... on Problem { code message } ... on Invalid { fields { path message } }"


async def mutate(gql: Any, headers: dict[str, str], field: str, args: str, payload: str = "") -> dict[str, Any]:
    data = await gql(f"mutation {{ {field}({args}) {{ {RESULT} {payload} }} }}", headers)
    result: dict[str, Any] = data[field]
    return result


async def test_the_same_bad_payload_gets_the_same_code_through_both_doors(client, world, gql) -> None:
    await world.setup()
    coordinator = world.coordinator.headers
    long_name = "x" * 201
    rest = await client.post("/api/v1/programs", headers=coordinator, json={"kind": "reciprocal", "name": long_name})
    assert rest.status_code == 422
    graphql = await mutate(gql, coordinator, "createProgram", f'input: {{kind: RECIPROCAL, name: "{long_name}"}}')
    assert graphql["__typename"] == "Invalid"
    assert graphql["code"] == rest.json()["code"] == "validation_failed"
    assert [f["path"] for f in graphql["fields"]] == ["input.name"]

    bad_email = await mutate(
        gql, world.admin.headers, "createPerson", 'input: {email: "not-an-email", givenName: "A", familyName: "B"}'
    )
    assert bad_email["code"] == "validation_failed"
    assert [f["path"] for f in bad_email["fields"]] == ["input.email"]


async def test_a_broken_rule_is_a_typed_problem_with_rest_code(client, world, gql) -> None:
    await world.setup()
    program = world.program
    rest = await client.post(
        f"/api/v1/programs/{program['id']}/transitions", headers=world.coordinator.headers, json={"to": "draft"}
    )
    assert rest.status_code == 409
    graphql = await mutate(gql, world.coordinator.headers, "transitionProgram", f'id: "{program["id"]}", to: DRAFT')
    assert graphql == {"__typename": "IllegalTransition", "code": rest.json()["code"], "message": rest.json()["detail"]}
    forbidden = await mutate(
        gql, world.other_coordinator.headers, "transitionProgram", f'id: "{program["id"]}", to: ACTIVE'
    )
    assert forbidden["__typename"] == "Forbidden"


async def test_expected_version_guards_against_lost_updates(world, gql) -> None:
    await world.setup()
    pair = await world.pair()
    current = (await gql(f'{{ relationship(id: "{pair.id}") {{ version }} }}', pair.junior.headers))["relationship"]
    stale = await mutate(
        gql, pair.junior.headers, "pauseRelationship", f'id: "{pair.id}", expectedVersion: {current["version"] - 1}'
    )
    assert stale["__typename"] == "StaleVersion"
    assert stale["code"] == "stale_version"
    done = await mutate(
        gql,
        pair.junior.headers,
        "pauseRelationship",
        f'id: "{pair.id}", expectedVersion: {current["version"]}',
        "... on Relationship { status version }",
    )
    assert done == {"__typename": "Relationship", "status": "PAUSED", "version": current["version"] + 1}


async def test_a_refused_mutation_undoes_only_itself(world, gql, container) -> None:
    await world.setup()
    pair = await world.pair()
    data = await gql(
        f"""mutation {{
          first: createGoal(relationshipId: "{pair.id}", input: {{title: "Kept"}}) {{ __typename }}
          second: createGoal(relationshipId: "{pair.id}", input: {{title: "Refused", ownerId: "{world.admin.id}"}}) {{
            __typename ... on Problem {{ code }} }}
          third: pauseRelationship(id: "{pair.id}") {{ __typename }}
        }}""",
        pair.junior.headers,
    )
    assert data["first"]["__typename"] == "Goal"
    assert data["second"]["__typename"] != "Goal"
    assert data["third"]["__typename"] == "Relationship"
    async with container.engine.connect() as connection:
        titles = (await connection.execute(select(LearningGoalRow.title))).scalars().all()  # type: ignore[call-overload]
        events = (await connection.execute(select(OutboxRow.event_type))).scalars().all()  # type: ignore[call-overload]
    assert list(titles) == ["Kept"]
    assert events.count("goal.created") == 1
    assert "relationship.paused" in events


async def test_a_mutation_failing_after_its_writes_leaves_no_trace_and_the_others_commit(
    world, gql, container, monkeypatch
) -> None:
    """The second mutation's rows reach the database, then its flush fails (a race with another
    writer, say): its savepoint is rolled back, the first and third mutations still commit."""
    await world.setup()
    pair = await world.pair()
    from sqlalchemy.exc import IntegrityError

    from app.adapters.persistence.repositories.goals import SqlGoalRepository

    flush = SqlGoalRepository.flush

    async def flaky(self: Any) -> None:
        lost = any(goal.title == "Lost" for goal in self._new)
        await flush(self)
        if lost:  # the second goal's rows are written; now the "race" hits
            raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(SqlGoalRepository, "flush", flaky)
    data = await gql(
        f"""mutation {{
          first: createGoal(relationshipId: "{pair.id}", input: {{title: "Kept"}}) {{ __typename }}
          second: createGoal(relationshipId: "{pair.id}", input: {{title: "Lost"}}) {{
            __typename ... on Problem {{ code }} }}
          third: pauseRelationship(id: "{pair.id}") {{ __typename }}
        }}""",
        pair.junior.headers,
    )
    assert data == {
        "first": {"__typename": "Goal"},
        "second": {"__typename": "Conflict", "code": "conflicts_with_existing_data"},
        "third": {"__typename": "Relationship"},
    }
    async with container.engine.connect() as connection:
        titles = (await connection.execute(select(LearningGoalRow.title))).scalars().all()  # type: ignore[call-overload]
        events = (await connection.execute(select(OutboxRow.event_type))).scalars().all()  # type: ignore[call-overload]
    assert list(titles) == ["Kept"]
    assert events.count("goal.created") == 1
    assert "relationship.paused" in events


async def test_a_commit_that_fails_answers_an_error_and_no_data(world, gql, container, monkeypatch) -> None:
    await world.setup()
    pair = await world.pair()
    from app.adapters.persistence.transaction import RequestTransaction

    async def lost(self: Any) -> None:
        raise ConnectionRefusedError("the database went away")

    monkeypatch.setattr(RequestTransaction, "complete", lost)
    response = await gql.raw(f'mutation {{ pauseRelationship(id: "{pair.id}") {{ __typename }} }}', pair.junior.headers)
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["database_unavailable"]
    monkeypatch.undo()
    after = await gql(f'{{ relationship(id: "{pair.id}") {{ status }} }}', pair.junior.headers)
    assert after["relationship"]["status"] == "ACTIVE"


async def test_a_bug_never_shows_its_insides(world, gql, monkeypatch) -> None:
    await world.setup()
    pair = await world.pair()
    from app.services import turns

    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(turns, "get_turns", broken)
    response = await gql.raw(f'{{ turns(relationshipId: "{pair.id}") {{ heldTurns }} }}', pair.junior.headers)
    body = response.json()
    assert "secret" not in response.text
    assert [e["extensions"]["code"] for e in body["errors"]] == ["internal_error"]


@pytest.mark.parametrize(
    ("field", "args"),
    [
        ("updateProgram", 'id: "{program}", input: {name: null}'),
        ("updateAgreement", 'id: "{pair}", input: {cadenceDays: null}'),
    ],
)
async def test_null_clears_only_what_may_be_empty(world, gql, field, args) -> None:
    await world.setup()
    pair = await world.pair()
    headers = world.coordinator.headers if field == "updateProgram" else pair.junior.headers
    filled = args.replace("{program}", world.program["id"]).replace("{pair}", pair.id)
    refused = await mutate(gql, headers, field, filled)
    assert refused["__typename"] == "Invalid"
    assert refused["fields"][0]["message"] == "cannot be null"


async def test_a_nul_in_any_text_is_refused_with_rest_code_and_stores_nothing(client, world, gql) -> None:
    await world.setup()
    coordinator = world.coordinator.headers
    rest = await client.post("/api/v1/programs", headers=coordinator, json={"kind": "reciprocal", "name": "a\u0000b"})
    assert rest.status_code == 422 and rest.json()["code"] == "text_contains_nul"
    create = "mutation($name: String!) { createProgram(input: {kind: RECIPROCAL, name: $name}) { " + RESULT + " } }"
    literal = 'mutation { createProgram(input: {kind: RECIPROCAL, name: "a\\u0000b"}) { ' + RESULT + " } }"
    search = "query($q: String) { people(q: $q) { edges { node { id } } } }"
    refusals = [
        (await gql.raw(create, coordinator, name="a\u0000b")).json(),
        (await gql.raw(literal, coordinator)).json(),
        (await gql.raw(search, world.admin.headers, q="x\u0000")).json(),
    ]
    for body in refusals:
        assert body.get("data") is None, body
        (error,) = body["errors"]
        assert error["extensions"]["code"] == rest.json()["code"]
    assert refusals[0]["errors"][0]["extensions"]["fields"][0]["path"] == "variables.name"
    assert refusals[1]["errors"][0]["extensions"]["fields"][0]["path"].startswith("query (line 1")
    listed = await gql("{ programs(first: 50) { edges { node { name } } } }", coordinator)
    assert all("\u0000" not in edge["node"]["name"] for edge in listed["programs"]["edges"])
