"""``/docs`` (Swagger UI) and ``/redoc`` served entirely by the service.

The framework's pages load their scripts, styles, favicon and fonts from public CDNs: blank pages
on an intranet without internet or behind a strict Content-Security-Policy, and every admin's visit
announced to third parties. Here the assets come from the ``fastapi-offline`` package (the
upstream Swagger UI and ReDoc builds), the pages carry no inline script, and each page is sent with
a CSP that lets the browser load nothing from anywhere else — the identity provider excepted, which
Swagger UI's "Authorize" (authorization code + PKCE) must reach.
"""

from __future__ import annotations

import json
import re
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from app.settings import Settings

ASSETS = "/docs/assets"
_STATIC = files("fastapi_offline").joinpath("static")
# The framework's redirect page is one inline script: the same script, served as a file.
_REDIRECT_JS = re.search(r"<script>(.*)</script>", bytes(get_swagger_ui_oauth2_redirect_html().body).decode(), re.S)
OAUTH2_REDIRECT_SCRIPT = _REDIRECT_JS.group(1) if _REDIRECT_JS else ""


def content_security_policy(settings: Settings) -> str:
    connect = ["'self'"]
    if settings.auth_issuer:
        issuer = urlsplit(settings.auth_issuer)
        connect.append(f"{issuer.scheme}://{issuer.netloc}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # Swagger UI sets style attributes and ReDoc injects <style> elements at run time.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "worker-src 'self' blob:",  # ReDoc's search index runs in a worker built from a blob
            f"connect-src {' '.join(connect)}",
            "frame-ancestors 'self'",
            "base-uri 'none'",
            "form-action 'self'",
        ]
    )


def _page(title: str, head: str, body: str, settings: Settings) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{ASSETS}/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": content_security_policy(settings),
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _script(source: str) -> Response:
    return Response(source, media_type="text/javascript; charset=utf-8", headers={"Cache-Control": "no-cache"})


SIGN_IN = "oidc"


def document_security(
    schema: dict[str, Any], settings: Settings, discovery: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Declare sign-in through the IdP (OAuth2 authorization code; Swagger UI adds PKCE) beside the
    plain bearer scheme (a pasted token or an API key), as an alternative on every secured operation.

    The endpoints come from the issuer's discovery document: the development issuer's own (relative
    URLs, whatever host serves the document), or the external IdP's once fetched; until then the
    scheme is ``openIdConnect`` with the discovery URL, which Swagger UI reads itself."""
    scheme: dict[str, Any]
    scopes = {name: name for name in settings.auth_docs_scopes}
    description = "Sign in through the organisation's identity provider (authorization code with PKCE)."
    if settings.dev_issuer_enabled:
        flow = {"authorizationUrl": "/oauth/authorize", "tokenUrl": "/oauth/token", "scopes": scopes}
        scheme = {"type": "oauth2", "description": description, "flows": {"authorizationCode": flow}}
    elif discovery and discovery.get("authorization_endpoint") and discovery.get("token_endpoint"):
        flow = {
            "authorizationUrl": discovery["authorization_endpoint"],
            "tokenUrl": discovery["token_endpoint"],
            "scopes": scopes,
        }
        scheme = {"type": "oauth2", "description": description, "flows": {"authorizationCode": flow}}
    else:
        issuer = settings.effective_issuer.rstrip("/")
        url = f"{issuer}/.well-known/openid-configuration"
        scheme = {"type": "openIdConnect", "description": description, "openIdConnectUrl": url}
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[SIGN_IN] = scheme
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security") if isinstance(operation, dict) else None
            if security and {SIGN_IN: []} not in security:
                security.append({SIGN_IN: []})
    return schema


def install(app: FastAPI, settings: Settings) -> None:
    """Serve /docs, /redoc and their assets; the app must be built with ``docs_url=None`` and
    ``redoc_url=None`` so that the framework's CDN pages are not registered."""
    app.mount(ASSETS, StaticFiles(directory=str(_STATIC)), name="docs-assets")
    if settings.docs_client_id:
        app.swagger_ui_init_oauth = {
            "clientId": settings.docs_client_id,
            "usePkceWithAuthorizationCodeGrant": True,
            "scopes": " ".join(settings.auth_docs_scopes),
        }
    title = f"{app.title} — API documentation"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui() -> HTMLResponse:
        return _page(
            title,
            f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">',
            f'<div id="swagger-ui"></div>\n<script src="{ASSETS}/swagger-ui-bundle.js"></script>\n'
            '<script src="/docs/swagger-init.js"></script>',
            settings,
        )

    @app.get("/docs/swagger-init.js", include_in_schema=False)
    async def swagger_init(request: Request) -> Response:
        options: dict[str, Any] = {
            "url": app.openapi_url,
            "dom_id": "#swagger-ui",
            "layout": "BaseLayout",
            "deepLinking": True,
            "showExtensions": True,
            "showCommonExtensions": True,
            "displayRequestDuration": True,
            "persistAuthorization": True,
            "validatorUrl": None,  # the default posts the document to a public validator
        }
        init_oauth = json.dumps(app.swagger_ui_init_oauth) if app.swagger_ui_init_oauth else "null"
        return _script(
            f"""'use strict';
const options = {json.dumps(options)};
options.oauth2RedirectUrl = window.location.origin + "/docs/oauth2-redirect";
options.presets = [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset];
window.ui = SwaggerUIBundle(options);
const initOAuth = {init_oauth};
if (initOAuth) {{ window.ui.initOAuth(initOAuth); }}
"""
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def oauth2_redirect() -> HTMLResponse:
        return _page("Signing in…", "", '<script src="/docs/oauth2-redirect.js"></script>', settings)

    @app.get("/docs/oauth2-redirect.js", include_in_schema=False)
    async def oauth2_redirect_script() -> Response:
        return _script(OAUTH2_REDIRECT_SCRIPT)

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _page(
            title,
            "",
            f'<div id="redoc-container"></div>\n<script src="{ASSETS}/redoc.standalone.js"></script>\n'
            '<script src="/docs/redoc-init.js"></script>',
            settings,
        )

    @app.get("/docs/redoc-init.js", include_in_schema=False)
    async def redoc_init() -> Response:
        return _script(
            f"""'use strict';
Redoc.init({json.dumps(app.openapi_url)}, {{"expandResponses": "200,201", "hideDownloadButton": false}},
  document.getElementById("redoc-container"));
"""
        )
