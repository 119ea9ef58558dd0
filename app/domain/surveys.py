"""The anonymous end-of-cycle survey: questions, a lifecycle, and answers no one can trace back.

Rules:
- the program's coordinators (with the advisory committee) write the questions while the survey is
  a ``draft``: ``scale`` (1–5), ``single`` and ``multiple`` choice (2–20 options), ``text``; 1–50
  questions (``survey_questions_invalid``);
- ``draft → open → closed``, by a coordinator or on the schedule (``opens_at``, ``closes_at``);
  closed is final (``illegal_survey_transition``);
- eligible: the program's participants (matched or completed, or once in one of its active pairs);
  each answers once (the
  ledger refuses a second response: ``survey_already_answered``), only while open
  (``survey_not_open``); answers must fit their question (``survey_answer_invalid``), every
  question is optional but a response answers at least one;
- a response carries no person id, a random id, and the day it was mixed; it is written apart from
  the ledger, in shuffled batches of at least k (see :func:`mix`), so no order, time or transaction
  ties it to the ledger;
- ``k`` (default 5, at least 5) is the smallest group shown: results are read only once the
  survey is closed (so no before/after pair of readings differs by one response), only when at
  least k responded, and a breakdown cell is shown only when it *and its complement* hold at least
  k (so total minus cell never reveals a group below k); free text only past k, shuffled.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from app.domain.bounds import Bound
from app.domain.errors import conflict, invalid
from app.domain.events import DomainEvent, SurveyClosed, SurveyOpened

SURVEY_K = Bound(5, 50, "survey_k_out_of_range", "k (the smallest group shown) is 5–50.")
QuestionKind = Literal["scale", "single", "multiple", "text"]
SurveyStatus = Literal["draft", "open", "closed"]
GROUP_DIMENSIONS = ("role", "department", "generation")
OTHER = "other"
TEXT_MAX = 5000
_shuffle = random.SystemRandom()


@dataclass(frozen=True)
class Question:
    key: str
    kind: QuestionKind
    prompt: str
    options: tuple[str, ...] = ()

    def check(self, path: str) -> None:
        if not self.key.strip() or not self.prompt.strip() or len(self.prompt) > 1000:
            raise invalid("survey_questions_invalid", "Each question needs a key and a prompt.", path=path)
        if self.kind in ("single", "multiple"):
            if not 2 <= len(self.options) <= 20 or len(set(self.options)) != len(self.options):
                raise invalid("survey_questions_invalid", "A choice question has 2–20 distinct options.", path=path)
        elif self.options:
            raise invalid("survey_questions_invalid", "Only choice questions have options.", path=path)

    def accepts(self, value: Any) -> Any:
        """The answer, normalised, or ``survey_answer_invalid``."""
        ok = False
        if self.kind == "scale":
            ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
        elif self.kind == "single":
            ok = value in self.options
        elif self.kind == "multiple":
            ok = isinstance(value, list) and len(set(value)) == len(value) and all(v in self.options for v in value)
            value = sorted(value, key=self.options.index) if ok else value
        elif isinstance(value, str) and 0 < len(value.strip()) <= TEXT_MAX:
            ok, value = True, value.strip()
        if not ok:
            raise invalid("survey_answer_invalid", f"The answer does not fit question {self.key!r}.", path=self.key)
        return value

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "kind": self.kind, "prompt": self.prompt, "options": list(self.options)}

    @classmethod
    def of(cls, raw: Mapping[str, Any]) -> Question:
        return cls(raw["key"], raw["kind"], raw["prompt"], tuple(raw.get("options", ())))


def check_questions(questions: Sequence[Question]) -> tuple[Question, ...]:
    if not 1 <= len(questions) <= 50:
        raise invalid("survey_questions_invalid", "A survey has 1–50 questions.", path="questions")
    if len({q.key for q in questions}) != len(questions):
        raise invalid("survey_questions_invalid", "Question keys are unique.", path="questions")
    for i, question in enumerate(questions):
        question.check(f"questions.{i}")
    return tuple(questions)


@dataclass(eq=False)
class Survey:
    id: UUID
    program_id: UUID
    title: str
    questions: tuple[Question, ...]
    created_at: datetime
    status: SurveyStatus = "draft"
    k: int = 5
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = 1
    events: list[DomainEvent] = field(default_factory=list)

    @classmethod
    def draft(
        cls,
        *,
        id: UUID,
        program_id: UUID,
        title: str,
        questions: Sequence[Question],
        now: datetime,
        k: int = 5,
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
    ) -> Survey:
        survey = cls(id, program_id, _title(title), check_questions(questions), now)
        survey.revise(k=k, opens_at=opens_at, closes_at=closes_at)
        return survey

    def revise(
        self,
        *,
        title: str | None = None,
        questions: Sequence[Question] | None = None,
        k: int | None = None,
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
    ) -> None:
        """Questions, title and k change only in a draft; the closing time may move while open."""
        if self.status == "closed" or (self.status == "open" and (title or questions or k or opens_at)):
            raise conflict("survey_not_draft", f"The survey is {self.status}; its questions are fixed.")
        if title is not None:
            self.title = _title(title)
        if questions is not None:
            self.questions = check_questions(questions)
        if k is not None:
            SURVEY_K.check(k, path="k")
            self.k = k
        self.opens_at = opens_at if opens_at is not None else self.opens_at
        self.closes_at = closes_at if closes_at is not None else self.closes_at
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise invalid("survey_schedule_invalid", "A survey closes after it opens.", path="closes_at")

    def open(self, now: datetime) -> None:
        if self.status != "draft":
            raise conflict("illegal_survey_transition", f"A survey cannot open when {self.status}.")
        self.status, self.opened_at = "open", now
        self.events.append(SurveyOpened(program_id=self.program_id, survey_id=self.id))

    def close(self, now: datetime) -> None:
        if self.status != "open":
            raise conflict("illegal_survey_transition", f"A survey cannot close when {self.status}.")
        self.status, self.closed_at = "closed", now
        self.events.append(SurveyClosed(program_id=self.program_id, survey_id=self.id))

    def due_move(self, now: datetime) -> Literal["open", "close"] | None:
        """What the schedule asks of the survey at ``now``, if anything."""
        if self.status == "draft" and self.opens_at is not None and self.opens_at <= now:
            return "open"
        if self.status == "open" and self.closes_at is not None and self.closes_at <= now:
            return "close"
        return None

    def ballot(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Check a response against the questions; the normalised answers."""
        if self.status != "open":
            raise conflict("survey_not_open", f"The survey is {self.status}.")
        by_key = {q.key: q for q in self.questions}
        unknown = sorted(set(answers) - by_key.keys())
        if unknown:
            raise invalid("survey_answer_invalid", f"No question {unknown[0]!r} in this survey.", path=unknown[0])
        given = {key: by_key[key].accepts(value) for key, value in answers.items() if value is not None}
        if not given:
            raise invalid("survey_answer_invalid", "Answer at least one question.", path="answers")
        return given


