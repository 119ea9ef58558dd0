"""Webhook delivery: deliveries per second, time from commit to receipt, and what a ``kill -9`` of a
worker costs — on this machine, against a fast local receiver (``bench/webhook_receiver.py``).

    .venv/bin/python -m bench.webhooks --backend postgresql --workers 2
    .venv/bin/python -m bench.webhooks --backend sqlite --workers 1
    .venv/bin/python -m bench.webhooks --backend postgresql --workers 2 --kill   # 10,000 events, one kill -9

Per backend: a fresh database migrated by ``turnabout migrate``, one endpoint (all events) pointing at
the receiver, and ``--workers`` ``turnabout worker`` processes (on SQLite one process: the same runner the
server embeds). Events are committed by units of work in this process, each commit writing its outbox
rows and asking for the fan-out job exactly as a use case does.

1. burst: ``--events`` events committed in batches of 500; deliveries per second from the first commit to
   the last first receipt;
2. steady: ``--rate`` events a second for ``--seconds`` seconds; p50/p95/p99 from the event's commit
   (its envelope ``timestamp``) to its receipt;
3. with ``--kill``: the burst again, a worker killed with SIGKILL once a fifth has arrived and another
   started; every event must arrive (after the dead worker's leases end), duplicates are counted.

The last line printed is the JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from bench.servers import ROOT, drop_postgres, fresh_postgres, turnabout_command

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "TURNABOUT_DATABASE_URL": url,
        "TURNABOUT_WEBHOOK_ALLOWED_NETWORKS": "127.0.0.0/8",
        "TURNABOUT_LOG_LEVEL": "warning",
        "TURNABOUT_DEV_SIGNING_KEY_PATH": str(Path(tempfile.gettempdir()) / "bench-webhooks-key.json"),
    }


def start(stack: ExitStack, args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = stack.enter_context(log.open("wb"))
    process = subprocess.Popen(args, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)
    stack.callback(_stop, process)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def receiver(stack: ExitStack) -> str:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.webhook_receiver"], stdout=subprocess.PIPE, start_new_session=True, cwd=ROOT
    )
    stack.callback(_stop, process)
    assert process.stdout is not None
    port = json.loads(process.stdout.readline())["port"]
    return f"http://127.0.0.1:{port}"


class Producer:
    """Commits events the way use cases do (outbox rows, and the fan-out job with them)."""

    def __init__(self, url: str) -> None:
        from app.bootstrap import build_container
        from app.settings import Settings

        self.container = build_container(
            Settings(database_url=url, webhook_allowed_networks=["127.0.0.0/8"], log_level="warning")
        )

    async def endpoint(self, url: str) -> None:
        from app.domain.actors import Actor, Role
        from app.services import webhooks
        from app.services.webhooks import EndpointDraft

        admin = Actor(subject="bench", issuer="bench", roles=frozenset({Role.ADMIN}))
        await webhooks.create_webhook_endpoint(
            self.container.uow(),
            admin,
            draft=EndpointDraft(url=url + "/hook", event_types=[]),
            sender=self.container.webhook_sender,
            allow_http=True,
        )

    async def commit(self, count: int) -> None:
        from app.domain.events import PersonUpdated

        async with self.container.uow() as uow:
            for _ in range(count):
                uow.record(PersonUpdated(person_id=uuid4(), fields=["department"]))
            await uow.commit()

    async def aclose(self) -> None:
        await self.container.aclose()


async def stats(client: httpx.AsyncClient, base: str) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get(base + "/stats")).json()
    return body


async def wait_for(client: httpx.AsyncClient, base: str, unique: int, within: float) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        seen = await stats(client, base)
        if seen["unique"] >= unique or time.monotonic() > deadline:
            return seen
        await asyncio.sleep(0.05)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def burst(producer: Producer, client: httpx.AsyncClient, base: str, events: int, within: float) -> dict[str, Any]:
    await client.post(base + "/reset")
    started = time.time()
    for start_at in range(0, events, 500):
        await producer.commit(min(500, events - start_at))
    committed = time.time() - started
    seen = await wait_for(client, base, events, within)
    elapsed = (seen["last_at"] or time.time()) - started
    return {
        "events": events,
        "commit_seconds": round(committed, 2),
        "seconds": round(elapsed, 2),
        "deliveries_per_second": round(seen["unique"] / elapsed, 1),
        "delivered": seen["unique"],
        "duplicates": seen["duplicates"],
        "lost": events - seen["unique"],
    }


async def steady(producer: Producer, client: httpx.AsyncClient, base: str, rate: int, seconds: float) -> dict[str, Any]:
    await client.post(base + "/reset")
    tick = 0.02
    per_tick = max(1, round(rate * tick))
    total = 0
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        await producer.commit(per_tick)
        total += per_tick
        pause = began + (total / rate) - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)
    achieved = total / (time.monotonic() - began)
    seen = await wait_for(client, base, total, 120)
    latencies = [value * 1000 for value in seen["latencies"]]
    return {
        "target_rate": rate,
        "achieved_rate": round(achieved, 1),
        "events": total,
        "delivered": seen["unique"],
        "lost": total - seen["unique"],
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-webhooks-")))
        if args.backend == "postgresql":
            database = await fresh_postgres(args.postgres, args.database)
            url = database.url
        else:
            url = f"sqlite+aiosqlite:///{folder / 'turnabout.db'}"
        env = _env(url)
        migrate = [turnabout_command(), "migrate"]
        await asyncio.to_thread(subprocess.run, migrate, env=env, check=True, cwd=ROOT, capture_output=True)
        base = receiver(stack)
        producer = Producer(url)
        try:
            await producer.endpoint(base)
            workers = [
                start(stack, [turnabout_command(), "worker"], env, folder / f"worker-{n}.log")
                for n in range(args.workers)
            ]
            await asyncio.sleep(3)  # the workers start (imports, LISTEN)
            result = {"backend": args.backend, "workers": args.workers}
            async with httpx.AsyncClient(timeout=30) as client:
                await producer.commit(10)  # warm up: connections, the first fan-out
                await wait_for(client, base, 10, 30)
                result["burst"] = await burst(producer, client, base, args.events, within=300)
                result["steady"] = await steady(producer, client, base, args.rate, args.seconds)
                if args.kill:
                    result["kill"] = await kill_run(producer, client, base, workers, stack, env, folder, args)
        finally:
            await producer.aclose()
    # the workers are stopped by now (the stack closed): the database can go
    if args.backend == "postgresql":
        await drop_postgres(args.postgres, args.database)
    return result


async def kill_run(
    producer: Producer,
    client: httpx.AsyncClient,
    base: str,
    workers: list[subprocess.Popen[bytes]],
    stack: ExitStack,
    env: dict[str, str],
    folder: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    await client.post(base + "/reset")
    events = args.kill_events
    started = time.time()
    for start_at in range(0, events, 500):
        await producer.commit(min(500, events - start_at))
    await wait_for(client, base, events // 5, 120)
    victim = workers[0]
    os.killpg(victim.pid, signal.SIGKILL)
    killed_at = time.time() - started
    start(stack, [turnabout_command(), "worker"], env, folder / "worker-replacement.log")
    seen = await wait_for(client, base, events, args.kill_timeout)
    return {
        "events": events,
        "killed_after_seconds": round(killed_at, 2),
        "delivered": seen["unique"],
        "lost": events - seen["unique"],
        "duplicates": seen["duplicates"],
        "seconds_to_all": round((seen["last_at"] or time.time()) - started, 1),
    }


async def compare_clients(requests: int = 2000) -> dict[str, Any]:
    """httpx and aiohttp POSTing the same body to the same receiver, keep-alive pools, at 16 and 64 in
    flight: requests per second (the best of three rounds)."""
    import aiohttp

    body = json.dumps({"type": "person.updated", "timestamp": "2026-12-01T09:30:00Z", "data": {"person_id": "x"}})
    results: dict[str, Any] = {}
    with ExitStack() as stack:
        base = receiver(stack)
        for concurrency in (16, 64):
            gate = asyncio.Semaphore(concurrency)
            limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
            async with httpx.AsyncClient(limits=limits, timeout=15) as client:

                async def via_httpx(n: int, client: httpx.AsyncClient = client, gate: asyncio.Semaphore = gate) -> None:
                    async with gate:
                        await client.post(base + "/hook", content=body, headers={"webhook-id": f"h{n}"})

                results[f"httpx_{concurrency}"] = await _best(via_httpx, requests)
            connector = aiohttp.TCPConnector(limit=concurrency)
            async with aiohttp.ClientSession(connector=connector) as session:

                async def via_aiohttp(
                    n: int, session: aiohttp.ClientSession = session, gate: asyncio.Semaphore = gate
                ) -> None:
                    async with gate:
                        headers = {"webhook-id": f"a{n}"}
                        async with session.post(base + "/hook", data=body, headers=headers) as response:
                            await response.read()

                results[f"aiohttp_{concurrency}"] = await _best(via_aiohttp, requests)
    return {"requests_per_second": results, "requests": requests}


async def _best(send: Any, requests: int) -> float:
    best = 0.0
    for _ in range(3):
        began = time.perf_counter()
        await asyncio.gather(*(send(n) for n in range(requests)))
        best = max(best, requests / (time.perf_counter() - began))
    return round(best, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--kill", action="store_true")
    parser.add_argument("--kill-events", type=int, default=10_000)
    parser.add_argument("--kill-timeout", type=float, default=400.0)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--database", default="bench_webhooks")
    parser.add_argument("--compare-clients", action="store_true", help="only compare httpx and aiohttp")
    args = parser.parse_args()
    result = asyncio.run(compare_clients()) if args.compare_clients else asyncio.run(run(args))
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
