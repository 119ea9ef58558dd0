"""A believable synthetic organisation for the matching benchmark.

- a reporting tree grown breadth-first (5–9 reports per manager, ~10 top-level departments), so
  depth grows like the logarithm of the head count;
- seniority grades that fall with depth in the tree (plus noise), ages that rise with grade, and
  generation bands derived from age;
- departments = top-level subtrees, each with a home city where most of its people work;
- a skill catalogue in categories with Zipf-like popularity: juniors offer technology and social
  media and want leadership and business; seniors the reverse;
- interests (Zipf-like), meeting modes, weekly availability slots, and self-identified attributes
  for a minority who consented;
- participants: reverse programs take about half juniors (mentors) and half seniors (mentees);
  reciprocal programs a uniform sample. A few exclusions and a few people at capacity.

``SHAPES`` vary all of that, so that the engine is measured on organisations unlike this one:
deep reporting chains, stars with hundreds of reports, forests of small trees, a flat
organisation, heavy-tailed spans, dense and sparse skill overlap, many exclusions, capacities
above 1, and a plain pool with no skills at all, in which most pairs score exactly the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import numpy as np

from app.domain.matching import Candidate

DEPARTMENTS = (
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "People",
    "Operations",
    "Legal",
    "Product",
    "Customer Support",
    "Research",
)
CITIES = ("Paris", "Lyon", "Berlin", "Madrid", "London", "Lisbon", "Milan", "Warsaw", "Dublin", "Amsterdam")
SKILL_CATEGORIES: dict[str, tuple[str, ...]] = {
    "technology": (
        "python",
        "sql",
        "excel automation",
        "generative ai",
        "cloud basics",
        "cybersecurity hygiene",
        "data visualisation",
        "no-code tools",
        "collaboration suites",
        "mobile apps",
        "video editing",
        "prompt writing",
    ),
    "social_media": (
        "tiktok",
        "instagram",
        "linkedin",
        "youtube",
        "podcasting",
        "personal branding",
        "community management",
        "influencer culture",
    ),
    "leadership": (
        "strategy",
        "negotiation",
        "people management",
        "stakeholder management",
        "public speaking",
        "decision making",
        "coaching",
        "change management",
    ),
    "business": (
        "budgeting",
        "corporate finance",
        "sales pipeline",
        "procurement",
        "regulation",
        "board communication",
        "mergers and acquisitions",
        "pricing",
    ),
    "culture": (
        "generational insight",
        "inclusive language",
        "remote work habits",
        "wellbeing",
        "feedback culture",
        "diversity awareness",
    ),
}
INTERESTS = tuple(f"interest-{i:02d}" for i in range(60))
SLOTS = tuple(f"{day}-{half}" for day in ("mon", "tue", "wed", "thu", "fri") for half in ("am", "pm"))
GENERATIONS = ("Gen Z", "Millennial", "Gen X", "Baby Boomer")
MAX_GRADE = 12


SHAPES = (
    "balanced",  # breadth-first tree, 5–9 reports per manager (the original generator)
    "deep_chains",  # 1–2 reports per manager: long reporting chains, depth in the hundreds
    "stars",  # department heads with hundreds of direct reports each
    "forest",  # hundreds of independent small trees (no common root)
    "flat",  # one level: everyone reports to one of a handful of managers
    "heavy_tailed",  # spans drawn from a Pareto law: most managers 1–3 reports, a few thousands
    "dense_skills",  # a small catalogue, everyone offers and wants many skills: many near-ties
    "sparse_skills",  # a huge catalogue, one or two skills each: most pairs score on small factors
    "many_exclusions",  # two declined pairs per participant
    "capacities",  # seniors (reverse: mentees) and a third of everyone (reciprocal) take 2–3 partners
    "plain",  # an HRIS import with no skills, one interest of eight, video only: most pairs tie exactly
)


@dataclass(frozen=True)
class Employee:
    person_id: uuid.UUID
    manager: uuid.UUID | None
    department: str
    location: str
    grade: int
    generation: str


@dataclass(frozen=True)
class Organisation:
    """Raw organisation data (what an HRIS holds) and the matching candidates derived from it."""

    employees: dict[uuid.UUID, Employee]
    candidates: list[Candidate]
    exclusions: frozenset[frozenset[uuid.UUID]]


def _capacity(shape: str, role: str, junior: bool, rng: np.random.Generator) -> int:
    if shape != "capacities":
        return 1
    if role == "mentee" or (role == "both" and rng.random() < 1 / 3):
        return int(rng.integers(2, 4))
    return 1


def _uuid(rng: np.random.Generator) -> uuid.UUID:
    return uuid.UUID(bytes=rng.bytes(16), version=4)


def _zipf_weights(n: int, exponent: float, rng: np.random.Generator) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** exponent
    return np.asarray(rng.permutation(weights / weights.sum()))


def _catalogue() -> tuple[list[str], list[str]]:
    """(junior-side skills, senior-side skills), each padded with specialised variants."""
    junior = [*SKILL_CATEGORIES["technology"], *SKILL_CATEGORIES["social_media"], *SKILL_CATEGORIES["culture"]]
    senior = [*SKILL_CATEGORIES["leadership"], *SKILL_CATEGORIES["business"]]
    junior += [f"{name} (advanced)" for name in junior[:40]]
    senior += [f"{name} (advanced)" for name in senior[:30]]
    return junior, senior


def _tree(size: int, shape: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Manager (-1 for roots), depth and department (index) of every employee."""
    manager = np.full(size, -1, dtype=np.int64)
    depth = np.zeros(size, dtype=np.int64)
    department = np.zeros(size, dtype=np.int64)
    if shape == "forest":
        roots = max(len(DEPARTMENTS), size // 40)
        department[:roots] = np.arange(roots) % len(DEPARTMENTS)
        queue = list(range(roots))
        nxt = roots
    else:
        queue = [0]
        nxt = 1
    head = 0
    while nxt < size:
        boss = queue[head]
        head += 1
        if boss == 0 and shape != "forest":
            reports = len(DEPARTMENTS)
        elif shape == "deep_chains":
            reports = 1 + int(rng.random() < 0.3)
        elif shape == "stars":
            reports = int(rng.integers(200, 600)) if depth[boss] == 1 else int(rng.integers(3, 8))
        elif shape == "flat":
            reports = size
        elif shape == "heavy_tailed":
            reports = min(size, 1 + int(rng.pareto(1.1)))
        else:
            reports = int(rng.integers(5, 10))
        for _ in range(reports):
            if nxt >= size:
                break
            manager[nxt] = boss
            depth[nxt] = depth[boss] + 1
            department[nxt] = nxt - 1 if (boss == 0 and shape != "forest") else department[boss]
            queue.append(nxt)
            nxt += 1
        if head >= len(queue):  # a span of 0 ended every open branch: start from the last one again
            queue.append(nxt - 1)
    if shape == "flat":
        # A handful of managers, everyone else one level below one of them.
        bosses = min(size - 1, 8)
        manager[1 : bosses + 1] = 0
        depth[1 : bosses + 1] = 1
        rest = np.arange(bosses + 1, size)
        manager[rest] = 1 + rng.integers(0, bosses, rest.size)
        depth[rest] = 2
        department[1 : bosses + 1] = np.arange(bosses) % len(DEPARTMENTS)
        department[rest] = department[manager[rest]]
    return manager, depth, department


def build_organisation(participants: int, kind: str, seed: int = 0, shape: str = "balanced") -> Organisation:
    """An organisation about twice the size of the pool, and ``participants`` candidates."""
    if shape not in SHAPES:
        raise ValueError(f"unknown organisation shape {shape!r}; one of {', '.join(SHAPES)}")
    rng = np.random.default_rng(seed)
    size = max(2 * participants, 60)
    ids = [_uuid(rng) for _ in range(size)]
    manager, depth, department = _tree(size, shape, rng)
    # Grades fall with depth; deep organisations spread the same 12 grades over their whole depth.
    levels = max(7.0, float(np.quantile(depth, 0.95)))
    step = 1.7 * 7.0 / levels
    grade = np.clip(np.rint(MAX_GRADE - step * depth + rng.normal(0, 0.9, size)), 1, MAX_GRADE).astype(np.int64)
    grade[0] = MAX_GRADE
    age = np.clip(22 + 3.4 * (grade - 1) + rng.normal(0, 6, size), 20, 66)
    generation = np.digitize(age, [28, 44, 60])
    home = rng.permutation(len(CITIES))[: len(DEPARTMENTS)]
    city_weights = _zipf_weights(len(CITIES), 1.0, rng)
    stays_home = rng.random(size) < 0.6
    location = np.where(stays_home, home[department], rng.choice(len(CITIES), size=size, p=city_weights))
    employees = {
        ids[i]: Employee(
            person_id=ids[i],
            manager=ids[manager[i]] if manager[i] >= 0 else None,
            department=DEPARTMENTS[department[i]],
            location=CITIES[location[i]],
            grade=int(grade[i]),
            generation=GENERATIONS[generation[i]],
        )
        for i in range(size)
    }

    if kind == "reverse":
        order = np.argsort(grade + rng.random(size), kind="stable")  # juniors first, random within grades
        half = participants // 2
        juniors = order[: max(half, 1)]
        seniors = order[::-1][: participants - half]
        chosen = np.concatenate([juniors, seniors])
        roles = ["mentor"] * juniors.size + ["mentee"] * seniors.size
    else:
        chosen = rng.choice(size, size=participants, replace=False)
        roles = ["both"] * participants

    junior_skills, senior_skills = _catalogue()
    offer_range, want_range = (2, 6), (2, 5)
    if shape == "dense_skills":
        junior_skills, senior_skills = junior_skills[:8], senior_skills[:6]
        offer_range, want_range = (4, 8), (3, 6)
    elif shape == "sparse_skills":
        junior_skills = [f"{name} / niche {k}" for name in junior_skills for k in range(12)]
        senior_skills = [f"{name} / niche {k}" for name in senior_skills for k in range(12)]
        offer_range, want_range = (1, 2), (1, 2)
    interests, interest_range = INTERESTS, (2, 6)
    if shape == "plain":
        offer_range, want_range = (0, 0), (0, 0)
        interests, interest_range = INTERESTS[:8], (1, 1)
    junior_pop = _zipf_weights(len(junior_skills), 1.1, rng)
    senior_pop = _zipf_weights(len(senior_skills), 1.1, rng)
    interest_pop = _zipf_weights(len(interests), 1.0, rng)
    slot_pop = np.array([1.4 if s.endswith("am") else 1.0 for s in SLOTS])
    slot_pop /= slot_pop.sum()
    median_grade = 6

    def pick(names: list[str] | tuple[str, ...], popularity: np.ndarray, low: int, high: int) -> frozenset[str]:
        count = int(rng.integers(low, high + 1))
        picked = rng.choice(len(names), size=min(count, len(names)), replace=False, p=popularity)
        return frozenset(names[int(i)] for i in picked)

    candidates: list[Candidate] = []
    for index, role in zip(chosen.tolist(), roles, strict=True):
        junior = grade[index] <= median_grade
        offers, wants = (junior_skills, senior_skills) if junior else (senior_skills, junior_skills)
        offer_pop, want_pop = (junior_pop, senior_pop) if junior else (senior_pop, junior_pop)
        modes = {
            m for m, p in (("video", 0.85), ("chat", 0.5), ("in_person", 0.45), ("forum", 0.15)) if rng.random() < p
        }
        if shape == "plain":
            modes = {"video"}
        consent: dict[str, str] = {}
        if rng.random() < 0.4:
            consent["gender"] = str(rng.choice(["woman", "man", "non-binary"], p=[0.48, 0.48, 0.04]))
        if rng.random() < 0.2:
            consent["ethnicity"] = f"group-{int(rng.integers(0, 5))}"
        if rng.random() < 0.15:
            consent["disability"] = str(rng.choice(["yes", "no"], p=[0.2, 0.8]))
        chain: list[uuid.UUID] = []
        boss = int(manager[index])
        while boss >= 0 and len(chain) < 4:
            chain.append(ids[boss])
            boss = int(manager[boss])
        candidates.append(
            Candidate(
                enrollment_id=_uuid(rng),
                person_id=ids[index],
                role=role,  # type: ignore[arg-type]
                department=DEPARTMENTS[department[index]],
                location=CITIES[location[index]],
                seniority=int(grade[index]),
                generation=GENERATIONS[generation[index]],
                manager_chain=tuple(chain),
                skills_offered=pick(offers, offer_pop, *offer_range),
                skills_wanted=pick(wants, want_pop, *want_range),
                interests=pick(interests, interest_pop, *interest_range),
                meeting_modes=frozenset(modes or {"video"}),
                availability=frozenset() if shape == "plain" else pick(SLOTS, slot_pop, 2, 6),
                consented_attributes=consent,
                remaining_capacity=0 if rng.random() < 0.003 else _capacity(shape, role, junior, rng),
            )
        )
    people = [c.person_id for c in candidates]
    declined = 2 * participants if shape == "many_exclusions" else max(1, participants // 200)
    exclusions = frozenset(
        frozenset((people[int(a)], people[int(b)]))
        for a, b in rng.integers(0, len(people), size=(declined, 2))
        if a != b
    )
    return Organisation(employees=employees, candidates=candidates, exclusions=exclusions)
