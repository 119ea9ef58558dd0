"""The storage behind the fake unit of work (the fast service tier): a database, in memory.

What a database would hold (:class:`Store`), and identity map plus change tracking over one of its
tables (:class:`Tracking`): each unit of work works on copies of what it loads, and only a commit
writes them back, bumping the versions of what changed and refusing a commit that would overwrite
a change made meanwhile.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

from app.domain.api_keys import ApiKey
from app.domain.checkins import CheckIn
from app.domain.concerns import Concern
from app.domain.enrollments import Enrollment
from app.domain.errors import DomainError
from app.domain.events import DomainEvent
from app.domain.goals import LearningGoal
from app.domain.identities import LinkedIdentity
from app.domain.jobs import JobRequest
from app.domain.matching import ProposedPair, Unmatched
from app.domain.matching_runs import MatchingRun
from app.domain.meetings import Meeting, Reflection
from app.domain.people import Person
from app.domain.ports import CalendarFeed, WebhookAttempt, WebhookMessage
from app.domain.programs import Program
from app.domain.proposals import CommitteeReview, Invitation, ProposalComment
from app.domain.relationships import PairExclusion, Relationship
from app.domain.skills import Skill
from app.domain.stories import Recognition, Story
from app.domain.surveys import Ballot, MixedResponse, Survey
from app.domain.webhooks import WebhookEndpoint


class Aggregate(Protocol):
    id: UUID
    version: int


A = TypeVar("A", bound=Aggregate)


@dataclass
class Store:
    """What a database would hold, as domain objects by id."""

    people: dict[UUID, Person] = field(default_factory=dict)
    identities: dict[tuple[str, str], LinkedIdentity] = field(default_factory=dict)
    api_keys: dict[UUID, ApiKey] = field(default_factory=dict)
    skills: dict[UUID, Skill] = field(default_factory=dict)
    programs: dict[UUID, Program] = field(default_factory=dict)
    comments: list[ProposalComment] = field(default_factory=list)
    reviews: list[CommitteeReview] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    enrollments: dict[UUID, Enrollment] = field(default_factory=dict)
    relationships: dict[UUID, Relationship] = field(default_factory=dict)
    exclusions: dict[tuple[UUID, frozenset[UUID]], PairExclusion] = field(default_factory=dict)
    meetings: dict[UUID, Meeting] = field(default_factory=dict)
    reflections: dict[tuple[UUID, UUID], Reflection] = field(default_factory=dict)
    goals: dict[UUID, LearningGoal] = field(default_factory=dict)
    calendar_feeds: dict[UUID, CalendarFeed] = field(default_factory=dict)
    matching_runs: dict[UUID, MatchingRun] = field(default_factory=dict)
    proposals: dict[UUID, list[ProposedPair]] = field(default_factory=dict)
    unmatched: dict[UUID, list[Unmatched]] = field(default_factory=dict)
    checkins: dict[UUID, CheckIn] = field(default_factory=dict)
    surveys: dict[UUID, Survey] = field(default_factory=dict)
    survey_ledger: set[tuple[UUID, UUID]] = field(default_factory=set)
    ballots: dict[UUID, list[Ballot]] = field(default_factory=dict)
    survey_responses: dict[UUID, list[MixedResponse]] = field(default_factory=dict)
    concerns: dict[UUID, Concern] = field(default_factory=dict)
    stories: dict[UUID, Story] = field(default_factory=dict)
    recognitions: dict[UUID, Recognition] = field(default_factory=dict)
    outbox: list[DomainEvent] = field(default_factory=list)
    jobs: list[JobRequest] = field(default_factory=list)  # committed job requests, in order
    webhook_endpoints: dict[UUID, WebhookEndpoint] = field(default_factory=dict)
    webhook_messages: dict[UUID, WebhookMessage] = field(default_factory=dict)
    webhook_attempts: list[WebhookAttempt] = field(default_factory=list)
    dispatched: int = 0  # outbox events fanned out so far (the outbox is append-only here)

    def event_types(self) -> list[str]:
        return [event.event_type for event in self.outbox]


def _stored(aggregate: A) -> A:
    kept = copy.deepcopy(aggregate)
    pending = getattr(kept, "events", None)
    if pending is not None:
        pending.clear()
    return kept


class Tracking(Generic[A]):
    """Identity map and change tracking over one table of the store."""

    untracked: tuple[str, ...] = ("events", "version")

    def __init__(self, rows: dict[UUID, A]) -> None:
        self._rows = rows
        self._seen: dict[UUID, A] = {}
        self._loaded: dict[UUID, dict[str, Any]] = {}
        self._new: list[A] = []

    def _state(self, aggregate: A) -> dict[str, Any]:
        return {
            f.name: copy.deepcopy(getattr(aggregate, f.name))
            for f in dataclasses.fields(aggregate)  # type: ignore[arg-type]
            if f.name not in self.untracked
        }

    def add(self, aggregate: A) -> None:
        self._new.append(aggregate)
        self._seen[aggregate.id] = aggregate

    def _load(self, ident: UUID) -> A | None:
        if ident in self._seen:
            return self._seen[ident]
        stored = self._rows.get(ident)
        if stored is None:
            return None
        loaded = copy.deepcopy(stored)
        self._seen[ident] = loaded
        self._loaded[ident] = self._state(loaded)
        return loaded

    def _where(self, keep: Callable[[A], bool]) -> builtins.list[A]:
        """Stored rows that match, as this unit of work's copies, in id order."""
        found = []
        for ident in sorted(self._rows):
            if keep(self._rows[ident]):
                loaded = self._load(ident)
                assert loaded is not None
                found.append(loaded)
        return found

    # --- commit, in two phases so that a refused commit writes nothing ---------------------------
    def changed(self) -> builtins.list[A]:
        new = {a.id for a in self._new}
        return [a for ident, a in self._seen.items() if ident not in new and self._state(a) != self._loaded[ident]]

    def check(self) -> None:
        for aggregate in self._new:
            if aggregate.id in self._rows:
                raise AssertionError(f"{aggregate.id} inserted twice")
        for aggregate in self.changed():
            stored = self._rows.get(aggregate.id)
            if stored is None or stored.version != aggregate.version:
                raise DomainError(code="stale_version", detail="changed meanwhile", kind="precondition")

    def apply(self) -> None:
        changed = self.changed()
        for aggregate in changed:
            aggregate.version += 1
        for aggregate in [*self._new, *changed]:
            self._rows[aggregate.id] = _stored(aggregate)
            self._loaded[aggregate.id] = self._state(aggregate)
        self._new.clear()

    def events(self) -> builtins.list[DomainEvent]:
        found: builtins.list[DomainEvent] = []
        for aggregate in self._seen.values():
            pending = getattr(aggregate, "events", None)
            if pending:
                found.extend(pending)
                pending.clear()
        return found


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current


class SequentialIds:
    """Ids in creation order, like UUIDv7's."""

    def __init__(self) -> None:
        self._next = count(1)

    def new_id(self) -> UUID:
        return UUID(int=next(self._next))
