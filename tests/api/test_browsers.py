"""What browsers meet: CORS for front ends on other origins, and /docs and /redoc that need no
third party (assets served by the service, no inline script, a CSP that forbids anything else)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from app.main import create_app

FRONT_END = "https://intranet.example.com"


@pytest.fixture
async def browser_client(container: Any) -> Any:
    settings = container.settings.model_copy(update={"cors_origins": [FRONT_END, "http://localhost:5173"]})
    app = create_app(settings, container=container)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield client


async def test_a_preflight_from_an_allowed_origin_is_answered(browser_client) -> None:
    response = await browser_client.options(
        "/api/v1/programs/0190a1b2-0000-7000-8000-000000000000",
        headers={
            "Origin": FRONT_END,
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type, if-match",
        },
    )
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == FRONT_END
    assert "PATCH" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "if-match", "idempotency-key"} <= set(allowed.replace(" ", "").split(","))


async def test_scripts_on_an_allowed_origin_read_etag_and_request_id(browser_client, org, auth) -> None:
    await org.person("Hana Coordinator")
    headers = {**auth(org.email("Hana Coordinator")), "Origin": FRONT_END}
    me = await browser_client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.headers["access-control-allow-origin"] == FRONT_END
    exposed = {h.strip().lower() for h in me.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "x-request-id", "location", "retry-after"} <= exposed
    refused = await browser_client.get("/api/v1/me", headers={"Origin": FRONT_END})  # errors carry CORS too
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == FRONT_END


async def test_other_origins_get_no_cors_grant(browser_client) -> None:
    response = await browser_client.options(
        "/api/v1/programs", headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in response.headers
    plain = await browser_client.get("/healthz", headers={"Origin": "https://evil.example.com"})
    assert "access-control-allow-origin" not in plain.headers


async def test_origins_are_a_comma_separated_setting(monkeypatch) -> None:
    from app.settings import Settings

    monkeypatch.setenv("TURNABOUT_CORS_ORIGINS", "https://a.example.com/, http://localhost:5173")
    assert Settings().cors_origins == ["https://a.example.com", "http://localhost:5173"]


# --- /docs and /redoc ---------------------------------------------------------------------------
def same_origin_references(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/docs/oauth2-redirect"])
async def test_the_docs_pages_load_nothing_from_elsewhere(client, page) -> None:
    response = await client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "<script>" not in html  # no inline script: a strict CSP stays strict
    assert "//" not in "".join(same_origin_references(html)), same_origin_references(html)
    assert "cdn" not in html.lower() and "googleapis" not in html
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    for reference in same_origin_references(html):
        asset = await client.get(reference)
        assert asset.status_code == 200, reference
        if reference.endswith(".js") and "assets" not in reference:
            assert "https://" not in asset.text and "http://" not in asset.text


async def test_swagger_ui_does_not_post_the_document_to_a_public_validator(client) -> None:
    init = await client.get("/docs/swagger-init.js")
    assert '"validatorUrl": null' in init.text
    assert '"url": "/openapi.json"' in init.text


async def test_the_docs_csp_admits_the_identity_provider_for_sign_in(container) -> None:
    from app.api.docs import content_security_policy

    settings = container.settings.model_copy(update={"auth_issuer": "https://login.example.com/realms/acme"})
    assert "connect-src 'self' https://login.example.com" in content_security_policy(settings)
