"""Where a server's time goes under load: py-spy samples the worker process from outside (no change
to the server, no pause: ``--nonblocking``) while wrk drives it, and the collapsed stacks it writes
are summed by the frame each sample ended in (own time) and by the package that frame belongs to.

The raw file (``<backend>-<case>.txt``, folded stacks) opens as a flame graph in speedscope or
with ``flamegraph.pl``. Samples of an idle event loop (waiting for the network or the database) are
left out by py-spy, so the shares are shares of the time the worker was busy on the CPU.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.load import Driver, Load
    from bench.servers import Server

# A sample whose thread ran no Python code at that instant (native code only).
NO_PYTHON_FRAME = "(no Python frame)"
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


def py_spy() -> str:
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if found is None:
        raise SystemExit("profiling needs py-spy: `uv sync` installs it (dev group), or `pip install py-spy`")
    return found


def record(pid: int, output: Path, *, seconds: float, rate: int = 100, native: bool = False) -> subprocess.Popen[bytes]:
    """Start sampling ``pid`` for ``seconds``; the caller drives the load meanwhile, then waits.
    ``native`` adds the C frames (asyncpg's protocol, uvloop, the garbage collector) but pauses the
    process for every sample, which slows it down."""
    command = [
        py_spy(),
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, round(seconds))),
        "--rate",
        str(rate),
        "--format",
        "raw",
        "--function",  # one line per function, not per line: own time adds up per function
        # Native stacks need the process paused for each sample; Python-only sampling does not.
        "--native" if native else "--nonblocking",
        "--output",
        str(output),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@dataclass(frozen=True)
class Hotspot:
    frame: str
    share: float  # of all busy samples


@dataclass(frozen=True)
class Profile:
    samples: int
    frames: list[Hotspot]
    packages: list[Hotspot]

    def as_json(self) -> dict[str, object]:
        return {
            "samples": self.samples,
            "top_frames": [[h.frame, round(h.share, 4)] for h in self.frames],
            "top_packages": [[h.frame, round(h.share, 4)] for h in self.packages],
        }


def summarise(folded: Path, top: int = 10) -> Profile:
    """Own time per frame and per package from py-spy's folded stacks (``a;b;c count`` lines)."""
    own: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in folded.read_text(errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        leaf = stack.split(";")[-1] if stack else NO_PYTHON_FRAME
        own[leaf] += count
        packages[package_of(leaf)] += count
        total += count
    if total == 0:
        return Profile(0, [], [])
    return Profile(
        samples=total,
        frames=[Hotspot(frame, count / total) for frame, count in own.most_common(top)],
        packages=[Hotspot(name, count / total) for name, count in packages.most_common(top)],
    )


def package_of(frame: str) -> str:
    """``execute (sqlalchemy/engine/base.py:1)`` -> ``sqlalchemy``; the standard library by module."""
    if frame == NO_PYTHON_FRAME:
        return "native"
    match = _FRAME.match(frame)
    path = match.group("file") if match else frame
    if "site-packages/" in path:
        path = path.split("site-packages/", 1)[1]
    head = path.split("/", 1)[0]
    return head.removesuffix(".py") or path


def profile_under_load(
    driver: Driver,
    service: Server,
    load: Load,
    output: Path,
    *,
    token: str | None,
    seconds: float,
    native: bool = False,
    tag: str = "prof",
) -> tuple[dict[str, object], str | None]:
    """One more load run of ``seconds`` (not counted in any figure) while py-spy samples the
    service's worker; prints the ten frames with the most own time and the share per package.
    Returns the summary (empty if py-spy failed) and, if it failed, why."""
    output.parent.mkdir(parents=True, exist_ok=True)
    sampler = record(service.worker_pid, output, seconds=seconds, native=native)
    try:
        driver.run(service.base_url, load, seconds=seconds + 1, token=token, tag=tag)
    finally:
        _, errors = sampler.communicate(timeout=seconds + 60)
        service.settle()
    if sampler.returncode != 0 or not output.exists():
        return {}, errors.decode(errors="replace")[-500:]
    found = summarise(output)
    print(f"    profile ({found.samples} busy samples, {output}): own time by frame")
    for hotspot in found.frames:
        print(f"      {hotspot.share:6.1%}  {hotspot.frame}")
    print("    by package: " + ", ".join(f"{h.frame} {h.share:.0%}" for h in found.packages))
    return {"file": str(output), **found.as_json()}, None
