"""The two doors show the same rooms: for every REST read, the GraphQL equivalent returns the same
data to the same caller — or refuses the same way (REST's 404 is GraphQL's ``null``; REST's 403 is a
GraphQL error with the same ``code``).

The GraphQL selection is derived from REST's own answer (every field REST returns is asked for, under
its camelCase name), so a field REST shows and GraphQL lacks fails the query, and a value that
differs fails the comparison.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

# Nested objects whose fields cannot be read off REST's answer when it is null or an empty list.
SUBFIELDS: dict[str, list[str]] = {
    "policy_proposal": ["policy", "proposed_by", "proposed_at"],
    "acceptances": ["person_id", "accepted_at"],
    "resources": ["title", "url", "kind", "suggested_by"],
    "progress": ["at", "author_id", "note", "percent"],
    "swaps": ["id", "requested_by", "requested_at", "status", "turn_index", "decided_at"],
    "planned": ["meeting_id", "starts_at", "turn_index", "leader_id", "reason_code"],
    "ledger": [
        "meeting_id",
        "starts_at",
        "turn_index",
        "planned_leader_id",
        "actual_leader_id",
        "reason_code",
        "drifted",
    ],
    "objectives": ["id", "metric", "target", "unit", "description"],
    "factors": ["name", "contribution", "detail"],
    "policy_history": ["policy", "from_turn"],
    "current": ["run_id", "dry_run", "total_score", "quality", "coverage", "cross_department_share", "pairs"],
}
OBJECT_KEYS = set(SUBFIELDS)
# REST shapes that GraphQL spells as objects (a map has no GraphQL type; a pair is a list of two).
ATTRIBUTES = "attributes { name value }"
PAIRS = "{ enrollmentIds }"
MAPS = {
    "settings_overrides": "settingsOverrides { name value }",
    "pool_census": "poolCensus { state count }",
    "fairness": "fairness { scoreBands unmatchedBy { dimension groups { group pool unmatched } } }",
}


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def selection(sample: dict[str, Any]) -> str:
    parts = []
    for key, value in sample.items():
        if key == "attributes":
            parts.append(ATTRIBUTES)
        elif key in MAPS:
            parts.append(MAPS[key])
        elif key in ("pins", "forbids"):
            parts.append(f"{camel(key)} {PAIRS}")
        elif key in OBJECT_KEYS and (value is None or value == []):
            parts.append(f"{camel(key)} {{ {' '.join(camel(f) for f in SUBFIELDS[key])} }}")
        elif isinstance(value, dict):
            parts.append(f"{camel(key)} {{ {selection(value)} }}")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            merged: dict[str, Any] = {}
            for item in value:
                merged.update({k: v for k, v in item.items() if k not in merged or merged[k] in (None, [])})
            parts.append(f"{camel(key)} {{ {selection(merged)} }}")
        else:
            parts.append(camel(key))
    return " ".join(parts)


def from_graphql(value: Any, key: str = "") -> Any:
    """GraphQL's answer in REST's spelling: snake_case keys, maps and pairs as REST writes them."""
    if key == "attributes" and isinstance(value, list):
        return {item["name"]: item["value"] for item in value}
    if key in ("pins", "forbids"):
        return [item["enrollmentIds"] for item in value]
    if key == "settings_overrides":
        return {item["name"]: json.loads(item["value"]) for item in value}
    if key == "pool_census" and isinstance(value, list):
        return {item["state"]: item["count"] for item in value}
    if key == "fairness" and isinstance(value, dict):
        return {
            "score_bands": value["scoreBands"],
            "unmatched_by": {
                d["dimension"]: {g["group"]: {"pool": g["pool"], "unmatched": g["unmatched"]} for g in d["groups"]}
                for d in value["unmatchedBy"]
            },
        }
    if isinstance(value, dict):
        return {snake(k): from_graphql(v, snake(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [from_graphql(v, key) for v in value]
    return value


def same(graphql: Any, rest: Any, path: str = "") -> list[str]:
    """The differences, path by path (enum spelling and datetime notation aside)."""
    if isinstance(rest, dict) and isinstance(graphql, dict):
        keys = set(rest) | set(graphql)
        return [
            d for k in sorted(keys) for d in same(graphql.get(k, "<absent>"), rest.get(k, "<absent>"), f"{path}.{k}")
        ]
    if isinstance(rest, list) and isinstance(graphql, list) and len(rest) == len(graphql):
        return [d for i, (g, r) in enumerate(zip(graphql, rest, strict=True)) for d in same(g, r, f"{path}[{i}]")]
    if isinstance(rest, str) and isinstance(graphql, str):
        if graphql == rest or (graphql.isupper() and graphql.lower() == rest):
            return []
        try:
            if datetime.fromisoformat(graphql.replace("Z", "+00:00")) == datetime.fromisoformat(
                rest.replace("Z", "+00:00")
            ):
                return []
        except ValueError:
            pass
    elif (graphql == rest and type(graphql) is type(rest)) or (
        isinstance(graphql, int | float) and isinstance(rest, int | float) and graphql == rest
    ):
        return []
    return [f"{path}: graphql {graphql!r} != rest {rest!r}"]


@dataclass(frozen=True)
class Read:
    """A REST GET and the GraphQL field that shows the same thing (``{…}`` filled from the cast)."""

    url: str
    field: str  # e.g. 'relationship(id: "{pair}")' or 'program(id: "{program}") { comments'
    kind: str = "one"  # one | list (REST {items, next_cursor} ↔ a connection or slice) | plain (a JSON list)


READS = [
    Read("/api/v1/me", "me"),
    Read("/api/v1/people/{senior}", 'person(id: "{senior}")'),
    Read("/api/v1/people?department=Engineering", 'people(department: "Engineering")', "list"),
    Read("/api/v1/skills", "skills", "list"),
    Read("/api/v1/skills/{skill}", 'skill(id: "{skill}")'),
    Read("/api/v1/programs", "programs", "list"),
    Read("/api/v1/programs/{draft}", 'program(id: "{draft}")'),
    Read("/api/v1/programs/{draft}/objectives", 'program(id: "{draft}") { objectives', "plain"),
    Read("/api/v1/programs/{draft}/comments", 'program(id: "{draft}") { comments', "list"),
    Read("/api/v1/programs/{draft}/reviews", 'program(id: "{draft}") { reviews', "list"),
    Read("/api/v1/programs/{draft}/invitations", 'program(id: "{draft}") { invitations', "list"),
    Read("/api/v1/programs/{program}/enrollments", 'program(id: "{program}") { enrollments', "list"),
    Read("/api/v1/me/enrollments", "myEnrollments", "list"),
    Read(
        "/api/v1/programs/{program}/enrollments/{enrollment}",
        'enrollment(programId: "{program}", id: "{enrollment}")',
    ),
    Read("/api/v1/programs/{program}/matching-runs", 'program(id: "{program}") { matchingRuns', "list"),
    Read("/api/v1/matching-runs/{run}", 'matchingRun(id: "{run}")'),
    Read("/api/v1/matching-runs/{run}/comparison", 'matchingRun(id: "{run}") { comparison'),
    Read("/api/v1/matching-runs/{run}/proposals", 'matchingRun(id: "{run}") { proposals', "list"),
    Read("/api/v1/matching-runs/{run}/unmatched", 'matchingRun(id: "{run}") { unmatchedEnrollments', "list"),
    Read("/api/v1/relationships", "relationships", "list"),
    Read("/api/v1/relationships?health=on_track", "relationships(health: ON_TRACK)", "list"),
    Read("/api/v1/relationships/{pair}", 'relationship(id: "{pair}")'),
    Read("/api/v1/relationships/{pair}/turns", 'turns(relationshipId: "{pair}")'),
    Read("/api/v1/relationships/{pair}/meetings", 'meetings(relationshipId: "{pair}")', "list"),
    Read("/api/v1/meetings/{meeting}", 'meeting(id: "{meeting}")'),
    Read("/api/v1/meetings/{meeting}/reflection", 'myReflection(meetingId: "{meeting}")'),
    Read("/api/v1/relationships/{pair}/goals", 'goals(relationshipId: "{pair}")', "list"),
    Read("/api/v1/goals/{goal}", 'goal(id: "{goal}")'),
]
CALLERS = ("member", "partner", "coordinator", "other_coordinator", "admin")


async def cast(client: Any, world: Any, clock: Any) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """One of everything a front end shows, and the callers who look at it."""
    ok = world.ok
    await world.setup(policy="senior_first(2)")
    coordinator = world.coordinator.headers
    skill = ok(
        await client.post("/api/v1/skills", headers=coordinator, json={"name": "Reels", "category": "social_media"}),
        201,
    )
    committee = await world.person("Carla Committee")
    draft = ok(
        await client.post(
            "/api/v1/programs",
            headers=coordinator,
            json={
                "kind": "reverse",
                "name": "Reverse pilot",
                "focus_areas": ["technology"],
                "objectives": [{"metric": "seniors on social media", "target": 70, "unit": "percent"}],
                "committee_member_ids": [committee.id],
                "pilot_capacity": 20,
            },
        ),
        201,
    )
    pair = await world.pair()
    for path, body, by in (
        ("comments", {"body": "Night shifts too?"}, pair.junior.headers),
        ("reviews", {"verdict": "request_changes", "body": "Pilot first"}, committee.headers),
        ("invitations", {"person_id": pair.junior.id, "message": "Join us"}, coordinator),
    ):
        ok(await client.post(f"/api/v1/programs/{draft['id']}/{path}", headers=by, json=body), 201)
    extra = [await world.person(f"Pool {i}", seniority=2 + 3 * i) for i in range(3)]
    await world.enrol_all(extra)
    run = ok(
        await client.post(f"/api/v1/programs/{world.program['id']}/matching-runs", headers=coordinator, json={}), 201
    )
    held = await world.meeting(pair.id, clock.now() - timedelta(hours=2), pair.junior)
    ok(await client.post(f"/api/v1/meetings/{held['id']}/held", headers=pair.junior.headers))
    resource = {"title": "Guide", "url": "https://example.com/guide", "kind": "material"}
    ok(await client.post(f"/api/v1/meetings/{held['id']}/resources", headers=pair.senior.headers, json=resource), 201)
    ok(
        await client.put(
            f"/api/v1/meetings/{held['id']}/reflection", headers=pair.junior.headers, json={"text": "Mine"}
        )
    )
    await world.meeting(pair.id, clock.now() + timedelta(days=3), pair.senior)
    goal = ok(
        await client.post(
            f"/api/v1/relationships/{pair.id}/goals", headers=pair.senior.headers, json={"title": "Post weekly"}
        ),
        201,
    )
    ok(await client.post(f"/api/v1/goals/{goal['id']}/progress", headers=pair.junior.headers, json={"percent": 40}))
    ok(await client.post(f"/api/v1/relationships/{pair.id}/swaps", headers=pair.junior.headers), 201)
    ok(await client.patch("/api/v1/me/consent", headers=pair.junior.headers, json={"attributes": {"pronouns": "they"}}))
    ids = {
        "senior": pair.senior.id,
        "skill": skill["id"],
        "draft": draft["id"],
        "program": world.program["id"],
        "enrollment": pair.junior.enrollment_id,
        "run": run["id"],
        "pair": pair.id,
        "meeting": held["id"],
        "goal": goal["id"],
    }
    callers = {
        "member": pair.junior.headers,
        "partner": pair.senior.headers,
        "coordinator": coordinator,
        "other_coordinator": world.other_coordinator.headers,
        "admin": world.admin.headers,
    }
    return ids, callers


def fill(text: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: ids.get(m.group(1), m.group(0)), text)


def _query(read: Read, ids: dict[str, str], rest: dict[str, Any] | list[Any]) -> tuple[str, list[str]]:
    """The GraphQL query asking for exactly REST's fields, and the path to the answer."""
    field = fill(read.field, ids)
    opened = field.count("{")
    path = [re.split(r"[ (]", part.strip())[0] for part in field.split("{")]
    if read.kind == "list":
        assert isinstance(rest, dict)
        sample: dict[str, Any] = {}
        for item in rest["items"]:
            sample.update({k: v for k, v in item.items() if k not in sample or sample[k] in (None, [])})
        inner = f"nodes {{ {selection(sample) or '__typename'} }} pageInfo {{ hasNextPage endCursor }}"
    elif read.kind == "plain":
        assert isinstance(rest, list)
        merged: dict[str, Any] = {}
        for item in rest:
            merged.update(item)
        inner = selection(merged)
    else:
        assert isinstance(rest, dict)
        inner = selection(rest)
    return "{ " + field + " { " + inner + " }" + " }" * opened + " }", path


