"""Statement-count guards on the feedback write paths: an answer costs the same however many came
before it, a mixing batch the same whatever its size; a check-in the same for every pair."""

from __future__ import annotations

from typing import Any

from tests.api.feedback.conftest import participants
from tests.api.feedback.test_survey_anonymity import open_survey
from tests.api.mentoring.conftest import World


async def answer_costs(world: World, sql: Any, k: int, count: int) -> list[int]:
    people = await participants(world, ["Sales"] * count)
    survey = await open_survey(world, k=k)
    costs = []
    for person in people:
        with sql() as seen:
            response = await world.client.post(
                f"/api/v1/surveys/{survey['id']}/responses", headers=person.headers, json={"answers": {"growth": 3}}
            )
        assert response.status_code == 202
        costs.append(len(seen.statements))
    return costs


async def test_an_answer_costs_the_same_and_a_batch_the_same_whatever_its_size(world: World, sql: Any) -> None:
    await world.setup()
    five = await answer_costs(world, sql, k=5, count=6)
    seven = await answer_costs(world, sql, k=7, count=8)
    waiting, mixing = five[0], five[4]
    assert five[:4] == [waiting] * 4 and five[5] == waiting
    assert seven[:6] == [waiting] * 6 and seven[6] == mixing and seven[7] == waiting
    assert mixing == waiting + 3  # read the box, empty it, write the batch (one statement for all)


async def test_a_check_in_costs_the_same_for_every_pair(world: World, sql: Any) -> None:
    await world.setup()
    costs = []
    for pair in await world.pairs(3):
        with sql() as seen:
            response = await world.client.post(
                f"/api/v1/relationships/{pair.id}/check-ins", headers=pair.junior.headers, json={"rating": 4}
            )
        assert response.status_code == 201
        costs.append(len(seen.statements))
    assert costs == [costs[0]] * 3 and costs[0] <= 20, costs
