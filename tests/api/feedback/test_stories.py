"""Success stories (the partner's consent, the coordinator's approval, every employee reads them) and
recognitions (on completion with goals achieved, or by a coordinator)."""

from __future__ import annotations

from tests.api.mentoring.conftest import World


async def test_a_story_naming_the_partner_is_published_after_consent_and_approval(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    reader = await world.person("Rita Reader")
    body = {
        "program_id": pair.program_id,
        "relationship_id": pair.id,
        "title": "What my mentee taught me",
        "text": "Chat beats email.",
        "names_partner": True,
    }
    story = world.ok(await world.client.post("/api/v1/stories", headers=pair.senior.headers, json=body), 201)
    assert (story["status"], story["partner_id"]) == ("awaiting_consent", pair.junior.id)
    one = f"/api/v1/stories/{story['id']}"
    assert (await world.client.get(one, headers=reader.headers)).status_code == 404  # not published yet
    early = await world.client.post(one + "/publish", headers=world.coordinator.headers)
    assert early.status_code == 409 and early.json()["code"] == "illegal_story_transition"
    wrong = await world.client.post(one + "/consent", headers=pair.senior.headers, json={"consent": True})
    assert wrong.status_code == 403 and wrong.json()["code"] == "not_the_named_partner"
    consented = world.ok(await world.client.post(one + "/consent", headers=pair.junior.headers, json={"consent": True}))
    assert consented["status"] == "awaiting_approval"
    refused = await world.client.post(one + "/publish", headers=pair.senior.headers)
    assert refused.status_code == 403 and refused.json()["code"] == "story_approve_forbidden"
    published = world.ok(await world.client.post(one + "/publish", headers=world.coordinator.headers))
    assert published["status"] == "published"
    assert world.ok(await world.client.get(one, headers=reader.headers))["text"] == "Chat beats email."
    listed = world.ok(await world.client.get("/api/v1/stories", headers=reader.headers))
    assert [s["id"] for s in listed["items"]] == [story["id"]]
    world.ok(await world.client.post(one + "/unpublish", headers=pair.senior.headers))
    assert (await world.client.get(one, headers=reader.headers)).status_code == 404
    assert (await world.client.delete(one, headers=pair.senior.headers)).status_code == 204
    assert (await world.client.get(one, headers=world.coordinator.headers)).status_code == 404
    events = [(e, p["story_id"]) for e, p in await world.outbox() if e.startswith("story.")]
    assert events == [
        ("story.published", story["id"]),
        ("story.unpublished", story["id"]),
        ("story.deleted", story["id"]),
    ]


async def test_a_declined_story_is_never_published(world: World) -> None:
    await world.setup()
    pair = await world.pair()
    body = {"program_id": pair.program_id, "relationship_id": pair.id, "title": "T", "text": "X", "names_partner": True}
    story = world.ok(await world.client.post("/api/v1/stories", headers=pair.junior.headers, json=body), 201)
    one = f"/api/v1/stories/{story['id']}"
    declined = world.ok(await world.client.post(one + "/consent", headers=pair.senior.headers, json={"consent": False}))
    assert declined["status"] == "declined"
    refused = await world.client.post(one + "/publish", headers=world.coordinator.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "illegal_story_transition"
    stranger = await world.person("Stan Ger")
    refused = await world.client.post(
        "/api/v1/stories", headers=stranger.headers, json={"program_id": pair.program_id, "title": "T", "text": "X"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_participant"


async def test_completing_with_goals_achieved_recognises_both_members(world: World) -> None:
    await world.setup(incentives=["extra day off", "public recognition"])
    achieved, without = await world.pairs(2)
    goal = world.ok(
        await world.client.post(
            f"/api/v1/relationships/{achieved.id}/goals", headers=achieved.junior.headers, json={"title": "Post weekly"}
        ),
        201,
    )
    world.ok(await world.client.post(f"/api/v1/goals/{goal['id']}/achieve", headers=achieved.junior.headers))
    for pair in (achieved, without):
        world.ok(await world.client.post(f"/api/v1/relationships/{pair.id}/complete", headers=pair.junior.headers))
    granted = [p for e, p in await world.outbox() if e == "recognition.granted"]
    assert sorted(p["person_id"] for p in granted) == sorted([achieved.junior.id, achieved.senior.id])
    assert {(p["incentive"], p["source"]) for p in granted} == {("extra day off", "automatic")}
    mine = world.ok(await world.client.get("/api/v1/recognitions", headers=achieved.junior.headers))
    assert [r["person_id"] for r in mine["items"]] == [achieved.junior.id]

    # a coordinator recognises the other pair's senior, with a listed incentive
    url = f"/api/v1/relationships/{without.id}/recognitions"
    unknown = await world.client.post(
        url, headers=world.coordinator.headers, json={"person_id": without.senior.id, "incentive": "a car"}
    )
    assert unknown.status_code == 422 and unknown.json()["code"] == "incentive_unknown"
    made = world.ok(
        await world.client.post(
            url,
            headers=world.coordinator.headers,
            json={"person_id": without.senior.id, "incentive": "public recognition", "note": "Great mentor"},
        ),
        201,
    )
    assert (made["source"], made["granted_by"]) == ("coordinator", world.coordinator.id)
    refused = await world.client.post(
        url, headers=without.junior.headers, json={"person_id": without.junior.id, "incentive": "public recognition"}
    )
    assert refused.status_code == 403 and refused.json()["code"] == "recognition_grant_forbidden"


async def test_only_a_completed_relationship_earns_a_recognition(world: World) -> None:
    await world.setup(incentives=["extra day off"])
    pair = await world.pair()
    refused = await world.client.post(
        f"/api/v1/relationships/{pair.id}/recognitions",
        headers=world.coordinator.headers,
        json={"person_id": pair.junior.id, "incentive": "extra day off"},
    )
    assert refused.status_code == 409 and refused.json()["code"] == "recognition_needs_completion"