def _title(title: str) -> str:
    if not title.strip() or len(title) > 300:
        raise invalid("survey_title_required", "A survey needs a title (up to 300 characters).", path="title")
    return title.strip()


# --- mixing and results -----------------------------------------------------------------------
@dataclass(frozen=True)
class Ballot:
    """A response as it waits in the ballot box: answers and coarse groups, nobody's name on it."""

    answers: dict[str, Any]
    groups: dict[str, str]


@dataclass(frozen=True)
class MixedResponse:
    day: date
    answers: dict[str, Any]
    groups: dict[str, str]


def coarse_groups(groups: Mapping[str, str | None], population: Mapping[str, Counter[str]], k: int) -> dict[str, str]:
    """A respondent's groups as stored: a value shared by fewer than k of the survey's eligible
    people becomes ``other`` (so a stored response never names a group too small to hide in)."""
    return {
        dim: (value if value is not None and population.get(dim, Counter())[value] >= k else OTHER)
        for dim in GROUP_DIMENSIONS
        for value in (groups.get(dim),)
    }


def should_mix(waiting: int, k: int, *, closing: bool) -> bool:
    """Mix when the box holds a batch of at least k — or at close, whatever is left (the close
    is not done by a respondent, so its transaction ties the batch to nobody)."""
    return waiting > 0 and (waiting >= k or closing)


