"""The GraphQL door under real load, beside REST and the same bare ceiling as ``bench/api.py``.

    uv run python bench/graphql.py                     # both backends, both cases, 3 rounds of 10 s
    uv run python bench/graphql.py --backend sqlite --rounds 1 --duration 5

It reuses ``bench/api.py``'s harness: the same fresh database (``turnabout migrate`` +
``seed-demo``), the same pair with a history (``bench/scenario.py``), the same servers
(``bench/servers.py``: Turnabout under uvicorn, and on PostgreSQL the bare Starlette + asyncpg app of
``bench/bare_app.py``) and the same ``wrk`` driver (``bench/load.py``). GraphQL queries are sent as
``GET /graphql?query=…&variables=…`` (GraphQL over HTTP allows queries by GET), so wrk sends one
static request, exactly as for REST's reads. Cases, each with three contenders:

- ``my_relationship``: the screen front ends asked for — the pair, the partner's profile, who leads
  next and the balance of turns, the last five meetings with their leaders, the goals, the health —
  in one GraphQL request, as a member of the pair. REST needs four requests for it; its contender
  here is one of them, ``GET …/turns``, and the bare ceiling is the bare app's ``…/turns`` (the pair,
  its meetings and swaps: less than the screen reads, so the ratio is a lower bound);
- ``people_50``: a 50-item connection of the directory with every field REST shows, as the demo
  coordinator; REST's ``GET /people?limit=50`` and the bare app's return the same 50 people.

Per case: throughput (median of the rounds) and p50/p99 of each contender, GraphQL's ratio to the
bare ceiling (target ≥ 0.25 for ``my_relationship``) and to REST. The last line is one JSON object
``{backend: {case: {...}}}``. Figures only: it never passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

if __package__ in (None, ""):  # run as `python bench/graphql.py`: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncio

from bench import profiling
from bench.api import bearer, summary
from bench.load import Driver, Load, Round, require_wrk
from bench.scenario import Organisation, SetupFailed, Targets, coordinator_email
from bench.servers import Run, Server, drop_postgres, fresh_postgres, sqlite_database, temporary_folder

MY_RELATIONSHIP = """query MyRelationship($id: UUID!) { relationship(id: $id) { id status version
  partner { id displayName jobTitle department }
  turns { heldTurns next { leaderId reasonCode reason } balance { imbalance driftCount } }
  meetings(last: 5) { id startsAt status agenda leader { displayName } }
  goals { id title status latestPercent }
  health { status reason daysSinceLast } } }"""

PEOPLE_50 = """query People { people(first: 50) { nodes { id externalId email givenName familyName displayName
  department location jobTitle seniority managerId hireDate generation active deactivatedAt createdAt updatedAt
  version attributes { name value } matchingConsent } pageInfo { hasNextPage endCursor } } }"""

BACKENDS = ("postgresql", "sqlite")
CASE_NAMES = ("my_relationship", "people_50")


def graphql_path(query: str, variables: dict[str, Any] | None = None) -> str:
    params = {"query": " ".join(query.split())}
    if variables:
        params["variables"] = json.dumps(variables, separators=(",", ":"))
    return "/graphql?" + urlencode(params)


@dataclass(frozen=True)
class Contender:
    """One way to get a case's data: ``graphql``, ``rest`` (both Turnabout) or ``bare``."""

    who: str
    server: Server
    load: Load
    token: str | None


@dataclass(frozen=True)
class Stage:
    backend: str
    service: Server
    bare: Server | None
    coordinator: str
    member: str
    targets: Targets


