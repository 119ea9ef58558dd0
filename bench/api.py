"""Turnabout's REST API under real load, against a bare ceiling, on PostgreSQL and SQLite.

    uv run python bench/api.py                       # both backends, the five cases, 3 rounds of 10 s
    uv run python bench/api.py --backend postgresql --cases get_person,get_turns --rounds 1
    uv run python bench/api.py --transactions --profile var/profiles   # + transactions per request, py-spy

For each backend: a fresh database (PostgreSQL: database ``--database`` on the ``--postgres``
server, dropped at the end; SQLite: a temporary file), migrated with ``turnabout migrate``, seeded
with ``turnabout seed-demo``, served by ``turnabout serve --no-migrate`` (one uvicorn process, log
level warning) and — on PostgreSQL — by ``bench/bare_app.py`` (Starlette + asyncpg, plain SQL on the
same tables, no ORM, no validation, no auth). A pair with meetings is made through the public API.
``wrk`` (Debian package ``wrk``) drives each case with ``--connections`` connections: a warm-up per
server, then ``--rounds`` rounds alternating Turnabout and the bare app.

Per case it prints both throughputs (median of the rounds), their ratio, Turnabout's p50/p99
latency (median of the rounds), non-2xx and socket-error counts (loudly when not zero) and the
worker's RSS after the case. The last line is one JSON object:
``{"postgresql": {case: {...}}, "sqlite": {case: {...}}}``. It never passes or fails: figures only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as `python bench/api.py`: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import profiling
from bench.load import Driver, Load, Round, require_wrk
from bench.scenario import Organisation, SetupFailed, Targets, coordinator_email
from bench.servers import (
    Run,
    Server,
    drop_postgres,
    fresh_postgres,
    sqlite_database,
    temporary_folder,
    transactions_so_far,
)

CASES: dict[str, Callable[[Targets], Load]] = {
    "get_person": lambda t: Load(f"/api/v1/people/{t.person_id}"),
    "list_people": lambda t: Load("/api/v1/people?limit=50"),
    "post_person": lambda t: Load("/api/v1/people", create=True, manager_id=t.manager_id),
    "get_turns": lambda t: Load(f"/api/v1/relationships/{t.relationship_id}/turns"),
    "list_enrollments": lambda t: Load(f"/api/v1/programs/{t.program_id}/enrollments?limit=50"),
    # Not in the default set: the same create with an Idempotency-Key (the bare app ignores it).
    "post_person_keyed": lambda t: Load("/api/v1/people", create=True, keyed=True, manager_id=t.manager_id),
}
COUNTED = 100  # requests per server when counting transactions
STATS_FLUSH_S = 11.0  # PostgreSQL 15 publishes an idle connection's counters at most 10 s late
DEFAULT_CASES = ("get_person", "list_people", "post_person", "get_turns", "list_enrollments")
BACKENDS = ("postgresql", "sqlite")


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES), help=f"comma-separated, of: {', '.join(CASES)}")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per server and case")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per round")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per server and case")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=float, default=10.0, help="wrk's per-request timeout (s)")
    parser.add_argument("--port", type=int, default=8500, help="Turnabout's port; the bare app takes the next one")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TURNABOUT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a DSN of the PostgreSQL server (any database on it; env TURNABOUT_BENCH_POSTGRES)",
    )
    parser.add_argument("--database", default="tb_bench_api", help="the database created (and dropped) for the run")
    parser.add_argument("--keep-database", action="store_true", help="leave the PostgreSQL database for inspection")
    parser.add_argument(
        "--transactions",
        action="store_true",
        help=f"PostgreSQL: also count database transactions per request ({COUNTED} requests per server and case, "
        "about 35 s more per case)",
    )
    parser.add_argument("--profile", type=Path, help="also profile Turnabout with py-spy per case, into this folder")
    parser.add_argument("--profile-duration", type=float, default=10.0)
    parser.add_argument("--profile-native", action="store_true", help="py-spy --native: C frames too (slower)")
    args = parser.parse_args(argv)
    args.case_names = [name.strip() for name in args.cases.split(",") if name.strip()]
    unknown = [name for name in args.case_names if name not in CASES]
    if unknown:
        parser.error(f"unknown cases {unknown}; known: {', '.join(CASES)}")
    if args.rounds < 1 or args.duration < 1 or args.connections < 1:
        parser.error("--rounds, --duration and --connections must be at least 1")
    return args


@dataclass(frozen=True)
class Contender:
    """A server under load and how to call it: ``who`` is ``service`` (Turnabout) or ``bare``."""

    who: str
    server: Server
    token: str | None


@dataclass(frozen=True)
class Stage:
    """One backend, ready: its servers, the coordinator's token, the bare app's DSN (PostgreSQL)."""

    backend: str
    service: Server
    bare: Server | None
    token: str
    dsn: str | None

    @property
    def contenders(self) -> list[Contender]:
        service = Contender("service", self.service, self.token)
        return [service, Contender("bare", self.bare, None)] if self.bare else [service]


class Bench:
    def __init__(self, args: argparse.Namespace, driver: Driver) -> None:
        self.args, self.driver = args, driver
        self.warnings: list[str] = []

    def loud(self, message: str) -> None:
        self.warnings.append(message)
        print(f"!!! {message}", flush=True)

    def backend(self, backend: str) -> dict[str, dict[str, Any]]:
        args = self.args
        with ExitStack() as stack:
            folder = temporary_folder(stack, backend)
            if backend == "postgresql":
                database = asyncio.run(fresh_postgres(args.postgres, args.database))
                if not args.keep_database:
                    stack.callback(lambda: asyncio.run(drop_postgres(args.postgres, args.database)))
            else:
                database = sqlite_database(folder)
            run = stack.enter_context(Run(database.url, folder=folder))
            print(f"[{backend}] migrate, seed the demo organisation", flush=True)
            run.cli("migrate")
            email = coordinator_email(run.cli("seed-demo"))
            token = run.cli("dev-token", "--email", email, "--role", "admin", "--role", "coordinator")
            service = run.serve_turnabout(args.port)
            bare = run.serve_bare(args.port + 1, database.dsn) if database.dsn else None
            stage = Stage(backend, service, bare, token, database.dsn)
            try:
                organisation = Organisation(service.base_url, token, lambda mail: run.cli("dev-token", "--email", mail))
                try:
                    targets = organisation.prepare()
                finally:
                    organisation.close()
                print(
                    f"[{backend}] Turnabout worker pid {service.worker_pid} on {service.base_url}, "
                    f"RSS {service.rss_mb():.0f} MB at rest after the set-up; {targets}",
                    flush=True,
                )
                return {
                    name: self.case(stage, index, name, CASES[name](targets))
                    for index, name in enumerate(args.case_names)
                }
            except BaseException:
                for server in run.servers:
                    print(f"--- last lines of {server.name}'s log:\n{server.log_tail()}", file=sys.stderr)
                raise

    def case(self, stage: Stage, index: int, name: str, load: Load) -> dict[str, Any]:
        args, driver, service = self.args, self.driver, stage.service
        self.probe(stage, name, load)
        rss_before = service.rss_mb()
        for c in stage.contenders:
            driver.run(c.server.base_url, load, seconds=args.warmup, token=c.token, tag=f"c{index}{c.who[0]}w")
            c.server.settle()
        rounds: dict[str, list[Round]] = {c.who: [] for c in stage.contenders}
        for number in range(args.rounds):  # alternating: Turnabout, bare, Turnabout, bare, ...
            for c in stage.contenders:
                tag = f"c{index}{c.who[0]}r{number}"
                rounds[c.who].append(driver.run(c.server.base_url, load, seconds=args.duration, token=c.token, tag=tag))
                c.server.settle()
        result: dict[str, Any] = {}
        for who, measured in rounds.items():
            result |= summary(measured, who)
        result |= {"service_rss_mb": service.rss_mb(), "service_rss_before_mb": rss_before}
        if stage.bare:
            result["ratio"] = round(result["service_rps"] / result["bare_rps"], 3) if result["bare_rps"] else None
        if args.transactions and stage.dsn:
            for who, count in self.transactions(stage, name, load, stage.dsn).items():
                result[f"{who}_transactions_per_request"] = count
        result["load_1m"] = round(os.getloadavg()[0], 2)
        print(f"[{stage.backend}] {line(name, result)}", flush=True)
        for who in rounds:
            if result[f"{who}_non_2xx"] or result[f"{who}_socket_errors"]:
                self.loud(
                    f"{stage.backend} {name}: {who} answered {result[f'{who}_non_2xx']} non-2xx responses and had "
                    f"{result[f'{who}_socket_errors']} socket errors (timeouts included): its figures are not clean"
                )
        if args.profile:
            result["profile"] = self.profile(stage, name, load)
        return result

    def probe(self, stage: Stage, name: str, load: Load) -> None:
        """One request to each server before the load: the right status, and about the same JSON."""
        shapes = {}
        for c in stage.contenders:
            with httpx.Client(base_url=c.server.base_url, headers=bearer(c.token), timeout=30) as client:
                response = send(client, load, f"probe.{name}.{c.who}")
            if response.status_code != (201 if load.create else 200):
                raise SetupFailed(f"{c.who} {load.path}: {response.status_code} {response.text[:500]}")
            shapes[c.who] = keys_of(response.json())
        if "bare" in shapes:
            missing = sorted(shapes["service"] - shapes["bare"])
            if missing:
                print(f"    note: the bare answer lacks {len(missing)} of Turnabout's fields: {', '.join(missing)}")

    def transactions(self, stage: Stage, name: str, load: Load, dsn: str) -> dict[str, float]:
        """Database transactions per request, from PostgreSQL's own counters: ``COUNTED`` requests
        one after the other per server, between snapshots of ``pg_stat_database``. PostgreSQL 15
        publishes an idle connection's counters only after up to 10 s, hence the pauses."""
        counted: dict[str, float] = {}
        time.sleep(STATS_FLUSH_S)
        before = transactions_so_far(dsn)
        for c in stage.contenders:
            with httpx.Client(base_url=c.server.base_url, headers=bearer(c.token), timeout=30) as client:
                statuses = {send(client, load, f"count.{name}.{c.who}{n}").status_code for n in range(COUNTED)}
            c.server.settle()
            time.sleep(STATS_FLUSH_S)
            after = transactions_so_far(dsn)
            # The previous snapshot's own transaction is in the difference: take it out.
            counted[c.who] = round((after - before - 1) / COUNTED, 2)
            before = after
            if statuses - {200, 201}:
                self.loud(f"{name}: {c.who} answered {sorted(statuses)} while counting transactions")
        return counted

    def profile(self, stage: Stage, name: str, load: Load) -> dict[str, object]:
        found, failure = profiling.profile_under_load(
            self.driver,
            stage.service,
            load,
            self.args.profile / f"{stage.backend}-{name}.txt",
            token=stage.token,
            seconds=self.args.profile_duration,
            native=self.args.profile_native,
            tag=f"p{name[:6]}",
        )
        if failure is not None:
            self.loud(f"py-spy could not profile {stage.backend} {name}: {failure}")
        return found


