"""The README's five-minute tour, driven through the API: token → program → enrol → list."""

from __future__ import annotations

from app.domain.actors import Role


async def test_a_coordinator_launches_a_program_and_an_employee_enrols(client, auth, org) -> None:
    await org.person("Hana Coordinator")
    await org.person("Sam Junior", seniority=1)
    coordinator = auth(org.email("Hana Coordinator"), Role.COORDINATOR)
    employee = auth(org.email("Sam Junior"))

    created = await client.post(
        "/api/v1/programs",
        headers=coordinator,
        json={
            "kind": "reciprocal",
            "name": "Generations Exchange",
            "cycle_start": "2027-01-11",
            "cycle_end": "2027-06-30",
        },
    )
    assert created.status_code == 201, created.text
    program = created.json()
    assert program["status"] == "draft"
    assert program["role_turn_policy"] == "alternate(1)"
    assert created.headers["ETag"] == '"v1"'

    opened = await client.post(
        f"/api/v1/programs/{program['id']}/transitions",
        headers={**coordinator, "If-Match": created.headers["ETag"]},
        json={"to": "enrolling"},
    )
    assert opened.status_code == 200, opened.text
    assert opened.json()["status"] == "enrolling"

    enrolled = await client.post(
        f"/api/v1/programs/{program['id']}/enrollments",
        headers=employee,
        json={"role_preference": "both", "interests": ["Cycling"], "availability": ["tue-pm"]},
    )
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["status"] == "applied"
    assert enrolled.json()["interests"] == ["cycling"]

    listed = await client.get(f"/api/v1/programs/{program['id']}/enrollments", headers=coordinator)
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["items"]] == [enrolled.json()["id"]]