CASES: dict[str, Callable[[Stage], list[Contender]]] = {
    "my_relationship": lambda s: [
        Contender(
            "graphql", s.service, Load(graphql_path(MY_RELATIONSHIP, {"id": s.targets.relationship_id})), s.member
        ),
        Contender("rest", s.service, Load(f"/api/v1/relationships/{s.targets.relationship_id}/turns"), s.member),
        *(
            [Contender("bare", s.bare, Load(f"/api/v1/relationships/{s.targets.relationship_id}/turns"), None)]
            if s.bare
            else []
        ),
    ],
    "people_50": lambda s: [
        Contender("graphql", s.service, Load(graphql_path(PEOPLE_50)), s.coordinator),
        Contender("rest", s.service, Load("/api/v1/people?limit=50"), s.coordinator),
        *([Contender("bare", s.bare, Load("/api/v1/people?limit=50"), None)] if s.bare else []),
    ],
}


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--cases", default=",".join(CASE_NAMES), help=f"comma-separated, of: {', '.join(CASES)}")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per contender and case")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per round")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per contender and case")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=float, default=10.0, help="wrk's per-request timeout (s)")
    parser.add_argument(
        "--profile", type=Path, help="also profile the GraphQL door with py-spy per case, into this folder"
    )
    parser.add_argument("--profile-duration", type=float, default=10.0)
    parser.add_argument("--port", type=int, default=8700, help="Turnabout's port; the bare app takes the next one")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TURNABOUT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a DSN of the PostgreSQL server (env TURNABOUT_BENCH_POSTGRES)",
    )
    parser.add_argument("--database", default="tb_bench_graphql", help="the database created (and dropped) for the run")
    args = parser.parse_args(argv)
    args.case_names = [name.strip() for name in args.cases.split(",") if name.strip()]
    unknown = [name for name in args.case_names if name not in CASES]
    if unknown:
        parser.error(f"unknown cases {unknown}; known: {', '.join(CASES)}")
    if args.rounds < 1 or args.duration < 1 or args.connections < 1:
        parser.error("--rounds, --duration and --connections must be at least 1")
    return args


def member_token(run: Run, stage_service: Server, coordinator: str, relationship_id: str) -> str:
    """A bearer token of the pair's first member (the screen is theirs)."""
    with httpx.Client(base_url=stage_service.base_url, headers=bearer(coordinator), timeout=30) as client:
        pair = client.get(f"/api/v1/relationships/{relationship_id}").json()
        email = client.get(f"/api/v1/people/{pair['member_ids'][0]}").json()["email"]
    return run.cli("dev-token", "--email", email)


def probe(contender: Contender) -> None:
    """One request before the load: a 200 and, for GraphQL, data without errors."""
    with httpx.Client(base_url=contender.server.base_url, headers=bearer(contender.token), timeout=30) as client:
        response = client.get(contender.load.path)
    body = response.json() if response.headers.get("content-type", "").startswith("application/") else {}
    if response.status_code != 200 or (contender.who == "graphql" and (body.get("errors") or not body.get("data"))):
        raise SetupFailed(f"{contender.who} {contender.load.path[:80]}: {response.status_code} {response.text[:500]}")