def mix(ballots: Sequence[Ballot], day: date) -> list[MixedResponse]:
    """The ballots in a random order (a system source: not reproducible from a seed), dated by day."""
    mixed = [MixedResponse(day, b.answers, b.groups) for b in ballots]
    _shuffle.shuffle(mixed)
    return mixed


@dataclass(frozen=True)
class QuestionResult:
    key: str
    kind: QuestionKind
    prompt: str
    answered: int
    counts: dict[str, int] | None = None  # options (or 1–5) → how many chose it
    mean: float | None = None  # scale questions
    texts: list[str] | None = None  # text questions, shuffled


@dataclass(frozen=True)
class GroupResult:
    """One shown cell of a breakdown (cells withheld under the k rules are simply absent)."""

    dimension: str
    value: str
    respondents: int
    questions: list[QuestionResult] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyResults:
    survey_id: UUID
    k: int
    available: bool
    reason: str  # "closed" | "survey_not_closed" | "fewer_than_k"
    respondents: int | None
    questions: list[QuestionResult] = field(default_factory=list)
    groups: list[GroupResult] = field(default_factory=list)


def _summarise(questions: Sequence[Question], responses: Sequence[MixedResponse], texts: bool) -> list[QuestionResult]:
    results = []
    for q in questions:
        values = [r.answers[q.key] for r in responses if q.key in r.answers]
        if q.kind == "scale":
            counts = {str(n): sum(1 for v in values if v == n) for n in range(1, 6)}
            mean = round(sum(values) / len(values), 2) if values else None
            results.append(QuestionResult(q.key, q.kind, q.prompt, len(values), counts, mean))
        elif q.kind in ("single", "multiple"):
            chosen = Counter(v for value in values for v in (value if isinstance(value, list) else [value]))
            results.append(QuestionResult(q.key, q.kind, q.prompt, len(values), {o: chosen[o] for o in q.options}))
        else:
            shown = list(values) if texts else None
            if shown is not None:
                _shuffle.shuffle(shown)
            results.append(QuestionResult(q.key, q.kind, q.prompt, len(values), texts=shown))
    return results


def shown_cells(sizes: Mapping[str, int], n: int, k: int) -> set[str]:
    """The cells of one breakdown that may be shown: each holds at least k and so does its
    complement (unless the cell is everyone: it then says no more than the total); and what the
    shown cells leave over (the total minus them) is either nothing or at least k — else the
    smallest shown cell is withheld too, until it is."""
    shown = {v for v, size in sizes.items() if size >= k and (n - size >= k or size == n)}
    while shown and 0 < n - sum(sizes[v] for v in shown) < k:
        shown.remove(min(shown, key=lambda v: (sizes[v], v)))
    return shown


def results(survey: Survey, responses: Sequence[MixedResponse]) -> SurveyResults:
    """Aggregates under the k rules of the module docstring."""
    k, n = survey.k, len(responses)
    if survey.status != "closed":
        return SurveyResults(survey.id, k, False, "survey_not_closed", None)
    if n < k:
        return SurveyResults(survey.id, k, False, "fewer_than_k", None)
    groups: list[GroupResult] = []
    for dim in GROUP_DIMENSIONS:
        by_value: dict[str, list[MixedResponse]] = {}
        for r in responses:
            by_value.setdefault(r.groups.get(dim, OTHER), []).append(r)
        for value in sorted(shown_cells({v: len(c) for v, c in by_value.items()}, n, k)):
            # free text is never broken down: a phrase plus a group narrows who wrote it
            cell = by_value[value]
            groups.append(GroupResult(dim, value, len(cell), _summarise(survey.questions, cell, texts=False)))
    return SurveyResults(survey.id, k, True, "closed", n, _summarise(survey.questions, responses, texts=True), groups)
