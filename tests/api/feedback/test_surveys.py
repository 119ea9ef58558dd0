"""The survey's lifecycle and who may do what with it."""

from __future__ import annotations

from tests.api.feedback.conftest import participants
from tests.api.feedback.test_survey_anonymity import QUESTIONS, open_survey
from tests.api.mentoring.conftest import World


async def test_coordinators_write_open_and_close_a_survey(world: World) -> None:
    await world.setup()
    base = f"/api/v1/programs/{world.program['id']}/surveys"
    body = {"title": "End of cycle", "questions": QUESTIONS}
    for outsider in (world.other_coordinator,):
        refused = await world.client.post(base, headers=outsider.headers, json=body)
        assert refused.status_code == 403 and refused.json()["code"] == "survey_manage_forbidden"
    created = await world.client.post(base, headers=world.coordinator.headers, json=body)
    survey = world.ok(created, 201)
    assert (survey["status"], survey["k"], survey["respondents"]) == ("draft", 5, 0)
    one = f"/api/v1/surveys/{survey['id']}"
    revised = world.ok(
        await world.client.patch(
            one, headers={**world.coordinator.headers, "If-Match": created.headers["ETag"]}, json={"k": 6}
        )
    )
    assert revised["k"] == 6
    low = await world.client.patch(one, headers=world.coordinator.headers, json={"k": 4})
    assert low.status_code == 422 and low.json()["code"] == "survey_k_out_of_range"
    world.ok(await world.client.post(one + "/open", headers=world.coordinator.headers))
    fixed = await world.client.patch(one, headers=world.coordinator.headers, json={"title": "Another"})
    assert fixed.status_code == 409 and fixed.json()["code"] == "survey_not_draft"
    closed = world.ok(await world.client.post(one + "/close", headers=world.coordinator.headers))
    assert closed["status"] == "closed"
    again = await world.client.post(one + "/open", headers=world.coordinator.headers)
    assert again.status_code == 409 and again.json()["code"] == "illegal_survey_transition"
    assert [e for e, _ in await world.outbox() if e.startswith("survey.")] == ["survey.opened", "survey.closed"]


async def test_questions_must_make_sense(world: World) -> None:
    await world.setup()
    base = f"/api/v1/programs/{world.program['id']}/surveys"
    for questions in (
        [{"key": "a", "kind": "single", "prompt": "One option?", "options": ["only"]}],
        [{"key": "a", "kind": "scale", "prompt": "A"}, {"key": "a", "kind": "text", "prompt": "B"}],
        [{"key": "a", "kind": "text", "prompt": "Options?", "options": ["x", "y"]}],
    ):
        refused = await world.client.post(
            base, headers=world.coordinator.headers, json={"title": "T", "questions": questions}
        )
        assert refused.status_code == 422 and refused.json()["code"] == "survey_questions_invalid", questions


async def test_participants_answer_once_and_only_their_programs_survey(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales", "Sales"])
    stranger = await world.person("Stan Ger")
    survey = await open_survey(world)
    url = f"/api/v1/surveys/{survey['id']}/responses"
    seen = world.ok(await world.client.get(f"/api/v1/surveys/{survey['id']}", headers=people[0].headers))
    assert (seen["answered_by_me"], seen["respondents"]) == (False, None)
    bad = await world.client.post(url, headers=people[0].headers, json={"answers": {"growth": 9}})
    assert bad.status_code == 422 and bad.json()["code"] == "survey_answer_invalid"
    bad = await world.client.post(url, headers=people[0].headers, json={"answers": {"nope": 1}})
    assert bad.status_code == 422 and bad.json()["code"] == "survey_answer_invalid"
    assert (await world.client.post(url, headers=people[0].headers, json={"answers": {"growth": 4}})).status_code == 202
    twice = await world.client.post(url, headers=people[0].headers, json={"answers": {"growth": 5}})
    assert twice.status_code == 409 and twice.json()["code"] == "survey_already_answered"
    seen = world.ok(await world.client.get(f"/api/v1/surveys/{survey['id']}", headers=people[0].headers))
    assert seen["answered_by_me"] is True
    for outsider in (stranger, world.other_coordinator):
        refused = await world.client.post(url, headers=outsider.headers, json={"answers": {"growth": 4}})
        assert refused.status_code == 404 and refused.json()["code"] == "survey_not_found"
    staff = world.ok(await world.client.get(f"/api/v1/surveys/{survey['id']}", headers=world.coordinator.headers))
    assert staff["respondents"] == 1


async def test_a_draft_is_hidden_from_participants_and_results_from_them_always(world: World) -> None:
    await world.setup()
    people = await participants(world, ["Sales", "Sales"])
    survey = world.ok(
        await world.client.post(
            f"/api/v1/programs/{world.program['id']}/surveys",
            headers=world.coordinator.headers,
            json={"title": "Draft", "questions": QUESTIONS},
        ),
        201,
    )
    hidden = await world.client.get(f"/api/v1/surveys/{survey['id']}", headers=people[0].headers)
    assert hidden.status_code == 404
    results = await world.client.get(f"/api/v1/surveys/{survey['id']}/results", headers=people[0].headers)
    assert results.status_code == 404
    listed = await world.client.get(f"/api/v1/programs/{world.program['id']}/surveys", headers=people[0].headers)
    assert listed.status_code == 403 and listed.json()["code"] == "survey_read_forbidden"
