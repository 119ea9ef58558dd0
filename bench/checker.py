"""An independent check of the hard constraints, over the raw organisation data.

Deliberately shares nothing with the engine's constraint code: it walks the manager links of the
``Organisation`` itself (not the candidates' ``manager_chain``), reads grades from the employee
records, and counts every broken rule of every proposed pair.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bench.orgs import Organisation


@dataclass(frozen=True)
class PairToCheck:
    enrollment_a: uuid.UUID
    enrollment_b: uuid.UUID
    mentor_enrollment: uuid.UUID | None


def _bosses(org: Organisation, person: uuid.UUID, depth: int) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    current = org.employees[person].manager
    while current is not None and len(found) < depth:
        found.append(current)
        current = org.employees[current].manager
    return found


def count_violations(
    org: Organisation,
    pairs: Iterable[PairToCheck],
    *,
    kind: str,
    reporting_line_depth: int,
    min_seniority_gap: int,
    exclude_same_manager_peers: bool,
) -> Counter[str]:
    """How many times each hard constraint is broken by ``pairs`` (an empty counter: none)."""
    by_enrollment = {c.enrollment_id: c for c in org.candidates}
    broken: Counter[str] = Counter()
    used: Counter[uuid.UUID] = Counter()
    seen_pairs: set[frozenset[uuid.UUID]] = set()
    for pair in pairs:
        a = by_enrollment.get(pair.enrollment_a)
        b = by_enrollment.get(pair.enrollment_b)
        if a is None or b is None:
            broken["unknown_enrollment"] += 1
            continue
        used[a.enrollment_id] += 1
        used[b.enrollment_id] += 1
        people = frozenset((a.person_id, b.person_id))
        if people in seen_pairs:
            broken["pair_twice"] += 1
        seen_pairs.add(people)
        if a.person_id == b.person_id:
            broken["same_person"] += 1
        if b.person_id in _bosses(org, a.person_id, reporting_line_depth) or a.person_id in _bosses(
            org, b.person_id, reporting_line_depth
        ):
            broken["reporting_line"] += 1
        manager_a = org.employees[a.person_id].manager
        if exclude_same_manager_peers and manager_a is not None and manager_a == org.employees[b.person_id].manager:
            broken["same_manager"] += 1
        if people in org.exclusions:
            broken["excluded_pair"] += 1
        if kind == "reverse":
            mentor, mentee = (a, b) if pair.mentor_enrollment == a.enrollment_id else (b, a)
            if mentor.role != "mentor" or mentee.role != "mentee" or pair.mentor_enrollment is None:
                broken["role_mismatch"] += 1
            grade_mentor = org.employees[mentor.person_id].grade
            grade_mentee = org.employees[mentee.person_id].grade
            if grade_mentor + min_seniority_gap > grade_mentee:
                broken["seniority_gap"] += 1
    for enrollment, count in used.items():
        if count > by_enrollment[enrollment].remaining_capacity:
            broken["capacity"] += count - by_enrollment[enrollment].remaining_capacity
    return broken
