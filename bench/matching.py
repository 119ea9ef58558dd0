"""Benchmark of the matching engine on a synthetic organisation.

    uv run python -m bench.matching --kind reverse --participants 10000 [--seed 0] [--shape stars]
    uv run python -m bench.matching --kind reciprocal --participants 50000 --shape all

Prints human-readable lines, then as its last line one JSON object with the keys
``kind, shape, participants, seconds, peak_rss_mb, score, upper_bound, quality, greedy_quality,
proven_optimal, constraint_violations``. ``--shape all`` runs every shape of ``bench.orgs.SHAPES``,
each in its own process (so that each peak RSS is its own), prints one JSON line per shape and,
last, a JSON list of them all. ``seconds`` is the engine's own solve time (building the synthetic
organisation and the independent check are not counted); the greedy baseline runs on the same
candidate graph and is measured against the same upper bound.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

from app.domain.matching import MatchingSettings, solve
from bench.checker import PairToCheck, count_violations
from bench.orgs import SHAPES, build_organisation


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=("reverse", "reciprocal"), required=True)
    parser.add_argument("--participants", type=int, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--top-k", type=int, default=MatchingSettings(kind="reverse").top_k)
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--shape", choices=(*SHAPES, "all"), default="balanced")
    args = parser.parse_args(argv)
    if args.shape == "all":
        return _every_shape(args)

    t0 = time.perf_counter()
    org = build_organisation(args.participants, args.kind, args.seed, args.shape)
    print(
        f"organisation: {len(org.employees)} employees, {len(org.candidates)} candidates, "
        f"{len(org.exclusions)} exclusions ({time.perf_counter() - t0:.1f} s to build)"
    )
    settings = MatchingSettings(kind=args.kind, top_k=args.top_k, time_limit_seconds=args.time_limit)
    result = solve(org.candidates, settings, exclusions=org.exclusions, with_greedy_baseline=True)
    broken = count_violations(
        org,
        (PairToCheck(p.enrollment_ids[0], p.enrollment_ids[1], p.mentor_enrollment_id) for p in result.pairs),
        kind=args.kind,
        reporting_line_depth=settings.reporting_line_depth,
        min_seniority_gap=settings.min_seniority_gap,
        exclude_same_manager_peers=settings.exclude_same_manager_peers,
    )
    greedy_total = result.greedy_total or 0.0
    greedy_quality = greedy_total / result.upper_bound if result.upper_bound else 1.0
    reasons: dict[str, int] = {}
    for person in result.unmatched:
        reasons[person.reason] = reasons.get(person.reason, 0) + 1
    print(f"solver: {result.solver}; {result.seconds:.2f} s")
    print(f"pairs: {len(result.pairs)}; unmatched: {len(result.unmatched)} {reasons}")
    print(f"total score {result.total_score:.3f}, upper bound {result.upper_bound:.3f}, quality {result.quality:.5f}")
    print(f"greedy total {greedy_total:.3f}, greedy quality {greedy_quality:.5f}")
    for note in result.notes:
        print(f"note: {note}")
    print(f"constraint violations (independent check): {sum(broken.values())} {dict(broken)}")
    if result.pairs:
        best = result.pairs[0]
        print(f"example pair: {best.summary}")
    summary = {
        "kind": args.kind,
        "shape": args.shape,
        "participants": args.participants,
        "seconds": round(result.seconds, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "score": round(result.total_score, 3),
        "upper_bound": round(result.upper_bound, 3),
        "quality": round(result.quality, 5),
        "greedy_quality": round(greedy_quality, 5),
        "proven_optimal": result.proven_optimal,
        "constraint_violations": sum(broken.values()),
    }
    print(json.dumps(summary))
    return 0


def _every_shape(args: argparse.Namespace) -> int:
    figures: list[dict[str, object]] = []
    for shape in SHAPES:
        command = [
            sys.executable,
            "-m",
            "bench.matching",
            f"--kind={args.kind}",
            f"--participants={args.participants}",
            f"--seed={args.seed}",
            f"--top-k={args.top_k}",
            f"--time-limit={args.time_limit}",
            f"--shape={shape}",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        figures.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(figures[-1]), flush=True)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
