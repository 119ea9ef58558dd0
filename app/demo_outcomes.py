"""The demo organisation's finished program: a reverse-mentoring cycle that is over — pairs that met,
checked in, achieved goals and completed (so they were recognised), a closed anonymous survey with its
k-anonymous results, and published success stories — so that metrics, the evaluation report and the
feedback screens have something true to show from the first minute."""

from __future__ import annotations

import random
from datetime import date, timedelta
from uuid import UUID

from app.bootstrap import Container
from app.demo_pilot import person_actor
from app.domain.actors import Actor
from app.domain.enrollments import Profile, RolePreference
from app.domain.errors import DomainError
from app.domain.people import Person
from app.domain.programs import FocusArea, ObjectiveDraft, ProgramDraft, ProgramKind, ProgramStatus
from app.domain.surveys import Question
from app.services import checkins, enrollments, goals, meetings, pairing, programs, relationships, stories, surveys

QUESTIONS = [
    Question("learned", "scale", "How much did you learn from your partner?"),
    Question("stereotypes", "single", "Were stereotypes about the other generation broken?", ("yes", "partly", "no")),
    Question("topics", "multiple", "What did you work on?", ("AI tools", "social media", "culture", "career")),
    Question("story", "text", "What changed in how you work?"),
]
TEXTS = [
    "I now ask the team before assuming what they want.",
    "I post on the intranet myself instead of asking comms.",
    "Less email, more chat — and it is faster.",
    "I stopped thinking of AI as a toy.",
    "I understand why newer colleagues leave when they are not heard.",
    "I learned to ask for feedback, not wait for it.",
    "Shorter meetings, clearer decisions.",
]


