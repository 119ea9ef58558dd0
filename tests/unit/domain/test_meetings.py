"""Meeting: scheduling, status, leader of the turn, notes, resources and private reflections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from app.domain.errors import DomainError
from app.domain.events import (
    MeetingCancelled,
    MeetingHeld,
    MeetingMissed,
    MeetingRescheduled,
    MeetingScheduled,
)
from app.domain.meetings import Meeting, Resource
from app.domain.role_turns import MeetingEntry

A = UUID(int=1)
B = UUID(int=2)
STRANGER = UUID(int=3)
MEETING = UUID(int=40)
REL = UUID(int=10)
PROGRAM = UUID(int=20)
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
STARTS = NOW + timedelta(days=2)


def scheduled(starts_at: datetime = STARTS, **kwargs: object) -> Meeting:
    arguments: dict[str, object] = {
        "id": MEETING,
        "relationship_id": REL,
        "program_id": PROGRAM,
        "member_ids": (A, B),
        "starts_at": starts_at,
        "duration_minutes": 45,
        "mode": "video",
        "planned_leader_id": A,
        "now": NOW,
    }
    arguments.update(kwargs)
    return Meeting.schedule(**arguments)  # type: ignore[arg-type]


def held(led_by: UUID | None = None) -> Meeting:
    meeting = scheduled()
    meeting.mark_held(STARTS + timedelta(hours=1), led_by)
    meeting.events.clear()
    return meeting


def code_of(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str]:
    return error.value.code, error.value.kind


def test_scheduling_records_the_planned_leader() -> None:
    meeting = scheduled(agenda="Intro to generative AI")
    assert (meeting.status, meeting.planned_leader_id, meeting.agenda) == (
        "scheduled",
        A,
        "Intro to generative AI",
    )
    assert meeting.ends_at == STARTS + timedelta(minutes=45)
    assert meeting.events == [
        MeetingScheduled(
            relationship_id=REL,
            program_id=PROGRAM,
            meeting_id=MEETING,
            starts_at=STARTS,
            leader_id=A,
        )
    ]


@pytest.mark.parametrize(
    ("kwargs", "code", "kind"),
    [
        ({"starts_at": datetime(2025, 3, 5, 9, 0)}, "naive_datetime", "invalid"),
        ({"duration_minutes": 4}, "duration_out_of_range", "invalid"),
        ({"duration_minutes": 481}, "duration_out_of_range", "invalid"),
        ({"mode": "carrier_pigeon"}, "meeting_mode_invalid", "invalid"),
        ({"planned_leader_id": STRANGER}, "not_a_member", "forbidden"),
    ],
)
def test_scheduling_checks_its_values(kwargs: dict[str, object], code: str, kind: str) -> None:
    with pytest.raises(DomainError) as error:
        scheduled(**kwargs)  # type: ignore[arg-type]
    assert code_of(error) == (code, kind)


def test_a_meeting_may_be_recorded_after_the_fact() -> None:
    meeting = scheduled(starts_at=NOW - timedelta(days=1))
    meeting.mark_held(NOW)
    assert meeting.status == "held"


def test_a_held_meeting_defaults_to_the_planned_leader() -> None:
    meeting = scheduled()
    meeting.mark_held(STARTS + timedelta(hours=1))
    assert (meeting.led_by, meeting.drifted) == (A, False)
    assert meeting.events[-1] == MeetingHeld(relationship_id=REL, program_id=PROGRAM, meeting_id=MEETING, led_by=A)


def test_the_other_member_may_lead_which_is_drift() -> None:
    meeting = held(led_by=B)
    assert (meeting.led_by, meeting.drifted) == (B, True)


def test_a_stranger_cannot_have_led() -> None:
    with pytest.raises(DomainError) as error:
        scheduled().mark_held(STARTS, STRANGER)
    assert code_of(error) == ("not_a_member", "forbidden")


@pytest.mark.parametrize("action", ["mark_held", "mark_missed"])
def test_a_future_meeting_can_be_neither_held_nor_missed(action: str) -> None:
    meeting = scheduled()
    with pytest.raises(DomainError) as error:
        getattr(meeting, action)(STARTS - timedelta(minutes=1))
    assert code_of(error) == ("meeting_in_future", "conflict")
    assert meeting.status == "scheduled"


def test_cancel_and_miss_record_their_events() -> None:
    cancelled, missed = scheduled(), scheduled()
    cancelled.cancel(NOW)
    missed.mark_missed(STARTS + timedelta(hours=2))
    assert isinstance(cancelled.events[-1], MeetingCancelled)
    assert isinstance(missed.events[-1], MeetingMissed)
    assert (cancelled.status, missed.status) == ("cancelled", "missed")
    assert cancelled.led_by is None and missed.led_by is None


@pytest.mark.parametrize("final", ["held", "cancelled", "missed"])
@pytest.mark.parametrize("action", ["held", "cancelled", "missed", "rescheduled"])
def test_held_cancelled_and_missed_are_final(final: str, action: str) -> None:
    meeting = scheduled()
    later = STARTS + timedelta(hours=1)
    {
        "held": meeting.mark_held,
        "cancelled": meeting.cancel,
        "missed": meeting.mark_missed,
    }[final](later)
    act = {
        "held": lambda: meeting.mark_held(later),
        "cancelled": lambda: meeting.cancel(later),
        "missed": lambda: meeting.mark_missed(later),
        "rescheduled": lambda: meeting.reschedule(later, later),
    }[action]
    with pytest.raises(DomainError) as error:
        act()
    assert code_of(error) == ("illegal_meeting_transition", "conflict")


def test_rescheduling_moves_a_scheduled_meeting() -> None:
    meeting = scheduled()
    moved = STARTS + timedelta(days=3)
    meeting.reschedule(moved, NOW, duration_minutes=60)
    assert (meeting.starts_at, meeting.duration_minutes) == (moved, 60)
    assert meeting.events[-1] == MeetingRescheduled(
        relationship_id=REL, program_id=PROGRAM, meeting_id=MEETING, starts_at=moved
    )


def test_the_projected_leader_is_replanned_while_scheduled() -> None:
    meeting = scheduled()
    assert meeting.replan_leader(B) is True
    assert meeting.replan_leader(B) is False
    assert meeting.planned_leader_id == B
    with pytest.raises(DomainError, match="illegal_meeting_transition"):
        held().replan_leader(A)


def test_members_share_notes_and_resources() -> None:
    meeting = held()
    meeting.update_notes(B, "Tried three prompt patterns.", NOW)
    resource = meeting.add_resource(A, Resource("Prompting guide", "https://example.org/guide", "material"), NOW)
    assert meeting.shared_notes == "Tried three prompt patterns."
    assert resource.suggested_by == A and meeting.resources == [resource]
    with pytest.raises(DomainError) as error:
        meeting.update_notes(STRANGER, "hi", NOW)
    assert code_of(error) == ("not_a_member", "forbidden")


def test_a_cancelled_meeting_takes_no_notes() -> None:
    meeting = scheduled()
    meeting.cancel(NOW)
    with pytest.raises(DomainError, match="meeting_cancelled"):
        meeting.update_notes(A, "x", NOW)


@pytest.mark.parametrize(
    ("title", "url", "kind", "code"),
    [
        (" ", "https://x", "material", "resource_title_required"),
        ("Guide", "", "material", "resource_url_required"),
        ("Guide", "https://x", "book", "resource_kind_invalid"),
    ],
)
def test_resources_are_checked(title: str, url: str, kind: str, code: str) -> None:
    with pytest.raises(DomainError) as error:
        Resource(title, url, kind)  # type: ignore[arg-type]
    assert code_of(error) == (code, "invalid")


def test_a_private_reflection_is_read_only_by_its_author() -> None:
    meeting = held()
    meeting.write_reflection(A, "I over-explained.", NOW)
    assert meeting.reflection_for(B) is None
    assert meeting.reflection_for(STRANGER) is None
    own = meeting.reflection_for(A)
    assert own is not None and own.text == "I over-explained."
    meeting.write_reflection(B, "Learnt a lot.", NOW)
    other = meeting.reflection_for(B)
    assert other is not None and other.author_id == B
    assert "over-explained" not in repr(meeting)


def test_reflections_come_after_the_meeting_and_from_members() -> None:
    with pytest.raises(DomainError, match="meeting_not_held"):
        scheduled().write_reflection(A, "early", NOW)
    with pytest.raises(DomainError) as error:
        held().write_reflection(STRANGER, "snoop", NOW)
    assert code_of(error) == ("not_a_member", "forbidden")
    with pytest.raises(DomainError, match="reflection_blank"):
        held().write_reflection(A, "  ", NOW)


def test_a_meeting_reads_as_a_role_turn_entry() -> None:
    assert MeetingEntry.of(held(led_by=B)) == MeetingEntry(MEETING, STARTS, "held", B)
