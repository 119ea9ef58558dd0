"""Identifiers: RFC 9562 version 7, ordered by time, strictly increasing within a process."""

from __future__ import annotations

import time
import uuid

from app.adapters.system import UUID7Generator


def test_ids_are_version_7_with_the_rfc_variant_and_the_current_millisecond() -> None:
    before = time.time_ns() // 1_000_000
    made = UUID7Generator().new_id()
    assert made.version == 7
    assert made.variant == uuid.RFC_4122
    assert made.int >> 80 >= before  # a burst may run ahead of the clock, never behind it


def test_ids_made_in_one_millisecond_still_increase_across_generators() -> None:
    first, second = UUID7Generator(), UUID7Generator()
    made = [generator.new_id() for _ in range(2000) for generator in (first, second)]
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    assert len({u.int & ((1 << 62) - 1) for u in made}) == len(made)  # the random part varies


def test_a_burst_of_ids_stays_on_the_clock() -> None:
    generator = UUID7Generator()
    made = [generator.new_id() for _ in range(20_000)]
    assert made[-1].int >> 80 <= time.time_ns() // 1_000_000
