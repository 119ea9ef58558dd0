""" "Who may see what" (``app.domain.policies``) as SQL filters.

Caller-level facts (is an admin, may browse the directory) are asked of the policies themselves;
what depends on rows (membership, coordinating the program, having been paired) is compiled here.
``tests/integration/test_visibility_rules.py`` proves, for every kind of caller on a seeded
organisation, that these filters admit exactly what the policy functions allow.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, and_, exists, false, or_, select, true

from app.adapters.persistence.tables import ProgramStaffRow, RelationshipRow
from app.domain import policies
from app.domain.actors import Actor

staff: Table = ProgramStaffRow.__table__  # type: ignore[attr-defined]
relationships: Table = RelationshipRow.__table__  # type: ignore[attr-defined]


def caller_has_role(actor: Actor, program_id: Any, role: str) -> ColumnElement[bool]:
    """The caller holds ``role`` (coordinator | committee) in the program of ``program_id``."""
    if actor.person_id is None:
        return false()
    return exists(
        select(staff.c.person_id).where(
            staff.c.program_id == program_id, staff.c.person_id == actor.person_id, staff.c.role == role
        )
    )


def program_staff(actor: Actor, program_id: Any) -> ColumnElement[bool]:
    """``policies.is_program_staff``: admins, and the program's coordinators."""
    if actor.is_admin:
        return true()
    return caller_has_role(actor, program_id, "coordinator")


def relationship_visible(actor: Actor, member_a: Any, member_b: Any, program_id: Any) -> ColumnElement[bool]:
    """``policies.can_read_relationship``: the two members and the program's staff."""
    if actor.is_admin:
        return true()
    if actor.person_id is None:
        return false()
    return or_(member_a == actor.person_id, member_b == actor.person_id, program_staff(actor, program_id))


def person_visible(actor: Actor, person_id: Any) -> ColumnElement[bool]:
    """``policies.can_read_person``: yourself, HR staff and admins, and anyone you are or were paired
    with."""
    if policies.can_browse_directory(actor):
        return true()
    if actor.person_id is None:
        return false()
    me = actor.person_id
    paired = exists(
        select(relationships.c.id).where(
            or_(
                and_(relationships.c.member_a_id == me, relationships.c.member_b_id == person_id),
                and_(relationships.c.member_b_id == me, relationships.c.member_a_id == person_id),
            )
        )
    )
    return or_(person_id == me, paired)


def enrollment_visible(actor: Actor, person_id: Any, program_id: Any) -> ColumnElement[bool]:
    """``policies.can_read_enrollment``: the person enrolled, and the program's staff."""
    if actor.is_admin:
        return true()
    if actor.person_id is None:
        return false()
    return or_(person_id == actor.person_id, program_staff(actor, program_id))
