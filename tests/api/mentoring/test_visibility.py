"""Who may see and do what, as a matrix: a member of the pair, another participant, a coordinator
of this program, a coordinator of another program and an admin × every operation of the
mentoring core. Reads hidden from someone answer 404 (existence is private too); members' own
actions refused to staff answer 403; a private reflection is the author's alone, admins included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

ROLES = ("member", "other", "coordinator", "other_coordinator", "admin")
READ = {"member": 200, "other": 404, "coordinator": 200, "other_coordinator": 404, "admin": 200}
MEMBERS_ONLY = {"member": 200, "other": 404, "coordinator": 403, "other_coordinator": 404, "admin": 403}
MEMBERS_CREATE = {**MEMBERS_ONLY, "member": 201}
STEER = {"member": 200, "other": 404, "coordinator": 200, "other_coordinator": 404, "admin": 200}
STAFF_ONLY = {"member": 403, "other": 404, "coordinator": 200, "other_coordinator": 404, "admin": 200}
PAIRING = {"member": 403, "other": 403, "coordinator": 201, "other_coordinator": 403, "admin": 201}
AUTHOR_ONLY = {"member": 200, "other": 404, "coordinator": 404, "other_coordinator": 404, "admin": 404}
PERSON = {"member": 200, "other": 404, "coordinator": 200, "other_coordinator": 200, "admin": 200}

Context = dict[str, Any]
Prepare = Callable[[httpx.AsyncClient, Any, Any], Awaitable[Context]]


def soon() -> str:
    return (datetime.now(UTC) + timedelta(days=3)).isoformat()


def earlier() -> str:
    return (datetime.now(UTC) - timedelta(hours=3)).isoformat()


async def meeting(c: httpx.AsyncClient, pair: Any, starts_at: str, *, held: bool = False) -> str:
    made = await c.post(
        f"/api/v1/relationships/{pair.id}/meetings", headers=pair.junior.headers, json={"starts_at": starts_at}
    )
    assert made.status_code == 201, made.text
    if held:
        await c.post(f"/api/v1/meetings/{made.json()['id']}/held", headers=pair.junior.headers)
    return str(made.json()["id"])


async def goal(c: httpx.AsyncClient, pair: Any) -> str:
    made = await c.post(f"/api/v1/relationships/{pair.id}/goals", headers=pair.senior.headers, json={"title": "Learn"})
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


async def posts(c: httpx.AsyncClient, by: Any, pair: Any, path: str, body: Any = None) -> dict[str, Any]:
    done = await c.post(f"/api/v1/relationships/{pair.id}{path}", headers=by.headers, json=body)
    assert done.status_code in (200, 201), done.text
    result: dict[str, Any] = done.json()
    return result


async def nothing(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    return {}


async def future_meeting(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    return {"meeting": await meeting(c, pair, soon())}


async def past_meeting(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    return {"meeting": await meeting(c, pair, earlier())}


async def held_meeting(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    return {"meeting": await meeting(c, pair, earlier(), held=True)}


async def reflected(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    ctx = await held_meeting(c, pair, world)
    put = await c.put(f"/api/v1/meetings/{ctx['meeting']}/reflection", headers=pair.junior.headers, json={"text": "x"})
    assert put.status_code == 200
    return ctx


async def a_goal(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    return {"goal": await goal(c, pair)}


def policy_proposed(by: str) -> Prepare:
    """A policy proposal waits, made by the ``junior`` (the matrix's member) or the ``senior``:
    the other one accepts or declines it, only the proposer withdraws it."""

    async def prepare(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
        await posts(c, getattr(pair, by), pair, "/turn-policy", {"policy": "alternate(2)"})
        return {}

    return prepare


def swap_requested(by: str) -> Prepare:
    """A swap request waits, made by the ``junior`` or the ``senior`` (as for a policy proposal)."""

    async def prepare(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
        turns = await posts(c, getattr(pair, by), pair, "/swaps")
        return {"swap": turns["swaps"][-1]["id"]}

    return prepare


async def paused(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    done = await c.post(f"/api/v1/relationships/{pair.id}/pause", headers=pair.junior.headers)
    assert done.status_code == 200
    return {}


async def two_ready(c: httpx.AsyncClient, pair: Any, world: Any) -> Context:
    first = await world.enrol(await world.person("Nia Ready", seniority=3))
    second = await world.enrol(await world.person("Omar Ready", seniority=5))
    return {"enrollments": [first.enrollment_id, second.enrollment_id]}


Call = Callable[[httpx.AsyncClient, dict[str, str], Any, Context], Awaitable[httpx.Response]]


@dataclass(frozen=True)
class Request:
    """One call of the operation under test, on the pair (and what ``prepare`` made for it)."""

    method: str
    path: str
    body: Any = None

    async def __call__(self, c: httpx.AsyncClient, h: dict[str, str], pair: Any, ctx: Context) -> httpx.Response:
        url = self.path.format(r=pair.id, senior=pair.senior.id, **ctx)
        return await c.request(self.method, url, headers=h, json=self.body)


def get(path: str) -> Request:
    return Request("GET", path)


def post(path: str, body: Any = None, method: str = "POST") -> Request:
    return Request(method, path, body)


async def pair_them(c: httpx.AsyncClient, h: dict[str, str], pair: Any, ctx: Context) -> httpx.Response:
    return await c.post(
        "/api/v1/relationships", headers=h, json={"program_id": pair.program_id, "enrollment_ids": ctx["enrollments"]}
    )


@dataclass
class Operation:
    name: str
    call: Call
    expected: dict[str, int]
    prepare: Prepare = nothing
    accepted: bool = True

    @property
    def reads_only(self) -> bool:
        """A GET changes nothing: every caller it allows may read the same pair."""
        return isinstance(self.call, Request) and self.call.method == "GET"


R = "/api/v1/relationships/{r}"
M = "/api/v1/meetings/{meeting}"
G = "/api/v1/goals/{goal}"
OPERATIONS = [
    Operation("create relationship", pair_them, PAIRING, two_ready),
    Operation("get relationship", get(R), READ),
    Operation("get partner's profile", get("/api/v1/people/{senior}"), PERSON),
    Operation("accept", post(R + "/accept"), MEMBERS_ONLY, accepted=False),
    Operation("decline", post(R + "/decline"), MEMBERS_ONLY, accepted=False),
    Operation("pause", post(R + "/pause"), STEER),
    Operation("resume", post(R + "/resume"), STEER, paused),
    Operation("complete", post(R + "/complete"), STEER),
    Operation("end", post(R + "/end", {"reason": "mismatch"}), STAFF_ONLY),
    Operation("edit agreement", post(R + "/agreement", {"cadence_days": 7}, "PATCH"), MEMBERS_ONLY),
    Operation("get turns", get(R + "/turns"), READ),
    Operation("propose turn policy", post(R + "/turn-policy", {"policy": "alternate(2)"}), MEMBERS_CREATE),
    Operation("accept turn policy", post(R + "/turn-policy/accept"), MEMBERS_ONLY, policy_proposed("senior")),
    Operation("decline turn policy", post(R + "/turn-policy/decline"), MEMBERS_ONLY, policy_proposed("senior")),
    Operation("withdraw turn policy", post(R + "/turn-policy/withdraw"), MEMBERS_ONLY, policy_proposed("junior")),
    Operation("declare ready", post(R + "/ready"), MEMBERS_ONLY),
    Operation("request swap", post(R + "/swaps"), MEMBERS_CREATE),
    Operation("accept swap", post(R + "/swaps/{swap}/accept"), MEMBERS_ONLY, swap_requested("senior")),
    Operation("decline swap", post(R + "/swaps/{swap}/decline"), MEMBERS_ONLY, swap_requested("senior")),
    Operation("withdraw swap", post(R + "/swaps/{swap}/withdraw"), MEMBERS_ONLY, swap_requested("junior")),
    Operation("schedule meeting", post(R + "/meetings", {"starts_at": "2031-01-01T10:00:00Z"}), MEMBERS_CREATE),
    Operation("list meetings", get(R + "/meetings"), READ, future_meeting),
    Operation("get meeting", get(M), READ, future_meeting),
    Operation("edit meeting", post(M, {"agenda": "Reels"}, "PATCH"), MEMBERS_ONLY, future_meeting),
    Operation("cancel meeting", post(M + "/cancel"), MEMBERS_ONLY, future_meeting),
    Operation("mark held", post(M + "/held"), MEMBERS_ONLY, past_meeting),
    Operation("mark missed", post(M + "/missed"), MEMBERS_ONLY, past_meeting),
    Operation(
        "suggest resource",
        post(M + "/resources", {"title": "Guide", "url": "https://example.com", "kind": "material"}),
        MEMBERS_CREATE,
        future_meeting,
    ),
    Operation("write reflection", post(M + "/reflection", {"text": "mine"}, "PUT"), MEMBERS_ONLY, held_meeting),
    Operation("read reflection", get(M + "/reflection"), AUTHOR_ONLY, reflected),
    Operation("create goal", post(R + "/goals", {"title": "Use reels"}), MEMBERS_CREATE),
    Operation("list goals", get(R + "/goals"), READ, a_goal),
    Operation("get goal", get(G), READ, a_goal),
    Operation("revise goal", post(G, {"title": "Use reels well"}, "PATCH"), MEMBERS_ONLY, a_goal),
    Operation("log progress", post(G + "/progress", {"note": "half", "percent": 50}), MEMBERS_ONLY, a_goal),
    Operation("start goal", post(G + "/start"), MEMBERS_ONLY, a_goal),
    Operation("achieve goal", post(G + "/achieve"), MEMBERS_ONLY, a_goal),
    Operation("drop goal", post(G + "/drop"), MEMBERS_ONLY, a_goal),
]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
async def test_who_may_do_what(client, world, operation: Operation) -> None:
    await world.setup(policy="senior_first(2)")
    denied = [role for role in ROLES if operation.expected[role] >= 400]
    allowed = [role for role in ROLES if operation.expected[role] < 400]
    # the other participant's own pair, one pair the refusals share, and a fresh pair for each
    # further caller allowed to change things (a completed pair cannot be completed twice)
    spares = 0 if operation.reads_only else len(allowed) - 1
    theirs, shared, *fresh = await world.pairs(2 + spares, accept=False)
    await world.accept(theirs)
    if operation.accepted:
        for pair in (shared, *fresh):
            await world.accept(pair)
    actors = {
        "other": theirs.junior,
        "coordinator": world.coordinator,
        "other_coordinator": world.other_coordinator,
        "admin": world.admin,
    }
    ctx = await operation.prepare(client, shared, world)
    targets = [(shared, ctx)] + [(pair, await operation.prepare(client, pair, world)) for pair in fresh]
    seen: dict[str, int] = {}
    # refusals first, all on the same pair: a refused call must leave it as it was
    for role in denied:
        headers = shared.junior.headers if role == "member" else actors[role].headers
        seen[role] = (await operation.call(client, headers, shared, ctx)).status_code
    for index, role in enumerate(allowed):
        pair, context = targets[0 if operation.reads_only else index]
        headers = pair.junior.headers if role == "member" else actors[role].headers
        response = await operation.call(client, headers, pair, context)
        seen[role] = response.status_code
        assert response.status_code < 400, (role, response.text)
    assert seen == operation.expected


async def test_lists_show_each_caller_only_what_they_may_see(client, world) -> None:
    await world.setup()
    pair = await world.pair()
    other = (await world.pair()).junior
    expected = {
        "member": True,
        "other": False,
        "coordinator": True,
        "other_coordinator": False,
        "admin": True,
    }
    actors = {
        "member": pair.junior,
        "other": other,
        "coordinator": world.coordinator,
        "other_coordinator": world.other_coordinator,
        "admin": world.admin,
    }
    seen = {}
    for role, actor in actors.items():
        listed = await client.get("/api/v1/relationships", headers=actor.headers)
        assert listed.status_code == 200
        seen[role] = pair.id in {r["id"] for r in listed.json()["items"]}
    assert seen == expected
    mine = await client.get("/api/v1/relationships", headers=pair.junior.headers)
    assert [r["id"] for r in mine.json()["items"]] == [pair.id]
