"""Who may do what. Services call these; REST and GraphQL therefore cannot disagree.

The default policy of DOMAIN.md ("Who may see what"):
- a participant sees their own profile and enrollments, their partners' work profiles, the shared
  notes and goals of their own relationships, their own private reflections, published stories;
- a coordinator sees everything of their programs except private reflections and survey identities;
- an admin sees what coordinators see in every program and manages people, webhooks and API keys;
- nobody, admins included, reads another person's private reflection or de-anonymises a survey.
Integrations (HRIS, LMS) may upsert people and record training.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol
from uuid import UUID

from app.domain.actors import Actor, Role, Scope
from app.domain.errors import DomainError, forbidden
from app.domain.programs import proposer_of


class Program(Protocol):
    """What the policies ask of a program: a loaded ``programs.Program``, or the narrow
    ``read_side.ProgramAccess`` row a permission check reads instead."""

    def is_coordinator(self, person_id: UUID | None) -> bool: ...
    def is_committee_member(self, person_id: UUID | None) -> bool: ...


def require(allowed: bool, code: str, detail: str) -> None:
    if not allowed:
        raise forbidden(code, detail)


def require_person(actor: Actor) -> UUID:
    """The caller must be an employee known to Turnabout (linked to a person record)."""
    if actor.person_id is None:
        raise DomainError(
            code="actor_not_a_person",
            detail="This identity is not linked to a person; ask an admin to add you to the directory.",
            kind="forbidden",
        )
    return actor.person_id


# --- people -------------------------------------------------------------------------------------
def can_manage_people(actor: Actor) -> bool:
    return actor.is_admin or (actor.is_integration and actor.allows(Scope.PEOPLE_WRITE))


def can_browse_directory(actor: Actor) -> bool:
    """Listing and searching people: HR staff, admins and the HRIS — not every employee."""
    if actor.is_integration:
        return actor.allows(Scope.PEOPLE_READ) or actor.allows(Scope.PEOPLE_WRITE)
    return actor.is_admin or actor.has(Role.COORDINATOR)


def can_read_person(actor: Actor, person_id: UUID, *, partner_ids: Collection[UUID] = ()) -> bool:
    return actor.person_id == person_id or can_browse_directory(actor) or person_id in partner_ids


def can_read_private_attributes(actor: Actor, person_id: UUID) -> bool:
    """Self-identified attributes (special-category data) are the person's own: nobody else reads
    them — not an admin, not a coordinator, not an integration, whatever its scopes."""
    return actor.person_id is not None and actor.person_id == person_id and not actor.is_integration


# --- identities and API keys ---------------------------------------------------------------------
def can_manage_identities(actor: Actor) -> bool:
    """Listing and unlinking a person's sign-in identities: admins who are people, never integrations."""
    return actor.is_admin and not actor.is_integration


def can_manage_api_keys(actor: Actor) -> bool:
    """API keys are created, listed and revoked by admins signed in as themselves."""
    return actor.is_admin and not actor.is_integration


# --- skills -------------------------------------------------------------------------------------
def can_manage_skills(actor: Actor) -> bool:
    return actor.is_admin or actor.has(Role.COORDINATOR)


def can_operate_jobs(actor: Actor) -> bool:
    """Jobs (their payloads name people and pairs, their errors name systems) are for admins."""
    return actor.is_admin


# --- programs -----------------------------------------------------------------------------------
def can_create_program(actor: Actor) -> bool:
    return actor.is_admin or actor.has(Role.COORDINATOR)


def require_program_proposer(actor: Actor) -> UUID:
    """Admins and HR staff propose programs, and only as people in the directory."""
    require(can_create_program(actor), "program_create_forbidden", "Only admins and HR staff create programs.")
    return proposer_of(actor.person_id)


def is_program_staff(actor: Actor, program: Program) -> bool:
    """Admins and the program's own coordinators."""
    return actor.is_admin or program.is_coordinator(actor.person_id)


def can_edit_program(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program)


def can_read_program(actor: Actor, program: Program) -> bool:
    # Programs are announced to all employees, drafts included: the proposal is open for comment.
    # Integrations read them with the ``programs:read`` scope.
    return not actor.is_integration or actor.allows(Scope.PROGRAMS_READ)


def can_comment_on_proposal(actor: Actor, program: Program) -> bool:
    return actor.person_id is not None


def can_review_proposal(actor: Actor, program: Program) -> bool:
    return program.is_committee_member(actor.person_id)


def can_read_reviews(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program) or program.is_committee_member(actor.person_id)


# --- enrollments --------------------------------------------------------------------------------
def can_enrol(actor: Actor, program: Program, person_id: UUID) -> bool:
    """Voluntary: only the person themself — never a coordinator, an admin or an integration."""
    return actor.person_id is not None and actor.person_id == person_id


