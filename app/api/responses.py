"""Responses for single resources: JSON with the ETag (and Location for creates)."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from app.api.etag import etag_for


def resource(model: BaseModel, *, version: int, status: int = 200, location: str | None = None) -> JSONResponse:
    headers = {"ETag": etag_for(version)}
    if location is not None:
        headers["Location"] = location
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


ETAG_HEADER = {"ETag": {"description": "The resource version, for `If-Match`.", "schema": {"type": "string"}}}
