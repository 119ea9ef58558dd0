"""k-anonymity of survey results: nothing below k, breakdown cells and their complements at least k,
no differencing by total minus a cell or by reading before and after one more response."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.adapters.persistence.tables import SurveyResponseRow
from tests.api.feedback.conftest import participants
from tests.api.feedback.test_survey_anonymity import open_survey
from tests.api.mentoring.conftest import Member, World


async def answer_all(world: World, survey: dict[str, Any], people: list[Member]) -> None:
    for i, person in enumerate(people):
        response = await world.client.post(
            f"/api/v1/surveys/{survey['id']}/responses",
            headers=person.headers,
            json={"answers": {"growth": 1 + i % 5, "learned": f"text {i}"}},
        )
        assert response.status_code == 202, response.text


async def results(world: World, survey: dict[str, Any]) -> dict[str, Any]:
    return world.ok(
        await world.client.get(f"/api/v1/surveys/{survey['id']}/results", headers=world.coordinator.headers)
    )


async def close(world: World, survey: dict[str, Any]) -> None:
    world.ok(await world.client.post(f"/api/v1/surveys/{survey['id']}/close", headers=world.coordinator.headers))


def cells(found: dict[str, Any], dimension: str) -> dict[str, int]:
    return {g["value"]: g["respondents"] for g in found["groups"] if g["dimension"] == dimension}


async def test_four_respondents_show_nothing(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales"] * 6)
    survey = await open_survey(world)
    await answer_all(world, survey, people[:4])
    await close(world, survey)
    found = await results(world, survey)
    assert (found["available"], found["reason"], found["respondents"]) == (False, "fewer_than_k", None)
    assert found["questions"] == [] and found["groups"] == []


async def test_five_respondents_show_the_total_but_not_a_cell_of_two(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales", "Engineering"] * 5)  # 5 and 5 eligible: both stored
    survey = await open_survey(world)
    # three from Sales, two from Engineering
    await answer_all(world, survey, [people[0], people[2], people[4], people[1], people[3]])
    await close(world, survey)
    found = await results(world, survey)
    assert (found["available"], found["respondents"]) == (True, 5)
    growth = next(q for q in found["questions"] if q["key"] == "growth")
    assert growth["answered"] == 5 and growth["mean"] == 3.0
    assert cells(found, "department") == {}  # 3 and 2: both below k
    assert cells(found, "role") == {"both": 5}  # everyone: no more than the total
    assert sorted(next(q for q in found["questions"] if q["key"] == "learned")["texts"]) == [
        f"text {i}" for i in range(5)
    ]


async def test_total_minus_a_cell_reveals_nothing_below_k(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales", "Engineering"] * 6)
    survey = await open_survey(world)
    sales, engineering = people[::2], people[1::2]
    await answer_all(world, survey, sales[:5] + engineering[:2])  # 7 answered: 5 and 2
    await close(world, survey)
    found = await results(world, survey)
    assert found["respondents"] == 7
    # showing Sales (5) would reveal Engineering's two by subtraction: withheld with it
    assert cells(found, "department") == {}


async def test_cells_and_their_complements_at_least_k_are_shown(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales", "Engineering"] * 6)
    survey = await open_survey(world)
    await answer_all(world, survey, people[:10])  # 5 and 5
    await close(world, survey)
    found = await results(world, survey)
    assert cells(found, "department") == {"Engineering": 5, "Sales": 5}
    sales = next(g for g in found["groups"] if g["value"] == "Sales")
    assert all(q["texts"] is None for q in sales["questions"])  # free text is never broken down


async def test_small_departments_are_stored_as_other(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales"] * 6 + ["Legal", "Legal", "Design", "Design"])
    survey = await open_survey(world)
    await answer_all(world, survey, people)
    await close(world, survey)
    async with world.container.engine.connect() as connection:
        stored = (await connection.execute(select(SurveyResponseRow.__table__.c.groups))).scalars().all()  # type: ignore[attr-defined]
    departments = {groups["department"] for groups in stored}
    assert departments == {"Sales", "other"}
    assert cells(await results(world, survey), "department") == {}  # 6 and 4: the complement is below k


async def test_no_result_before_the_close_so_no_before_and_after_pair(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales"] * 8)
    survey = await open_survey(world)
    await answer_all(world, survey, people[:6])
    before = await results(world, survey)
    assert (before["available"], before["reason"], before["respondents"]) == (False, "survey_not_closed", None)
    await answer_all(world, survey, people[6:7])
    after = await results(world, survey)
    assert after == before
    await close(world, survey)
    assert (await results(world, survey))["respondents"] == 7
    late = await world.client.post(
        f"/api/v1/surveys/{survey['id']}/responses", headers=people[7].headers, json={"answers": {"growth": 3}}
    )
    assert late.status_code == 409 and late.json()["code"] == "survey_not_open"