class Bench:
    def __init__(self, args: argparse.Namespace, driver: Driver) -> None:
        self.args, self.driver = args, driver
        self.warnings: list[str] = []

    def backend(self, backend: str) -> dict[str, dict[str, Any]]:
        args = self.args
        with ExitStack() as stack:
            folder = temporary_folder(stack, backend)
            if backend == "postgresql":
                database = asyncio.run(fresh_postgres(args.postgres, args.database))
                stack.callback(lambda: asyncio.run(drop_postgres(args.postgres, args.database)))
            else:
                database = sqlite_database(folder)
            run = stack.enter_context(Run(database.url, folder=folder))
            print(f"[{backend}] migrate, seed the demo organisation", flush=True)
            run.cli("migrate")
            email = coordinator_email(run.cli("seed-demo"))
            coordinator = run.cli("dev-token", "--email", email, "--role", "admin", "--role", "coordinator")
            service = run.serve_turnabout(args.port)
            bare = run.serve_bare(args.port + 1, database.dsn) if database.dsn else None
            organisation = Organisation(
                service.base_url, coordinator, lambda mail: run.cli("dev-token", "--email", mail)
            )
            try:
                targets = organisation.prepare()
            finally:
                organisation.close()
            member = member_token(run, service, coordinator, targets.relationship_id)
            stage = Stage(backend, service, bare, coordinator, member, targets)
            return {name: self.case(stage, index, name) for index, name in enumerate(args.case_names)}

    def case(self, stage: Stage, index: int, name: str) -> dict[str, Any]:
        args, driver = self.args, self.driver
        contenders = CASES[name](stage)
        for contender in contenders:
            probe(contender)
            driver.run(
                contender.server.base_url, contender.load, seconds=args.warmup, token=contender.token, tag=f"g{index}w"
            )
            contender.server.settle()
        rounds: dict[str, list[Round]] = {c.who: [] for c in contenders}
        for number in range(args.rounds):  # alternating, so a noisy moment is shared
            for c in contenders:
                tag = f"g{index}{c.who[0]}r{number}"
                rounds[c.who].append(
                    driver.run(c.server.base_url, c.load, seconds=args.duration, token=c.token, tag=tag)
                )
                c.server.settle()
        result: dict[str, Any] = {}
        for who, measured in rounds.items():
            result |= summary(measured, who)
        for other in ("rest", "bare"):
            if result.get(f"{other}_rps"):
                result[f"graphql_vs_{other}"] = round(result["graphql_rps"] / result[f"{other}_rps"], 3)
        if args.profile:
            graphql = next(c for c in contenders if c.who == "graphql")
            result["profile"], failure = profiling.profile_under_load(
                driver,
                stage.service,
                graphql.load,
                args.profile / f"{stage.backend}-{name}.txt",
                token=graphql.token,
                seconds=args.profile_duration,
                tag=f"g{index}p",
            )
            if failure is not None:
                self.warnings.append(f"py-spy could not profile {stage.backend} {name}: {failure}")
        result["service_rss_mb"] = stage.service.rss_mb()
        result["load_1m"] = round(os.getloadavg()[0], 2)
        print(f"[{stage.backend}] {line(name, result)}", flush=True)
        for who in rounds:
            if result[f"{who}_non_2xx"] or result[f"{who}_socket_errors"]:
                message = (
                    f"{stage.backend} {name}: {who} answered {result[f'{who}_non_2xx']} non-2xx responses and had "
                    f"{result[f'{who}_socket_errors']} socket errors: its figures are not clean"
                )
                self.warnings.append(message)
                print(f"!!! {message}", flush=True)
        return result


def line(name: str, r: dict[str, Any]) -> str:
    text = f"{name:<16} GraphQL {r['graphql_rps']:>7,.0f} req/s (p50 {r['graphql_p50_ms']:.1f} ms, "
    text += f"p99 {r['graphql_p99_ms']:.1f} ms)  REST {r['rest_rps']:>7,.0f} req/s"
    if "bare_rps" in r:
        text += f"  bare {r['bare_rps']:>7,.0f} req/s  GraphQL/bare {r['graphql_vs_bare']:.2f}x"
    return text + f"  GraphQL/REST {r['graphql_vs_rest']:.2f}x  (load {r['load_1m']})"


def table(backend: str, results: dict[str, dict[str, Any]]) -> str:
    head = "| case | GraphQL req/s | p50 ms | p99 ms | REST req/s | bare req/s | GraphQL/bare | GraphQL/REST |"
    rows = [f"### {backend}", "", head, "|---" * (head.count("|") - 1) + "|"]
    for name, r in results.items():
        bare = f"{r['bare_rps']:,.0f}" if "bare_rps" in r else "-"
        vs_bare = f"{r['graphql_vs_bare']:.2f}x" if "graphql_vs_bare" in r else "-"
        rows.append(
            f"| {name} | {r['graphql_rps']:,.0f} | {r['graphql_p50_ms']:.0f} | {r['graphql_p99_ms']:.0f} | "
            f"{r['rest_rps']:,.0f} | {bare} | {vs_bare} | {r['graphql_vs_rest']:.2f}x |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: every process started is stopped
    driver = Driver(require_wrk(), connections=args.connections, threads=args.threads, timeout_s=args.timeout)
    bench = Bench(args, driver)
    print(
        f"{args.connections} connections, {args.threads} wrk threads, warm-up {args.warmup:g} s, "
        f"{args.rounds} x {args.duration:g} s per contender and case; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    results: dict[str, dict[str, dict[str, Any]]] = {}
    try:
        for backend in BACKENDS if args.backend == "both" else (args.backend,):
            results[backend] = bench.backend(backend)
    finally:
        driver.close()
    print()
    for backend, figures in results.items():
        print(table(backend, figures), end="\n\n")
    for warning in bench.warnings:
        print(f"!!! {warning}")
    print(json.dumps(results, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
