"""The README a newcomer follows: every setting documented, no link leaving the repository, and a
tour that runs on a stock Debian (no uuidgen), prints readable output and writes no fixed path."""

from __future__ import annotations

import re
from pathlib import Path

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_configuration_table() -> None:
    missing = [name for name in Settings.model_fields if f"TURNABOUT_{name.upper()}" not in README]
    assert not missing, missing


def test_links_stay_inside_the_repository_and_lead_somewhere() -> None:
    for target in re.findall(r"\]\(([^)]+)\)", README):
        assert not target.startswith(("../", "/")), target
        if not target.startswith(("http://", "https://", "#")):
            assert (ROOT / target).exists(), target
    for text in (ROOT / "docs").glob("*.md"):
        assert "../shared" not in text.read_text(), text


def test_the_tour_needs_nothing_a_stock_debian_lacks_and_writes_no_fixed_path() -> None:
    tour = (ROOT / "scripts" / "tour.sh").read_text()
    for text in (README, tour):
        assert "uuidgen" not in text
        assert not re.search(r"(?<![\w$])/tmp/", text)
    assert "mktemp -d" in tour
    assert 'cd "$(dirname "$0")/.."' in tour  # runnable from any folder
    assert "matching-runs" in tour and "matching-runs" in README  # the headline feature is shown
