"""Success stories and recognitions (the rules are in :mod:`app.domain.stories`)."""

from __future__ import annotations

from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.enrollments import EnrollmentStatus
from app.domain.errors import forbidden, not_found
from app.domain.ports import EnrollmentFilter, Page, PageRequest, UnitOfWork
from app.domain.read_side import ProgramAccess
from app.domain.relationships import Relationship
from app.domain.stories import DEFAULT_INCENTIVE, Recognition, Story, earned_automatically
from app.services.common import ensure_version
from app.services.pairs import load_pair, load_program, require_member

_PARTICIPATED = frozenset({EnrollmentStatus.MATCHED, EnrollmentStatus.COMPLETED})


async def _access(uow: UnitOfWork, actor: Actor, program_id: UUID) -> ProgramAccess:
    access = await uow.queries.program_access(actor, program_id)
    if access is None:
        raise not_found("program", program_id)
    return access


async def _story(uow: UnitOfWork, actor: Actor, story_id: UUID) -> tuple[Story, ProgramAccess]:
    visible = await uow.queries.story(actor, story_id)
    story = await uow.stories.get(story_id) if visible is not None else None
    if story is None:
        raise not_found("story", story_id)
    return story, await _access(uow, actor, story.program_id)


async def write_story(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID,
    title: str,
    text: str,
    relationship_id: UUID | None = None,
    names_partner: bool = False,
) -> Story:
    """Write a success story: what you learned.

    - a participant of the program (an enrollment in it); about one of your relationships in it, if
      you like;
    - ``names_partner``: the story names your partner in that relationship, who must consent first;
    - then a coordinator approves it, and every employee can read it.
    """
    me = policies.require_person(actor)
    async with uow:
        await _access(uow, actor, program_id)
        partner_id = None
        if relationship_id is not None:
            relationship, _ = await load_pair(uow, actor, relationship_id)
            require_member(relationship, actor)
            if relationship.program_id != program_id:
                raise not_found("relationship", relationship_id)
            partner_id = relationship.partner_of(me) if names_partner else None
        else:
            mine = EnrollmentFilter(program_id=program_id, person_id=me, statuses=_PARTICIPATED)
            if not (await uow.queries.enrollments(actor, mine, PageRequest(limit=1))).items:
                raise forbidden("not_a_participant", "Only the program's participants write its stories.")
        story = Story.write(
            id=uow.ids.new_id(),
            program_id=program_id,
            author_id=me,
            title=title,
            text=text,
            now=uow.clock.now(),
            relationship_id=relationship_id,
            partner_id=partner_id,
            names_partner=names_partner,
        )
        uow.stories.add(story)
        await uow.commit()
        return story


async def consent_to_story(
    uow: UnitOfWork, actor: Actor, *, story_id: UUID, consent: bool, expected_version: int | None
) -> Story:
    """The partner a story names consents to it (it then waits for a coordinator) or declines
    (final: it is never published).

    - only the partner the story names (``not_the_named_partner``).
    """
    me = policies.require_person(actor)
    async with uow:
        story, _ = await _story(uow, actor, story_id)
        ensure_version(story, expected_version, "story")
        story.consent(me, given=consent)
        await uow.commit()
        return story


async def publish_story(uow: UnitOfWork, actor: Actor, *, story_id: UUID, expected_version: int | None) -> Story:
    """Approve and publish a story (or publish an unpublished one again): every employee can read it.

    - the program's coordinators (and admins); once the partner it names consented.
    """
    async with uow:
        story, access = await _story(uow, actor, story_id)
        policies.require(
            policies.can_approve_story(actor, access), "story_approve_forbidden", "Only coordinators publish stories."
        )
        ensure_version(story, expected_version, "story")
        story.publish(uow.clock.now())
        await uow.commit()
        return story


async def unpublish_story(uow: UnitOfWork, actor: Actor, *, story_id: UUID, expected_version: int | None) -> Story:
    """Take a published story down.

    - its author or the program's coordinators (and admins).
    """
    async with uow:
        story, access = await _story(uow, actor, story_id)
        policies.require(
            actor.person_id == story.author_id or policies.can_approve_story(actor, access),
            "story_edit_forbidden",
            "Only the author and the program's coordinators take a story down or delete it.",
        )
        ensure_version(story, expected_version, "story")
        story.unpublish()
        await uow.commit()
        return story


