"""The problem codes of the operations in ``routes/jobs.py``: background jobs."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "listJobs": ("jobs_admin_only",),
    "getJob": ("job_not_found", "jobs_admin_only"),
    "retryJob": ("job_already_pending", "job_not_dead", "job_not_found", "jobs_admin_only"),
}