def summary(rounds: list[Round], who: str) -> dict[str, Any]:
    return {
        f"{who}_rps": round(statistics.median(r.rps for r in rounds), 1),
        f"{who}_p50_ms": round(statistics.median(r.p50_ms for r in rounds), 2),
        f"{who}_p99_ms": round(statistics.median(r.p99_ms for r in rounds), 2),
        f"{who}_non_2xx": sum(r.non_2xx for r in rounds),
        f"{who}_socket_errors": sum(r.socket_errors for r in rounds),
        f"{who}_rounds": [r.as_json() for r in rounds],
    }


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


def send(client: httpx.Client, load: Load, unique: str) -> httpx.Response:
    """The case's request, once; a create gets an email and an external id made from ``unique``."""
    if not load.create:
        return client.get(load.path)
    body = {
        "email": f"{unique}@example.com",
        "given_name": "Probe",
        "family_name": "Person",
        "external_id": f"P-{unique}",
        "manager_id": load.manager_id,
    }
    headers = {"Idempotency-Key": unique} if load.keyed else {}
    return client.post(load.path, json=body, headers=headers)


def keys_of(body: Any) -> set[str]:
    """Field names of an answer, and of its first item for a list page."""
    if not isinstance(body, dict):
        return set()
    keys = set(body)
    items = body.get("items")
    if isinstance(items, list) and items and isinstance(items[0], dict):
        keys |= {f"items[].{key}" for key in items[0]}
    return keys


