"""Authorization you can prove: every operation of the OpenAPI document × every kind of caller.

Each operation declares its access rule (``app/api/access/``, one module per router, published as
``x-turnabout-access``).
On a seeded organisation — a program with its coordinator and committee member, a pair of colleagues
with a held meeting, a private reflection, a goal, a swap request, a matching run, a skill, an API
key and a calendar feed — every operation is called by anonymous, an employee, the participant and
their partner, the program's coordinator, another program's coordinator, a committee member, an
admin, an integration key with the operation's scope and one with every other scope. Each answer is
held to the declared rule: ``401``/``403``/``404`` exactly, and "allowed" as a success or a business
rule's refusal after the door (``409``, ``412``, ``422``) — never ``401``/``403``/``404``. Refused
writes change nothing (every table's row count and the outbox are the same before and after).

An operation without a rule fails here, and so does a route of the app that is in no operation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlalchemy import func, select

from app.adapters.persistence.tables import JobRow, metadata
from app.api.access import CALLERS, OPERATION_ACCESS, RULES
from app.api.router_tables import merge_tables
from app.domain.actors import Scope
from app.domain.jobs import JobRequest
from app.domain.matching_runs import MatchingRun
from app.domain.ports import WebhookMessage
from app.domain.stories import Recognition
from app.domain.webhooks import MessageStatus, WebhookEndpoint
from app.main import create_app

Context = dict[str, Any]
PAST = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
FUTURE = (datetime.now(UTC) + timedelta(days=3)).isoformat()


def operations(app: Any) -> list[tuple[str, str, str]]:
    return sorted(
        (operation["operationId"], method, path)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
    )


@pytest.fixture(scope="session")
def guarded_app(container: Any) -> Any:
    """The app as production protects it: /metrics needs an admin or ``metrics:read``."""
    return create_app(container.settings.model_copy(update={"metrics_public": False}), container=container)


def test_every_operation_declares_its_access_rule(app) -> None:
    declared = {op for op, _, _ in operations(app)}
    missing = sorted(declared - set(OPERATION_ACCESS))
    assert not missing, f"declare these operations' access rules in app/api/access/ (by router): {missing}"
    stale = sorted(set(OPERATION_ACCESS) - declared)
    assert not stale, f"rules for operations that no longer exist: {stale}"
    for op in app.openapi()["paths"].values():
        for operation in op.values():
            assert operation["x-turnabout-access"]["rule"] in RULES
            assert operation["description"].startswith("**Access:**")


def test_an_operation_listed_by_two_routers_is_refused() -> None:
    first, second = ModuleType("first"), ModuleType("second")
    vars(first).update(ACCESS={"getThing": "admin", "listThings": "any_person"})
    vars(second).update(ACCESS={"getThing": "public"})
    assert merge_tables([first], "ACCESS") == {"getThing": "admin", "listThings": "any_person"}
    with pytest.raises(ValueError, match="getThing is listed in both first and second"):
        merge_tables([first, second], "ACCESS")


def test_every_api_route_is_an_operation(app) -> None:
    """A route left out of the document would escape the matrix: only pages and their assets may."""
    documented = {(m.upper(), p) for _, m, p in operations(app)}
    for route in app.routes:
        methods = getattr(route, "methods", None) or set()
        path = getattr(route, "path", "")
        if not getattr(route, "include_in_schema", True):
            assert path.startswith(("/docs", "/redoc", "/oauth/", "/graphql", "/openapi.json")), path
            continue
        for method in methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented or path in ("/openapi.json",), (method, path)


# --- the seeded organisation --------------------------------------------------------------------------
async def seed(client: httpx.AsyncClient, world: Any, container: Any) -> tuple[Context, dict[str, dict[str, str]]]:
    committee = await world.person("Kim Committee")
    employee = await world.person("Eve Employee")
    await world.setup(committee_member_ids=[committee.id])
    pair = await world.pair()
    admin, junior, senior = world.admin.headers, pair.junior.headers, pair.senior.headers

    async def ok(response: Any, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        return response.json()

    held = await ok(
        await client.post(f"/api/v1/relationships/{pair.id}/meetings", headers=junior, json={"starts_at": PAST}), 201
    )
    await ok(await client.post(f"/api/v1/meetings/{held['id']}/held", headers=junior))
    await ok(await client.put(f"/api/v1/meetings/{held['id']}/reflection", headers=junior, json={"text": "mine"}))
    goal = await ok(
        await client.post(f"/api/v1/relationships/{pair.id}/goals", headers=senior, json={"title": "Learn"}), 201
    )
    turns = await ok(await client.post(f"/api/v1/relationships/{pair.id}/swaps", headers=junior), 201)
    skill = await ok(
        await client.post("/api/v1/skills", headers=admin, json={"name": "Kotlin", "category": "technology"}), 201
    )
    feed = await ok(await client.post("/api/v1/me/calendar-feed", headers=junior), 201)
    checkin = await ok(
        await client.post(f"/api/v1/relationships/{pair.id}/check-ins", headers=junior, json={"rating": 4}), 201
    )
    survey = await ok(
        await client.post(
            f"/api/v1/programs/{world.program['id']}/surveys",
            headers=world.coordinator.headers,
            json={"title": "End of cycle", "questions": [{"key": "learned", "kind": "text", "prompt": "What?"}]},
        ),
        201,
    )
    await ok(await client.post(f"/api/v1/surveys/{survey['id']}/open", headers=world.coordinator.headers))
    concern = await ok(
        await client.post(
            "/api/v1/concerns",
            headers=junior,
            json={"program_id": world.program["id"], "kind": "workload", "text": "Hard", "relationship_id": pair.id},
        ),
        201,
    )
    story = await ok(
        await client.post(
            "/api/v1/stories",
            headers=junior,
            json={
                "program_id": world.program["id"],
                "title": "Chat",
                "text": "What I learned",
                "relationship_id": pair.id,
                "names_partner": True,
            },
        ),
        201,
    )
    async with container.uow() as uow:
        run = MatchingRun(
            id=uow.ids.new_id(), program_id=UUID(world.program["id"]), started_by=None, created_at=uow.clock.now()
        )
        uow.matching_runs.add(run)
        uow.jobs.enqueue(JobRequest("relationships.health_sweep", {}, dedupe_key="matrix"))
        now = uow.clock.now()
        endpoint = WebhookEndpoint(
            id=uow.ids.new_id(),
            url="https://hooks.example.com/turnabout",
            description=None,
            event_types=[],
            enabled=True,
            rate_limit_per_second=None,
            headers={},
            secret="whsec_" + "A" * 44,
            created_at=now,
            updated_at=now,
        )
        uow.webhook_endpoints.add(endpoint)
        uow.recognitions.add(
            Recognition(
                id=uow.ids.new_id(),
                program_id=UUID(world.program["id"]),
                person_id=UUID(pair.junior.id),
                relationship_id=UUID(pair.id),
                incentive="extra day off",
                source="coordinator",
                granted_at=now,
            )
        )
        await uow.commit()
    async with container.uow() as uow:
        message = WebhookMessage(
            id=uow.ids.new_id(),
            endpoint_id=endpoint.id,
            event_id=uow.ids.new_id(),
            event_type="program.created",
            occurred_at=now,
            payload={"program_id": world.program["id"]},
            status=MessageStatus.FAILED,
            attempts=8,
            next_attempt_at=None,
            last_attempt_at=now,
            delivered_at=None,
            created_at=now,
        )
        await uow.webhook_messages.add(message)
        await uow.commit()
    async with container.engine.connect() as connection:
        job_id = (await connection.execute(select(JobRow.__table__.c.id))).scalar_one()  # type: ignore[attr-defined]
    keys: dict[str, str] = {}
    for scope in Scope:
        made = await ok(
            await client.post("/api/v1/api-keys", headers=admin, json={"name": scope.value, "scopes": [scope.value]}),
            201,
        )
        keys[scope.value] = made["key"]
    everything = await ok(
        await client.post("/api/v1/api-keys", headers=admin, json={"name": "all", "scopes": [s.value for s in Scope]}),
        201,
    )
    context: Context = {
        "program_id": world.program["id"],
        "enrollment_id": pair.junior.enrollment_id,
        "other_enrollment_id": pair.senior.enrollment_id,
        "relationship_id": pair.id,
        "meeting_id": held["id"],
        "goal_id": goal["id"],
        "swap_id": turns["swaps"][-1]["id"],
        "run_id": str(run.id),
        "job_id": str(job_id),
        "endpoint_id": str(endpoint.id),
        "message_id": str(message.id),
        "person_id": pair.junior.id,
        "skill_id": skill["id"],
        "api_key_id": everything["id"],
        "token": feed["token"],
        "issuer": container.settings.effective_issuer,
        "subject": f"dev|{world.org.email(pair.junior.name)}",
        "keys": keys,
        "all_scopes_key": everything["key"],
        "employee_id": employee.id,
        "checkin_id": checkin["id"],
        "survey_id": survey["id"],
        "concern_id": concern["id"],
        "story_id": story["id"],
        "partner_id": pair.senior.id,
    }
    for headers in (employee.headers, committee.headers, world.coordinator.headers, world.other_coordinator.headers):
        await ok(await client.get("/api/v1/me", headers=headers))  # first sign-ins link before the counting
    callers = {
        "anonymous": {},
        "employee": employee.headers,
        "participant": junior,
        "partner": senior,
        "coordinator": world.coordinator.headers,
        "other_coordinator": world.other_coordinator.headers,
        "committee_member": committee.headers,
        "admin": admin,
    }
    return context, callers


def key_for(context: Context, scope: str | None, *, holding: bool) -> dict[str, str]:
    """An API key holding the operation's scope (or every scope when it has none), or every scope
    but that one."""
    if scope is None:
        key = context["all_scopes_key"]
    elif holding:
        key = context["keys"][scope]
    else:
        others = [s for s in context["keys"] if s != scope]
        key = context["keys"][others[0]]
        return {"Authorization": f"Bearer {key}", "X-Other-Scopes": ",".join(others)}
    return {"Authorization": f"Bearer {key}"}


def body_for(operation_id: str, context: Context, caller: str) -> Any:
    unique = f"{caller}-{operation_id}".lower()
    bodies: dict[str, Any] = {
        "createApiKey": {"name": "matrix", "scopes": ["people:read"]},
        "reviseGoal": {"title": "Revised"},
        "recordGoalProgress": {"percent": 40},
        "updateMyConsent": {"matching_consent": True},
        "updateMeeting": {"agenda": "Kotlin"},
        "putReflection": {"text": "my own"},
        "addMeetingResource": {"title": "Guide", "url": "https://example.com/guide", "kind": "material"},
        "createPerson": {"email": f"{unique}@example.com", "given_name": "New", "family_name": "Person"},
        "upsertPeople": {
            "people": [{"external_id": unique, "email": f"{unique}@example.com", "given_name": "N", "family_name": "P"}]
        },
        "updatePerson": {"job_title": "Engineer"},
        "createProgram": {"kind": "reciprocal", "name": f"Program {unique}"},
        "updateProgram": {"description": "Updated"},
        "commentOnProposal": {"body": "Looks good"},
        "enrol": {"role_preference": "both"},
        "updateEnrollment": {"motivation": "Learning"},
        "withdrawEnrollment": {"reason": "Busy"},
        "invite": {"person_id": context["employee_id"]},
        "startMatchingRun": {},
        "reviewProposal": {"verdict": "endorse", "body": "Fine"},
        "transitionProgram": {"to": "active"},
        "createRelationship": {
            "program_id": context["program_id"],
            "enrollment_ids": [context["enrollment_id"], context["other_enrollment_id"]],
        },
        "updateAgreement": {"cadence_days": 14},
        "endRelationship": {"reason": "mismatch"},
        "createGoal": {"title": "Another"},
        "scheduleMeeting": {"starts_at": FUTURE},
        "proposeTurnPolicy": {"policy": "fixed"},
        "createSkill": {"name": f"Skill {unique}", "category": "technology"},
        "createWebhookEndpoint": {"url": "https://hooks.example.com/other"},
        "updateWebhookEndpoint": {"description": "HRIS"},
        "rotateWebhookSecret": {"grace_seconds": 3600},
        "recoverWebhookMessages": {"since": PAST},
        "submitCheckin": {"rating": 4, "going_well": "Fortnightly"},
        "createSurvey": {"title": "Another", "questions": [{"key": "learned", "kind": "text", "prompt": "What?"}]},
        "reviseSurvey": {"title": "Revised"},
        "respondToSurvey": {"answers": {"learned": "Chat"}},
        "raiseConcern": {"program_id": context["program_id"], "kind": "conduct", "text": "Late"},
        "closeConcern": {"outcome": "resolved", "note": "Talked"},
        "writeStory": {"program_id": context["program_id"], "title": "Mine", "text": "Learned"},
        "consentToStory": {"consent": True},
        "grantRecognition": {"person_id": context["person_id"], "incentive": "extra day off"},
    }
    return bodies.get(operation_id)


async def counts(container: Any) -> dict[str, int]:
    async with container.engine.connect() as connection:
        return {
            table.name: int((await connection.execute(select(func.count()).select_from(table))).scalar_one())
            for table in metadata.sorted_tables
            if table.name != "idempotency_keys"
        }


ALLOWED_AFTER_THE_DOOR = {409, 412, 422}


async def call(client: Any, method: str, path: str, headers: dict[str, str], body: Any, context: Context) -> Any:
    url = path
    for name, value in context.items():
        url = url.replace("{" + name + "}", str(value))
    params = {"issuer": context["issuer"], "subject": context["subject"]} if "/identities" in path else None
    headers = {k: v for k, v in headers.items() if k != "X-Other-Scopes"}
    return await client.request(method.upper(), url, headers=headers, json=body, params=params)


def _operation_ids() -> list[str]:
    return sorted(OPERATION_ACCESS)


@pytest.mark.parametrize("operation_id", _operation_ids())
async def test_each_caller_gets_what_the_rule_declares(operation_id, guarded_app, world, container, backend) -> None:
    found = [(m, p) for op, m, p in operations(guarded_app) if op == operation_id]
    assert found, f"{operation_id} is declared but not an operation"
    [(method, path)] = found
    transport = httpx.ASGITransport(app=guarded_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        world.client = client
        context, people = await seed(client, world, container)
        rule = RULES[OPERATION_ACCESS[operation_id]]
        scope = rule.scope.value if rule.scope else None
        callers = {
            **people,
            "integration": key_for(context, scope, holding=True),
            "integration_without_scope": key_for(context, scope, holding=False),
        }
        assert set(callers) == set(CALLERS)
        expected = {caller: rule.outcome(caller) for caller in CALLERS}
        # refused callers first: nothing they try may change anything
        order = sorted(CALLERS, key=lambda c: expected[c] == "allowed")
        before = await counts(container)
        wrong: list[str] = []
        checked_refusals = False
        deleted = False
        for caller in order:
            if expected[caller] == "allowed" and not checked_refusals and method != "get":
                after = await counts(container)
                changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
                assert not changed, f"refused calls of {operation_id} changed {changed}"
                checked_refusals = True
            response = await call(
                client, method, path, callers[caller], body_for(operation_id, context, caller), context
            )
            status = response.status_code
            want = expected[caller]
            good = (status < 400 or status in ALLOWED_AFTER_THE_DOOR) if want == "allowed" else status == int(want)
            if want == "allowed" and method == "delete" and status == 404 and deleted:
                good = True  # an earlier allowed caller deleted it: gone is the right answer
            deleted = deleted or (want == "allowed" and method == "delete" and status < 300)
            if not good:
                wrong.append(f"{caller}: expected {want}, got {status} {response.text[:160]}")
        assert not wrong, f"{operation_id} ({rule.name}):\n" + "\n".join(wrong)
