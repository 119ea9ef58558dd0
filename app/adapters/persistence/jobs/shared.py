"""What the job modules share: the tables, the notification channel, the states a job waits in."""

from __future__ import annotations

from app.adapters.persistence.tables import JobRow, JobScheduleRow
from app.domain.jobs import WAITING

jobs = JobRow.__table__  # type: ignore[attr-defined]
schedules = JobScheduleRow.__table__  # type: ignore[attr-defined]
CHANNEL = "turnabout_jobs"
_WAITING = sorted(state.value for state in WAITING)
