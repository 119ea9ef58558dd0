"""Jobs through the API (admins): listed by state and kind in cursor pages, read one by one, a dead
job retried; REST and GraphQL answer the same."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.domain.actors import Role
from app.domain.jobs import JobRequest
from app.workers.registry import JobContext, JobKind, registered

T0 = datetime(2027, 4, 1, 8, 0, tzinfo=UTC)


async def refuse(ctx: JobContext, payload: dict[str, Any]) -> None:
    raise ConnectionError("hr.example.com refused the connection")


async def fine(ctx: JobContext, payload: dict[str, Any]) -> None:
    return None


@pytest.fixture(autouse=True)
def kinds(run_jobs: Any) -> Iterator[None]:
    run_jobs.periodic = False
    with registered(JobKind("test.refuse", refuse, max_attempts=1), JobKind("test.fine", fine)):
        yield


async def enqueue(container: Any, *requests: JobRequest) -> None:
    async with container.uow() as uow:
        for request in requests:
            uow.jobs.enqueue(request)
        await uow.commit()


@pytest.fixture
async def admin(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Ada Admin")
    return auth(org.email("Ada Admin"), Role.ADMIN)


async def test_admins_list_jobs_by_state_and_kind_in_pages(
    client: Any, container: Any, run_jobs: Any, admin: dict[str, str], sql: Any
) -> None:
    await enqueue(container, *[JobRequest("test.fine", {"n": n}) for n in range(3)])
    await enqueue(container, JobRequest("test.refuse", {"to": "hr"}, dedupe_key="hr"))
    await run_jobs(at=T0)
    await enqueue(container, JobRequest("test.fine", {"n": 3}, run_at=T0 + timedelta(days=1)))

    with sql() as seen:
        dead = (await client.get("/api/v1/jobs?state=dead", headers=admin)).json()
        every = (await client.get("/api/v1/jobs", headers=admin)).json()
    assert len(every["items"]) == 5
    assert len([s for s in seen.statements if "FROM jobs" in s]) == 2  # one query per page, not per job
    assert not [w for w in seen.writes if "jobs" in w]
    assert [(j["kind"], j["state"], j["attempts"]) for j in dead["items"]] == [("test.refuse", "dead", 1)]
    assert dead["items"][0]["last_error"] == "ConnectionError: hr.example.com refused the connection"

    first = (await client.get("/api/v1/jobs?kind=test.fine&limit=2", headers=admin)).json()
    rest = (
        await client.get(f"/api/v1/jobs?kind=test.fine&limit=2&cursor={first['next_cursor']}", headers=admin)
    ).json()
    states = [(j["payload"]["n"], j["state"]) for j in first["items"] + rest["items"]]
    assert states == [(0, "succeeded"), (1, "succeeded"), (2, "succeeded"), (3, "queued")]
    assert rest["next_cursor"] is None

    one = (await client.get(f"/api/v1/jobs/{dead['items'][0]['id']}", headers=admin)).json()
    assert one == dead["items"][0]


async def test_only_admins_see_jobs(client: Any, org: Any, auth: Any) -> None:
    await org.person("Cora Ordinator")
    coordinator = auth(org.email("Cora Ordinator"), Role.COORDINATOR)
    refused = await client.get("/api/v1/jobs", headers=coordinator)
    assert (refused.status_code, refused.json()["code"]) == (403, "jobs_admin_only")
    retried = await client.post("/api/v1/jobs/0190f0a0-0000-7000-8000-000000000000/retry", headers=coordinator)
    assert (retried.status_code, retried.json()["code"]) == (403, "jobs_admin_only")


async def test_a_dead_job_is_retried_once_and_only_while_nothing_else_does_its_work(
    client: Any, container: Any, run_jobs: Any, admin: dict[str, str]
) -> None:
    await enqueue(container, JobRequest("test.refuse", {}, dedupe_key="hr"), JobRequest("test.fine", {}))
    await run_jobs(at=T0)
    jobs = {j["kind"]: j for j in (await client.get("/api/v1/jobs", headers=admin)).json()["items"]}
    dead, done = jobs["test.refuse"], jobs["test.fine"]

    not_dead = await client.post(f"/api/v1/jobs/{done['id']}/retry", headers=admin)
    assert (not_dead.status_code, not_dead.json()["code"]) == (409, "job_not_dead")
    missing = await client.post("/api/v1/jobs/0190f0a0-0000-7000-8000-000000000000/retry", headers=admin)
    assert (missing.status_code, missing.json()["code"]) == (404, "job_not_found")

    # Another job with the same key was asked for meanwhile: it will do the work.
    await enqueue(container, JobRequest("test.refuse", {}, dedupe_key="hr"))
    pending = await client.post(f"/api/v1/jobs/{dead['id']}/retry", headers=admin)
    assert (pending.status_code, pending.json()["code"]) == (409, "job_already_pending")
    await run_jobs(at=T0 + timedelta(minutes=1))  # it dies too

    retried = await client.post(f"/api/v1/jobs/{dead['id']}/retry", headers=admin)
    assert retried.status_code == 200, retried.text
    assert (retried.json()["state"], retried.json()["attempts"], retried.json()["finished_at"]) == ("queued", 0, None)
    [again] = [s for s in await run_jobs(at=T0 + timedelta(minutes=2)) if str(s.id) == retried.json()["id"]]
    assert (again.state, again.attempt) == ("dead", 1)


async def test_graphql_lists_and_retries_jobs_as_rest_does(
    client: Any, container: Any, run_jobs: Any, admin: dict[str, str]
) -> None:
    await enqueue(container, JobRequest("test.refuse", {"to": "hr"}))
    await run_jobs(at=T0)
    listed = await client.post(
        "/graphql",
        json={"query": "{ jobs(state: DEAD) { nodes { id kind state payload attempts lastError } } }"},
        headers=admin,
    )
    [job] = listed.json()["data"]["jobs"]["nodes"]
    assert (job["kind"], job["state"], job["payload"], job["attempts"]) == ("test.refuse", "DEAD", '{"to": "hr"}', 1)
    mutation = (
        "mutation($id: UUID!) { retryJob(id: $id) "
        "{ __typename ... on Job { state attempts } ... on Problem { code } } }"
    )
    retried = await client.post("/graphql", json={"query": mutation, "variables": {"id": job["id"]}}, headers=admin)
    assert retried.json()["data"]["retryJob"] == {"__typename": "Job", "state": "QUEUED", "attempts": 0}
    again = await client.post("/graphql", json={"query": mutation, "variables": {"id": job["id"]}}, headers=admin)
    assert again.json()["data"]["retryJob"] == {"__typename": "Conflict", "code": "job_not_dead"}


async def test_metrics_show_the_queue_by_kind_and_the_oldest_due_job(
    client: Any, container: Any, run_jobs: Any
) -> None:
    now = container.clock.now()
    await enqueue(
        container,
        JobRequest("test.fine", {}, run_at=now - timedelta(minutes=10)),
        JobRequest("test.fine", {}, run_at=now - timedelta(minutes=1)),
        JobRequest("test.fine", {}, run_at=now + timedelta(hours=1)),  # not due yet
        JobRequest("test.refuse", {}),
    )
    await run_jobs(at=now + timedelta(seconds=1))  # runs what is due; then two more wait
    await enqueue(
        container,
        JobRequest("test.fine", {"again": 1}, run_at=now - timedelta(minutes=10)),
        JobRequest("test.fine", {"again": 2}, run_at=now - timedelta(minutes=1)),
    )
    text = (await client.get("/metrics")).text
    assert 'turnabout_jobs_queue_depth{kind="test.fine"} 2.0' in text
    assert 'turnabout_jobs{kind="test.fine",state="queued"} 3.0' in text
    assert 'turnabout_jobs{kind="test.refuse",state="dead"} 1.0' in text
    [oldest] = [
        line for line in text.splitlines() if line.startswith('turnabout_jobs_oldest_due_seconds{kind="test.fine"}')
    ]
    assert 600 <= float(oldest.rsplit(" ", 1)[1]) < 900
    assert 'turnabout_job_failures_total{kind="test.refuse"}' in text
