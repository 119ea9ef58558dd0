"""Solve a matching run in a separate process, with a hard time limit.

The engine checks its deadline between steps (cooperative); a single step can still outlast it (a
50,000-person scan or solve takes seconds and cannot be interrupted from inside). So the solve runs
in its own process: it streams progress and every better complete result (an *incumbent*, with the
bound known at that point) back over a pipe, and when the time limit comes the process is killed
and the best incumbent is returned, flagged ``stopped_by_deadline``, with a note that says so. The
reasons of its unmatched people are those of that incumbent, computed for it: truthful.

If the limit comes before any pairing exists, nobody is paired, everyone with room is reported as
``not_solved`` and the bound is the trivial one (every possible pair at the highest score).

Processes start with ``forkserver`` (the engine's modules are imported once by the server and every
solve forks from it) where the platform has it, ``spawn`` elsewhere; never a plain ``fork`` of a
process running an event loop and database connections.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from uuid import UUID

from app.domain.errors import DomainError
from app.domain.matching import Candidate, MatchingResult, MatchingSettings, Unmatched

# Share of the limit the child's own (cooperative) deadline gets: the rest is for sending the result.
_CHILD_SHARE = 0.85
_PROGRESS_STEP = 0.01  # progress messages closer than this are not sent
_context: ForkServerContext | SpawnContext | None = None


def _process_context() -> ForkServerContext | SpawnContext:
    global _context
    if _context is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            server = multiprocessing.get_context("forkserver")
            server.set_forkserver_preload(["app.domain.matching.engine"])
            _context = server
        else:  # pragma: no cover - platforms without fork (Windows, macOS defaults)
            _context = multiprocessing.get_context("spawn")
    return _context


def warm_up() -> None:
    """Start the process server now (imports the engine once), so the first run does not pay it."""
    process = _process_context().Process(target=_noop)
    process.start()
    process.join()


def _noop() -> None:
    return None


def _child(
    channel: Connection,
    pool: list[Candidate],
    settings: MatchingSettings,
    exclusions: frozenset[frozenset[UUID]],
    pins: list[tuple[UUID, UUID]],
    forbids: list[tuple[UUID, UUID]],
    time_limit_s: float,
) -> None:
    sent = -1.0

    def send(kind: str, payload: object) -> None:
        # The kind travels in clear, so that the parent can keep an incumbent without unpickling it.
        channel.send_bytes(kind.encode() + b"\0" + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))

    def progress(fraction: float) -> None:
        nonlocal sent
        if fraction - sent >= _PROGRESS_STEP or fraction >= 1.0:
            sent = fraction
            send("progress", fraction)

    def incumbent(result: MatchingResult) -> None:
        send("incumbent", result)

    try:
        from app.domain.matching.engine import solve  # the child only: the parent never holds the engine

        result = solve(
            pool,
            settings,
            exclusions=exclusions,
            pins=pins,
            forbids=forbids,
            progress=progress,
            time_limit_s=time_limit_s,
            on_incumbent=incumbent,
        )
    except DomainError as error:
        send("domain_error", (error.code, error.detail, error.kind))
    except Exception as error:  # reported to the caller, which records the run as failed
        send("error", f"{type(error).__name__}: {error}")
    else:
        send("done", result)
    finally:
        channel.close()


def _read(channel: Connection, loop: asyncio.AbstractEventLoop, inbox: asyncio.Queue[tuple[str, bytes]]) -> None:
    """Forward every message, still pickled, to the event loop until the child's end closes (it
    finished or was killed). Reading releases the interpreter lock, so a large message still in
    transit never holds up the deadline; the caller unpickles only what it has time for."""
    while True:
        try:
            data = channel.recv_bytes()
        except (EOFError, OSError):
            loop.call_soon_threadsafe(inbox.put_nowait, ("closed", b""))
            return
        kind, _, body = data.partition(b"\0")
        loop.call_soon_threadsafe(inbox.put_nowait, (kind.decode(), body))


async def solve_in_process(
    pool: Sequence[Candidate],
    settings: MatchingSettings,
    *,
    exclusions: frozenset[frozenset[UUID]] = frozenset(),
    pins: Iterable[tuple[UUID, UUID]] = (),
    forbids: Iterable[tuple[UUID, UUID]] = (),
    time_limit_s: float,
    progress: Callable[[float], None] | None = None,
) -> MatchingResult:
    """The engine's result, or at the time limit the best result found so far (see the module).

    Raises the engine's ``DomainError`` (e.g. a pin that breaks a rule) as it is, and
    ``RuntimeError`` when the solve process failed otherwise.
    """
    started = time.perf_counter()
    limit = min(time_limit_s, settings.time_limit_seconds)
    context = _process_context()
    receiving, sending = context.Pipe(duplex=False)
    child_limit = max(0.05, limit * _CHILD_SHARE - 0.2)
    process = context.Process(
        target=_child,
        args=(sending, list(pool), settings, exclusions, list(pins), list(forbids), child_limit),
        daemon=True,
    )
    process.start()
    sending.close()  # only the child writes: its death closes the channel
    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    reader = threading.Thread(target=_read, args=(receiving, loop, inbox), daemon=True)
    reader.start()
    best: MatchingResult | None = None
    per_byte = 5e-8  # seconds to unpickle a byte of result, measured on the first incumbent
    try:
        while True:
            left = limit - (time.perf_counter() - started)
            if left <= 0:
                break
            try:
                kind, body = await asyncio.wait_for(inbox.get(), timeout=left)
            except TimeoutError:
                break
            if kind == "incumbent":
                # Unpickled now, while there is time for it (never on the way out at the limit);
                # one that arrives too late to be read in time is dropped for the one before.
                if 3 * per_byte * len(body) < limit - (time.perf_counter() - started):
                    begun = time.perf_counter()
                    best = pickle.loads(body)  # noqa: S301 - our own child, over a private pipe
                    per_byte = max(per_byte, (time.perf_counter() - begun) / max(len(body), 1))
            elif kind == "progress" and progress is not None:
                progress(float(pickle.loads(body)))  # noqa: S301
            elif kind == "done":
                finished: MatchingResult = pickle.loads(body)  # noqa: S301
                return replace(finished, seconds=time.perf_counter() - started)
            elif kind == "domain_error":
                code, detail, error_kind = pickle.loads(body)  # noqa: S301
                raise DomainError(code=code, detail=detail, kind=error_kind)
            elif kind == "error":
                raise RuntimeError(f"the matching process failed: {pickle.loads(body)}")  # noqa: S301
            elif kind == "closed":
                raise RuntimeError(f"the matching process ended unexpectedly (exit code {process.exitcode})")
    finally:
        if process.is_alive():
            process.kill()
        # The reader ends on its own once the killed child's end is closed; never wait on it.
        await asyncio.to_thread(process.join, 2.0)
    return _stopped(best, pool, settings, time.perf_counter() - started, limit)


def _stopped(
    best: MatchingResult | None, pool: Sequence[Candidate], settings: MatchingSettings, seconds: float, limit: float
) -> MatchingResult:
    note = (
        f"time limit: the solve was stopped after {limit:g} s; this is the best result found by then, "
        "with the best bound known by then"
    )
    if best is not None:
        return replace(
            best,
            seconds=seconds,
            solver=f"{best.solver} (stopped at the time limit)",
            notes=(*best.notes, note),
            stopped_by_deadline=True,
            proven_optimal=False,
        )
    room = sum(max(c.remaining_capacity, 0) for c in pool)
    # Trivial but proven: no pair scores above the sum of the weights, and no more than half the
    # open places can be paired.
    bound = settings.weights.total() * (room // 2)
    unmatched = [
        Unmatched(c.enrollment_id, c.person_id, "not_solved", "the time limit ended the run before any pairing existed")
        if c.remaining_capacity > 0
        else Unmatched(c.enrollment_id, c.person_id, "at_capacity", "no capacity left in this program")
        for c in pool
    ]
    return MatchingResult(
        pairs=[],
        unmatched=unmatched,
        total_score=0.0,
        upper_bound=bound,
        quality=1.0 if bound <= 0 else 0.0,
        seconds=seconds,
        solver="none (stopped at the time limit)",
        notes=(note, "no pairing existed yet"),
        stopped_by_deadline=True,
    )


__all__ = ["solve_in_process", "warm_up"]