async def delete_story(uow: UnitOfWork, actor: Actor, *, story_id: UUID) -> None:
    """Delete a story for good (``story.deleted``).

    - its author or the program's coordinators (and admins).
    """
    async with uow:
        story, access = await _story(uow, actor, story_id)
        policies.require(
            actor.person_id == story.author_id or policies.can_approve_story(actor, access),
            "story_edit_forbidden",
            "Only the author and the program's coordinators take a story down or delete it.",
        )
        await uow.stories.remove(story)
        uow.record(story.deleted())
        await uow.commit()


async def get_story(uow: UnitOfWork, actor: Actor, *, story_id: UUID) -> Story:
    """Read a story.

    - published: every employee; otherwise its author, the partner it names and the program's
      coordinators (and admins); to anyone else it does not exist.
    """
    async with uow:
        story = await uow.queries.story(actor, story_id)
        if story is None:
            raise not_found("story", story_id)
        return story


async def list_stories(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID | None = None, page: PageRequest
) -> Page[Story]:
    """Stories, oldest first: the published ones, and those you may see before they are.

    - filter: ``program_id``.
    """
    async with uow:
        return await uow.queries.stories(actor, program_id, page)


# --- recognitions ---------------------------------------------------------------------------------
async def grant_on_completion(uow: UnitOfWork, relationship: Relationship) -> None:
    """Inside completing a relationship: when it completed with its goals achieved, each member is
    recognised with the program's first incentive (``completion`` if it lists none). No commit."""
    page = await uow.queries.goals(relationship.id, PageRequest(limit=200))
    if not earned_automatically(page.items):
        return
    program = await load_program(uow, relationship.program_id)
    incentive = program.incentives[0] if program.incentives else DEFAULT_INCENTIVE
    for person_id in relationship.member_ids:
        uow.recognitions.add(
            Recognition.grant(
                id=uow.ids.new_id(),
                program_id=relationship.program_id,
                person_id=person_id,
                relationship_id=relationship.id,
                relationship_completed=relationship.status == "completed",
                incentive=incentive,
                incentives=list(program.incentives),
                now=uow.clock.now(),
            )
        )


async def grant_recognition(
    uow: UnitOfWork, actor: Actor, *, relationship_id: UUID, person_id: UUID, incentive: str, note: str = ""
) -> Recognition:
    """Recognise a participant whose relationship completed, with one of the program's incentives
    (``recognition.granted`` tells HR systems).

    - the program's coordinators (and admins); the person is a member of the completed relationship.
    """
    me = policies.require_person(actor)
    async with uow:
        relationship, access = await load_pair(uow, actor, relationship_id)
        policies.require(
            policies.can_grant_recognition(actor, access.program),
            "recognition_grant_forbidden",
            "Only the program's coordinators grant recognitions.",
        )
        if not relationship.is_member(person_id):
            raise not_found("person", person_id)
        program = await load_program(uow, relationship.program_id)
        recognition = Recognition.grant(
            id=uow.ids.new_id(),
            program_id=relationship.program_id,
            person_id=person_id,
            relationship_id=relationship.id,
            relationship_completed=relationship.status == "completed",
            incentive=incentive,
            incentives=list(program.incentives),
            now=uow.clock.now(),
            granted_by=me,
            note=note,
        )
        uow.recognitions.add(recognition)
        await uow.commit()
        return recognition


async def list_recognitions(
    uow: UnitOfWork,
    actor: Actor,
    *,
    program_id: UUID | None = None,
    person_id: UUID | None = None,
    page: PageRequest,
) -> Page[Recognition]:
    """Recognitions, oldest first: your own, and those of the programs you coordinate.

    - filters: ``program_id``, ``person_id``.
    """
    async with uow:
        return await uow.queries.recognitions(actor, program_id, person_id, page)
