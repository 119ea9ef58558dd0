"""The personal iCalendar feed: valid RFC 5545 (parsed with ``icalendar``), reachable only through
a secret URL that can be rotated and revoked, with times and leaders but nothing private."""

from __future__ import annotations

import hashlib
from datetime import UTC, timedelta

from icalendar import Calendar


async def feed_token(client, member) -> str:
    created = await client.post("/api/v1/me/calendar-feed", headers=member.headers)
    assert created.status_code == 201, created.text
    url = created.json()["url"]
    assert url.endswith(".ics") and "/calendar/" in url
    return url.split("/calendar/", 1)[1].removesuffix(".ics")


async def test_a_person_subscribes_to_their_meetings(client, world, clock) -> None:
    await world.setup(policy="alternate(1)")
    pair = await world.pair()
    unrelated = await world.pair()
    await world.meeting(unrelated.id, clock.now() + timedelta(days=1), unrelated.junior)
    held = await world.meeting(pair.id, clock.now() - timedelta(days=1), pair.junior, agenda="Reels basics")
    marked = await client.post(f"/api/v1/meetings/{held['id']}/held", headers=pair.junior.headers)
    noted = await client.patch(
        f"/api/v1/meetings/{held['id']}", headers=pair.senior.headers, json={"shared_notes": "NOTES-42"}
    )
    assert (marked.status_code, noted.status_code) == (200, 200)  # else the privacy check below proves nothing
    upcoming = await world.meeting(pair.id, clock.now() + timedelta(days=6), pair.senior)
    cancelled = await world.meeting(pair.id, clock.now() + timedelta(days=13), pair.senior)
    assert (await client.post(f"/api/v1/meetings/{cancelled['id']}/cancel", headers=pair.senior.headers)).is_success

    token = await feed_token(client, pair.junior)
    response = await client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "NOTES-42" not in response.text and "Reels basics" not in response.text

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {held["id"], upcoming["id"], cancelled["id"]}
    starts = events[upcoming["id"]].decoded("DTSTART")
    assert starts.utcoffset() == timedelta(0)
    assert starts == (clock.now() + timedelta(days=6)).astimezone(UTC)
    assert events[upcoming["id"]].decoded("DTEND") - starts == timedelta(minutes=45)
    assert str(events[cancelled["id"]]["STATUS"]) == "CANCELLED"
    assert str(events[upcoming["id"]]["STATUS"]) == "CONFIRMED"
    leader_is_junior = upcoming["planned_leader_id"] == pair.junior.id
    summary = str(events[upcoming["id"]]["SUMMARY"])
    assert pair.senior.name in summary
    assert ("you lead" in summary) == leader_is_junior


async def test_the_feed_url_rotates_and_revokes(client, world) -> None:
    await world.setup()
    pair = await world.pair()
    first = await feed_token(client, pair.junior)
    second = await feed_token(client, pair.junior)
    assert first != second
    assert (await client.get(f"/calendar/{first}.ics")).status_code == 404
    assert (await client.get(f"/calendar/{second}.ics")).status_code == 200
    assert (await client.get("/calendar/not-a-real-secret-at-all-0000.ics")).status_code == 404

    revoked = await client.delete("/api/v1/me/calendar-feed", headers=pair.junior.headers)
    assert revoked.status_code == 204
    gone = await client.get(f"/calendar/{second}.ics")
    assert (gone.status_code, gone.json()["code"]) == (404, "calendar_feed_not_found")
    # the partner's feed is theirs and unaffected
    partner = await feed_token(client, pair.senior)
    assert (await client.get(f"/calendar/{partner}.ics")).status_code == 200
    # only a hash is stored: the secret itself is nowhere in the database
    from sqlalchemy import text

    async with world.container.engine.connect() as connection:
        hashes = [row[0] for row in await connection.execute(text("SELECT token_hash FROM calendar_feeds"))]
    assert partner not in hashes and hashlib.sha256(partner.encode()).hexdigest() in hashes


async def test_a_leavers_feed_stops_serving_their_meetings(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.junior)
    token = await feed_token(client, pair.junior)
    assert (await client.get(f"/calendar/{token}.ics")).status_code == 200

    person = (await client.get(f"/api/v1/people/{pair.junior.id}", headers=world.admin.headers)).json()
    left = await client.post(f"/api/v1/people/{pair.junior.id}/deactivate", headers=world.admin.headers)
    assert left.status_code == 200 and person["active"] is True
    gone = await client.get(f"/calendar/{token}.ics")
    assert (gone.status_code, gone.json()["code"]) == (404, "calendar_feed_not_found")
    partner = await feed_token(client, pair.senior)
    assert (await client.get(f"/calendar/{partner}.ics")).status_code == 200


async def test_the_request_log_never_holds_a_feed_secret(client, world) -> None:
    import logging

    import structlog
    from structlog.testing import capture_logs

    await world.setup()
    pair = await world.pair()
    token = await feed_token(client, pair.junior)
    saved = structlog.get_config()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.INFO))
    try:
        with capture_logs() as logs:
            assert (await client.get(f"/calendar/{token}.ics")).status_code == 200
            assert (await client.get(f"/calendar/{token}x.ics")).status_code == 404
            assert (await client.get(f"/calendar/{token}")).status_code == 404
    finally:
        structlog.configure(**saved)
    requests = [entry for entry in logs if entry.get("event") == "request"]
    assert len(requests) == 3
    assert token not in repr(logs)
    assert {entry["route"] for entry in requests} <= {"/calendar/{token}.ics", "unmatched"}
