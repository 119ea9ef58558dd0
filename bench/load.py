"""Driving a server with ``wrk`` (Debian package ``wrk``) and reading back exact figures.

Each round runs one ``wrk`` process with a generated Lua script whose ``done()`` prints the round's
counters and latency percentiles as one JSON line, so nothing depends on wrk's human-readable text.
Reads use wrk's static request (the script defines no ``request()``, which keeps wrk itself cheap);
creates build a unique body per request, so every POST adds a new person.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MARK = "BENCH_ROUND "

# wrk's Lua: counters and latency (in microseconds) of the whole run, as one JSON line.
_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%s{"duration_us":%.0f,"requests":%.0f,"bytes":%.0f,"connect":%.0f,"read":%.0f,"write":%.0f,'
    .. '"status":%.0f,"timeout":%.0f,"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,"max_us":%.0f}\\n',
    "MARK", summary.duration, summary.requests, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
""".replace("MARK", MARK)

# Creates: a person with an email and an HRIS external id no other request of the benchmark uses
# (the run's tag, the wrk thread and a counter), reporting to a person of the demo organisation.
# The fourth argument "keyed" adds an Idempotency-Key, unique per request too.
_CREATE = """
local counter = 0
local tag, path, manager, keyed
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  tag, path, manager, keyed = args[1], args[2], args[3], args[4] == "keyed"
end

function request()
  counter = counter + 1
  local id = string.format("%s-%d-%d", tag, tid, counter)
  local body = string.format(
    '{"email":"bench.%s@example.com","given_name":"Bench","family_name":"Person %s","external_id":"B-%s",'
    .. '"department":"Engineering","location":"Leeds","job_title":"Analyst","seniority":2,"manager_id":"%s"}',
    id, id, id, manager)
  -- wrk.format uses this table instead of wrk.headers: copy the command line's (the bearer token).
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  if keyed then headers["Idempotency-Key"] = id end
  return wrk.format("POST", path, headers, body)
end
"""


@dataclass(frozen=True)
class Load:
    """What one case sends: a GET of ``path``, or (``create``) a new person per request."""

    path: str
    create: bool = False
    keyed: bool = False
    manager_id: str = ""


@dataclass(frozen=True)
class Round:
    """One wrk run against one server."""

    requests: int
    seconds: float
    non_2xx: int  # wrk counts status >= 400 (redirects would pass: the probe before a case checks the status)
    socket_errors: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, float | int]:
        return {
            "rps": round(self.rps, 1),
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "non_2xx": self.non_2xx,
            "socket_errors": self.socket_errors,
        }


def require_wrk() -> str:
    """The wrk binary; installed with apt-get when missing and we may, else a clear instruction."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        print("wrk is missing: installing Debian's package (apt-get install wrk)", flush=True)
        subprocess.run([apt, "update", "-qq"], check=False)
        subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=False)
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit("bench/api.py needs wrk: install it with `sudo apt-get install wrk` (Debian/Ubuntu), then re-run.")


class Driver:
    """Runs wrk rounds with one set of options; the Lua scripts live in a temporary folder."""

    def __init__(self, wrk: str, *, connections: int, threads: int, timeout_s: float) -> None:
        self.wrk, self.connections, self.threads, self.timeout_s = wrk, connections, threads, timeout_s
        self._folder = tempfile.TemporaryDirectory(prefix="bench-wrk-")
        folder = Path(self._folder.name)
        self._read_script = folder / "read.lua"
        self._read_script.write_text(_DONE)
        self._create_script = folder / "create.lua"
        self._create_script.write_text(_CREATE + _DONE)

    def close(self) -> None:
        self._folder.cleanup()

    def command(self, base_url: str, load: Load, *, seconds: float, token: str | None, tag: str) -> list[str]:
        command = [
            self.wrk,
            f"--threads={min(self.threads, self.connections)}",
            f"--connections={self.connections}",
            f"--duration={max(1, round(seconds))}s",
            f"--timeout={self.timeout_s:g}s",
            "--script",
            str(self._create_script if load.create else self._read_script),
        ]
        if token:
            command += ["--header", f"Authorization: Bearer {token}"]
        command.append(base_url + load.path)
        if load.create:
            command += ["--", tag, load.path, load.manager_id, "keyed" if load.keyed else "plain"]
        return command

    def run(self, base_url: str, load: Load, *, seconds: float, token: str | None, tag: str) -> Round:
        command = self.command(base_url, load, seconds=seconds, token=token, tag=tag)
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=False)
        return parse(done.stdout, done.stderr)


def parse(stdout: str, stderr: str = "") -> Round:
    line = next((row for row in stdout.splitlines() if row.startswith(MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no figures:\n{stdout[-2000:]}\n{stderr[-2000:]}")
    raw = json.loads(line[len(MARK) :])
    return Round(
        requests=int(raw["requests"]),
        seconds=raw["duration_us"] / 1e6,
        non_2xx=int(raw["status"]),
        socket_errors=int(raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]),
        p50_ms=round(raw["p50_us"] / 1000, 2),
        p90_ms=round(raw["p90_us"] / 1000, 2),
        p99_ms=round(raw["p99_us"] / 1000, 2),
        max_ms=round(raw["max_us"] / 1000, 2),
    )
