"""Program use cases: set-up by HR, lifecycle, and the open discussion of a draft proposal."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from app.domain import policies
from app.domain.actors import Actor
from app.domain.changes import Unset
from app.domain.errors import DomainError, FieldProblem, not_found
from app.domain.ports import Page, PageRequest, ProgramFilter, UnitOfWork
from app.domain.programs import Program, ProgramChanges, ProgramDraft, ProgramKind, ProgramStatus
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment, ReviewVerdict
from app.domain.read_side import ProgramAccess
from app.services.common import ensure_version


async def _load(uow: UnitOfWork, program_id: UUID, *, lock: bool = False) -> Program:
    program = await uow.programs.get(program_id, lock=lock)
    if program is None:
        raise not_found("program", program_id)
    return program


async def _access(uow: UnitOfWork, actor: Actor, program_id: UUID) -> ProgramAccess:
    """The caller's roles in the program, for a permission check (one narrow row)."""
    access = await uow.queries.program_access(actor, program_id)
    if access is None:
        raise not_found("program", program_id)
    return access


async def _ensure_people(uow: UnitOfWork, ids: Sequence[UUID] | Unset, path: str) -> None:
    if isinstance(ids, Unset) or not ids:
        return
    found = {p.id: p for p in await uow.people.get_many(list(ids))}
    problems = [
        FieldProblem(f"{path}[{i}]", "no such active person")
        for i, pid in enumerate(ids)
        if pid not in found or not found[pid].active
    ]
    if problems:
        raise DomainError(
            code="person_unknown", detail=f"Some {path} are not active people.", kind="invalid", errors=problems
        )


async def create_program(uow: UnitOfWork, actor: Actor, *, kind: ProgramKind, draft: ProgramDraft) -> Program:
    """Propose a new program; it starts as a draft open for comment.

    - admins and HR staff (the coordinator role), who must be in the directory themselves;
    - the proposer becomes its first coordinator when none is named;
    - coordinators and committee members must be active people, each named once;
    - the role-turn policy defaults to ``fixed`` for reverse programs and ``alternate(1)`` for
      reciprocal ones; policy and matching rules are validated.
    """
    proposer = policies.require_program_proposer(actor)
    async with uow:
        await _ensure_people(uow, draft.coordinator_ids, "coordinator_ids")
        await _ensure_people(uow, draft.committee_member_ids, "committee_member_ids")
        program = Program.propose(
            id=uow.ids.new_id(),
            kind=kind,
            draft=draft,
            created_by=proposer,
            now=uow.clock.now(),
            new_id=uow.ids.new_id,
        )
        uow.programs.add(program)
        await uow.commit()
        return program


async def get_program(uow: UnitOfWork, actor: Actor, *, program_id: UUID) -> Program:
    """Read a program: its settings, objectives, lifecycle status and staff.

    - every employee may: programs are announced, drafts included, so that they can be discussed.
    """
    async with uow:
        program = await uow.queries.program(program_id)
        if program is None:
            raise not_found("program", program_id)
        policies.require(policies.can_read_program(actor, program), "program_hidden", "You cannot see this program.")
        return program


async def list_programs(uow: UnitOfWork, actor: Actor, *, flt: ProgramFilter, page: PageRequest) -> Page[Program]:
    """Programs are announced to every employee; drafts included, so that they can be discussed."""
    async with uow:
        return await uow.queries.programs(flt, page)


async def update_program(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, changes: ProgramChanges, expected_version: int | None
) -> Program:
    """Change a program's settings.

    - admins and the program's own coordinators; participants cannot;
    - a program keeps at least one coordinator; coordinators and committee members are active people;
    - objectives keep their ids: name an existing one by its ``id``; objectives left out are
      removed, and the learning goals linked to a removed objective lose the link;
    - structural settings (policy, matching rules, capacity, training, cadence) freeze once active;
    - a closed program does not change.
    """
    async with uow:
        program = await _load(uow, program_id)
        policies.require(
            policies.can_edit_program(actor, program),
            "program_edit_forbidden",
            "Only the program's coordinators and admins edit it.",
        )
        ensure_version(program, expected_version, "program")
        await _ensure_people(uow, changes.coordinator_ids, "coordinator_ids")
        await _ensure_people(uow, changes.committee_member_ids, "committee_member_ids")
        program.update(changes, now=uow.clock.now(), new_id=uow.ids.new_id)
        await uow.commit()
        return program


