"""Program metrics, as JSON and as CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
from uuid import UUID

from fastapi.responses import HTMLResponse, Response

from app.api import report
from app.api.deps import ActorDep, UowDep
from app.api.problems import problem_responses
from app.api.routing import api_router
from app.api.schemas.metrics import MetricsOut
from app.domain.metrics import rows_as_csv
from app.services import metrics as service

router = api_router(tags=["metrics"])


@router.get(
    "/programs/{program_id}/metrics",
    response_model=MetricsOut,
    summary="A program's metrics",
    description=service.program_metrics.__doc__,
    responses=problem_responses(401, 403, 404),
)
async def program_metrics(program_id: UUID, actor: ActorDep, uow: UowDep) -> MetricsOut:
    found = await service.program_metrics(uow, actor, program_id=program_id)
    return MetricsOut.model_validate(dataclasses.asdict(found))


@router.get(
    "/organisation/metrics",
    response_model=MetricsOut,
    summary="The organisation's metrics (every program)",
    description=service.organisation_metrics.__doc__,
    responses=problem_responses(401, 403),
)
async def organisation_metrics(actor: ActorDep, uow: UowDep) -> MetricsOut:
    found = await service.organisation_metrics(uow, actor)
    return MetricsOut.model_validate(dataclasses.asdict(found))


@router.get(
    "/programs/{program_id}/metrics.csv",
    summary="A program's metrics as CSV",
    description=(service.program_metrics.__doc__ or "") + "\nOne row per figure: section, name, value.",
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 404)},
    response_class=Response,
)
async def program_metrics_csv(program_id: UUID, actor: ActorDep, uow: UowDep) -> Response:
    found = await service.program_metrics(uow, actor, program_id=program_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "name", "value"])
    writer.writerows(rows_as_csv(found))
    return Response(
        out.getvalue(), media_type="text/csv", headers={"Content-Disposition": "attachment; filename=metrics.csv"}
    )


@router.get(
    "/programs/{program_id}/report",
    summary="A program's evaluation report (printable HTML)",
    description=(service.program_metrics.__doc__ or "")
    + "\nOne self-contained HTML page for the advisory committee: objectives against targets, the funnel, "
    "health, activity over time, turn balance, survey results, trained versus untrained pairs, retention — "
    "charts as inline SVG, no external asset, small groups withheld.",
    responses={200: {"content": {"text/html": {}}}, **problem_responses(401, 403, 404)},
    response_class=HTMLResponse,
)
async def program_report(program_id: UUID, actor: ActorDep, uow: UowDep) -> HTMLResponse:
    found = await service.program_metrics(uow, actor, program_id=program_id)
    name = await service.report_title(uow, program_id)
    page = report.render(found, program_name=name, generated_on=uow.clock.now().date().isoformat())
    return HTMLResponse(page, headers={"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'"})
