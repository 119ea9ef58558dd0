"""Programs through the API: who may set them up, the lifecycle, and the draft-proposal discussion."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.actors import Role

API = "/api/v1"
STATUSES = ("draft", "enrolling", "matching", "active", "evaluating", "closed")
# The lifecycle of DOMAIN.md plus the product's documented extras: enrolment may reopen from
# matching, and a program may be abandoned (closed) before it goes live.
LEGAL = {
    "draft": {"enrolling", "closed"},
    "enrolling": {"matching", "closed"},
    "matching": {"enrolling", "active", "closed"},
    "active": {"evaluating"},
    "evaluating": {"closed"},
    "closed": set(),
}
# How a fresh draft reaches each status along legal moves.
ROUTE = {
    "draft": [],
    "enrolling": ["enrolling"],
    "matching": ["enrolling", "matching"],
    "active": ["enrolling", "matching", "active"],
    "evaluating": ["enrolling", "matching", "active", "evaluating"],
    "closed": ["enrolling", "matching", "active", "evaluating", "closed"],
}
DATES = {"cycle_start": "2027-01-11", "cycle_end": "2027-06-30"}


async def create_program(client: Any, headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    body = {"kind": "reciprocal", "name": "Generations Exchange", **DATES, **fields}
    response = await client.post(f"{API}/programs", headers=headers, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def move(client: Any, headers: dict[str, str], program_id: str, to: str) -> Any:
    return await client.post(f"{API}/programs/{program_id}/transitions", headers=headers, json={"to": to})


async def program_at(client: Any, headers: dict[str, str], status: str, **fields: Any) -> dict[str, Any]:
    program = await create_program(client, headers, **fields)
    for step in ROUTE[status]:
        response = await move(client, headers, program["id"], step)
        assert response.status_code == 200, response.text
        program = response.json()
    assert program["status"] == status
    return program


@pytest.fixture
async def coordinator(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Hana Coordinator")
    return dict(auth(org.email("Hana Coordinator"), Role.COORDINATOR))


# --- lifecycle ------------------------------------------------------------------------------------
@pytest.mark.parametrize("start", STATUSES)
async def test_every_illegal_move_is_refused_and_every_legal_move_works(client, coordinator, start) -> None:
    program = await program_at(client, coordinator, start)
    for target in sorted(set(STATUSES) - LEGAL[start]):
        refused = await move(client, coordinator, program["id"], target)
        assert refused.status_code == 409, (start, target, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "illegal_program_transition"
        now = (await client.get(f"{API}/programs/{program['id']}", headers=coordinator)).json()
        assert (now["status"], now["version"]) == (start, program["version"]), (start, target)

    for target in sorted(LEGAL[start]):
        fresh = await program_at(client, coordinator, start)
        moved = await move(client, coordinator, fresh["id"], target)
        assert moved.status_code == 200, (start, target, moved.text)
        assert moved.json()["status"] == target
        assert moved.json()["version"] == fresh["version"] + 1
        assert moved.headers["ETag"] == f'"v{fresh["version"] + 1}"'


async def test_a_draft_cannot_launch_without_cycle_dates(client, coordinator) -> None:
    program = await create_program(client, coordinator, cycle_start=None, cycle_end=None)
    refused = await move(client, coordinator, program["id"], "enrolling")
    assert refused.status_code == 409
    assert refused.json()["code"] == "program_needs_cycle_dates"
    # ... but it may still be abandoned.
    assert (await move(client, coordinator, program["id"], "closed")).json()["status"] == "closed"


async def test_an_unknown_status_is_a_malformed_request(client, coordinator) -> None:
    program = await create_program(client, coordinator)
    response = await move(client, coordinator, program["id"], "launched")
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "body.to"


# --- who may set a program up ---------------------------------------------------------------------
async def test_plain_employees_cannot_create_programs(client, org, auth) -> None:
    await org.person("Sam Junior")
    response = await client.post(
        f"{API}/programs", headers=auth(org.email("Sam Junior")), json={"kind": "reverse", "name": "Mine"}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "program_create_forbidden"
    assert (await client.get(f"{API}/programs", headers=auth(org.email("Sam Junior")))).json()["items"] == []


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
async def test_only_people_in_the_directory_propose_programs(client, org, auth, role) -> None:
    """A token whose e-mail is nobody in the directory would leave a program nobody coordinates."""
    outsider = auth("nobody.here@example.com", role)
    for body in (
        {"kind": "reverse", "name": "Orphan"},
        {"kind": "reverse", "name": "Orphan", "coordinator_ids": [str(await org.person("Cora Ordinator"))]},
    ):
        response = await client.post(f"{API}/programs", headers=outsider, json=body)
        assert (response.status_code, response.json()["code"]) == (403, "program_creator_not_in_directory")
    assert (await client.get(f"{API}/programs", headers=outsider)).json()["items"] == []


async def test_the_proposer_is_recorded_and_coordinates_when_nobody_else_is_named(client, org, auth) -> None:
    hana = await org.person("Hana Coordinator")
    cora = await org.person("Cora Ordinator")
    headers = auth(org.email("Hana Coordinator"), Role.COORDINATOR)
    alone = await create_program(client, headers)
    assert (alone["created_by"], alone["coordinator_ids"]) == (str(hana), [str(hana)])
    named = await create_program(client, headers, coordinator_ids=[str(cora)])
    assert (named["created_by"], named["coordinator_ids"]) == (str(hana), [str(cora)])


async def test_a_participant_cannot_edit_or_move_a_program_and_it_stays_unchanged(
    client, org, auth, coordinator
) -> None:
    await org.person("Sam Junior")
    employee = auth(org.email("Sam Junior"))
    program = await program_at(client, coordinator, "enrolling")

    edit = await client.patch(f"{API}/programs/{program['id']}", headers=employee, json={"name": "Hijacked"})
    assert edit.status_code == 403
    assert edit.json()["code"] == "program_edit_forbidden"
    moved = await move(client, employee, program["id"], "matching")
    assert moved.status_code == 403
    assert moved.json()["code"] == "program_edit_forbidden"

    after = (await client.get(f"{API}/programs/{program['id']}", headers=employee)).json()
    assert after == program


async def test_hr_staff_edit_only_the_programs_they_coordinate(client, org, auth, coordinator) -> None:
    await org.person("Other Coordinator")
    other = auth(org.email("Other Coordinator"), Role.COORDINATOR)
    program = await create_program(client, coordinator)
    response = await client.patch(f"{API}/programs/{program['id']}", headers=other, json={"name": "Mine now"})
    assert response.status_code == 403
    assert response.json()["code"] == "program_edit_forbidden"


async def test_a_named_coordinator_and_an_admin_may_edit(client, org, auth, coordinator) -> None:
    lee = await org.person("Lee Employee")
    await org.person("Ada Admin")
    program = await create_program(client, coordinator)
    added = await client.patch(
        f"{API}/programs/{program['id']}",
        headers=coordinator,
        json={"coordinator_ids": [program["coordinator_ids"][0], str(lee)]},
    )
    assert added.status_code == 200, added.text

    by_lee = await client.patch(
        f"{API}/programs/{program['id']}", headers=auth(org.email("Lee Employee")), json={"name": "Lee's pick"}
    )
    assert by_lee.status_code == 200, by_lee.text
    by_admin = await client.patch(
        f"{API}/programs/{program['id']}",
        headers=auth(org.email("Ada Admin"), Role.ADMIN),
        json={"guidelines": "Be kind"},
    )
    assert by_admin.status_code == 200
    assert (by_admin.json()["name"], by_admin.json()["guidelines"]) == ("Lee's pick", "Be kind")


async def test_the_creator_becomes_the_first_coordinator_and_policies_default_by_kind(client, org, coordinator) -> None:
    reverse = await create_program(client, coordinator, kind="reverse")
    reciprocal = await create_program(client, coordinator, kind="reciprocal")
    hana = (await client.get(f"{API}/me", headers=coordinator)).json()["id"]
    assert reverse["coordinator_ids"] == [hana]
    assert reverse["role_turn_policy"] == "fixed"
    assert reciprocal["role_turn_policy"] == "alternate(1)"
    assert reverse["status"] == "draft"


async def test_settings_are_validated_and_stored(client, coordinator) -> None:
    program = await create_program(
        client,
        coordinator,
        kind="reverse",
        role_turn_policy="senior_first(3)",
        pilot_capacity=12,
        training_required=True,
        matching_rules={"reporting_line_depth": 3, "min_seniority_gap": 2, "weights": {"skills": 7}},
        objectives=[{"metric": "seniors reporting better social-media skills", "target": 70, "unit": "percent"}],
        focus_areas=["technology", "culture"],
        incentives=["a day off"],
    )
    fetched = (await client.get(f"{API}/programs/{program['id']}", headers=coordinator)).json()
    assert fetched["role_turn_policy"] == "senior_first(3)"
    assert fetched["pilot_capacity"] == 12
    assert fetched["matching_rules"]["reporting_line_depth"] == 3
    assert fetched["matching_rules"]["weights"]["skills"] == 7
    assert fetched["focus_areas"] == ["technology", "culture"]
    objectives = (await client.get(f"{API}/programs/{program['id']}/objectives", headers=coordinator)).json()
    assert [(o["metric"], o["target"], o["unit"]) for o in objectives] == [
        ("seniors reporting better social-media skills", 70, "percent")
    ]


@pytest.mark.parametrize(
    ("fields", "code", "path"),
    [
        ({"cycle_start": "2027-06-30", "cycle_end": "2027-01-11"}, "cycle_dates_out_of_order", "cycle_end"),
        ({"role_turn_policy": "whenever"}, "validation_failed", "body.role_turn_policy"),
        ({"pilot_capacity": 1}, "pilot_capacity_out_of_range", "pilot_capacity"),
        ({"cadence_days": 0}, "cadence_out_of_range", "cadence_days"),
        (
            {"matching_rules": {"reporting_line_depth": 0}},
            "validation_failed",
            "body.matching_rules.reporting_line_depth",
        ),
        (
            {"objectives": [{"metric": "x", "target": 1, "unit": "%"}, {"metric": "x", "target": -1, "unit": "%"}]},
            "objective_target_negative",
            "objectives[1].target",
        ),
        ({"coordinator_ids": ["0190a1b2-0000-7000-8000-000000000000"]}, "person_unknown", "coordinator_ids[0]"),
        ({"surprise": True}, "validation_failed", "body.surprise"),
    ],
)
async def test_invalid_settings_are_refused_with_the_field(client, coordinator, fields, code, path) -> None:
    body = {"kind": "reciprocal", "name": "Bad", **DATES, **fields}
    response = await client.post(f"{API}/programs", headers=coordinator, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert path in [e["path"] for e in response.json()["errors"]]
    assert (await client.get(f"{API}/programs", headers=coordinator)).json()["items"] == []


async def test_structural_settings_freeze_once_active_but_descriptions_do_not(client, coordinator) -> None:
    program = await program_at(client, coordinator, "active")
    frozen = await client.patch(f"{API}/programs/{program['id']}", headers=coordinator, json={"pilot_capacity": 50})
    assert frozen.status_code == 409
    assert frozen.json()["code"] == "program_settings_frozen"
    renamed = await client.patch(f"{API}/programs/{program['id']}", headers=coordinator, json={"name": "Cohort 1"})
    assert renamed.status_code == 200
    assert renamed.json()["pilot_capacity"] is None


async def test_a_closed_program_does_not_change(client, coordinator) -> None:
    program = await program_at(client, coordinator, "draft")
    await move(client, coordinator, program["id"], "closed")
    response = await client.patch(f"{API}/programs/{program['id']}", headers=coordinator, json={"name": "Revived"})
    assert response.status_code == 409
    assert response.json()["code"] == "program_closed"


async def test_programs_filter_by_status_and_kind(client, coordinator) -> None:
    draft = await create_program(client, coordinator, kind="reverse")
    enrolling = await program_at(client, coordinator, "enrolling", kind="reciprocal")
    by_status = await client.get(f"{API}/programs", headers=coordinator, params={"status": "enrolling"})
    assert [p["id"] for p in by_status.json()["items"]] == [enrolling["id"]]
    by_kind = await client.get(f"{API}/programs", headers=coordinator, params={"kind": "reverse"})
    assert [p["id"] for p in by_kind.json()["items"]] == [draft["id"]]


# --- the draft proposal is discussed before launch ------------------------------------------------
async def test_any_employee_comments_on_a_draft_but_not_after_launch(client, org, auth, coordinator) -> None:
    await org.person("Sam Junior")
    employee = auth(org.email("Sam Junior"))
    program = await create_program(client, coordinator)
    url = f"{API}/programs/{program['id']}/comments"

    posted = await client.post(url, headers=employee, json={"body": "  Could night shifts join?  "})
    assert posted.status_code == 201, posted.text
    assert posted.json()["body"] == "Could night shifts join?"
    listed = (await client.get(url, headers=employee)).json()["items"]
    assert [c["id"] for c in listed] == [posted.json()["id"]]

    await move(client, coordinator, program["id"], "enrolling")
    late = await client.post(url, headers=employee, json={"body": "One more thing"})
    assert late.status_code == 409
    assert late.json()["code"] == "proposal_closed"
    assert len((await client.get(url, headers=employee)).json()["items"]) == 1


async def test_only_committee_members_review_and_see_reviews(client, org, auth, coordinator) -> None:
    member = await org.person("Carla Committee")
    await org.person("Sam Junior")
    committee = auth(org.email("Carla Committee"))
    employee = auth(org.email("Sam Junior"))
    program = await create_program(client, coordinator, committee_member_ids=[str(member)])
    url = f"{API}/programs/{program['id']}/reviews"

    outsider = await client.post(url, headers=employee, json={"verdict": "endorse"})
    assert outsider.status_code == 403
    assert outsider.json()["code"] == "not_committee_member"
    by_coordinator = await client.post(url, headers=coordinator, json={"verdict": "endorse"})
    assert by_coordinator.status_code == 403

    review = await client.post(url, headers=committee, json={"verdict": "request_changes", "body": "Pilot first"})
    assert review.status_code == 201, review.text
    assert review.json()["reviewer_id"] == str(member)

    hidden = await client.get(url, headers=employee)
    assert hidden.status_code == 403
    assert hidden.json()["code"] == "reviews_restricted"
    for reader in (committee, coordinator):
        assert [r["id"] for r in (await client.get(url, headers=reader)).json()["items"]] == [review.json()["id"]]

    await move(client, coordinator, program["id"], "enrolling")
    late = await client.post(url, headers=committee, json={"verdict": "endorse"})
    assert late.status_code == 409
    assert late.json()["code"] == "proposal_closed"
