"""The anonymity test of the issue: after 12 people answer a survey, nothing the service keeps or
says ties an answer to a person — not by id, time, order or transaction; not in any table, the
outbox, the idempotency records, the request log or ``/metrics``; and no caller (coordinator, admin,
integration) can get at it through any endpoint."""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime
from typing import Any

import structlog
from sqlalchemy import select, text
from structlog.testing import capture_logs

from app.adapters.persistence.tables import metadata
from app.domain.actors import Role
from tests.api.feedback.conftest import participants
from tests.api.mentoring.conftest import World

QUESTIONS = [
    {"key": "growth", "kind": "scale", "prompt": "How much did you learn?"},
    {"key": "stereotypes", "kind": "single", "prompt": "Were stereotypes broken?", "options": ["yes", "no"]},
    {"key": "topics", "kind": "multiple", "prompt": "What did you cover?", "options": ["ai", "chat", "culture"]},
    {"key": "learned", "kind": "text", "prompt": "What did you learn?"},
]


async def open_survey(world: World, **extra: Any) -> dict[str, Any]:
    body = {"title": "End of cycle", "questions": QUESTIONS, **extra}
    survey = world.ok(
        await world.client.post(
            f"/api/v1/programs/{world.program['id']}/surveys", headers=world.coordinator.headers, json=body
        ),
        201,
    )
    return world.ok(await world.client.post(f"/api/v1/surveys/{survey['id']}/open", headers=world.coordinator.headers))


async def rows_of_every_table(world: World) -> dict[str, list[dict[str, Any]]]:
    async with world.container.engine.connect() as connection:
        return {
            table.name: [dict(row) for row in (await connection.execute(select(table))).mappings()]
            for table in metadata.sorted_tables
        }


async def test_twelve_answers_cannot_be_tied_to_anyone(world: World, auth: Any) -> None:
    await world.setup()
    people = await participants(world, ["Sales", "Engineering"] * 6)
    survey = await open_survey(world)
    url = f"/api/v1/surveys/{survey['id']}/responses"
    secrets = [f"secret-{i}-{uuid.uuid4().hex[:8]}" for i in range(12)]

    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        with capture_logs() as logs:
            for i, person in enumerate(people):
                answers = {"growth": 1 + i % 5, "stereotypes": "yes", "topics": ["ai"], "learned": secrets[i]}
                headers = {**person.headers, "Idempotency-Key": f"key-{i}"}
                response = await world.client.post(url, headers=headers, json={"answers": answers})
                assert response.status_code == 202, response.text
                assert response.json() == {"received": True}  # no receipt, no id
    finally:
        structlog.configure(**saved)

    mixed = (await rows_of_every_table(world))["survey_responses"]
    assert len(mixed) == 10  # two batches of k mixed while open; two ballots wait for the close
    world.ok(await world.client.post(f"/api/v1/surveys/{survey['id']}/close", headers=world.coordinator.headers))

    tables = await rows_of_every_table(world)
    person_ids = {str(p["id"]) for p in tables["people"]}
    assert tables["survey_ballots"] == []
    assert sorted(tables["survey_ledger"][0]) == ["person_id", "survey_id"]  # that they answered: nothing else
    assert len(tables["survey_ledger"]) == 12

    # the answers live in the responses and nowhere else: not the outbox, idempotency, any other table
    for name, rows in tables.items():
        holding = [row for row in rows if any(secret in repr(row) for secret in secrets)]
        assert name == "survey_responses" or holding == [], name
    assert tables["idempotency_keys"] == []
    assert [row["event_type"] for row in tables["outbox"] if "survey" in row["event_type"]] == [
        "survey.opened",
        "survey.closed",
    ]

    responses = tables["survey_responses"]
    assert len(responses) == 12
    for row in responses:
        assert not any(str(value) in person_ids for value in _flat(row))  # no id
        assert row["id"].version == 4  # random, not time-ordered
        assert not any(isinstance(value, datetime) for value in row.values())  # no time
        assert isinstance(row["day"], date)
    # no order: neither the ids nor the stored order follow the order of submission
    by_id = [r["answers"]["learned"] for r in sorted(responses, key=lambda r: r["id"])]
    assert by_id != secrets
    stored = [r["answers"]["learned"] for r in responses]
    assert stored != secrets

    if world.container.engine.dialect.name == "postgresql":
        await _no_transaction_ties(world, k=survey["k"])

    # the request log: one line per request, the route template and nothing of the caller or answers
    said = repr(logs)
    assert not any(secret in said for secret in secrets)
    assert not any(person.id in said for person in people)
    assert {entry["route"] for entry in logs if entry.get("event") == "request"} == {
        "/api/v1/surveys/{survey_id}/responses"
    }
    metrics = (await world.client.get("/metrics")).text
    assert not any(secret in metrics for secret in secrets) and not any(person.id in metrics for person in people)

    # no caller gets an answer together with who gave it
    integration = auth("hris@example.com", Role.INTEGRATION)
    for headers in (world.coordinator.headers, world.admin.headers, integration):
        for path in (
            f"/api/v1/surveys/{survey['id']}",
            f"/api/v1/surveys/{survey['id']}/results",
            f"/api/v1/surveys/{survey['id']}/responses",
            f"/api/v1/programs/{world.program['id']}/surveys",
        ):
            answer = (await world.client.get(path, headers=headers)).text
            assert not (any(s in answer for s in secrets) and any(p.id in answer for p in people)), path
    results = world.ok(await world.client.get(f"/api/v1/surveys/{survey['id']}/results", headers=world.admin.headers))
    assert results["respondents"] == 12
    assert sorted(next(q for q in results["questions"] if q["key"] == "learned")["texts"]) == sorted(secrets)


async def _no_transaction_ties(world: World, *, k: int) -> None:
    """PostgreSQL stamps each row with the transaction that wrote it (``xmin``). Responses are
    written a batch at a time: a batch written inside a respondent's transaction holds at least k
    responses (k possible authors), and the last batch is written by the close, tied to no one."""
    async with world.container.engine.connect() as connection:
        batches = (
            await connection.execute(text("SELECT xmin::text AS tx, count(*) AS n FROM survey_responses GROUP BY xmin"))
        ).all()
        ledger = {row.tx for row in await connection.execute(text("SELECT xmin::text AS tx FROM survey_ledger"))}
    for batch in batches:
        if batch.tx in ledger:
            assert batch.n >= k
    assert sum(batch.n for batch in batches if batch.tx not in ledger) == 2


def _flat(row: dict[str, Any]) -> list[Any]:
    found: list[Any] = []
    for value in row.values():
        if isinstance(value, dict):
            found.extend(value.values())
            found.extend(value.keys())
        else:
            found.append(value)
    return found
