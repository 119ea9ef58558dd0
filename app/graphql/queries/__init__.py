"""The query root: everything a front end shows, read through the same use cases as REST's GETs
(so the rules of who may see what live once), nested fields through DataLoaders.

One module per area; ``Query`` joins them into the root (as ``app.graphql.schema`` joins the
mutations)."""

from __future__ import annotations

import strawberry

from app.graphql.queries.feedback import FeedbackQueries
from app.graphql.queries.mentoring import MentoringQueries
from app.graphql.queries.operations import OperationsQueries
from app.graphql.queries.people import PeopleQueries
from app.graphql.queries.programs import ProgramQueries


@strawberry.type
class Query(PeopleQueries, OperationsQueries, ProgramQueries, MentoringQueries, FeedbackQueries):
    pass
