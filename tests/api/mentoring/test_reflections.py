"""A private reflection is read by its author only: never by the partner, a coordinator or an
admin, through any endpoint, list, detail, calendar feed or event."""

from __future__ import annotations

import json
from datetime import timedelta

SECRET = "I felt talked down to, and I will say so next time — SECRET-7f3a"


async def test_only_the_author_ever_reads_a_private_reflection(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    meeting = await world.meeting(pair.id, clock.now() - timedelta(hours=2), pair.junior, agenda="Our first session")
    held = await client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
    etag_before = held.headers["ETag"]
    url = f"/api/v1/meetings/{meeting['id']}/reflection"

    written = await client.put(url, headers=pair.junior.headers, json={"text": SECRET})
    assert written.status_code == 200, written.text
    assert written.json()["text"] == SECRET
    mine = await client.get(url, headers=pair.junior.headers)
    assert (mine.status_code, mine.json()["text"]) == (200, SECRET)

    # the same 404 whether or not a reflection exists: its existence is private too
    for reader in (pair.senior, world.coordinator, world.admin, world.other_coordinator):
        hidden = await client.get(url, headers=reader.headers)
        assert hidden.status_code == 404, (reader.name, hidden.text)
        assert SECRET not in hidden.text

    # writing it changed nothing anyone else can see, not even the meeting's ETag
    detail = await client.get(f"/api/v1/meetings/{meeting['id']}", headers=pair.senior.headers)
    assert detail.headers["ETag"] == etag_before

    feeds = []
    for member in (pair.junior, pair.senior):
        created = await client.post("/api/v1/me/calendar-feed", headers=member.headers)
        feeds.append(created.json()["url"].split("/calendar/", 1)[1])

    readers = (pair.junior, pair.senior, world.coordinator, world.admin)
    reads = [
        f"/api/v1/meetings/{meeting['id']}",
        f"/api/v1/relationships/{pair.id}/meetings",
        f"/api/v1/relationships/{pair.id}",
        f"/api/v1/relationships/{pair.id}/turns",
        f"/api/v1/relationships/{pair.id}/goals",
        f"/api/v1/relationships?program_id={pair.program_id}",
    ]
    for reader in readers:
        for path in reads:
            response = await client.get(path, headers=reader.headers)
            assert response.status_code == 200, (path, response.text)
            assert SECRET not in response.text
            assert "reflection" not in response.text
    for token in feeds:
        calendar = await client.get(f"/calendar/{token}")  # the token ends in .ics
        assert calendar.status_code == 200
        assert meeting["id"] in calendar.text  # the meeting is there, its private text is not
        assert "SECRET" not in calendar.text
        assert "first session" not in calendar.text  # no agenda either

    for event_type, payload in await world.outbox():
        assert SECRET not in json.dumps(payload), event_type


async def test_a_reflection_waits_for_the_meeting_and_only_members_write_one(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    meeting = await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.junior)
    url = f"/api/v1/meetings/{meeting['id']}/reflection"

    early = await client.put(url, headers=pair.junior.headers, json={"text": "too soon"})
    assert (early.status_code, early.json()["code"]) == (409, "meeting_not_held")
    coordinator = await client.put(url, headers=world.coordinator.headers, json={"text": "not mine to write"})
    assert (coordinator.status_code, coordinator.json()["code"]) == (403, "not_a_member")

    clock.advance(days=3)
    await client.post(f"/api/v1/meetings/{meeting['id']}/held", headers=pair.junior.headers)
    first = await client.put(url, headers=pair.senior.headers, json={"text": "It went well."})
    assert first.headers["ETag"] == '"v1"'
    stale = await client.put(url, headers={**pair.senior.headers, "If-Match": '"v7"'}, json={"text": "again"})
    assert stale.status_code == 412
    second = await client.put(url, headers={**pair.senior.headers, "If-Match": '"v1"'}, json={"text": "Better."})
    assert (second.status_code, second.json()["version"]) == (200, 2)
    # each member has their own: the partner's does not show through
    assert (await client.get(url, headers=pair.junior.headers)).status_code == 404
