"""The skill catalogue: HR staff curate it, everyone reads it."""

from __future__ import annotations

from typing import Any

import pytest

from app.domain.actors import Role

API = "/api/v1"
CATEGORIES = [
    "technology",
    "social_media",
    "intergenerational",
    "diversity_inclusion",
    "leadership",
    "business",
    "custom",
]


@pytest.fixture
async def staff(org: Any, auth: Any) -> dict[str, str]:
    await org.person("Hana Coordinator")
    return dict(auth(org.email("Hana Coordinator"), Role.COORDINATOR))


async def test_hr_staff_add_skills_in_every_category(client, staff) -> None:
    for i, category in enumerate(CATEGORIES):
        response = await client.post(f"{API}/skills", headers=staff, json={"name": f"Skill {i}", "category": category})
        assert response.status_code == 201, response.text
        assert response.json()["category"] == category
        assert response.headers["ETag"] == '"v1"'
    listed = (await client.get(f"{API}/skills", headers=staff)).json()["items"]
    assert [s["category"] for s in listed] == CATEGORIES


async def test_names_are_unique_regardless_of_case_and_spacing(client, staff) -> None:
    first = await client.post(
        f"{API}/skills", headers=staff, json={"name": "  TikTok   for business ", "category": "social_media"}
    )
    assert first.json()["name"] == "TikTok for business"
    again = await client.post(
        f"{API}/skills", headers=staff, json={"name": "tiktok FOR business", "category": "business"}
    )
    assert again.status_code == 409
    assert again.json()["code"] == "skill_exists"
    assert len((await client.get(f"{API}/skills", headers=staff)).json()["items"]) == 1


async def test_employees_read_but_do_not_curate(client, org, auth, staff) -> None:
    await org.person("Sam Junior")
    employee = auth(org.email("Sam Junior"))
    skill = (
        await client.post(f"{API}/skills", headers=staff, json={"name": "Python", "category": "technology"})
    ).json()

    refused = await client.post(f"{API}/skills", headers=employee, json={"name": "Knitting", "category": "custom"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "skills_admin_only"
    fetched = await client.get(f"{API}/skills/{skill['id']}", headers=employee)
    assert fetched.status_code == 200
    assert fetched.json() == skill


async def test_the_catalogue_filters_by_category(client, staff) -> None:
    await client.post(f"{API}/skills", headers=staff, json={"name": "Python", "category": "technology"})
    lead = (
        await client.post(f"{API}/skills", headers=staff, json={"name": "Delegation", "category": "leadership"})
    ).json()
    listed = await client.get(f"{API}/skills", headers=staff, params={"category": "leadership"})
    assert [s["id"] for s in listed.json()["items"]] == [lead["id"]]
    unknown = await client.get(f"{API}/skills", headers=staff, params={"category": "astrology"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["path"] == "query.category"


async def test_an_unknown_skill_is_404(client, staff) -> None:
    response = await client.get(f"{API}/skills/0190a1b2-0000-7000-8000-000000000000", headers=staff)
    assert response.status_code == 404
    assert response.json()["code"] == "skill_not_found"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"name": "", "category": "custom"}, "body.name"),
        ({"name": "X", "category": "astrology"}, "body.category"),
        ({"category": "custom"}, "body.name"),
    ],
)
async def test_a_malformed_skill_is_refused(client, staff, body, path) -> None:
    response = await client.post(f"{API}/skills", headers=staff, json=body)
    assert response.status_code == 422
    assert path in [e["path"] for e in response.json()["errors"]]