def line(name: str, r: dict[str, Any]) -> str:
    text = f"{name:<18} Turnabout {r['service_rps']:>8,.0f} req/s"
    if "bare_rps" in r:
        ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else "-"
        text += f"  bare {r['bare_rps']:>8,.0f} req/s  ratio {ratio:>6}"
    return text + (
        f"  p50 {r['service_p50_ms']:.1f} ms  p99 {r['service_p99_ms']:.1f} ms  non-2xx {r['service_non_2xx']}"
        f"  errors {r['service_socket_errors']}  RSS {r['service_rss_mb']:.0f} MB  (load {r['load_1m']})"
    )


def table(backend: str, results: dict[str, dict[str, Any]]) -> str:
    with_bare = backend == "postgresql"
    head = "| case | Turnabout req/s |" + (" bare req/s | ratio |" if with_bare else "") + " p50 ms | p99 ms |"
    head += " non-2xx | worker RSS MB |"
    rows = [f"### {backend}", "", head, "|---" * (head.count("|") - 1) + "|"]
    for name, r in results.items():
        row = f"| {name} | {r['service_rps']:,.0f} |"
        if with_bare:
            ratio = f"{r['ratio']:.2f}x" if r.get("ratio") is not None else "-"
            row += f" {r['bare_rps']:,.0f} | {ratio} |"
        row += f" {r['service_p50_ms']:.0f} | {r['service_p99_ms']:.0f} | {r['service_non_2xx']} |"
        rows.append(row + f" {r['service_rss_mb']:.0f} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    # A TERM (a CI timeout, a kill) unwinds like Ctrl-C, so every process this run started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    driver = Driver(require_wrk(), connections=args.connections, threads=args.threads, timeout_s=args.timeout)
    bench = Bench(args, driver)
    print(
        f"{args.connections} connections, {args.threads} wrk threads, warm-up {args.warmup:g} s, "
        f"{args.rounds} x {args.duration:g} s per server and case; {os.cpu_count()} CPUs, "
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
