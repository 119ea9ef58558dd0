"""Every event type the service announces is raised by the change that causes it.

One scenario per event type: the domain change that must announce it, on fresh aggregates. Take
an emission out of the domain and its scenario fails; add an event type without a scenario and
the catalogue check below fails. (Services add no events of their own: creations are announced by
the domain's factories too.)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from itertools import count
from uuid import UUID

import pytest

from app.domain import api_keys, events, identities
from app.domain.checkins import MISSED_AFTER_DAYS, CheckIn
from app.domain.concerns import Concern
from app.domain.enrollments import Enrollment, Profile, RolePreference
from app.domain.events import DomainEvent
from app.domain.goals import LearningGoal
from app.domain.matching import solve
from app.domain.matching_runs import MatchingRun
from app.domain.meetings import Meeting
from app.domain.people import Person, PersonChanges, PersonDetails
from app.domain.programs import Program, ProgramChanges, ProgramDraft, ProgramKind, ProgramStatus
from app.domain.proposals import ReviewVerdict
from app.domain.relationships import Agreement, Relationship
from app.domain.stories import Recognition, Story
from app.domain.surveys import Question, Survey
from app.domain.turn_policies import TurnPolicy
from app.domain.webhooks import WebhookEndpoint

NOW = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
_ids = count(1)
JUNIOR, SENIOR = UUID(int=1), UUID(int=2)


def new_id() -> UUID:
    return UUID(int=1000 + next(_ids))


def person() -> Person:
    details = PersonDetails(email="sam@example.com", given_name="Sam", family_name="Junior")
    return Person.create(id=new_id(), details=details, now=NOW)


def program(status: ProgramStatus = ProgramStatus.DRAFT, committee: tuple[UUID, ...] = ()) -> Program:
    draft = ProgramDraft(
        name="Exchange",
        cycle_start=date(2027, 1, 11),
        cycle_end=date(2027, 6, 30),
        coordinator_ids=[SENIOR],
        committee_member_ids=committee,
    )
    made = Program.propose(
        id=new_id(), kind=ProgramKind.RECIPROCAL, draft=draft, created_by=SENIOR, now=NOW, new_id=new_id
    )
    made.status = status
    return made


def enrollment() -> Enrollment:
    profile = Profile(role_preference=RolePreference.BOTH)
    return Enrollment.apply(
        enrollment_id=new_id(), program_id=new_id(), kind=ProgramKind.RECIPROCAL, person_id=JUNIOR, profile=profile,
        now=NOW,
    )  # fmt: skip


def approved(training_required: bool = False) -> Enrollment:
    made = enrollment()
    made.approve(training_required=training_required, admitted_count=0, pilot_capacity=None, now=NOW)
    return made


def relationship(policy: str = "alternate(1)", *, active: bool = True) -> Relationship:
    made = Relationship.propose(
        id=new_id(), program_id=new_id(), member_a_id=JUNIOR, member_b_id=SENIOR, designated_mentor_id=SENIOR,
        senior_member_id=SENIOR, program_policy=TurnPolicy.parse(policy), source="manual", now=NOW,
        agreement=Agreement(cadence_days=14),
    )  # fmt: skip
    if active:
        made.accept(JUNIOR, NOW)
        made.accept(SENIOR, NOW)
    return made


def meeting(starts_at: datetime = NOW - timedelta(hours=1)) -> Meeting:
    return relationship().schedule_meeting(
        by=JUNIOR, meeting_id=new_id(), meetings=[], starts_at=starts_at, duration_minutes=45, mode="video",
        agenda="", now=NOW,
    )  # fmt: skip


def goal() -> LearningGoal:
    return LearningGoal.create(
        id=new_id(), relationship_id=new_id(), program_id=new_id(), owner_id=JUNIOR, partner_id=SENIOR,
        title="Reels", success_criteria="", now=NOW,
    )  # fmt: skip


def running_run() -> MatchingRun:
    run = MatchingRun(id=new_id(), program_id=new_id(), started_by=SENIOR, created_at=NOW)
    run.start(pool_size=0, now=NOW)
    return run


def raised(aggregate: object, change: Callable[[], object]) -> list[DomainEvent]:
    """The events ``change`` raises on ``aggregate`` (what it raised before is set aside)."""
    pending: list[DomainEvent] = aggregate.events  # type: ignore[attr-defined]
    pending.clear()
    change()
    return list(pending)


SCENARIOS: dict[type[DomainEvent], Callable[[], list[DomainEvent]]] = {}


def announces(
    event_type: type[DomainEvent],
) -> Callable[[Callable[[], list[DomainEvent]]], Callable[[], list[DomainEvent]]]:
    def register(scenario: Callable[[], list[DomainEvent]]) -> Callable[[], list[DomainEvent]]:
        SCENARIOS[event_type] = scenario
        return scenario

    return register


# --- people ---------------------------------------------------------------------------------------
@announces(events.PersonCreated)
def person_created() -> list[DomainEvent]:
    return list(person().events)


@announces(events.PersonUpdated)
def person_updated() -> list[DomainEvent]:
    sam = person()
    return raised(sam, lambda: sam.update(PersonChanges(department="Ops"), now=NOW))


@announces(events.PersonDeactivated)
def person_deactivated() -> list[DomainEvent]:
    sam = person()
    return raised(sam, lambda: sam.deactivate(now=NOW))


@announces(events.PersonReactivated)
def person_reactivated() -> list[DomainEvent]:
    sam = person()
    sam.deactivate(now=NOW)
    return raised(sam, lambda: sam.reactivate(now=NOW))


# --- programs -------------------------------------------------------------------------------------
@announces(events.ProgramCreated)
def program_created() -> list[DomainEvent]:
    return list(program().events)


@announces(events.ProgramUpdated)
def program_updated() -> list[DomainEvent]:
    made = program()
    return raised(made, lambda: made.update(ProgramChanges(name="Renamed"), now=NOW, new_id=new_id))


@announces(events.ProgramStatusChanged)
def program_status_changed() -> list[DomainEvent]:
    made = program()
    return raised(made, lambda: made.transition(ProgramStatus.ENROLLING, now=NOW))


@announces(events.ProposalCommented)
def proposal_commented() -> list[DomainEvent]:
    made = program()
    return raised(made, lambda: made.comment(comment_id=new_id(), author_id=JUNIOR, body="Yes", now=NOW))


@announces(events.ProposalReviewed)
def proposal_reviewed() -> list[DomainEvent]:
    made = program(committee=(JUNIOR,))
    verdict = ReviewVerdict.ENDORSE
    return raised(made, lambda: made.review(review_id=new_id(), reviewer_id=JUNIOR, verdict=verdict, body="", now=NOW))


# --- enrollments ----------------------------------------------------------------------------------
@announces(events.EnrollmentInvited)
def enrollment_invited() -> list[DomainEvent]:
    made = program(ProgramStatus.ENROLLING)
    return raised(
        made, lambda: made.invite(invitation_id=new_id(), person_id=JUNIOR, invited_by=SENIOR, message="", now=NOW)
    )


@announces(events.EnrollmentApplied)
def enrollment_applied() -> list[DomainEvent]:
    return list(enrollment().events)


@announces(events.EnrollmentStatusChanged)
def enrollment_status_changed() -> list[DomainEvent]:
    applied = enrollment()
    return raised(applied, lambda: applied.withdraw(reason=None, now=NOW))


@announces(events.TrainingCompleted)
def training_completed() -> list[DomainEvent]:
    waiting = approved(training_required=True)
    return raised(waiting, lambda: waiting.complete_training(training_required=True, now=NOW))


# --- relationships --------------------------------------------------------------------------------
@announces(events.RelationshipProposed)
def relationship_proposed() -> list[DomainEvent]:
    return list(relationship(active=False).events)


@announces(events.RelationshipAccepted)
def relationship_accepted() -> list[DomainEvent]:
    pair = relationship(active=False)
    return raised(pair, lambda: pair.accept(JUNIOR, NOW))


@announces(events.RelationshipActivated)
def relationship_activated() -> list[DomainEvent]:
    pair = relationship(active=False)
    pair.accept(JUNIOR, NOW)
    return raised(pair, lambda: pair.accept(SENIOR, NOW))


@announces(events.RelationshipPaused)
def relationship_paused() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.pause(NOW))


@announces(events.RelationshipResumed)
def relationship_resumed() -> list[DomainEvent]:
    pair = relationship()
    pair.pause(NOW)
    return raised(pair, lambda: pair.resume(NOW))


@announces(events.RelationshipCompleted)
def relationship_completed() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.complete(NOW))


@announces(events.RelationshipEnded)
def relationship_ended() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.end("mismatch", NOW))


@announces(events.RelationshipAtRisk)
def relationship_at_risk() -> list[DomainEvent]:
    pair = relationship()  # cadence 14 days: nothing held for 25 days is overdue, not yet stalled
    return raised(pair, lambda: pair.observe_health(pair.health([], NOW + timedelta(days=25))))


@announces(events.RelationshipStalled)
def relationship_stalled() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.observe_health(pair.health([], NOW + timedelta(days=60))))


@announces(events.RelationshipAgreementUpdated)
def relationship_agreement_updated() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.update_agreement(JUNIOR, Agreement(cadence_days=7), NOW))


# --- role-turns -----------------------------------------------------------------------------------
def policy_proposal_then(decision: str) -> list[DomainEvent]:
    pair = relationship()
    pair.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW)
    decide = {
        "accept": lambda: pair.accept_policy(SENIOR, 0, NOW),
        "decline": lambda: pair.decline_policy(SENIOR),
        "withdraw": lambda: pair.withdraw_policy(JUNIOR),
    }[decision]
    return raised(pair, decide)


def swap_then(decision: str) -> list[DomainEvent]:
    pair = relationship()
    swap = new_id()
    pair.request_swap(JUNIOR, swap, NOW)
    decide = {
        "accept": lambda: pair.accept_swap(SENIOR, swap, 0, NOW),
        "decline": lambda: pair.decline_swap(SENIOR, swap, NOW),
        "withdraw": lambda: pair.withdraw_swap(JUNIOR, swap, NOW),
    }[decision]
    return raised(pair, decide)


@announces(events.TurnPolicyProposed)
def turn_policy_proposed() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.propose_policy(JUNIOR, TurnPolicy.fixed(), NOW))


SCENARIOS[events.TurnPolicyChanged] = lambda: policy_proposal_then("accept")
SCENARIOS[events.TurnPolicyDeclined] = lambda: policy_proposal_then("decline")
SCENARIOS[events.TurnPolicyWithdrawn] = lambda: policy_proposal_then("withdraw")


@announces(events.TurnJuniorReady)
def turn_junior_ready() -> list[DomainEvent]:
    pair = relationship("senior_first(3)")
    return raised(pair, lambda: pair.declare_ready(JUNIOR, 0, NOW))


@announces(events.TurnSwapRequested)
def turn_swap_requested() -> list[DomainEvent]:
    pair = relationship()
    return raised(pair, lambda: pair.request_swap(JUNIOR, new_id(), NOW))


SCENARIOS[events.TurnSwapped] = lambda: swap_then("accept")
SCENARIOS[events.TurnSwapDeclined] = lambda: swap_then("decline")
SCENARIOS[events.TurnSwapWithdrawn] = lambda: swap_then("withdraw")


# --- meetings -------------------------------------------------------------------------------------
@announces(events.MeetingScheduled)
def meeting_scheduled() -> list[DomainEvent]:
    return list(meeting().events)


@announces(events.MeetingRescheduled)
def meeting_rescheduled() -> list[DomainEvent]:
    made = meeting()
    return raised(made, lambda: made.reschedule(NOW + timedelta(days=2), NOW))


@announces(events.MeetingHeld)
def meeting_held() -> list[DomainEvent]:
    made = meeting()
    return raised(made, lambda: made.mark_held(NOW))


@announces(events.MeetingCancelled)
def meeting_cancelled() -> list[DomainEvent]:
    made = meeting()
    return raised(made, lambda: made.cancel(NOW))


@announces(events.MeetingMissed)
def meeting_missed() -> list[DomainEvent]:
    made = meeting()
    return raised(made, lambda: made.mark_missed(NOW))


# --- goals ----------------------------------------------------------------------------------------
@announces(events.LearningGoalCreated)
def goal_created() -> list[DomainEvent]:
    return list(goal().events)


@announces(events.GoalStatusChanged)
def goal_status_changed() -> list[DomainEvent]:
    made = goal()
    return raised(made, lambda: made.start(JUNIOR, NOW))


@announces(events.GoalAchieved)
def goal_achieved() -> list[DomainEvent]:
    made = goal()
    return raised(made, lambda: made.achieve(SENIOR, NOW))


# --- matching -------------------------------------------------------------------------------------
@announces(events.MatchingRunFinished)
def matching_run_finished() -> list[DomainEvent]:
    run = running_run()
    return raised(run, lambda: run.complete(solve([], program().matching_settings()), now=NOW))


@announces(events.MatchingRunPublished)
def matching_run_published() -> list[DomainEvent]:
    run = running_run()
    run.complete(solve([], program().matching_settings()), now=NOW)
    return raised(run, lambda: run.publish(relationships=0, now=NOW))


# --- webhooks -------------------------------------------------------------------------------------
def endpoint() -> WebhookEndpoint:
    return WebhookEndpoint(
        id=new_id(),
        url="https://hr.example.com/hooks",
        description=None,
        event_types=[],
        enabled=True,
        rate_limit_per_second=None,
        headers={},
        secret="whsec_" + "A" * 44,
        created_at=NOW,
        updated_at=NOW,
    )


@announces(events.WebhookEndpointDisabled)
def webhook_endpoint_disabled() -> list[DomainEvent]:
    made = endpoint()
    return raised(made, lambda: made.failed(now=NOW, gone=True))


# --- identities and API keys ----------------------------------------------------------------------
@announces(events.IdentityLinked)
def identity_linked() -> list[DomainEvent]:
    return [
        identities.link_by_email(
            person_id=JUNIOR, issuer="idp", subject="s-1", email_verified=True, emails_authoritative=False, existing=[]
        )
    ]


@announces(events.IdentityUnlinked)
def identity_unlinked() -> list[DomainEvent]:
    linked = identities.LinkedIdentity(issuer="idp", subject="s-1", person_id=JUNIOR, created_at=NOW)
    return [identities.unlink([linked], person_id=JUNIOR, issuer="idp", subject="s-1", by=SENIOR)]


@announces(events.ApiKeyCreated)
def api_key_created() -> list[DomainEvent]:
    _, _, announced = api_keys.new_api_key(
        key_id=new_id(), name="HRIS", scopes=["people:write"], expires_at=None, created_by=SENIOR, now=NOW
    )
    return [announced]


@announces(events.ApiKeyRevoked)
def api_key_revoked() -> list[DomainEvent]:
    key, _, _ = api_keys.new_api_key(
        key_id=new_id(), name="HRIS", scopes=["people:write"], expires_at=None, created_by=SENIOR, now=NOW
    )
    return [key.revoke(now=NOW, by=SENIOR)[1]]


# --- feedback -------------------------------------------------------------------------------------
def checkin() -> CheckIn:
    return CheckIn.become_due(id=new_id(), relationship_id=new_id(), program_id=new_id(), person_id=JUNIOR, due_at=NOW)


@announces(events.CheckinDue)
def checkin_due() -> list[DomainEvent]:
    return list(checkin().events)


@announces(events.CheckinSubmitted)
def checkin_submitted() -> list[DomainEvent]:
    made = checkin()
    return raised(made, lambda: made.submit(rating=4, going_well="", not_going_well="", now=NOW))


@announces(events.CheckinMissed)
def checkin_missed() -> list[DomainEvent]:
    made = checkin()
    return raised(made, lambda: made.miss(NOW + timedelta(days=MISSED_AFTER_DAYS + 1)))


def survey() -> Survey:
    return Survey.draft(
        id=new_id(), program_id=new_id(), title="End", questions=[Question("q", "scale", "How much?")], now=NOW
    )


@announces(events.SurveyOpened)
def survey_opened() -> list[DomainEvent]:
    made = survey()
    return raised(made, lambda: made.open(NOW))


@announces(events.SurveyClosed)
def survey_closed() -> list[DomainEvent]:
    made = survey()
    made.open(NOW)
    return raised(made, lambda: made.close(NOW))


def concern(rematch: bool = False) -> Concern:
    return Concern.raise_(
        id=new_id(),
        program_id=new_id(),
        relationship_id=new_id(),
        raised_by=JUNIOR,
        kind="mismatch",
        text="Not working.",
        rematch_requested=rematch,
        now=NOW,
    )


@announces(events.ConcernRaised)
def concern_raised() -> list[DomainEvent]:
    return list(concern().events)


@announces(events.ConcernResolved)
def concern_resolved() -> list[DomainEvent]:
    made = concern(rematch=True)
    return raised(made, lambda: made.close(by=SENIOR, outcome="rematch_approved", note="", now=NOW))


def story() -> Story:
    return Story.write(id=new_id(), program_id=new_id(), author_id=JUNIOR, title="Chat", text="I learned.", now=NOW)


@announces(events.StoryPublished)
def story_published() -> list[DomainEvent]:
    made = story()
    return raised(made, lambda: made.publish(NOW))


@announces(events.StoryUnpublished)
def story_unpublished() -> list[DomainEvent]:
    made = story()
    made.publish(NOW)
    return raised(made, made.unpublish)


@announces(events.StoryDeleted)
def story_deleted() -> list[DomainEvent]:
    return [story().deleted()]


@announces(events.RecognitionGranted)
def recognition_granted() -> list[DomainEvent]:
    made = Recognition.grant(
        id=new_id(),
        program_id=new_id(),
        person_id=JUNIOR,
        relationship_id=new_id(),
        relationship_completed=True,
        incentive="extra day off",
        incentives=["extra day off"],
        now=NOW,
    )
    return list(made.events)


def event_types() -> set[type[DomainEvent]]:
    found: set[type[DomainEvent]] = set()
    pending = [DomainEvent]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith(events.__name__ + ".") and sub.event_type != DomainEvent.event_type:
                found.add(sub)
    return found


def test_every_event_type_has_its_scenario() -> None:
    assert {cls.event_type for cls in event_types()} == {cls.event_type for cls in SCENARIOS}


@pytest.mark.parametrize("event_type", sorted(SCENARIOS, key=lambda cls: cls.event_type), ids=lambda c: c.event_type)
def test_the_change_announces_its_event(event_type: type[DomainEvent]) -> None:
    announced = [e for e in SCENARIOS[event_type]() if type(e) is event_type]
    assert len(announced) == 1, [e.event_type for e in SCENARIOS[event_type]()]
    payload = announced[0].payload()
    assert set(payload) == {f.name for f in dataclasses.fields(event_type) if f.name != "sequence"}