async def transition_program(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, to: ProgramStatus, expected_version: int | None
) -> Program:
    """Move a program along its lifecycle; only legal moves (``illegal_program_transition``)."""
    async with uow:
        program = await _load(uow, program_id)
        policies.require(
            policies.can_edit_program(actor, program),
            "program_edit_forbidden",
            "Only the program's coordinators and admins move it.",
        )
        ensure_version(program, expected_version, "program")
        program.transition(to, now=uow.clock.now())
        await uow.commit()
        return program


async def comment_on_proposal(uow: UnitOfWork, actor: Actor, *, program_id: UUID, body: str) -> ProposalComment:
    """Any employee may comment on a draft program."""
    author_id = policies.require_person(actor)
    async with uow:
        program = await _load(uow, program_id)
        policies.require(
            policies.can_comment_on_proposal(actor, program), "comment_forbidden", "You cannot comment here."
        )
        comment = program.comment(comment_id=uow.ids.new_id(), author_id=author_id, body=body, now=uow.clock.now())
        await uow.programs.add_comment(comment)
        await uow.commit()
        return comment


async def list_comments(uow: UnitOfWork, actor: Actor, *, program_id: UUID, page: PageRequest) -> Page[ProposalComment]:
    """The comments on a program proposal, oldest first; every employee may read them."""
    async with uow:
        program = await _access(uow, actor, program_id)
        policies.require(policies.can_read_program(actor, program), "program_hidden", "You cannot see this program.")
        return await uow.queries.comments(program_id, page)


async def review_proposal(
    uow: UnitOfWork, actor: Actor, *, program_id: UUID, verdict: ReviewVerdict, body: str
) -> CommitteeReview:
    """Advisory committee members review a draft before launch."""
    async with uow:
        program = await _load(uow, program_id)
        policies.require(
            policies.can_review_proposal(actor, program),
            "not_committee_member",
            "Only the program's advisory committee reviews it.",
        )
        assert actor.person_id is not None
        review = program.review(
            review_id=uow.ids.new_id(), reviewer_id=actor.person_id, verdict=verdict, body=body, now=uow.clock.now()
        )
        await uow.programs.add_review(review)
        await uow.commit()
        return review


async def list_reviews(uow: UnitOfWork, actor: Actor, *, program_id: UUID, page: PageRequest) -> Page[CommitteeReview]:
    """The advisory committee's reviews of a program, oldest first.

    - the committee members and the program's coordinators (and admins).
    """
    async with uow:
        program = await _access(uow, actor, program_id)
        policies.require(
            policies.can_read_reviews(actor, program),
            "reviews_restricted",
            "Reviews are for the committee and coordinators.",
        )
        return await uow.queries.reviews(program_id, page)


async def invite(uow: UnitOfWork, actor: Actor, *, program_id: UUID, person_id: UUID, message: str) -> Invitation:
    """Coordinators invite people to apply; the invitee decides (an invitation enrols nobody).

    - the program's coordinators and admins, while the program is a draft or enrolling;
    - the invitee is an active person.
    """
    async with uow:
        program = await _load(uow, program_id)
        policies.require(
            policies.can_invite(actor, program), "invite_forbidden", "Only the program's coordinators invite."
        )
        await _ensure_people(uow, [person_id], "person_id")
        invitation = program.invite(
            invitation_id=uow.ids.new_id(),
            person_id=person_id,
            invited_by=actor.person_id,
            message=message,
            now=uow.clock.now(),
        )
        await uow.programs.add_invitation(invitation)
        await uow.commit()
        return invitation


async def list_invitations(uow: UnitOfWork, actor: Actor, *, program_id: UUID, page: PageRequest) -> Page[Invitation]:
    """The invitations to apply that a program's coordinators sent, oldest first.

    - the program's coordinators and admins.
    """
    async with uow:
        program = await _access(uow, actor, program_id)
        policies.require(
            policies.can_invite(actor, program), "invite_forbidden", "Only the program's coordinators see invitations."
        )
        return await uow.queries.invitations(program_id, page)
