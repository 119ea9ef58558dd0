"""The problem codes of the operations in ``routes/metrics.py``: program and organisation metrics."""

from __future__ import annotations

from typing import Final

CODES: Final[dict[str, tuple[str, ...]]] = {
    "programMetrics": ("metrics_forbidden", "program_not_found"),
    "programMetricsCsv": ("metrics_forbidden", "program_not_found"),
    "programReport": ("metrics_forbidden", "program_not_found"),
    "organisationMetrics": ("organisation_metrics_forbidden",),
}
