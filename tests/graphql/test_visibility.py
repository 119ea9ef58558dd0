"""REST's visibility matrix, run against GraphQL: the same five callers, the same operations, the same
expectations. A mutation's typed problem stands for REST's status (``NotFound`` 404, ``Forbidden``
403); a query's ``null`` or error stands for 404 / 403 the same way."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.api.mentoring import test_visibility as rest_matrix

STATUS_OF_PROBLEM = {
    "NotFound": 404,
    "Forbidden": 403,
    "StaleVersion": 412,
    "Invalid": 422,
    "Conflict": 409,
    "IllegalTransition": 409,
}
STATUS_OF_KIND = {"not_found": 404, "forbidden": 403, "invalid": 422, "conflict": 409, "precondition": 412}


@dataclass(frozen=True)
class Answer:
    """What the matrix reads of a response: a status (as REST would say it) and a text for failures."""

    status_code: int
    text: str


def filled(document: str, pair: Any, ctx: dict[str, Any]) -> str:
    """``{r}`` the pair, ``{senior}`` its senior, ``{program}``, and what ``prepare`` made (``{meeting}``…)."""
    values = {"r": pair.id, "senior": pair.senior.id, "program": pair.program_id, **ctx}
    for key, value in values.items():
        if isinstance(value, list):
            document = document.replace("[" + key.upper() + "]", json.dumps(value))
        else:
            document = document.replace("{" + key + "}", str(value))
    return document


@dataclass(frozen=True)
class Template:
    """A GraphQL operation standing for one REST call of the matrix."""

    document: str
    created: bool = False  # REST answers 201 for this one

    async def __call__(self, c: httpx.AsyncClient, h: dict[str, str], pair: Any, ctx: dict[str, Any]) -> Answer:
        response = await c.post("/graphql", headers=h, json={"query": filled(self.document, pair, ctx)})
        if response.status_code != 200:
            return Answer(response.status_code, response.text)
        body = response.json()
        if body.get("errors"):
            kind = body["errors"][0].get("extensions", {}).get("kind")
            return Answer(STATUS_OF_KIND.get(kind, 500), response.text)
        (value,) = body["data"].values()
        if value is None:
            return Answer(404, response.text)
        typename = value.get("__typename") if isinstance(value, dict) else None
        if typename in STATUS_OF_PROBLEM:
            return Answer(STATUS_OF_PROBLEM[typename], response.text)
        return Answer(201 if self.created else 200, response.text)


def m(field: str, args: str, *, created: bool = False) -> Template:
    return Template(f"mutation {{ {field}({args}) {{ __typename ... on Problem {{ code message }} }} }}", created)


def q(field: str, args: str) -> Template:
    return Template(f"query {{ {field}({args}) {{ __typename }} }}")


GRAPHQL = {
    "create relationship": m(
        "createRelationship", 'programId: "{program}", enrollmentIds: [ENROLLMENTS]', created=True
    ),
    "get relationship": q("relationship", 'id: "{r}"'),
    "get partner's profile": q("person", 'id: "{senior}"'),
    "accept": m("acceptRelationship", 'id: "{r}"'),
    "decline": m("declineRelationship", 'id: "{r}"'),
    "pause": m("pauseRelationship", 'id: "{r}"'),
    "resume": m("resumeRelationship", 'id: "{r}"'),
    "complete": m("completeRelationship", 'id: "{r}"'),
    "end": m("endRelationship", 'id: "{r}", reason: MISMATCH'),
    "edit agreement": m("updateAgreement", 'id: "{r}", input: {cadenceDays: 7}'),
    "get turns": q("turns", 'relationshipId: "{r}"'),
    "propose turn policy": m("proposeTurnPolicy", 'relationshipId: "{r}", policy: "alternate(2)"', created=True),
    "accept turn policy": m("acceptTurnPolicy", 'relationshipId: "{r}"'),
    "decline turn policy": m("declineTurnPolicy", 'relationshipId: "{r}"'),
    "withdraw turn policy": m("withdrawTurnPolicy", 'relationshipId: "{r}"'),
    "declare ready": m("declareReady", 'relationshipId: "{r}"'),
    "request swap": m("requestSwap", 'relationshipId: "{r}"', created=True),
    "accept swap": m("acceptSwap", 'relationshipId: "{r}", swapId: "{swap}"'),
    "decline swap": m("declineSwap", 'relationshipId: "{r}", swapId: "{swap}"'),
    "withdraw swap": m("withdrawSwap", 'relationshipId: "{r}", swapId: "{swap}"'),
    "schedule meeting": m(
        "scheduleMeeting", 'relationshipId: "{r}", input: {startsAt: "2031-01-01T10:00:00Z"}', created=True
    ),
    "list meetings": q("meetings", 'relationshipId: "{r}"'),
    "get meeting": q("meeting", 'id: "{meeting}"'),
    "edit meeting": m("updateMeeting", 'id: "{meeting}", input: {agenda: "Reels"}'),
    "cancel meeting": m("cancelMeeting", 'id: "{meeting}"'),
    "mark held": m("markMeetingHeld", 'id: "{meeting}"'),
    "mark missed": m("markMeetingMissed", 'id: "{meeting}"'),
    "suggest resource": m(
        "addMeetingResource",
        'meetingId: "{meeting}", input: {title: "Guide", url: "https://example.com", kind: MATERIAL}',
        created=True,
    ),
    "write reflection": m("writeReflection", 'meetingId: "{meeting}", text: "mine"'),
    "read reflection": q("myReflection", 'meetingId: "{meeting}"'),
    "create goal": m("createGoal", 'relationshipId: "{r}", input: {title: "Use reels"}', created=True),
    "list goals": q("goals", 'relationshipId: "{r}"'),
    "get goal": q("goal", 'id: "{goal}"'),
    "revise goal": m("reviseGoal", 'id: "{goal}", input: {title: "Use reels well"}'),
    "log progress": m("recordGoalProgress", 'id: "{goal}", note: "half", percent: 50'),
    "start goal": m("startGoal", 'id: "{goal}"'),
    "achieve goal": m("achieveGoal", 'id: "{goal}"'),
    "drop goal": m("dropGoal", 'id: "{goal}"'),
}


@dataclass(frozen=True)
class ThroughGraphQL:
    """REST's operation with its call made through GraphQL (a query reads only, as a GET does)."""

    rest: Any

    @property
    def call(self) -> Template:
        return GRAPHQL[self.rest.name]

    @property
    def reads_only(self) -> bool:
        return self.call.document.startswith("query")

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rest, name)


def through_graphql(operation: Any) -> ThroughGraphQL:
    return ThroughGraphQL(operation)


OPERATIONS = [through_graphql(o) for o in rest_matrix.OPERATIONS]


def test_every_operation_of_the_rest_matrix_has_its_graphql_twin() -> None:
    assert {o.name for o in rest_matrix.OPERATIONS} == set(GRAPHQL)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
async def test_who_may_do_what_through_graphql(client, world, operation) -> None:
    await rest_matrix.test_who_may_do_what(client, world, operation)


async def test_lists_show_each_caller_only_what_they_may_see_through_graphql(client, world, gql) -> None:
    await world.setup()
    pair = await world.pair()
    other = (await world.pair()).junior
    expected = {"member": True, "other": False, "coordinator": True, "other_coordinator": False, "admin": True}
    actors = {
        "member": pair.junior,
        "other": other,
        "coordinator": world.coordinator,
        "other_coordinator": world.other_coordinator,
        "admin": world.admin,
    }
    seen = {}
    for role, actor in actors.items():
        data = await gql("{ relationships { nodes { id } } }", actor.headers)
        seen[role] = pair.id in {r["id"] for r in data["relationships"]["nodes"]}
    assert seen == expected
