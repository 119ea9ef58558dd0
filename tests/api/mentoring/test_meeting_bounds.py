"""Meeting times inside a sane window and links a front end can render safely — and a row stored
before either rule existed still reads everywhere (lists, single reads, turns, calendar feeds)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import pytest
from sqlalchemy import insert, update

from app.adapters.persistence.tables import MeetingResourceRow, MeetingRow

meetings = MeetingRow.__table__  # type: ignore[attr-defined]
resources = MeetingResourceRow.__table__  # type: ignore[attr-defined]


async def listed(client, pair) -> list[dict]:
    response = await client.get(f"/api/v1/relationships/{pair.id}/meetings", headers=pair.junior.headers)
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


@pytest.mark.parametrize(
    "starts_at",
    [
        "9999-12-31T23:30:00+00:00",  # ends after the end of the calendar
        "0001-01-01T00:00:00+14:00",  # before the start of the calendar in UTC
        "2099-12-31T23:30:00+00:00",  # ends in 2100
        "1999-12-31T23:59:00+00:00",
    ],
)
async def test_a_meeting_outside_the_window_is_refused_and_not_stored(client, world, starts_at) -> None:
    await world.setup()
    pair = await world.pair()
    body = {"starts_at": starts_at, "duration_minutes": 60}
    first = await client.post(f"/api/v1/relationships/{pair.id}/meetings", headers=pair.junior.headers, json=body)
    assert (first.status_code, first.json()["code"]) == (422, "meeting_time_out_of_range"), first.text
    assert first.json()["errors"] == [{"path": "starts_at", "message": first.json()["detail"]}]
    retry = await client.post(f"/api/v1/relationships/{pair.id}/meetings", headers=pair.junior.headers, json=body)
    assert retry.status_code == 422
    assert await listed(client, pair) == []


async def test_the_window_edges_are_inside(client, world) -> None:
    await world.setup()
    pair = await world.pair()
    earliest = await world.meeting(pair.id, datetime(2000, 1, 1, tzinfo=UTC), pair.junior)
    latest = await world.meeting(pair.id, datetime(2100, 1, 1, tzinfo=UTC) - timedelta(minutes=45), pair.junior)
    assert latest["ends_at"] == "2100-01-01T00:00:00Z"
    assert earliest["starts_at"] == "2000-01-01T00:00:00Z"


async def test_moving_a_meeting_outside_the_window_is_refused(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    meeting = await world.meeting(pair.id, clock.now() + timedelta(days=3), pair.junior)
    url = f"/api/v1/meetings/{meeting['id']}"
    late = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5))).isoformat()
    moved = await client.patch(url, headers=pair.junior.headers, json={"starts_at": late})
    assert (moved.status_code, moved.json()["code"]) == (422, "meeting_time_out_of_range")
    longer = await client.patch(
        url, headers=pair.junior.headers, json={"starts_at": "2099-12-31T20:00:00Z", "duration_minutes": 480}
    )
    assert (longer.status_code, longer.json()["code"]) == (422, "meeting_time_out_of_range")
    assert (await client.get(url, headers=pair.junior.headers)).json() == meeting


async def test_a_stored_meeting_beyond_the_calendar_breaks_no_read(client, world, clock) -> None:
    """A row written before the window existed (or by hand) must not turn every read into a 500."""
    await world.setup()
    pair = await world.pair()
    normal = await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.junior)
    broken = await world.meeting(pair.id, clock.now() + timedelta(days=9), pair.junior)
    async with world.container.engine.begin() as connection:
        await connection.execute(
            update(meetings)
            .where(meetings.c.id == UUID(broken["id"]))
            .values(starts_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC), duration_minutes=480)
        )
    items = await listed(client, pair)
    assert [m["id"] for m in items] == [normal["id"], broken["id"]]
    assert items[1]["starts_at"] == "9999-12-31T23:30:00Z"
    single = await client.get(f"/api/v1/meetings/{broken['id']}", headers=pair.senior.headers)
    assert single.status_code == 200, single.text
    coordinator = world.coordinator.headers
    for path in (f"/api/v1/relationships/{pair.id}", f"/api/v1/relationships/{pair.id}/turns", "/api/v1/relationships"):
        response = await client.get(path, headers=coordinator)
        assert response.status_code == 200, (path, response.text)
    for member in (pair.junior, pair.senior):
        token = (await client.post("/api/v1/me/calendar-feed", headers=member.headers)).json()["token"]
        feed = await client.get(f"/calendar/{token}.ics")
        assert feed.status_code == 200, feed.text
        assert broken["id"] in feed.text and normal["id"] in feed.text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "vbscript:msgbox(1)",
        "https://",
        "//evil.example.com/x",
        "mailto:",
    ],
)
async def test_a_resource_link_that_would_run_or_open_something_is_refused(client, world, clock, url) -> None:
    await world.setup()
    pair = await world.pair()
    meeting = await world.meeting(pair.id, clock.now() + timedelta(days=1), pair.junior)
    response = await client.post(
        f"/api/v1/meetings/{meeting['id']}/resources",
        headers=pair.junior.headers,
        json={"title": "Guide", "url": url, "kind": "material"},
    )
    assert (response.status_code, response.json()["code"]) == (422, "resource_url_unsafe"), response.text
    assert (await client.get(f"/api/v1/meetings/{meeting['id']}", headers=pair.junior.headers)).json()[
        "resources"
    ] == []


@pytest.mark.parametrize(
    "url", ["https://example.com/guide", "HTTP://intranet.example.com/x", "mailto:ana@example.com"]
)
async def test_web_and_mail_links_are_kept(client, world, clock, url) -> None:
    await world.setup()
    pair = await world.pair()
    meeting = await world.meeting(pair.id, clock.now() + timedelta(days=1), pair.junior)
    response = await client.post(
        f"/api/v1/meetings/{meeting['id']}/resources",
        headers=pair.junior.headers,
        json={"title": "Guide", "url": url, "kind": "expert"},
    )
    assert response.status_code == 201, response.text
    assert [r["url"] for r in response.json()["resources"]] == [url]


async def test_an_unsafe_link_stored_earlier_is_never_served(client, world, clock) -> None:
    await world.setup()
    pair = await world.pair()
    meeting = await world.meeting(pair.id, clock.now() + timedelta(days=1), pair.junior)
    async with world.container.engine.begin() as connection:
        await connection.execute(
            insert(resources),
            [
                {"meeting_id": UUID(meeting["id"]), "position": 0, "title": "Bad", "url": "javascript:alert(1)",
                 "kind": "material", "suggested_by": UUID(pair.junior.id)},
                {"meeting_id": UUID(meeting["id"]), "position": 1, "title": "Good", "url": "https://example.com",
                 "kind": "material", "suggested_by": UUID(pair.junior.id)},
            ],
        )  # fmt: skip
    shown = await client.get(f"/api/v1/meetings/{meeting['id']}", headers=pair.senior.headers)
    assert [r["title"] for r in shown.json()["resources"]] == ["Good"]
