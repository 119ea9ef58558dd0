"""Reads of a pair cost one transaction and a handful of statements, however busy the pair is."""

from __future__ import annotations

from datetime import timedelta

API = "/api/v1"


async def test_an_authenticated_read_is_one_transaction_and_reads_no_identity_once_warm(
    client, sql, world, clock
) -> None:
    await world.setup()
    pair = await world.pair()
    await world.meeting(pair.id, clock.now() + timedelta(days=2), pair.junior)
    member = pair.junior.headers
    reads = [
        (f"{API}/programs", world.coordinator.headers),
        (f"{API}/me", member),
        (f"{API}/relationships/{pair.id}", member),
        (f"{API}/relationships/{pair.id}/turns", member),
        (f"{API}/relationships/{pair.id}/meetings", member),
        (f"{API}/relationships", world.coordinator.headers),
    ]
    for url, headers in reads:  # first sight: the identity is linked and cached
        assert (await client.get(url, headers=headers)).status_code == 200
    for url, headers in reads:
        with sql() as seen:
            response = await client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        assert seen.transactions == 1, (url, seen.statements)
        assert not any("identities" in s for s in seen.statements), url


async def test_who_leads_next_costs_at_most_four_statements(client, world, clock, sql) -> None:
    await world.setup()
    pair = await world.pair()
    for day in (1, 2, 3):
        await world.meeting(pair.id, clock.now() + timedelta(days=day), pair.senior)
    asked = await client.post(f"{API}/relationships/{pair.id}/swaps", headers=pair.junior.headers)
    assert asked.status_code == 201, asked.text
    url = f"{API}/relationships/{pair.id}/turns"
    assert (await client.get(url, headers=pair.junior.headers)).status_code == 200
    with sql() as seen:
        response = await client.get(url, headers=pair.junior.headers)
    assert response.status_code == 200
    assert len(response.json()["planned"]) == 3 and response.json()["swaps"]
    assert len(seen.statements) <= 4, seen.statements
