"""matching runs: runs, their proposed pairs and the unmatched

Revision ID: 2026_11_22_matching_runs
Revises: 2026_11_22_mentoring_core
Create Date: 2026-11-22 11:31:15.637311
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

revision: str = '2026_11_22_matching_runs'
down_revision: str | None = '2026_11_22_mentoring_core'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('matching_runs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('based_on', sa.Uuid(), nullable=True),
    sa.Column('started_by', sa.Uuid(), nullable=True),
    sa.Column('pool_size', sa.Integer(), nullable=False),
    sa.Column('pins', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('forbids', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('outcome', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('error', sa.String(length=2000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['based_on'], ['matching_runs.id'], name=op.f('fk_matching_runs_based_on_matching_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_matching_runs_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['started_by'], ['people.id'], name=op.f('fk_matching_runs_started_by_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_runs'))
    )
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matching_runs_program_id'), ['program_id'], unique=False)

    op.create_table('matching_proposals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('enrollment_a_id', sa.Uuid(), nullable=False),
    sa.Column('enrollment_b_id', sa.Uuid(), nullable=False),
    sa.Column('person_a_id', sa.Uuid(), nullable=False),
    sa.Column('person_b_id', sa.Uuid(), nullable=False),
    sa.Column('mentor_enrollment_id', sa.Uuid(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('factors', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('summary', sa.String(length=2000), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_a_id'], ['enrollments.id'], name=op.f('fk_matching_proposals_enrollment_a_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrollment_b_id'], ['enrollments.id'], name=op.f('fk_matching_proposals_enrollment_b_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['matching_runs.id'], name=op.f('fk_matching_proposals_run_id_matching_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_proposals'))
    )
    with op.batch_alter_table('matching_proposals', schema=None) as batch_op:
        batch_op.create_index('ix_matching_proposals_run_position', ['run_id', 'position'], unique=False)

    op.create_table('matching_unmatched',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('run_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollments.id'], name=op.f('fk_matching_unmatched_enrollment_id_enrollments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['matching_runs.id'], name=op.f('fk_matching_unmatched_run_id_matching_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matching_unmatched'))
    )
    with op.batch_alter_table('matching_unmatched', schema=None) as batch_op:
        batch_op.create_index('ix_matching_unmatched_run_position', ['run_id', 'position'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('matching_unmatched', schema=None) as batch_op:
        batch_op.drop_index('ix_matching_unmatched_run_position')

    op.drop_table('matching_unmatched')
    with op.batch_alter_table('matching_proposals', schema=None) as batch_op:
        batch_op.drop_index('ix_matching_proposals_run_position')

    op.drop_table('matching_proposals')
    with op.batch_alter_table('matching_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matching_runs_program_id'))

    op.drop_table('matching_runs')
