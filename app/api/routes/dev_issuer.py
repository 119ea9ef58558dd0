"""The development issuer's sign-in: ``/oauth/authorize`` (a login page) and ``/oauth/token``.

So that Swagger UI's "Authorize" runs the same authorization code + PKCE flow on a laptop as against
the organisation's IdP. Served only in development without an external issuer; not API operations
(absent from the OpenAPI document).
"""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.adapters.auth.dev_issuer import AuthorizationRefused, AuthorizationRequest, Grant, check_request
from app.adapters.auth.tokens import issue_dev_token
from app.api.docs import content_security_policy
from app.bootstrap import Container
from app.domain.actors import Role
from app.domain.ports import PageRequest, PeopleFilter

router = APIRouter(include_in_schema=False)
_ROLES = (Role.COORDINATOR, Role.ADMIN)


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def _refusal(error: AuthorizationRefused, status: int = 400) -> JSONResponse:
    return JSONResponse(
        {"error": error.error, "error_description": error.description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


def _not_here() -> JSONResponse:
    return JSONResponse({"error": "not_found", "error_description": "No development issuer here."}, status_code=404)


def _request_from(params: dict[str, str], container: Container, request: Request) -> AuthorizationRequest:
    """The authorization request; redirects only to this service (as configured, or as the browser
    reached it) or to a loopback address."""
    public, here = urlsplit(container.settings.public_url), urlsplit(str(request.base_url))
    return check_request(
        response_type=params.get("response_type"),
        client_id=params.get("client_id"),
        redirect_uri=params.get("redirect_uri"),
        code_challenge=params.get("code_challenge"),
        code_challenge_method=params.get("code_challenge_method"),
        state=params.get("state"),
        nonce=params.get("nonce"),
        scope=params.get("scope"),
        allowed_origins={f"{public.scheme}://{public.netloc}", f"{here.scheme}://{here.netloc}"},
    )


@router.get("/oauth/authorize")
async def authorize_page(request: Request) -> Response:
    container = _container(request)
    if container.dev_authorizations is None:
        return _not_here()
    params = dict(request.query_params)
    try:
        _request_from(params, container, request)
    except AuthorizationRefused as error:
        return _refusal(error)
    async with container.uow(read_only=True) as uow:
        people = (await uow.queries.people(PeopleFilter(active=True), PageRequest(limit=200))).items
    hidden = "\n".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">' for k, v in sorted(params.items())
    )
    options = "\n".join(
        f'<option value="{html.escape(p.email)}">{html.escape(p.given_name)} {html.escape(p.family_name)} '
        f"— {html.escape(p.email)}</option>"
        for p in people
    )
    roles = "\n".join(
        f'<label><input type="checkbox" name="role" value="{r.value}"> {r.value}</label><br>' for r in _ROLES
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Turnabout — development sign-in</title></head>
<body>
<h1>Development sign-in</h1>
<p>The built-in development issuer: pick who you are. Production uses the organisation's identity provider.</p>
<form method="post" action="/oauth/authorize">
{hidden}
<label for="email">Person</label><br>
<select id="email" name="email">{options}</select><br>
<label for="other">or another e-mail</label><br>
<input id="other" name="other_email" type="email" autocomplete="off"><br>
<fieldset><legend>Roles (everyone is an employee)</legend>
{roles}
</fieldset>
<button id="sign-in" type="submit">Sign in</button>
</form>
</body></html>
"""
    return HTMLResponse(
        page,
        headers={
            "Content-Security-Policy": content_security_policy(container.settings),
            "Cache-Control": "no-store",
            "X-Frame-Options": "DENY",
        },
    )


@router.post("/oauth/authorize")
async def authorize(request: Request) -> Response:
    container = _container(request)
    if container.dev_authorizations is None:
        return _not_here()
    form = parse_qs((await request.body()).decode(), keep_blank_values=True)
    params = {k: v[0] for k, v in form.items() if k != "role"}
    try:
        wanted = _request_from(params, container, request)
    except AuthorizationRefused as error:
        return _refusal(error)
    email = (params.get("other_email") or params.get("email") or "").strip().lower()
    if "@" not in email:
        return _refusal(AuthorizationRefused("invalid_request", "Pick a person or give an e-mail address."))
    roles = tuple(Role(r) for r in form.get("role", []) if r in {x.value for x in _ROLES})
    code = container.dev_authorizations.issue(Grant(request=wanted, email=email, roles=(Role.EMPLOYEE, *roles)))
    answer = {"code": code, **({"state": wanted.state} if wanted.state is not None else {})}
    glue = "&" if "?" in wanted.redirect_uri else "?"
    return RedirectResponse(f"{wanted.redirect_uri}{glue}{urlencode(answer)}", status_code=303)


@router.post("/oauth/token")
async def token(request: Request) -> Response:
    container = _container(request)
    if container.dev_authorizations is None or container.dev_key is None:
        return _not_here()
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
    if form.get("grant_type") != "authorization_code":
        return _refusal(AuthorizationRefused("unsupported_grant_type", "Only authorization_code."))
    try:
        grant = container.dev_authorizations.redeem(
            code=form.get("code", ""),
            client_id=form.get("client_id"),
            redirect_uri=form.get("redirect_uri"),
            verifier=form.get("code_verifier"),
        )
    except AuthorizationRefused as error:
        return _refusal(error)
    settings = container.settings

    def signed(audience: str, extra: dict[str, str] | None = None) -> str:
        assert container.dev_key is not None
        return issue_dev_token(
            container.dev_key,
            issuer=settings.effective_issuer,
            audience=audience,
            email=grant.email,
            roles=grant.roles,
            ttl_seconds=settings.dev_token_ttl_seconds,
            subject=f"dev|{grant.email}",
            extra=extra,
        )

    access = signed(settings.auth_audience)
    id_token = signed(grant.request.client_id, {"nonce": grant.request.nonce} if grant.request.nonce else None)
    return JSONResponse(
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": settings.dev_token_ttl_seconds,
            "id_token": id_token,
            "scope": grant.request.scope,
        },
        headers={"Cache-Control": "no-store", "Pragma": "no-cache"},
    )
