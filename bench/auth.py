"""What the door costs per request: ``authenticate`` in process, on a migrated SQLite database.

    uv run python bench/auth.py --calls 2000

Cases: a warm bearer JWT (claims and identity link cached), a warm API key (key cached, last use
written at most once a minute), a cold JWT (a new token each call: signature verified each time, the
identity link cached), and a refused token (counted by the failure throttle). Prints microseconds
per call (median of 5 rounds); the last line is one JSON object. Figures only: it never fails.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from starlette.requests import Request

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.adapters.auth.throttle import FailureThrottle
from app.adapters.auth.tokens import issue_dev_token
from app.adapters.persistence.migrations import upgrade
from app.api.deps import AuthenticationRefused, authenticate
from app.bootstrap import Container, build_container
from app.domain.actors import Actor, Role
from app.domain.people import PersonDetails
from app.services import api_keys, people
from app.settings import Settings

ADMIN = Actor(subject="bench", issuer="bench", roles=frozenset({Role.ADMIN}))


def request(token: str) -> Request:
    headers = [(b"authorization", f"Bearer {token}".encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "client": ("10.0.0.1", 1)})


def token(container: Container, n: int = 0) -> str:
    assert container.dev_key is not None
    return issue_dev_token(
        container.dev_key,
        issuer=container.settings.effective_issuer,
        audience=container.settings.auth_audience,
        email="sam@example.com",
        roles=[Role.EMPLOYEE],
        ttl_seconds=3600 + n,  # a distinct token per n
    )


async def timed(calls: int, once: Callable[[int], Awaitable[None]]) -> float:
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for i in range(calls):
            await once(i)
        rounds.append((time.perf_counter() - started) / calls * 1e6)
    return round(statistics.median(rounds), 1)


async def main(calls: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite+aiosqlite:///{Path(work) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        container = build_container(
            Settings(database_url=url, dev_signing_key_path=Path(work) / "key.json", log_level="warning")
        )
        try:
            details = PersonDetails(email="sam@example.com", given_name="Sam", family_name="Bench")
            await people.create_person(container.uow(), ADMIN, details=details)
            _, key = await api_keys.create_api_key(
                container.uow(), ADMIN, name="bench", scopes=["people:read"], expires_at=None
            )
            warm = token(container)
            cold = [token(container, n) for n in range(calls * 5 + 5)]
            used = iter(cold)
            container.throttle = FailureThrottle("1000000/minute")

            async def jwt_warm(_: int) -> None:
                await authenticate(request(warm), container)

            async def key_warm(_: int) -> None:
                await authenticate(request(key), container)

            async def jwt_cold(_: int) -> None:
                await authenticate(request(next(used)), container)

            async def refused(_: int) -> None:
                with contextlib.suppress(AuthenticationRefused):
                    await authenticate(request("not.a.token"), container)

            await jwt_warm(0)
            await key_warm(0)
            return {
                "jwt_warm_us": await timed(calls, jwt_warm),
                "api_key_warm_us": await timed(calls, key_warm),
                "jwt_cold_us": await timed(calls, jwt_cold),
                "refused_us": await timed(calls, refused),
            }
        finally:
            await container.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000)
    figures = asyncio.run(main(parser.parse_args().calls))
    for name, value in figures.items():
        print(f"{name:>18}: {value} µs per call")
    print(json.dumps(figures))