def _answer(data: dict[str, Any], path: list[str]) -> Any:
    for key in path:
        data = data[key]
    return data


@pytest.mark.parametrize("caller", CALLERS)
async def test_every_rest_read_has_the_same_answer_in_graphql(client, world, clock, gql, caller) -> None:
    ids, callers = await cast(client, world, clock)
    headers = callers[caller]
    compared = 0
    for read in READS:
        response = await client.get(fill(read.url, ids), headers=headers)
        field = fill(read.field, ids)
        if response.status_code != 200:
            # refused alike: REST's 404 is null here, REST's 403 an error with the same code
            problem = response.json()
            probe = await gql.raw("{ " + field + " { __typename }" + " }" * field.count("{") + " }", headers)
            body = probe.json()
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
            hidden = not codes and body["data"][re.split(r"[ (]", field)[0]] is None
            assert codes == [problem["code"]] or (response.status_code == 404 and hidden), (read.url, caller, body)
            continue
        rest = response.json()
        query, path = _query(read, ids, rest)
        answer = _answer(await gql(query, headers), path)
        if read.kind == "list":
            next_cursor = answer["pageInfo"]["endCursor"] if answer["pageInfo"]["hasNextPage"] else None
            graphql = {"items": from_graphql(answer["nodes"]), "next_cursor": next_cursor}
        else:
            graphql = from_graphql(answer)
        assert same(graphql, rest) == [], (read.url, caller)
        compared += 1
    assert compared >= 10  # most reads are visible to every kind of caller
