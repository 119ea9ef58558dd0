from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query
from fastapi.responses import JSONResponse

from app.api.changes import given, sent
from app.api.deps import ActorDep, UowDep
from app.api.etag import expected_version
from app.api.idempotency import IdempotencyDep
from app.api.pagination import PageDep, encode_cursor
from app.api.problems import problem_responses
from app.api.responses import ETAG_HEADER, resource
from app.api.routing import api_router
from app.api.schemas.people import (
    ConsentUpdate,
    PeopleUpsert,
    PersonCreate,
    PersonList,
    PersonOut,
    PersonUpdate,
    UpsertResult,
)
from app.domain import policies
from app.domain.actors import Actor
from app.domain.directory import PersonRecord
from app.domain.people import Person, PersonChanges, PersonDetails
from app.domain.ports import PeopleFilter
from app.services import people as service

router = api_router(tags=["people"])
IfMatch = Annotated[int | None, Depends(expected_version)]


def _out(person: Person, actor: Actor) -> PersonOut:
    return PersonOut.of(person, private=policies.can_read_private_attributes(actor, person.id))


@router.post(
    "/people",
    status_code=201,
    response_model=PersonOut,
    summary="Add a person",
    description=service.create_person.__doc__,
    responses={201: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 409, 422)},
)
async def create_person(body: PersonCreate, actor: ActorDep, uow: UowDep, idempotency: IdempotencyDep) -> JSONResponse:
    async def create() -> JSONResponse:
        details = PersonDetails(
            email=body.email,
            given_name=body.given_name,
            family_name=body.family_name,
            external_id=body.external_id,
            department=body.department,
            location=body.location,
            job_title=body.job_title,
            seniority=body.seniority,
            manager_id=body.manager_id,
            hire_date=body.hire_date,
            generation=body.generation,
        )
        person = await service.create_person(uow, actor, details=details)
        return resource(_out(person, actor), version=person.version, status=201, location=f"/api/v1/people/{person.id}")

    return await idempotency.run(body.model_dump(mode="json"), create)


@router.get(
    "/people",
    response_model=PersonList,
    summary="List people",
    description=service.list_people.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def list_people(
    actor: ActorDep,
    uow: UowDep,
    page: PageDep,
    department: Annotated[str | None, Query(max_length=200)] = None,
    location: Annotated[str | None, Query(max_length=200)] = None,
    active: bool | None = None,
    manager_id: UUID | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of a name or email.")] = None,
) -> PersonList:
    flt = PeopleFilter(department=department, location=location, active=active, manager_id=manager_id, q=q)
    result = await service.list_people(uow, actor, flt=flt, page=page)
    return PersonList(items=[_out(p, actor) for p in result.items], next_cursor=encode_cursor(result.next_after))


@router.put(
    "/people",
    response_model=UpsertResult,
    summary="Upsert people by HRIS external id",
    description=service.upsert_people.__doc__,
    responses=problem_responses(401, 403, 409, 422),
)
async def upsert_people(body: PeopleUpsert, actor: ActorDep, uow: UowDep) -> UpsertResult:
    records = [
        PersonRecord(
            external_id=r.external_id,
            email=r.email,
            given_name=r.given_name,
            family_name=r.family_name,
            department=r.department,
            location=r.location,
            job_title=r.job_title,
            seniority=r.seniority,
            manager_external_id=r.manager_external_id,
            hire_date=r.hire_date,
            generation=r.generation,
            active=r.active,
        )
        for r in body.people
    ]
    outcome = await service.upsert_people(uow, actor, records=records)
    return UpsertResult.model_validate(outcome)


@router.get(
    "/people/{person_id}",
    response_model=PersonOut,
    summary="Get a person",
    description=service.get_person.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 404)},
)
async def get_person(person_id: UUID, actor: ActorDep, uow: UowDep) -> JSONResponse:
    person = await service.get_person(uow, actor, person_id=person_id)
    return resource(_out(person, actor), version=person.version)


@router.patch(
    "/people/{person_id}",
    response_model=PersonOut,
    summary="Update a person",
    description=service.update_person.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412, 422)},
)
async def update_person(
    person_id: UUID, body: PersonUpdate, actor: ActorDep, uow: UowDep, if_match: IfMatch
) -> JSONResponse:
    changes = PersonChanges(
        email=given(body.email),
        given_name=given(body.given_name),
        family_name=given(body.family_name),
        external_id=sent(body, "external_id", body.external_id),
        department=sent(body, "department", body.department),
        location=sent(body, "location", body.location),
        job_title=sent(body, "job_title", body.job_title),
        seniority=given(body.seniority),
        manager_id=sent(body, "manager_id", body.manager_id),
        hire_date=sent(body, "hire_date", body.hire_date),
        generation=sent(body, "generation", body.generation),
    )
    person = await service.update_person(uow, actor, person_id=person_id, changes=changes, expected_version=if_match)
    return resource(_out(person, actor), version=person.version)


@router.post(
    "/people/{person_id}/deactivate",
    response_model=PersonOut,
    summary="Deactivate a person",
    description=service.deactivate_person.__doc__,
    responses={200: {"headers": ETAG_HEADER}, **problem_responses(401, 403, 404, 409, 412)},
)
async def deactivate_person(person_id: UUID, actor: ActorDep, uow: UowDep, if_match: IfMatch) -> JSONResponse:
    person = await service.deactivate_person(uow, actor, person_id=person_id, expected_version=if_match)
    return resource(_out(person, actor), version=person.version)


@router.get(
    "/me",
    response_model=PersonOut,
    summary="Who am I",
    description="The caller's own person record, private attributes included.",
    responses=problem_responses(401, 403),
)
async def get_me(actor: ActorDep, uow: UowDep) -> JSONResponse:
    person = await service.me(uow, actor)
    return resource(_out(person, actor), version=person.version)


@router.patch(
    "/me/consent",
    response_model=PersonOut,
    summary="Set my self-identified attributes and matching consent",
    description=service.update_my_consent.__doc__,
    responses=problem_responses(401, 403, 422),
)
async def update_my_consent(body: ConsentUpdate, actor: ActorDep, uow: UowDep) -> JSONResponse:
    person = await service.update_my_consent(
        uow, actor, attributes=given(body.attributes), matching_consent=given(body.matching_consent)
    )
    return resource(_out(person, actor), version=person.version)
