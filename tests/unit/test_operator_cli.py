"""The operator commands of ``turnabout``: migration state and stepping back, a configuration check
that catches what would run badly, a matching run and the outbox as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.cli import cli
from app.settings import get_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.chdir(tmp_path)
    for name in ("TURNABOUT_ENVIRONMENT", "TURNABOUT_AUTH_ISSUER", "TURNABOUT_PUBLIC_URL", "TURNABOUT_CORS_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TURNABOUT_DEV_SIGNING_KEY_PATH", str(tmp_path / "dev-key.json"))
    monkeypatch.setenv("TURNABOUT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'ops.db'}")
    monkeypatch.setenv("TURNABOUT_LOG_LEVEL", "warning")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str, str]:
    get_settings.cache_clear()  # each command reads the environment afresh, as a new process would
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_migration_status_names_what_is_pending_and_gates_a_deploy(env: Path) -> None:
    code, out, _ = run("migrations", "status")
    behind = json.loads(out)
    assert code == 1 and behind["current"] == [] and len(behind["pending"]) >= 3
    assert run("migrate")[0] == 0
    code, out, _ = run("migrations", "status")
    assert code == 0 and json.loads(out)["pending"] == []
    head = json.loads(out)["current"]

    assert run("migrations", "downgrade", "--steps", "1")[0] == 2  # refused without --yes
    code, _, _ = run("migrations", "downgrade", "--steps", "1", "--yes")
    assert code == 0
    code, out, _ = run("migrations", "status")
    stepped = json.loads(out)
    assert code == 1 and stepped["pending"] == head


def test_config_check_refuses_production_without_an_issuer(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TURNABOUT_ENVIRONMENT", "production")
    code, out, err = run("config", "check")
    assert code == 2 and out == ""
    assert "TURNABOUT_AUTH_ISSUER is required in production" in err
    assert "Traceback" not in err


def test_config_check_shows_the_effective_settings_with_secrets_masked(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TURNABOUT_ENVIRONMENT", "production")
    monkeypatch.setenv("TURNABOUT_AUTH_ISSUER", "https://login.example.com")
    monkeypatch.setenv("TURNABOUT_DATABASE_URL", "postgresql+asyncpg://tb:s3cret@db.internal/turnabout")
    monkeypatch.setenv("TURNABOUT_PUBLIC_URL", "http://api.example.com")
    code, out, _ = run("config", "check")
    shown = json.loads(out)
    assert code == 0
    assert (
        "s3cret" not in out and shown["settings"]["database_url"] == "postgresql+asyncpg://tb:***@db.internal/turnabout"
    )
    assert any("https" in warning for warning in shown["warnings"])
    assert run("config", "check", "--strict")[0] == 1
    monkeypatch.setenv("TURNABOUT_CORS_ORIGINS", "intranet.example.com")
    code, out, _ = run("config", "check")
    assert code == 1 and "not an origin" in json.loads(out)["errors"][0]


def test_outbox_and_matching_run_commands_read_the_database(env: Path) -> None:
    assert run("migrate")[0] == 0
    code, out, _ = run("outbox", "status")
    assert code == 0 and json.loads(out) == {
        "events": 0,
        "pending": 0,
        "oldest_pending_at": None,
        "pending_by_type": {},
    }
    assert run("seed-demo", "--people", "40")[0] == 0
    code, out, _ = run("outbox", "status")
    status = json.loads(out)
    assert code == 0 and status["pending"] == status["events"] > 0
    assert status["pending_by_type"]["person.created"] == 40
    code, out, _ = run("outbox", "list", "--type", "program.created", "--limit", "5")
    events = json.loads(out)
    assert code == 0 and events and {e["event_type"] for e in events} == {"program.created"}

    code, _, err = run("matching-runs", "show", "0190a1b2-0000-7000-8000-000000000000")
    assert code == 1 and "matching_run_not_found" in err


def test_serve_migrates_seeds_and_serves_in_one_process(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`make run` is this one command: no separate migrate and seed processes before the server."""
    import uvicorn

    calls: list[dict[str, object]] = []

    def fake_run(app: str, **options: object) -> None:
        _, out, _ = run("outbox", "status")  # the state the server would start on
        calls.append({"app": app, **options, "events": json.loads(out)["events"]})

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("TURNABOUT_PORT", "8123")
    code, out, _ = run("serve", "--demo-if-empty")
    assert code == 0, out
    assert "demo organisation" in out
    assert len(calls) == 1 and calls[0]["port"] == 8123 and calls[0]["factory"] is True
    assert isinstance(calls[0]["events"], int) and calls[0]["events"] > 0  # migrated and seeded first
    code, out, _ = run("serve", "--demo-if-empty")
    assert "people exist already" in out
