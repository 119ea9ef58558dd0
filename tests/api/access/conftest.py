"""The access tests use the mentoring tests' cast (staff, programs, pairs made through the services)."""

from __future__ import annotations

from tests.api.mentoring.conftest import clock, world  # noqa: F401
