"""feedback: check-ins, anonymous surveys (ledger, ballot box and responses apart), concerns, stories, recognitions

Revision ID: 2026_12_01_feedback
Revises: 2026_12_01_api_keys
Create Date: 2026-12-01 20:51:39.154768
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import app.adapters.persistence.types

revision: str = '2026_12_01_feedback'
down_revision: str | None = '2026_12_01_api_keys'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('surveys',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('questions', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('opens_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closes_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('opened_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_surveys_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_surveys'))
    )
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_surveys_program_id'), ['program_id'], unique=False)

    op.create_table('checkins',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('due_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('going_well', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('not_going_well', sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
    sa.Column('submitted_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_checkins_person_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_checkins_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_checkins_relationship_id_relationships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkins_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkins_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkins_relationship_id'), ['relationship_id'], unique=False)

    op.create_table('concerns',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=True),
    sa.Column('raised_by', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('rematch_requested', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('coordinator_note', sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=False),
    sa.Column('raised_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_concerns_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['raised_by'], ['people.id'], name=op.f('fk_concerns_raised_by_people')),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_concerns_relationship_id_relationships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by'], ['people.id'], name=op.f('fk_concerns_resolved_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concerns'))
    )
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concerns_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concerns_raised_by'), ['raised_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_concerns_relationship_id'), ['relationship_id'], unique=False)

    op.create_table('survey_ballots',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('survey_id', sa.Uuid(), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('groups', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_ballots_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_ballots')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_ballots_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_ledger',
    sa.Column('survey_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_survey_ledger_person_id_people')),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_ledger_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'person_id', name=op.f('pk_survey_ledger')),
    sqlite_with_rowid=False
    )
    op.create_table('survey_responses',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('survey_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('groups', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_responses_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_responses')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_survey_id'), ['survey_id'], unique=False)

    op.create_table('stories',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=True),
    sa.Column('partner_id', sa.Uuid(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_stories_author_id_people')),
    sa.ForeignKeyConstraint(['partner_id'], ['people.id'], name=op.f('fk_stories_partner_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_stories_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_stories_relationship_id_relationships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories'))
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_status'), ['status'], unique=False)

    op.create_table('recognitions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=False),
    sa.Column('incentive', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('granted_at', app.adapters.persistence.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('granted_by', sa.Uuid(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['granted_by'], ['people.id'], name=op.f('fk_recognitions_granted_by_people')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_recognitions_person_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_recognitions_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_recognitions_relationship_id_relationships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recognitions'))
    )
    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recognitions_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_recognitions_program_id'), ['program_id'], unique=False)

    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checkin_after_meeting', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('checkin_every_days', sa.Integer(), server_default='60', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_column('checkin_every_days')
        batch_op.drop_column('checkin_after_meeting')

    with op.batch_alter_table('recognitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recognitions_program_id'))
        batch_op.drop_index(batch_op.f('ix_recognitions_person_id'))

    op.drop_table('recognitions')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_status'))
        batch_op.drop_index(batch_op.f('ix_stories_program_id'))
        batch_op.drop_index(batch_op.f('ix_stories_author_id'))

    op.drop_table('stories')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_survey_id'))

    op.drop_table('survey_responses')
    op.drop_table('survey_ledger')
    with op.batch_alter_table('survey_ballots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_ballots_survey_id'))

    op.drop_table('survey_ballots')
    with op.batch_alter_table('concerns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concerns_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_concerns_raised_by'))
        batch_op.drop_index(batch_op.f('ix_concerns_program_id'))

    op.drop_table('concerns')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkins_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_checkins_program_id'))
        batch_op.drop_index(batch_op.f('ix_checkins_person_id'))

    op.drop_table('checkins')
    with op.batch_alter_table('surveys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_surveys_program_id'))

    op.drop_table('surveys')
