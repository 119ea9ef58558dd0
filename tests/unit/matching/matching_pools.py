"""Pools for the matching tests: a candidate factory, random organisations (hypothesis), an
independent hard-constraint predicate and exact optima computed without the engine."""

from __future__ import annotations

import itertools
import math
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linear_sum_assignment, milp

from app.domain.matching import Candidate, MatchingSettings, score_pair

SKILLS = ("python", "sql", "tiktok", "excel", "strategy", "negotiation", "design", "ai tools")
INTERESTS = ("chess", "hiking", "jazz", "cooking", "film", "running")
MODES = ("in_person", "video", "chat", "forum")
SLOTS = ("mon-am", "mon-pm", "tue-am", "tue-pm", "wed-am")
DEPARTMENTS = ("IT", "Sales", "HR")
LOCATIONS = ("Lyon", "Paris")
GENERATIONS = ("Gen Z", "Millennial", "Gen X")


def uid(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def candidate(n: int, **fields: Any) -> Candidate:
    """A candidate with enrollment id ``uid(1000 + n)`` and person id ``uid(n)``."""
    values: dict[str, Any] = {"enrollment_id": uid(1000 + n), "person_id": uid(n), "role": "both"}
    values.update(fields)
    return Candidate(**values)


@dataclass(frozen=True)
class Pool:
    """Candidates plus the raw organisation they come from (manager of each person)."""

    candidates: list[Candidate]
    manager: Mapping[uuid.UUID, uuid.UUID | None]
    exclusions: frozenset[frozenset[uuid.UUID]]


@st.composite
def pools(
    draw: st.DrawFn, kind: str, *, max_size: int = 12, capacities: bool = False, zero_scores: bool = False
) -> Pool:
    """A random organisation (a random reporting tree over up to ``max_size + 4`` people), some of
    whom enrol; random attributes from small vocabularies, random exclusions. ``zero_scores``: empty
    profiles and no department or location, so that every pair scores 0."""
    people = draw(st.integers(min_value=2, max_value=max_size + 4))
    ids = [uid(i + 1) for i in range(people)]
    manager: dict[uuid.UUID, uuid.UUID | None] = {ids[0]: None}
    for i in range(1, people):
        manager[ids[i]] = ids[draw(st.integers(min_value=0, max_value=i - 1))]
    enrolled = draw(
        st.lists(st.integers(min_value=0, max_value=people - 1), min_size=2, max_size=max_size, unique=True)
    )

    def chain(person: uuid.UUID) -> tuple[uuid.UUID, ...]:
        found: list[uuid.UUID] = []
        boss = manager[person]
        while boss is not None:
            found.append(boss)
            boss = manager[boss]
        return tuple(found)

    def subset(options: Sequence[str], most: int) -> frozenset[str]:
        if zero_scores:
            return frozenset()
        return frozenset(draw(st.lists(st.sampled_from(options), max_size=most, unique=True)))

    def one_of(options: Sequence[str]) -> str | None:
        return None if zero_scores else draw(st.sampled_from((*options, None)))

    candidates = []
    for index in enrolled:
        person = ids[index]
        consent: dict[str, str] = {}
        if not zero_scores and draw(st.booleans()):
            consent["gender"] = draw(st.sampled_from(["a", "b"]))
        candidates.append(
            Candidate(
                enrollment_id=uid(10_000 + index),
                person_id=person,
                role=draw(st.sampled_from(["mentor", "mentee"])) if kind == "reverse" else "both",
                department=one_of(DEPARTMENTS),
                location=one_of(LOCATIONS),
                seniority=draw(st.integers(min_value=1, max_value=8)),
                generation=one_of(GENERATIONS),
                manager_chain=chain(person),
                skills_offered=subset(SKILLS, 4),
                skills_wanted=subset(SKILLS, 3),
                interests=subset(INTERESTS, 3),
                meeting_modes=subset(MODES, 3),
                availability=subset(SLOTS, 3),
                consented_attributes=consent,
                remaining_capacity=draw(st.sampled_from([0, 1, 1, 1, 2, 3] if capacities else [0, 1, 1, 1, 1, 1])),
            )
        )
    pairs = list(itertools.combinations([c.person_id for c in candidates], 2))
    excluded = draw(st.lists(st.sampled_from(pairs), max_size=3 + max_size // 10)) if pairs else []
    return Pool(candidates, manager, frozenset(frozenset(p) for p in excluded))


def breaks_hard_constraint(
    a: Candidate,
    b: Candidate,
    pool: Pool,
    settings: MatchingSettings,
    forbids: frozenset[frozenset[uuid.UUID]] = frozenset(),
) -> bool:
    """Independent of the engine: walks the raw manager links, not the candidates' chains."""

    def bosses(person: uuid.UUID) -> list[uuid.UUID]:
        found: list[uuid.UUID] = []
        boss = pool.manager[person]
        while boss is not None and len(found) < settings.reporting_line_depth:
            found.append(boss)
            boss = pool.manager[boss]
        return found

    if a.person_id == b.person_id:
        return True
    if a.person_id in bosses(b.person_id) or b.person_id in bosses(a.person_id):
        return True
    if settings.exclude_same_manager_peers:
        ma, mb = pool.manager[a.person_id], pool.manager[b.person_id]
        if ma is not None and ma == mb:
            return True
    if frozenset((a.person_id, b.person_id)) in pool.exclusions:
        return True
    if frozenset((a.enrollment_id, b.enrollment_id)) in forbids:
        return True
    if settings.kind == "reverse":
        roles = sorted([a.role, b.role])
        if roles != ["mentee", "mentor"]:
            return True
        mentor, mentee = (a, b) if a.role == "mentor" else (b, a)
        if mentor.seniority + settings.min_seniority_gap > mentee.seniority:
            return True
    return False


def allowed_graph(
    pool: Pool, settings: MatchingSettings, forbids: frozenset[frozenset[uuid.UUID]] = frozenset()
) -> nx.Graph:
    """Every allowed pair among people with capacity, weighted by the scalar score."""
    graph = nx.Graph()
    live = [c for c in pool.candidates if c.remaining_capacity > 0]
    for a, b in itertools.combinations(live, 2):
        if not breaks_hard_constraint(a, b, pool, settings, forbids):
            graph.add_edge(a.enrollment_id, b.enrollment_id, weight=score_pair(a, b, settings).score)
    return graph


def exact_optimum(pool: Pool, settings: MatchingSettings) -> float:
    """Best total of any matching of allowed pairs (capacity 1), by networkx's blossom algorithm."""
    graph = allowed_graph(pool, settings)
    return float(sum(graph[u][v]["weight"] for u, v in nx.max_weight_matching(graph)))


def b_matching_optimum(
    pool: Pool,
    settings: MatchingSettings,
    *,
    pins: Sequence[tuple[uuid.UUID, uuid.UUID]] = (),
    forbids: frozenset[frozenset[uuid.UUID]] = frozenset(),
) -> float:
    """Best total with capacities, pins and forbids: an integer programme over every allowed pair
    (SciPy's MILP interface to HiGHS; shares nothing with the engine). Pins are fixed to 1."""
    graph = allowed_graph(pool, settings, forbids)
    capacity = {c.enrollment_id: c.remaining_capacity for c in pool.candidates}
    edges = list(graph.edges)
    pinned = {frozenset(p) for p in pins}
    if not edges:
        return 0.0
    nodes = {node: i for i, node in enumerate(graph.nodes)}
    rows = [nodes[u] for u, _ in edges] + [nodes[v] for _, v in edges]
    cols = list(range(len(edges))) * 2
    incidence = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(nodes), len(edges)))
    upper = np.asarray([capacity[node] for node in graph.nodes], dtype=float)
    weight = np.asarray([graph[u][v]["weight"] for u, v in edges])
    low = np.asarray([1.0 if frozenset(e) in pinned else 0.0 for e in edges])
    found = milp(
        -weight,
        constraints=LinearConstraint(incidence, 0, upper),
        integrality=np.ones(len(edges)),
        bounds=Bounds(low, 1),
        options={"mip_rel_gap": 0.0},
    )
    assert found.success, found.message
    chosen = np.flatnonzero(found.x > 0.5)
    return float(math.fsum(weight[chosen].tolist()))


def assignment_optimum(pool: Pool, settings: MatchingSettings) -> float:
    """Reverse pools: the same optimum from SciPy's dense assignment (pairs may stay unmatched)."""
    live = [c for c in pool.candidates if c.remaining_capacity > 0]
    mentors = [c for c in live if c.role == "mentor"]
    mentees = [c for c in live if c.role == "mentee"]
    if not mentors or not mentees:
        return 0.0
    gain = np.zeros((len(mentors), len(mentees)))
    for i, a in enumerate(mentors):
        for j, b in enumerate(mentees):
            if not breaks_hard_constraint(a, b, pool, settings):
                gain[i, j] = score_pair(a, b, settings).score
    rows, cols = linear_sum_assignment(gain, maximize=True)
    return float(gain[rows, cols].sum())


# The heavy profile (``TURNABOUT_MATCHING_PROFILE=heavy``): pools of up to 300 people and more
# examples. Minutes instead of seconds, so CI runs it as its own opt-in step.
HEAVY = os.environ.get("TURNABOUT_MATCHING_PROFILE") == "heavy"
POOL_SIZE = 300 if HEAVY else 12


def examples(light: int) -> settings:
    """Hypothesis settings: ``light`` examples normally, more (and bigger pools) when heavy."""
    return settings(
        max_examples=max(light, 60) if HEAVY else light,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