async def seed_finished_cycle(
    container: Container, *, coordinator: Actor, people: list[Person], rng: random.Random
) -> int:
    """A closed reverse-mentoring cycle with its outcomes. Returns the number of pairs."""
    start = date(2025, 9, 1)
    program = await programs.create_program(
        container.uow(),
        coordinator,
        kind=ProgramKind.REVERSE,
        draft=ProgramDraft(
            name="Reverse mentoring 2025",
            description="Last year's cycle: early-career colleagues mentored leaders on digital work.",
            focus_areas=[FocusArea.TECHNOLOGY, FocusArea.INTERGENERATIONAL],
            objectives=[
                ObjectiveDraft(metric="leaders who post on the intranet themselves", target=60, unit="percent")
            ],
            cycle_start=start,
            cycle_end=start + timedelta(days=150),
            cadence_days=14,
            incentives=["Half a day of learning time", "Recognition at the all-hands"],
            matching_rules={"min_seniority_gap": 2},
        ),
    )
    objective_id = (await programs.get_program(container.uow(), coordinator, program_id=program.id)).objectives[0].id
    await programs.transition_program(
        container.uow(), coordinator, program_id=program.id, to=ProgramStatus.ENROLLING, expected_version=None
    )
    young = [p for p in people if p.seniority <= 2]
    senior_staff = [p for p in people if p.seniority >= 5]
    juniors = rng.sample(young, k=min(10, len(young)))
    seniors = rng.sample(senior_staff, k=min(10, len(senior_staff)))
    enrolled: dict[UUID, UUID] = {}
    for person, role in [(j, RolePreference.MENTOR) for j in juniors] + [(s, RolePreference.MENTEE) for s in seniors]:
        try:
            enrollment = await enrollments.enrol(
                container.uow(), person_actor(person), program_id=program.id, person_id=None,
                profile=Profile(role_preference=role, motivation="Learning across generations."),
            )  # fmt: skip
        except DomainError:
            continue
        await enrollments.approve(
            container.uow(), coordinator, program_id=program.id, enrollment_id=enrollment.id, expected_version=None
        )
        if len(enrolled) % 3 != 2:  # most of them trained before matching
            await enrollments.record_training(
                container.uow(), coordinator, program_id=program.id, enrollment_id=enrollment.id, expected_version=None
            )
        enrolled[person.id] = enrollment.id
    await programs.transition_program(
        container.uow(), coordinator, program_id=program.id, to=ProgramStatus.MATCHING, expected_version=None
    )
    pairs: list[tuple[UUID, Person, Person]] = []
    free = [s for s in seniors if s.id in enrolled]
    for junior in (j for j in juniors if j.id in enrolled):
        for senior in list(free):
            try:
                view = await pairing.create_relationship(
                    container.uow(), coordinator, program_id=program.id,
                    enrollment_ids=(enrolled[junior.id], enrolled[senior.id]),
                )  # fmt: skip
            except DomainError:
                continue
            free.remove(senior)
            pairs.append((view.relationship.id, junior, senior))
            break
    await programs.transition_program(
        container.uow(), coordinator, program_id=program.id, to=ProgramStatus.ACTIVE, expected_version=None
    )
    now = container.clock.now().replace(second=0, microsecond=0)
    for index, (relationship_id, junior, senior) in enumerate(pairs):
        members = (person_actor(junior), person_actor(senior))
        for member in members:
            await relationships.accept(container.uow(), member, relationship_id=relationship_id, expected_version=None)
        for week in (10, 8, 6, 4):
            held = await meetings.schedule(
                container.uow(), members[0], relationship_id=relationship_id, starts_at=now - timedelta(weeks=week)
            )
            await meetings.mark_held(container.uow(), members[1], meeting_id=held.id, expected_version=None)
        for member, rating in zip(members, (4 + index % 2, 3 + index % 3), strict=True):
            await checkins.submit_checkin(
                container.uow(), member, relationship_id=relationship_id, rating=rating,
                going_well="We keep our fortnightly slot.", not_going_well="Hard to find time in busy weeks.",
            )  # fmt: skip
        goal = await goals.create_goal(
            container.uow(), members[1], relationship_id=relationship_id,
            title="Post on the intranet without help", objective_id=objective_id,
        )  # fmt: skip
        if index % 4 != 3:
            await goals.achieve_goal(container.uow(), members[1], goal_id=goal.id, expected_version=None)
        if index == len(pairs) - 1:
            await relationships.end(
                container.uow(), coordinator, relationship_id=relationship_id, reason="mismatch", expected_version=None
            )
        else:  # completed with the goal achieved: both recognised automatically
            await relationships.complete(
                container.uow(), members[0], relationship_id=relationship_id, expected_version=None
            )
    await programs.transition_program(
        container.uow(), coordinator, program_id=program.id, to=ProgramStatus.EVALUATING, expected_version=None
    )
    survey = await surveys.create_survey(
        container.uow(), coordinator, program_id=program.id, title="End of cycle", questions=QUESTIONS
    )
    await surveys.open_survey(container.uow(), coordinator, survey_id=survey.survey.id, expected_version=None)
    for index, (_, junior, senior) in enumerate(pairs):
        for offset, person in enumerate((junior, senior)):
            answers: dict[str, object] = {
                "learned": 3 + (index + offset) % 3,
                "stereotypes": ("yes", "partly", "yes", "no")[(index + offset) % 4],
                "topics": ["AI tools", "culture"] if offset else ["social media"],
                "story": TEXTS[(2 * index + offset) % len(TEXTS)],
            }
            await surveys.respond_to_survey(
                container.uow(), person_actor(person), survey_id=survey.survey.id, answers=answers
            )
    await surveys.close_survey(container.uow(), coordinator, survey_id=survey.survey.id, expected_version=None)
    for relationship_id, junior, senior in pairs[:2]:
        story = await stories.write_story(
            container.uow(), person_actor(senior), program_id=program.id, relationship_id=relationship_id,
            title="What my mentor taught me", names_partner=True,
            text="I had not opened the intranet editor in years. Now I post every week, and people answer.",
        )  # fmt: skip
        await stories.consent_to_story(
            container.uow(), person_actor(junior), story_id=story.id, consent=True, expected_version=None
        )
        await stories.publish_story(container.uow(), coordinator, story_id=story.id, expected_version=None)
    return len(pairs)
