"""Confidential concerns: a participant tells the program's coordinators something is wrong.

Rules:
- a participant raises a concern about a program they take part in — about one of their own
  relationships or the program in general — of a kind (``mismatch``, ``conduct``, ``workload``,
  ``other``) with a text (1–10,000 characters, ``concern_text_required``);
- only the raiser and the program's coordinators read it: the partner, other coordinators and
  admins are told it does not exist (a confidential channel is confidential from the platform's
  operators too);
- it may carry a rematch request, which needs one of the raiser's relationships
  (``rematch_needs_relationship``); a coordinator then approves the rematch (the relationship ends
  with reason ``rematch``, both members return to the pool, the former partner is excluded) or
  declines it; a concern without a rematch request is simply resolved
  (``concern_outcome_invalid`` otherwise); a closed concern stays closed (``concern_closed``);
- events carry ids only (``concern.raised``, ``concern.resolved`` with the outcome) — never the
  kind, the text or who raised it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from app.domain.errors import conflict, invalid
from app.domain.events import ConcernRaised, ConcernResolved, DomainEvent

ConcernKind = Literal["mismatch", "conduct", "workload", "other"]
ConcernStatus = Literal["open", "closed"]
ConcernOutcome = Literal["resolved", "rematch_approved", "rematch_declined"]
CONCERN_TEXT_MAX = 10000


def _text(text: str, path: str, *, required: bool) -> str:
    if (required and not text.strip()) or len(text) > CONCERN_TEXT_MAX:
        raise invalid("concern_text_required", "Say what is wrong (up to 10,000 characters).", path=path)
    return text.strip()


@dataclass(eq=False)
class Concern:
    id: UUID
    program_id: UUID
    relationship_id: UUID | None
    raised_by: UUID
    kind: ConcernKind
    text: str
    rematch_requested: bool
    raised_at: datetime
    status: ConcernStatus = "open"
    outcome: ConcernOutcome | None = None
    coordinator_note: str = ""
    resolved_at: datetime | None = None
    resolved_by: UUID | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def raise_(
        cls,
        *,
        id: UUID,
        program_id: UUID,
        relationship_id: UUID | None,
        raised_by: UUID,
        kind: ConcernKind,
        text: str,
        rematch_requested: bool,
        now: datetime,
    ) -> Concern:
        if rematch_requested and relationship_id is None:
            raise invalid(
                "rematch_needs_relationship", "A rematch request names the relationship.", path="relationship_id"
            )
        concern = cls(
            id, program_id, relationship_id, raised_by, kind, _text(text, "text", required=True), rematch_requested, now
        )
        concern.events.append(ConcernRaised(program_id=program_id, concern_id=id))
        return concern

    def close(self, *, by: UUID, outcome: ConcernOutcome, note: str, now: datetime) -> None:
        if self.status == "closed":
            raise conflict("concern_closed", "The concern is already closed.")
        if (outcome == "resolved") == self.rematch_requested:
            raise invalid(
                "concern_outcome_invalid",
                "A rematch request is approved or declined; any other concern is resolved.",
                path="outcome",
            )
        self.status, self.outcome, self.resolved_at, self.resolved_by = "closed", outcome, now, by
        self.coordinator_note = _text(note, "note", required=False)
        self.events.append(ConcernResolved(program_id=self.program_id, concern_id=self.id, outcome=outcome))
