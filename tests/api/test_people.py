"""The people directory through the API: who sees whom, the reporting line, and the HRIS sync."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.actors import Role

API = "/api/v1"
HRIS = "hris@example.com"


@pytest.fixture
async def admin(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Ada Admin")
    return dict(auth(org.email("Ada Admin"), Role.ADMIN))


@pytest.fixture
def hris(auth: Any) -> dict[str, str]:
    return dict(auth(HRIS, Role.INTEGRATION, scopes=("people:read", "people:write")))


async def get(client: Any, headers: dict[str, str], person_id: Any) -> dict[str, Any]:
    response = await client.get(f"{API}/people/{person_id}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


# --- create, read, update ----------------------------------------------------------------------------
async def test_an_admin_adds_a_person(client, admin) -> None:
    response = await client.post(
        f"{API}/people",
        headers=admin,
        json={"email": "Amara.Osei@Example.com", "given_name": "Amara", "family_name": "Osei", "seniority": 2},
    )
    assert response.status_code == 201, response.text
    person = response.json()
    assert person["email"] == "amara.osei@example.com"
    assert person["display_name"] == "Amara Osei"
    assert (person["active"], person["version"]) == (True, 1)
    assert response.headers["ETag"] == '"v1"'
    assert response.headers["Location"] == f"/api/v1/people/{person['id']}"
    assert await get(client, admin, person["id"]) == person


async def test_employees_do_not_manage_people(client, org, auth) -> None:
    sam = await org.person("Sam Junior")
    employee = auth(org.email("Sam Junior"))
    created = await client.post(
        f"{API}/people", headers=employee, json={"email": "x@example.com", "given_name": "X", "family_name": "Y"}
    )
    assert created.status_code == 403
    assert created.json()["code"] == "people_admin_only"
    promoted = await client.patch(f"{API}/people/{sam}", headers=employee, json={"seniority": 9})
    assert promoted.status_code == 403
    assert (await get(client, employee, sam))["seniority"] == 3


async def test_email_and_external_id_stay_unique(client, org, admin) -> None:
    await org.person("Sam Junior", external_id="E-1")
    pat = await org.person("Pat Senior")
    taken = await client.post(
        f"{API}/people",
        headers=admin,
        json={"email": org.email("Sam Junior").upper(), "given_name": "S", "family_name": "J"},
    )
    assert taken.status_code == 409
    assert taken.json()["code"] == "email_taken"
    clash = await client.patch(f"{API}/people/{pat}", headers=admin, json={"external_id": "E-1"})
    assert clash.status_code == 409
    assert clash.json()["code"] == "external_id_taken"


async def test_an_update_bumps_the_version_and_a_stale_if_match_changes_nothing(client, org, admin) -> None:
    sam = await org.person("Sam Junior")
    first = await client.patch(
        f"{API}/people/{sam}", headers={**admin, "If-Match": '"v1"'}, json={"job_title": "Analyst"}
    )
    assert first.status_code == 200, first.text
    assert first.headers["ETag"] == '"v2"'

    stale = await client.patch(
        f"{API}/people/{sam}", headers={**admin, "If-Match": '"v1"'}, json={"job_title": "Overwritten"}
    )
    assert stale.status_code == 412
    assert stale.json()["code"] == "stale_version"
    now = await get(client, admin, sam)
    assert (now["job_title"], now["version"]) == ("Analyst", 2)


# --- the reporting line ---------------------------------------------------------------------------------
async def test_a_manager_that_would_form_a_cycle_is_refused(client, org, admin) -> None:
    ceo = await org.person("Cleo Chief")
    vp = await org.person("Val Vice", manager_id=ceo)
    lead = await org.person("Lou Lead", manager_id=vp)

    for manager in (lead, vp, ceo):
        response = await client.patch(f"{API}/people/{ceo}", headers=admin, json={"manager_id": str(manager)})
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "reporting_cycle"
    after = await get(client, admin, ceo)
    assert (after["manager_id"], after["version"]) == (None, 1)

    # A legal move is fine: the lead reports to the CEO directly.
    moved = await client.patch(f"{API}/people/{lead}", headers=admin, json={"manager_id": str(ceo)})
    assert moved.json()["manager_id"] == str(ceo)


async def test_an_unknown_manager_is_refused(client, org, admin) -> None:
    sam = await org.person("Sam Junior")
    response = await client.patch(
        f"{API}/people/{sam}", headers=admin, json={"manager_id": "0190a1b2-0000-7000-8000-000000000000"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "manager_unknown"
    assert [e["path"] for e in response.json()["errors"]] == ["manager_id"]


# --- listing --------------------------------------------------------------------------------------------
async def test_people_filter_by_department_location_activity_and_name(client, org, admin) -> None:
    ana = await org.person("Ana Lopez", department="Marketing", location="Leeds")
    ben = await org.person("Ben Okafor", department="Marketing", location="Lagos")
    cat = await org.person("Cat Lopez", department="Finance", location="Leeds")
    await client.post(f"{API}/people/{cat}/deactivate", headers=admin)

    async def ids(**params: Any) -> set[str]:
        response = await client.get(f"{API}/people", headers=admin, params=params)
        assert response.status_code == 200, response.text
        return {p["id"] for p in response.json()["items"]}

    assert await ids(department="Marketing") == {str(ana), str(ben)}
    assert await ids(location="Leeds", department="Marketing") == {str(ana)}
    assert await ids(location="Leeds", active="false") == {str(cat)}
    assert await ids(q="lopez") == {str(ana), str(cat)}
    assert await ids(q="BEN.OKAFOR@") == {str(ben)}
    assert str(cat) not in await ids(active="true")


async def test_cursor_pagination_walks_every_person_once_in_a_stable_order(client, org, admin) -> None:
    for i in range(9):
        await org.person(f"Person{i} Paged", department="Paged")

    async def walk() -> list[str]:
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            params: dict[str, Any] = {"limit": 4, "department": "Paged"}
            if cursor:
                params["cursor"] = cursor
            page = (await client.get(f"{API}/people", headers=admin, params=params)).json()
            assert len(page["items"]) <= 4
            seen += [p["id"] for p in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                return seen
            assert pages < 10, "pagination does not end"

    first = await walk()
    assert len(first) == len(set(first)) == 9
    assert first == sorted(first)  # time-ordered ids: oldest first
    assert await walk() == first

    bad = await client.get(f"{API}/people", headers=admin, params={"cursor": "not-a-cursor!"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "cursor_invalid"


async def test_plain_employees_cannot_browse_the_directory(client, org, auth) -> None:
    sam = await org.person("Sam Junior")
    pat = await org.person("Pat Senior")
    employee = auth(org.email("Sam Junior"))
    listed = await client.get(f"{API}/people", headers=employee)
    assert listed.status_code == 403
    assert listed.json()["code"] == "directory_restricted"
    assert (await client.get(f"{API}/people/{pat}", headers=employee)).status_code == 404
    assert (await client.get(f"{API}/people/{sam}", headers=employee)).status_code == 200
    coordinator = auth(org.email("Pat Senior"), Role.COORDINATOR)
    assert (await client.get(f"{API}/people", headers=coordinator)).status_code == 200


async def test_self_identified_attributes_are_visible_only_to_the_person(client, org, auth, admin) -> None:
    sam = await org.person("Sam Junior")
    await org.person("Hana Coordinator")
    own = auth(org.email("Sam Junior"))
    stated = await client.patch(
        f"{API}/me/consent", headers=own, json={"attributes": {"pronouns": "they/them"}, "matching_consent": True}
    )
    assert stated.status_code == 200, stated.text
    assert stated.json()["attributes"] == {"pronouns": "they/them"}

    me = await client.get(f"{API}/me", headers=own)
    assert (me.json()["attributes"], me.json()["matching_consent"]) == ({"pronouns": "they/them"}, True)
    for reader in (admin, auth(org.email("Hana Coordinator"), Role.COORDINATOR)):
        seen = await get(client, reader, sam)
        assert seen["attributes"] is None and seen["matching_consent"] is None
        listed = (await client.get(f"{API}/people", headers=reader, params={"q": "sam"})).json()["items"]
        assert [(p["attributes"], p["matching_consent"]) for p in listed] == [(None, None)]


# --- deactivation ---------------------------------------------------------------------------------------
async def enrolled(client: Any, org: Any, auth: Any, name: str) -> tuple[str, str]:
    """An open program with ``name`` enrolled; returns (program id, enrollment id)."""
    await org.person("Hana Coordinator")
    coordinator = auth(org.email("Hana Coordinator"), Role.COORDINATOR)
    program = (
        await client.post(
            f"{API}/programs",
            headers=coordinator,
            json={"kind": "reciprocal", "name": "P", "cycle_start": "2027-01-11", "cycle_end": "2027-06-30"},
        )
    ).json()
    await client.post(f"{API}/programs/{program['id']}/transitions", headers=coordinator, json={"to": "enrolling"})
    enrollment = await client.post(
        f"{API}/programs/{program['id']}/enrollments", headers=auth(org.email(name)), json={"role_preference": "both"}
    )
    assert enrollment.status_code == 201, enrollment.text
    return program["id"], enrollment.json()["id"]


async def enrollment_status(client: Any, org: Any, auth: Any, program: str, enrollment: str) -> str:
    coordinator = auth(org.email("Hana Coordinator"), Role.COORDINATOR)
    response = await client.get(f"{API}/programs/{program}/enrollments/{enrollment}", headers=coordinator)
    return str(response.json()["status"])


async def test_deactivation_keeps_the_person_withdraws_live_enrollments_and_retires_the_token(
    client, org, auth, admin
) -> None:
    sam = await org.person("Sam Junior")
    token = auth(org.email("Sam Junior"))
    assert (await client.get(f"{API}/me", headers=token)).status_code == 200
    program, enrollment = await enrolled(client, org, auth, "Sam Junior")

    response = await client.post(f"{API}/people/{sam}/deactivate", headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["active"] is False
    assert response.json()["deactivated_at"] is not None
    assert await enrollment_status(client, org, auth, program, enrollment) == "withdrawn"
    assert (await get(client, admin, sam))["given_name"] == "Sam"  # history kept

    me = await client.get(f"{API}/me", headers=token)
    assert me.status_code == 403
    assert me.json()["code"] == "actor_not_a_person"
    again = await client.post(f"{API}/people/{sam}/deactivate", headers=admin)
    assert again.status_code == 409
    assert again.json()["code"] == "person_already_inactive"


# --- the HRIS sync ----------------------------------------------------------------------------------------
def record(external_id: str, name: str, manager: str | None = None, **fields: Any) -> dict[str, Any]:
    given, _, family = name.partition(" ")
    return {
        "external_id": external_id,
        "email": f"{given.lower()}@example.com",
        "given_name": given,
        "family_name": family,
        "manager_external_id": manager,
        "department": "Ops",
        **fields,
    }


BATCH = [
    record("E-3", "Lou Lead", manager="E-2"),  # the manager comes later in the batch
    record("E-2", "Val Vice", manager="E-1"),
    record("E-1", "Cleo Chief"),
]


async def upsert(client: Any, headers: dict[str, str], people: list[dict[str, Any]]) -> Any:
    return await client.put(f"{API}/people", headers=headers, json={"people": people})


async def by_external_id(client: Any, headers: dict[str, str]) -> dict[str, dict[str, Any]]:
    items = (await client.get(f"{API}/people", headers=headers, params={"limit": 200})).json()["items"]
    return {p["external_id"]: p for p in items if p["external_id"]}


async def test_the_hris_sync_creates_a_reporting_tree_in_one_batch_and_a_rerun_changes_nothing(client, hris) -> None:
    first = await upsert(client, hris, BATCH)
    assert first.status_code == 200, first.text
    assert len(first.json()["created"]) == 3
    people = await by_external_id(client, hris)
    assert people["E-3"]["manager_id"] == people["E-2"]["id"]
    assert people["E-2"]["manager_id"] == people["E-1"]["id"]
    assert people["E-1"]["manager_id"] is None

    second = (await upsert(client, hris, BATCH)).json()
    assert second["created"] == second["updated"] == second["deactivated"] == []
    assert sorted(second["unchanged"]) == sorted(first.json()["created"])
    assert {p["version"] for p in (await by_external_id(client, hris)).values()} == {1}


async def test_the_hris_sync_updates_and_deactivates(client, org, auth, hris) -> None:
    await upsert(client, hris, BATCH)
    people = await by_external_id(client, hris)
    await org.person("Hana Coordinator")
    coordinator = auth(org.email("Hana Coordinator"), Role.COORDINATOR)
    program = (
        await client.post(
            f"{API}/programs",
            headers=coordinator,
            json={"kind": "reciprocal", "name": "P", "cycle_start": "2027-01-11", "cycle_end": "2027-06-30"},
        )
    ).json()["id"]
    await client.post(f"{API}/programs/{program}/transitions", headers=coordinator, json={"to": "enrolling"})
    enrollment = (
        await client.post(
            f"{API}/programs/{program}/enrollments",
            headers=auth("lou@example.com"),
            json={"role_preference": "both"},
        )
    ).json()["id"]

    changed = [
        record("E-3", "Lou Lead", manager="E-2", active=False),  # leaves
        record("E-2", "Val Vice", manager="E-1", department="Finance"),  # moves department
        record("E-1", "Cleo Chief"),
    ]
    outcome = (await upsert(client, hris, changed)).json()
    assert outcome["deactivated"] == [people["E-3"]["id"]]
    assert outcome["updated"] == [people["E-2"]["id"]]
    assert outcome["unchanged"] == [people["E-1"]["id"]]
    after = await by_external_id(client, hris)
    assert after["E-3"]["active"] is False
    assert after["E-2"]["department"] == "Finance"
    status = await client.get(f"{API}/programs/{program}/enrollments/{enrollment}", headers=coordinator)
    assert status.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("batch", "paths"),
    [
        (
            [record("E-1", "Ann A", manager="E-2"), record("E-2", "Bob B", manager="E-1")],
            {"people[0].manager_external_id", "people[1].manager_external_id"},
        ),
        ([record("E-1", "Ann A", manager="E-1")], {"people[0].manager_external_id"}),
        ([record("E-1", "Ann A"), record("E-2", "Bob B", manager="E-404")], {"people[1].manager_external_id"}),
        ([record("E-1", "Ann A"), record("E-1", "Bob B")], {"people[1].external_id"}),
    ],
)
async def test_a_bad_batch_is_refused_whole(client, hris, batch, paths) -> None:
    response = await upsert(client, hris, batch)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "upsert_rejected"
    assert {e["path"] for e in response.json()["errors"]} == paths
    assert await by_external_id(client, hris) == {}


async def test_a_batch_that_closes_a_cycle_with_the_existing_tree_changes_nothing(client, hris) -> None:
    await upsert(client, hris, BATCH)
    before = await by_external_id(client, hris)
    # Cleo (the top) would report to Lou, who reports to Val, who reports to Cleo. Val also moves.
    response = await upsert(
        client,
        hris,
        [record("E-1", "Cleo Chief", manager="E-3"), record("E-2", "Val Vice", manager="E-1", department="Legal")],
    )
    assert response.status_code == 422
    assert "people[0].manager_external_id" in {e["path"] for e in response.json()["errors"]}
    assert await by_external_id(client, hris) == before


async def test_a_cycle_through_patch_is_refused_after_an_hris_sync(client, admin, hris) -> None:
    await upsert(client, hris, BATCH)
    people = await by_external_id(client, hris)
    response = await client.patch(
        f"{API}/people/{people['E-1']['id']}", headers=admin, json={"manager_id": people["E-3"]["id"]}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "reporting_cycle"
    assert (await by_external_id(client, hris)) == people


async def test_only_admins_and_integrations_sync(client, org, auth) -> None:
    await org.person("Hana Coordinator")
    response = await upsert(client, auth(org.email("Hana Coordinator"), Role.COORDINATOR), BATCH)
    assert response.status_code == 403
    assert response.json()["code"] == "people_admin_only"


async def outbox_types(container: Any) -> list[str]:
    from sqlalchemy import select

    from app.adapters.persistence.tables import OutboxRow

    async with container.engine.connect() as connection:
        return list((await connection.execute(select(OutboxRow.event_type).order_by(OutboxRow.id))).scalars())


async def test_one_sync_announces_each_person_once(client, hris, container) -> None:
    assert (await upsert(client, hris, BATCH)).status_code == 200
    assert await outbox_types(container) == ["person.created"] * 3  # managers are part of the creation
    moved = [record("E-3", "Lou Lead", manager="E-1", location="Leeds"), *BATCH[1:]]
    assert (await upsert(client, hris, moved)).json()["updated"]
    assert (await outbox_types(container))[3:] == ["person.updated"]  # one event for two changed fields


async def test_a_rehire_through_the_sync_is_announced(client, hris, container) -> None:
    await upsert(client, hris, BATCH)
    left = [record("E-3", "Lou Lead", manager="E-2", active=False), *BATCH[1:]]
    assert (await upsert(client, hris, left)).json()["deactivated"]
    rehired = (await upsert(client, hris, BATCH)).json()
    assert len(rehired["updated"]) == 1
    assert (await outbox_types(container))[-2:] == ["person.deactivated", "person.reactivated"]
    assert (await by_external_id(client, hris))["E-3"]["active"] is True


async def test_a_batch_the_database_refuses_is_a_409_and_changes_nothing(client, hris) -> None:
    await upsert(client, hris, BATCH)
    before = await by_external_id(client, hris)
    # Two people swapping emails in one batch collide on the unique email mid-way.
    swap = [
        {**BATCH[0], "email": before["E-2"]["email"]},
        {**BATCH[1], "email": before["E-3"]["email"]},
        BATCH[2],
    ]
    response = await upsert(client, hris, swap)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "conflicts_with_existing_data"
    assert await by_external_id(client, hris) == before
