"""``SqlReadSide``: every read of ``app.domain.read_side.ReadSide``, on one session."""

from __future__ import annotations

from app.adapters.persistence.queries.directory import DirectoryReads
from app.adapters.persistence.queries.feedback import FeedbackReads
from app.adapters.persistence.queries.jobs import JobReads
from app.adapters.persistence.queries.metrics import MetricsReads
from app.adapters.persistence.queries.pairs import PairReads
from app.adapters.persistence.queries.programs import ProgramReads
from app.adapters.persistence.queries.relationships import RelationshipReads


class SqlReadSide(RelationshipReads, PairReads, DirectoryReads, ProgramReads, FeedbackReads, MetricsReads, JobReads):
    """Reads through the unit of work's session: inside a request, the request's one transaction."""
