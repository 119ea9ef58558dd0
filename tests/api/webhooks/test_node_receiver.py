"""A receiver written in Node verifies deliveries with the npm ``standardwebhooks`` package (the
receiver is ``scripts/clients/webhook-receiver-node/receiver.mjs``, the one docs/webhooks.md shows)."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import npm_ci

from .conftest import API

RECEIVER = Path(__file__).parents[3] / "scripts" / "clients" / "webhook-receiver-node"

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")


async def test_a_node_receiver_verifies_every_delivery(client, admin, deliveries, org) -> None:
    await asyncio.to_thread(npm_ci, RECEIVER, "standardwebhooks")
    created = await client.post(f"{API}/webhook-endpoints", headers=admin, json={"url": "http://127.0.0.1:9/x"})
    assert created.status_code == 201, created.text
    endpoint = created.json()
    node = await asyncio.create_subprocess_exec(
        "node",
        "receiver.mjs",
        "0",
        cwd=RECEIVER,
        env={"TURNABOUT_WEBHOOK_SECRET": endpoint["secret"], "PATH": "/usr/bin:/bin:/usr/local/bin"},
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert node.stdout is not None
        port = json.loads(await asyncio.wait_for(node.stdout.readline(), 10))["port"]
        moved = await client.patch(
            f"{API}/webhook-endpoints/{endpoint['id']}", headers=admin, json={"url": f"http://127.0.0.1:{port}/hooks"}
        )
        assert moved.status_code == 200, moved.text
        for n in range(3):
            await org.person(f"Node Person{n}")
        await client.post(f"{API}/webhook-endpoints/{endpoint['id']}/test", headers=admin)
        report = await deliveries.run()
        assert report.delivered == 4
        lines = [json.loads(await asyncio.wait_for(node.stdout.readline(), 10)) for _ in range(4)]
    finally:
        node.terminate()
        await node.wait()
    assert all(line["verified"] for line in lines), lines
    assert sorted(line["type"] for line in lines) == ["person.created"] * 3 + ["webhook.ping"]
    assert not any(line["duplicate"] for line in lines)
