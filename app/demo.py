"""A believable demo organisation, created through the real use cases (so every rule applies).

About 240 people in eight departments and five locations under one reporting tree (grades fall with
depth), a skill catalogue, and three programs:
- "Digital fluency for leaders" (reverse): juniors offer technology and social-media skills to
  seniors; enrolment is closed and its approved enrollments are ready, so it can be matched at once;
- "Generations exchange" (reciprocal, training required): enrolling; its approved enrollments wait
  for training, so a matching run there explains an empty pool;
- "Reciprocal pilot 2026" (reciprocal, active): six pairs that met, set goals and meet again soon
  (``demo_pilot``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from app.bootstrap import Container
from app.demo_outcomes import seed_finished_cycle
from app.demo_pilot import seed_pilot
from app.domain.actors import Actor, Role
from app.domain.enrollments import MeetingMode, Profile, RolePreference
from app.domain.errors import DomainError
from app.domain.ports import PageRequest, PeopleFilter
from app.domain.programs import FocusArea, ObjectiveDraft, ProgramDraft, ProgramKind, ProgramStatus
from app.domain.skills import SkillCategory
from app.services import enrollments, programs, skills
from app.services import people as directory
from app.services.people import PersonRecord

DEPARTMENTS = ["Engineering", "Marketing", "Sales", "Finance", "People", "Operations", "Customer Success", "Legal"]
LOCATIONS = ["Leeds", "London", "Manchester", "Glasgow", "Remote"]
GIVEN = [
    "Amara",
    "Ben",
    "Chloe",
    "Dev",
    "Elif",
    "Farah",
    "Gus",
    "Hana",
    "Ivo",
    "Jun",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tariq",
    "Uma",
    "Vik",
    "Wen",
    "Xavi",
    "Yara",
    "Zane",
    "Aisha",
    "Bruno",
    "Carmen",
    "Dmitri",
    "Esme",
    "Felix",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kaia",
    "Liam",
    "Maya",
    "Nils",
    "Olga",
    "Pavel",
    "Rhea",
    "Soren",
    "Talia",
    "Ugo",
    "Vera",
    "Will",
    "Ximena",
    "Yusuf",
    "Zoe",
]
FAMILY = [
    "Osei",
    "Novak",
    "Laurent",
    "Patel",
    "Yilmaz",
    "Haddad",
    "Berg",
    "Tanaka",
    "Petrov",
    "Chen",
    "Mensah",
    "Weber",
    "Garcia",
    "Okafor",
    "Rahman",
    "Singh",
    "Murphy",
    "Costa",
    "Khan",
    "Aziz",
    "Moreau",
    "Kowalski",
    "Lindqvist",
    "Silva",
    "Nakamura",
    "Fischer",
    "Rossi",
    "Dubois",
    "Ivanova",
    "Hughes",
]
SKILLS: dict[SkillCategory, list[str]] = {
    SkillCategory.TECHNOLOGY: [
        "Generative AI tools",
        "Spreadsheet automation",
        "Python basics",
        "Cloud collaboration",
        "Cyber hygiene",
    ],
    SkillCategory.SOCIAL_MEDIA: [
        "LinkedIn presence",
        "TikTok for business",
        "Instagram storytelling",
        "Community management",
    ],
    SkillCategory.INTERGENERATIONAL: ["Gen Z workplace expectations", "Navigating hierarchy", "Career longevity"],
    SkillCategory.DIVERSITY_INCLUSION: ["Inclusive language", "Neurodiversity awareness", "Allyship"],
    SkillCategory.LEADERSHIP: ["Giving feedback", "Running effective meetings", "Stakeholder management", "Coaching"],
    SkillCategory.BUSINESS: ["Reading a P&L", "Negotiation", "Customer discovery", "Strategic planning"],
}
INTERESTS = [
    "cycling",
    "photography",
    "chess",
    "gardening",
    "running",
    "podcasts",
    "cooking",
    "gaming",
    "hiking",
    "music",
    "travel",
    "reading",
    "film",
    "yoga",
]
SYSTEM = Actor(subject="seed-demo", issuer="turnabout", email=None, roles=frozenset({Role.ADMIN, Role.INTEGRATION}))
HR_EMAIL = "hana.hr@example.com"


def _organisation(rng: random.Random, size: int) -> list[PersonRecord]:
    names = [(g, f) for g in GIVEN for f in FAMILY]
    rng.shuffle(names)
    records: list[PersonRecord] = [
        PersonRecord(
            external_id="E-00001", email="ceo@example.com", given_name="Morgan", family_name="Hale",
            department="Executive", location="London", job_title="Chief Executive", seniority=10,
            hire_date=date(2009, 3, 2), generation="gen_x",
        ),
        PersonRecord(
            external_id="E-00002", email=HR_EMAIL, given_name="Hana", family_name="Reyes",
            department="People", location="Leeds", job_title="Head of Learning & Development", seniority=7,
            manager_external_id="E-00001", hire_date=date(2015, 9, 14), generation="millennial",
        ),
    ]  # fmt: skip
    heads: dict[str, str] = {}
    managers: dict[str, list[str]] = {d: [] for d in DEPARTMENTS}
    for index in range(size - len(records)):
        given, family = names[index]
        ext = f"E-{index + 3:05d}"
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        if department not in heads:
            manager, grade, title = "E-00001", 8, f"Director of {department}"
            heads[department] = ext
        elif len(managers[department]) < 3:
            manager, grade, title = heads[department], 6, f"{department} Manager"
            managers[department].append(ext)
        else:
            manager = rng.choice(managers[department])
            grade = rng.choices([1, 2, 3, 4, 5], weights=[4, 5, 4, 3, 2])[0]
            title = {1: "Associate", 2: "Analyst", 3: "Specialist", 4: "Senior Specialist", 5: "Lead"}[grade]
        years = max(0, grade * 3 + rng.randint(-2, 4))
        generation = "gen_z" if grade <= 2 else "millennial" if grade <= 5 else "gen_x"
        records.append(
            PersonRecord(
                external_id=ext,
                email=f"{given.lower()}.{family.lower()}@example.com",
                given_name=given,
                family_name=family,
                department=department,
                location=rng.choice(LOCATIONS),
                job_title=title,
                seniority=grade,
                manager_external_id=manager,
                hire_date=date(2026, 1, 5) - timedelta(days=365 * years + rng.randint(0, 300)),
                generation=generation,
            )
        )
    return records


async def seed_demo_organisation(
    container: Container, *, people: int = 240, seed: int = 7, if_empty: bool = False
) -> str:
    rng = random.Random(seed)
    if if_empty and await _has_people(container):
        return "people exist already; demo organisation not seeded"
    outcome = await directory.upsert_people(container.uow(), SYSTEM, records=_organisation(rng, people))
    skill_ids: dict[SkillCategory, list[UUID]] = {}
    for category, names in SKILLS.items():
        for name in names:
            try:
                created = await skills.create_skill(
                    container.uow(), SYSTEM, name=name, category=category, description=None
                )
            except DomainError:  # already in the catalogue on a re-run
                continue
            skill_ids.setdefault(category, []).append(created.id)
    everyone = await directory.list_people(
        container.uow(), SYSTEM, flt=PeopleFilter(active=True), page=PageRequest(limit=200)
    )
    roster = list(everyone.items)
    while everyone.next_after is not None:
        everyone = await directory.list_people(
            container.uow(),
            SYSTEM,
            flt=PeopleFilter(active=True),
            page=PageRequest(limit=200, after=everyone.next_after),
        )
        roster.extend(everyone.items)
    hr = next(p for p in roster if p.email == HR_EMAIL)
    hr_actor = Actor(
        subject=f"seed|{hr.id}",
        issuer="turnabout",
        email=hr.email,
        person_id=hr.id,
        roles=frozenset({Role.COORDINATOR}),
    )
    tech = skill_ids.get(SkillCategory.TECHNOLOGY, []) + skill_ids.get(SkillCategory.SOCIAL_MEDIA, [])
    lead = skill_ids.get(SkillCategory.LEADERSHIP, []) + skill_ids.get(SkillCategory.BUSINESS, [])
    start = date(2027, 1, 11)
    reverse = await programs.create_program(
        container.uow(),
        hr_actor,
        kind=ProgramKind.REVERSE,
        draft=ProgramDraft(
            name="Digital fluency for leaders",
            description="Early-career colleagues mentor senior leaders on AI tools and social media.",
            focus_areas=[FocusArea.TECHNOLOGY, FocusArea.INTERGENERATIONAL],
            objectives=[
                ObjectiveDraft(metric="leaders reporting better social-media skills", target=70, unit="percent")
            ],
            cycle_start=start,
            cycle_end=start + timedelta(days=150),
            cadence_days=14,
            pilot_capacity=60,
            guidelines="Meet every two weeks for 45 minutes. What is said in the room stays in the room.",
            incentives=["Half a day of learning time a month", "Recognition at the all-hands"],
            matching_rules={"min_seniority_gap": 2, "reporting_line_depth": 2, "department_preference": "cross"},
        ),
    )
    reciprocal = await programs.create_program(
        container.uow(),
        hr_actor,
        kind=ProgramKind.RECIPROCAL,
        draft=ProgramDraft(
            name="Generations exchange",
            description="Pairs across generations take turns: leadership one meeting, technology the next.",
            focus_areas=[FocusArea.INTERGENERATIONAL, FocusArea.RETENTION],
            cycle_start=start,
            cycle_end=start + timedelta(days=180),
            cadence_days=14,
            role_turn_policy="alternate(1)",
            training_required=True,
        ),
    )
    for program in (reverse, reciprocal):
        await programs.transition_program(
            container.uow(), hr_actor, program_id=program.id, to=ProgramStatus.ENROLLING, expected_version=None
        )
    enrolled = 0
    staff = [p for p in roster if p.id != hr.id and p.email != "ceo@example.com"]
    for person in rng.sample(staff, k=min(len(staff), 120)):
        actor = Actor(
            subject=f"seed|{person.id}",
            issuer="turnabout",
            email=person.email,
            person_id=person.id,
            roles=frozenset({Role.EMPLOYEE}),
        )
        junior = person.seniority <= 3
        if rng.random() < 0.55:
            program, role = reverse, RolePreference.MENTOR if junior else RolePreference.MENTEE
            offered, wanted = (rng.sample(tech, k=2), []) if junior else ([], rng.sample(tech, k=2))
        else:
            program, role = reciprocal, RolePreference.BOTH
            offered = rng.sample(tech if junior else lead, k=2)
            wanted = rng.sample(lead if junior else tech, k=2)
        profile = Profile(
            role_preference=role,
            motivation="I want to learn from a different generation.",
            skills_offered=offered,
            skills_wanted=wanted,
            interests=rng.sample(INTERESTS, k=3),
            meeting_modes=rng.sample(list(MeetingMode), k=2),
            availability=rng.sample(["mon-am", "tue-pm", "wed-am", "thu-pm", "fri-am"], k=2),
        )
        enrollment = await enrollments.enrol(
            container.uow(), actor, program_id=program.id, person_id=None, profile=profile
        )
        enrolled += 1
        if rng.random() < 0.7:
            await enrollments.approve(
                container.uow(), hr_actor, program_id=program.id, enrollment_id=enrollment.id, expected_version=None
            )
    # enrolment closes on the reverse program: its ready enrollments can be matched right away
    await programs.transition_program(
        container.uow(), hr_actor, program_id=reverse.id, to=ProgramStatus.MATCHING, expected_version=None
    )
    pairs = await seed_pilot(container, coordinator=hr_actor, people=staff, rng=rng)
    finished = await seed_finished_cycle(container, coordinator=hr_actor, people=staff, rng=rng)
    return (
        f"demo organisation: {len(outcome.created)} people created, {len(outcome.updated)} updated; "
        f"4 programs; {enrolled} enrollments; {pairs} pairs in the running pilot; {finished} pairs in last "
        f"year's finished cycle (check-ins, a closed survey, stories, recognitions). Coordinator: {HR_EMAIL}"
    )


async def _has_people(container: Container) -> bool:
    page = await directory.list_people(container.uow(), SYSTEM, flt=PeopleFilter(), page=PageRequest(limit=1))
    return bool(page.items)
