"""The ``turnabout`` command: dev tokens only in development, the OpenAPI drift check, migrate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from app.adapters.auth.keys import DevSigningKey
from app.adapters.auth.tokens import TokenValidator
from app.cli import cli
from app.domain.actors import Role
from app.settings import Settings, get_settings


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A clean development environment in a scratch directory (no .env, no ./var of the repo)."""
    monkeypatch.chdir(tmp_path)
    for name in ("TURNABOUT_ENVIRONMENT", "TURNABOUT_AUTH_ISSUER", "TURNABOUT_PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TURNABOUT_DEV_SIGNING_KEY_PATH", str(tmp_path / "dev-key.json"))
    monkeypatch.setenv("TURNABOUT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("TURNABOUT_LOG_LEVEL", "warning")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


async def test_dev_token_prints_a_token_the_app_accepts(env: Path) -> None:
    code, out, _ = run("dev-token", "--email", "Ada@Example.com", "--role", "admin", "--role", "coordinator")
    assert code == 0
    token = out.strip()
    settings = Settings()
    validator = TokenValidator(
        keys=DevSigningKey(settings.dev_signing_key_path),
        issuer=settings.effective_issuer,
        audience=settings.auth_audience,
        algorithms=settings.auth_algorithms,
        roles_claim=settings.auth_roles_claim,
        email_claim=settings.auth_email_claim,
        leeway_seconds=0,
    )
    claims = await validator.validate(token)
    assert claims.email == "ada@example.com"
    assert claims.roles == {Role.EMPLOYEE, Role.ADMIN, Role.COORDINATOR}
    assert claims.raw["exp"] - claims.raw["iat"] == settings.dev_token_ttl_seconds


def test_an_unknown_role_is_refused(env: Path) -> None:
    code, out, err = run("dev-token", "--email", "ada@example.com", "--role", "overlord")
    assert code == 2
    assert out == ""
    assert "overlord" in err


@pytest.mark.parametrize(
    "settings",
    [
        {"TURNABOUT_ENVIRONMENT": "production"},
        {"TURNABOUT_ENVIRONMENT": "production", "TURNABOUT_AUTH_ISSUER": "https://idp.example.com"},
        {"TURNABOUT_ENVIRONMENT": "development", "TURNABOUT_AUTH_ISSUER": "https://idp.example.com"},
    ],
)
def test_dev_tokens_are_refused_outside_development(env: Path, monkeypatch: pytest.MonkeyPatch, settings) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    code, out, err = run("dev-token", "--email", "ada@example.com", "--role", "admin")
    assert code == 2
    assert out == ""
    assert "refused" in err
    assert "Traceback" not in err
    assert not (env / "dev-key.json").exists()


def test_export_openapi_writes_the_document_and_check_catches_drift(env: Path) -> None:
    target = env / "openapi.json"
    assert run("export-openapi", "--output", str(target))[0] == 0
    document = json.loads(target.read_text())
    assert document["info"]["title"] == "Turnabout"
    assert "/api/v1/programs/{program_id}/transitions" in document["paths"]

    assert run("export-openapi", "--output", str(target), "--check")[0] == 0
    document["paths"].pop("/api/v1/skills")
    target.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    code, _, err = run("export-openapi", "--output", str(target), "--check")
    assert code == 1
    assert "out of date" in err
    missing = env / "missing.json"
    assert run("export-openapi", "--output", str(missing), "--check")[0] == 1
    assert not missing.exists()


def test_migrate_brings_a_new_database_to_head(env: Path) -> None:
    code, out, _ = run("migrate")
    assert code == 0, out
    assert "head" in out
    assert (env / "cli.db").exists()
