"""Event payloads are a public contract: each matches its published schema and carries no private text."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import jsonschema
import pytest

from app.api.event_catalogue import catalogue, event_classes

PRIVATE_WORDS = ("reflection", "note", "body", "text", "comment", "message", "agenda", "motivation")
SAMPLES: dict[Any, Any] = {
    UUID: UUID("01234567-89ab-7def-8123-456789abcdef"),
    str: "value",
    int: 3,
    float: 0.5,
    datetime: datetime(2027, 1, 11, 9, 30, tzinfo=UTC),
}


def _sample(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is list:
        return [_sample(typing.get_args(hint)[0])]
    if origin in (typing.Union, types.UnionType):
        return _sample(next(a for a in typing.get_args(hint) if a is not type(None)))
    return SAMPLES[hint]


@pytest.mark.parametrize("cls", event_classes(), ids=lambda cls: cls.event_type)
def test_every_payload_matches_its_published_schema(cls: Any) -> None:
    hints = typing.get_type_hints(cls)
    event = cls(**{f.name: _sample(hints[f.name]) for f in dataclasses.fields(cls) if f.init})
    schema = catalogue()[cls.event_type]["payload"]
    jsonschema.validate(json.loads(json.dumps(event.payload())), schema)


@pytest.mark.parametrize("cls", event_classes(), ids=lambda cls: cls.event_type)
def test_no_payload_carries_private_text(cls: Any) -> None:
    names = [f.name for f in dataclasses.fields(cls) if not f.name.endswith("_id")]
    assert not [n for n in names if any(word in n for word in PRIVATE_WORDS)]


def test_the_published_catalogue_is_what_the_code_raises() -> None:
    published = json.loads((Path(__file__).parents[2] / "openapi" / "events.json").read_text())
    assert published == {"events": json.loads(json.dumps(catalogue()))}, "run `uv run turnabout export-openapi`"


# Text fields a payload may carry: identifiers from the HRIS, field names, and closed vocabularies
# (statuses, kinds, reasons, verdicts, policies). Any other text field, whatever its name, fails here
# until someone decides on purpose that receivers may see it.
CLOSED_TEXT_FIELDS = {
    "external_id",
    "fields",
    "kind",
    "from_status",
    "to_status",
    "status",
    "verdict",
    "source",
    "reason",
    "health",
    "policy",
    "outcome",  # concern.resolved: resolved | rematch_approved | rematch_declined
    "scopes",  # api_key.created: the closed set of scopes
    "prefix",  # api_key.*: the key's public prefix (never its secret)
    "issuer",  # person.identity_*: the IdP's issuer URL and the subject it names the person by —
    "subject",  # identifiers, like external_id (no e-mail, no name)
    "incentive",  # recognition.granted: one of the program's published incentives, for HR to act on
}


def _is_text(hint: Any) -> bool:
    origin = typing.get_origin(hint)
    if origin is list:
        return _is_text(typing.get_args(hint)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_text(a) for a in typing.get_args(hint) if a is not type(None))
    return hint is str


@pytest.mark.parametrize("cls", event_classes(), ids=lambda cls: cls.event_type)
def test_payloads_carry_ids_times_numbers_and_closed_vocabularies_only(cls: Any) -> None:
    """Payload minimisation, for every event type including those added later: a webhook carries
    ids and the minimal fields a receiver needs, never free text."""
    hints = typing.get_type_hints(cls)
    text = {f.name for f in dataclasses.fields(cls) if f.name != "sequence" and _is_text(hints[f.name])}
    assert text <= CLOSED_TEXT_FIELDS, f"free text in {cls.event_type}: {sorted(text - CLOSED_TEXT_FIELDS)}"
