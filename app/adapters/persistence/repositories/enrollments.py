from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Table, func, select

from app.adapters.persistence.queries.filters import enrollments_matching
from app.adapters.persistence.repositories.base import TrackingRepository, page_of, paginate
from app.adapters.persistence.tables import EnrollmentRow, PersonRow
from app.domain.enrollments import ADMITTED, LIVE, Enrollment, EnrollmentStatus, MeetingMode, Profile, RolePreference
from app.domain.ports import EnrollmentFilter, Page, PageRequest

enrollments: Table = EnrollmentRow.__table__  # type: ignore[attr-defined]
people: Table = PersonRow.__table__  # type: ignore[attr-defined]

_SCALARS = (
    "id", "program_id", "person_id", "approved_at", "training_completed_at", "withdrawn_at",
    "withdrawal_reason", "created_at", "updated_at", "version",
)  # fmt: skip


class SqlEnrollmentRepository(TrackingRepository[Enrollment]):
    table = enrollments
    noun = "enrollment"

    def to_values(self, aggregate: Enrollment) -> dict[str, Any]:
        profile = aggregate.profile
        values = {name: getattr(aggregate, name) for name in _SCALARS}
        values.update(
            status=aggregate.status.value,
            role_preference=profile.role_preference.value,
            motivation=profile.motivation,
            skills_offered=[str(s) for s in profile.skills_offered],
            skills_wanted=[str(s) for s in profile.skills_wanted],
            interests=list(profile.interests),
            meeting_modes=[m.value for m in profile.meeting_modes],
            availability=list(profile.availability),
        )
        return values

    def from_row(self, row: Mapping[str, Any]) -> Enrollment:
        return Enrollment(
            **{name: row[name] for name in _SCALARS},
            status=EnrollmentStatus(row["status"]),
            profile=Profile(
                role_preference=RolePreference(row["role_preference"]),
                motivation=row["motivation"],
                skills_offered=[UUID(s) for s in row["skills_offered"]],
                skills_wanted=[UUID(s) for s in row["skills_wanted"]],
                interests=list(row["interests"]),
                meeting_modes=[MeetingMode(m) for m in row["meeting_modes"]],
                availability=list(row["availability"]),
            ),
        )

    async def get(self, enrollment_id: UUID) -> Enrollment | None:
        return await self._load_one(select(enrollments).where(enrollments.c.id == enrollment_id))

    async def get_many(self, ids: Sequence[UUID]) -> dict[UUID, Enrollment]:
        return await self._load_ids(ids)

    async def live_for(self, program_id: UUID, person_id: UUID) -> Enrollment | None:
        return await self._load_one(
            select(enrollments).where(
                enrollments.c.program_id == program_id,
                enrollments.c.person_id == person_id,
                enrollments.c.status.in_([s.value for s in LIVE]),
            )
        )

    async def count_admitted(self, program_id: UUID) -> int:
        stmt = select(func.count()).where(
            enrollments.c.program_id == program_id,
            enrollments.c.status.in_([s.value for s in ADMITTED]),
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def count_of_active_people(self, program_id: UUID, statuses: frozenset[EnrollmentStatus]) -> int:
        stmt = (
            select(func.count())
            .select_from(enrollments.join(people, people.c.id == enrollments.c.person_id))
            .where(
                enrollments.c.program_id == program_id,
                enrollments.c.status.in_(sorted(s.value for s in statuses)),
                people.c.active.is_(True),
            )
        )
        return int((await self.session.execute(stmt)).scalar_one())

    async def list(self, flt: EnrollmentFilter, page: PageRequest) -> Page[Enrollment]:
        items = await self._load(paginate(enrollments_matching(flt), enrollments.c.id, page))
        return page_of(items, page, key=lambda e: e.id)