def can_invite(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program)


def can_read_enrollment(actor: Actor, program: Program, person_id: UUID) -> bool:
    return actor.person_id == person_id or is_program_staff(actor, program)


def can_list_enrollments(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program)


def can_edit_enrollment_profile(actor: Actor, person_id: UUID) -> bool:
    return actor.person_id == person_id


def can_approve_enrollment(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program)


def can_withdraw_enrollment(actor: Actor, program: Program, person_id: UUID) -> bool:
    return actor.person_id == person_id or is_program_staff(actor, program)


def can_record_training(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program) or (actor.is_integration and actor.allows(Scope.ENROLLMENTS_WRITE))


# --- relationships, role-turns, meetings, goals ---------------------------------------------------
def can_pair(actor: Actor, program: Program) -> bool:
    """Manual pairs (and publishing a matching run): the program's coordinators and admins."""
    return is_program_staff(actor, program)


def can_read_relationship(actor: Actor, program: Program, member_ids: Collection[UUID]) -> bool:
    """The two members and the program's staff. Anyone else is told it does not exist."""
    return (actor.person_id is not None and actor.person_id in member_ids) or is_program_staff(actor, program)


def can_steer_relationship(actor: Actor, program: Program, member_ids: Collection[UUID]) -> bool:
    """Pause, resume, complete: either member (a pair decides its own rhythm) or the staff."""
    return (actor.person_id is not None and actor.person_id in member_ids) or is_program_staff(actor, program)


def can_end_relationship(actor: Actor, program: Program) -> bool:
    """Ending early (mismatch, rematch, other) is the coordinators' call, after a confidential
    concern or a rematch request; members ask, they do not end it unilaterally."""
    return is_program_staff(actor, program)


def can_read_reflection(actor: Actor, author_id: UUID) -> bool:
    """A private reflection is read by its author, and by nobody else — admins included."""
    return actor.person_id is not None and actor.person_id == author_id


# --- webhooks -----------------------------------------------------------------------------------
def can_manage_webhooks(actor: Actor) -> bool:
    """Webhook endpoints, their secrets and delivery logs: admins, and integrations (API keys,
    service clients) holding the ``webhooks:manage`` scope."""
    return actor.is_admin or (actor.is_integration and actor.allows(Scope.WEBHOOKS_MANAGE))


# --- feedback -----------------------------------------------------------------------------------
def can_read_checkin(actor: Actor, program: Program, author_id: UUID) -> bool:
    """The author and the program's staff; the partner never (``queries.feedback.checkin_visible``)."""
    return (actor.person_id is not None and actor.person_id == author_id) or is_program_staff(actor, program)


def can_manage_survey(actor: Actor, program: Program) -> bool:
    """Coordinators write (with their advisory committee), open and close the program's survey."""
    return is_program_staff(actor, program)


def can_read_survey(actor: Actor, program: Program) -> bool:
    """The questions and the k-anonymous aggregates: the staff and the advisory committee. Nobody
    — admins included — reads a single response: the read side has no such query."""
    return is_program_staff(actor, program) or program.is_committee_member(actor.person_id)


def can_read_concern(actor: Actor, program: Program, raised_by: UUID) -> bool:
    """The raiser and the program's own coordinators — not admins: a confidential channel to HR
    stays confidential from the platform's operators (``queries.feedback.concern_visible``)."""
    return actor.person_id is not None and (actor.person_id == raised_by or program.is_coordinator(actor.person_id))


def can_handle_concern(actor: Actor, program: Program) -> bool:
    return actor.person_id is not None and program.is_coordinator(actor.person_id)


def can_read_story(
    actor: Actor, program: Program, *, published: bool, author_id: UUID, partner_id: UUID | None
) -> bool:
    """Published stories are for every employee (and integrations: the intranet shows them); the
    others for their author, the partner they name and the program's staff."""
    if published and (actor.person_id is not None or actor.is_integration):
        return True
    named = actor.person_id is not None and actor.person_id in (author_id, partner_id)
    return named or is_program_staff(actor, program)


def can_approve_story(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program)


def can_read_recognition(actor: Actor, program: Program, person_id: UUID) -> bool:
    return actor.person_id == person_id or is_program_staff(actor, program)


def can_grant_recognition(actor: Actor, program: Program) -> bool:
    return is_program_staff(actor, program)


def can_read_metrics(actor: Actor, program: Program) -> bool:
    """Program metrics (aggregates only, small cells withheld): the staff, the advisory committee and
    integrations (HR dashboards)."""
    return is_program_staff(actor, program) or program.is_committee_member(actor.person_id) or actor.is_integration


def can_read_organisation_metrics(actor: Actor) -> bool:
    """The organisation-wide metrics: admins and integrations (HR dashboards)."""
    return actor.is_admin or actor.is_integration
