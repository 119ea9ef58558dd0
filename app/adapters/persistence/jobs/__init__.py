"""The job store: jobs written by units of work, claimed and settled by workers.

- ``SqlJobQueue`` is ``uow.jobs``: it collects the unit of work's ``JobRequest``s and inserts them at
  commit, in the same transaction as the change and its outbox rows. A request whose kind and dedupe key
  match an unfinished job is dropped by the partial unique index (``INSERT ... ON CONFLICT DO NOTHING``).
- ``JobStore`` is what workers use. A claim is one short write transaction: on PostgreSQL
  ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED)`` so that any number of workers claim
  disjoint jobs without waiting on each other; on SQLite the same statement under the writer's
  ``BEGIN IMMEDIATE`` (one writer at a time anyway). Whether anything is due is asked first on a reader
  connection, so an idle runner never takes SQLite's write lock.
- Every settle (succeeded, retrying, dead, released) is guarded by ``locked_by = <this worker> AND
  state = 'running'``: a worker whose lease expired and whose job another worker took cannot overwrite
  that worker's outcome.
- ``JobWakeup`` wakes runners: at once in this process after a commit that enqueued jobs, and across
  processes on PostgreSQL through ``LISTEN/NOTIFY`` (the ``NOTIFY`` is sent inside the enqueuing
  transaction, so PostgreSQL delivers it only if that transaction commits). Runners also poll, so a
  lost notification only delays a job by one poll interval.
"""

from app.adapters.persistence.jobs.figures import KindFigures, job_figures
from app.adapters.persistence.jobs.queue import SqlJobQueue, insert_jobs, job_rows
from app.adapters.persistence.jobs.shared import CHANNEL, jobs, schedules
from app.adapters.persistence.jobs.store import JobStore, to_job
from app.adapters.persistence.jobs.wakeup import JobWakeup

__all__ = [
    "CHANNEL",
    "JobStore",
    "JobWakeup",
    "KindFigures",
    "SqlJobQueue",
    "insert_jobs",
    "job_figures",
    "job_rows",
    "jobs",
    "schedules",
    "to_job",
]
