"""The web process and the CLI hold no numerical libraries until something solves or pairs by hand,
and no Alembic until something migrates.

NumPy, SciPy and OR-Tools are about 65 MB of a worker's memory and a second of its start-up; only a
matching solve (in its own process) needs them (``app.domain.matching`` imports the engine on first
use; a manual pair is checked by the same rules in plain Python, ``pair_rules``). Alembic and Mako
are 13 MB more, needed only to migrate and, once per process, to read the heads a readiness probe
compares with."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("numpy", "scipy", "ortools", "alembic")


def _loaded_after(statement: str) -> set[str]:
    probe = f"import sys\n{statement}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    output = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout
    return set(output.split())


def test_the_app_and_the_cli_start_without_the_numerical_libraries_or_alembic() -> None:
    assert _loaded_after("import app.main, app.cli") == set()


def test_checking_a_manual_pair_needs_no_numerical_library() -> None:
    statement = "from app.domain.pairing import candidate\nfrom app.domain.matching import pair_violations"
    assert _loaded_after(statement) == set()


def test_the_engine_is_still_there_on_first_use() -> None:
    loaded = _loaded_after("from app.domain import matching\nassert callable(matching.solve)")
    assert {"numpy", "scipy"} <= loaded
