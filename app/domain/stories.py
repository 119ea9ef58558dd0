"""Success stories and recognitions: what the next cohort reads, and how participants are thanked.

Rules (stories):
- a participant of a program writes a story (title 1–300, text 1–20,000 characters:
  ``story_text_required``); a story that names the partner needs one of the author's relationships
  in the program (``story_needs_relationship``) and waits for the partner's consent
  (``awaiting_consent``); the partner consents or declines (``declined``, final);
- then it waits for a coordinator's approval (``awaiting_approval``); approved, it is ``published``
  and readable by every employee (``story.published``); a coordinator or the author unpublishes it
  (``unpublished``, ``story.unpublished``) and may publish it again (a coordinator); the author or a
  coordinator deletes it (``story.deleted``);
- any other move is ``illegal_story_transition``.

Rules (recognitions):
- a recognition is one of the program's incentives (extra time off, public recognition, resources;
  ``incentive_unknown`` otherwise, or ``completion`` when the program lists none) granted to a
  participant whose relationship completed (``recognition_needs_completion``) — automatically when
  it completes with its goals achieved (at least one, none left open), or by a coordinator; each
  announced by ``recognition.granted``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal
from uuid import UUID

from app.domain.errors import conflict, forbidden, invalid
from app.domain.events import DomainEvent, RecognitionGranted, StoryDeleted, StoryPublished, StoryUnpublished
from app.domain.goals import LearningGoal

StoryStatus = Literal["awaiting_consent", "awaiting_approval", "published", "unpublished", "declined"]
RecognitionSource = Literal["automatic", "coordinator"]
DEFAULT_INCENTIVE = "completion"


def _illegal(now: str, to: str) -> Exception:
    return conflict("illegal_story_transition", f"A story cannot go from {now} to {to}.")


@dataclass(eq=False)
class Story:
    id: UUID
    program_id: UUID
    author_id: UUID
    title: str
    text: str
    created_at: datetime
    status: StoryStatus
    relationship_id: UUID | None = None
    partner_id: UUID | None = None  # set when the story names the partner
    published_at: datetime | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def write(
        cls,
        *,
        id: UUID,
        program_id: UUID,
        author_id: UUID,
        title: str,
        text: str,
        now: datetime,
        relationship_id: UUID | None = None,
        partner_id: UUID | None = None,
        names_partner: bool = False,
    ) -> Story:
        """``partner_id``: the other member of ``relationship_id`` when the story names them."""
        if not title.strip() or len(title) > 300 or not text.strip() or len(text) > 20000:
            raise invalid("story_text_required", "A story has a title (≤ 300) and a text (≤ 20,000).", path="text")
        if names_partner and (partner_id is None or relationship_id is None):
            raise invalid(
                "story_needs_relationship", "A story naming the partner names the relationship.", path="relationship_id"
            )
        named = partner_id if names_partner else None
        status: StoryStatus = "awaiting_consent" if named is not None else "awaiting_approval"
        return cls(id, program_id, author_id, title.strip(), text.strip(), now, status, relationship_id, named)

    def consent(self, by: UUID, *, given: bool) -> None:
        if by != self.partner_id:
            raise forbidden("not_the_named_partner", "Only the partner the story names consents to it.")
        if self.status != "awaiting_consent":
            raise _illegal(self.status, "awaiting_approval")
        self.status = "awaiting_approval" if given else "declined"

    def publish(self, now: datetime) -> None:
        if self.status not in ("awaiting_approval", "unpublished"):
            raise _illegal(self.status, "published")
        self.status, self.published_at = "published", now
        self.events.append(StoryPublished(program_id=self.program_id, story_id=self.id, author_id=self.author_id))

    def unpublish(self) -> None:
        if self.status != "published":
            raise _illegal(self.status, "unpublished")
        self.status = "unpublished"
        self.events.append(StoryUnpublished(program_id=self.program_id, story_id=self.id))

    def deleted(self) -> StoryDeleted:
        """The event announcing the story is gone (recorded by the use case that removes it)."""
        return StoryDeleted(program_id=self.program_id, story_id=self.id)


@dataclass(eq=False)
class Recognition:
    id: UUID
    program_id: UUID
    person_id: UUID
    relationship_id: UUID
    incentive: str
    source: RecognitionSource
    granted_at: datetime
    granted_by: UUID | None = None
    note: str = ""
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def grant(
        cls,
        *,
        id: UUID,
        program_id: UUID,
        person_id: UUID,
        relationship_id: UUID,
        relationship_completed: bool,
        incentive: str,
        incentives: list[str],
        now: datetime,
        granted_by: UUID | None = None,
        note: str = "",
    ) -> Recognition:
        if not relationship_completed:
            raise conflict("recognition_needs_completion", "Recognitions are granted on a completed relationship.")
        if incentive not in (incentives or [DEFAULT_INCENTIVE]):
            raise invalid("incentive_unknown", "The incentive is one the program lists.", path="incentive")
        if len(note) > 2000:
            raise invalid("recognition_note_too_long", "A note is at most 2,000 characters.", path="note")
        source: RecognitionSource = "automatic" if granted_by is None else "coordinator"
        made = cls(id, program_id, person_id, relationship_id, incentive, source, now, granted_by, note.strip())
        made.events.append(
            RecognitionGranted(
                program_id=program_id, recognition_id=id, person_id=person_id, incentive=incentive, source=source
            )
        )
        return made


def earned_automatically(goals: list[LearningGoal]) -> bool:
    """A relationship completed *with its goals*: at least one goal achieved and none left open or in
    progress (dropped goals neither count nor block)."""
    live = [g for g in goals if g.status != "dropped"]
    return bool(live) and all(g.status == "achieved" for g in live)
