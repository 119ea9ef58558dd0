"""mentoring core: relationships, turn swaps, pair exclusions, meetings, resources, private
reflections, learning goals and progress, calendar feed secrets

Revision ID: 2026_11_22_mentoring_core
Revises: 2026_11_22_foundation
Create Date: 2026-11-22 11:05:45.741380
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '2026_11_22_mentoring_core'
down_revision: str | None = '2026_11_22_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_calendar_feeds_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feeds_token_hash'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_person_id'), ['person_id'], unique=False)

    op.create_table('relationships',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('member_a_id', sa.Uuid(), nullable=False),
    sa.Column('member_b_id', sa.Uuid(), nullable=False),
    sa.Column('designated_mentor_id', sa.Uuid(), nullable=False),
    sa.Column('senior_member_id', sa.Uuid(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('end_reason', sa.String(length=30), nullable=True),
    sa.Column('program_policy', sa.String(length=60), nullable=False),
    sa.Column('agreement', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('acceptances', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('pauses', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('policy_overrides', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('policy_proposal', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('ready_at_turn', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('explanation', sa.String(length=4000), nullable=False),
    sa.Column('health_status', sa.String(length=20), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_a_id'], ['people.id'], name=op.f('fk_relationships_member_a_id_people')),
    sa.ForeignKeyConstraint(['member_b_id'], ['people.id'], name=op.f('fk_relationships_member_b_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_relationships_program_id_programs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationships'))
    )
    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relationships_member_a_id'), ['member_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationships_member_b_id'), ['member_b_id'], unique=False)
        batch_op.create_index('ix_relationships_program_status', ['program_id', 'status'], unique=False)

    op.create_table('learning_goals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=False),
    sa.Column('partner_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('success_criteria', sa.String(length=5000), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('objective_id', sa.Uuid(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_learning_goals_owner_id_people')),
    sa.ForeignKeyConstraint(['partner_id'], ['people.id'], name=op.f('fk_learning_goals_partner_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_learning_goals_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_learning_goals_relationship_id_relationships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_goals'))
    )
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_goals_relationship_id'), ['relationship_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('member_a_id', sa.Uuid(), nullable=False),
    sa.Column('member_b_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('planned_leader_id', sa.Uuid(), nullable=False),
    sa.Column('agenda', sa.String(length=10000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('led_by', sa.Uuid(), nullable=True),
    sa.Column('shared_notes', sa.String(length=50000), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_a_id'], ['people.id'], name=op.f('fk_meetings_member_a_id_people')),
    sa.ForeignKeyConstraint(['member_b_id'], ['people.id'], name=op.f('fk_meetings_member_b_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_meetings_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_meetings_relationship_id_relationships'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_member_a_id'), ['member_a_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_member_b_id'), ['member_b_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_program_id'), ['program_id'], unique=False)
        batch_op.create_index('ix_meetings_relationship_starts', ['relationship_id', 'starts_at'], unique=False)

    op.create_table('pair_exclusions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('person_low_id', sa.Uuid(), nullable=False),
    sa.Column('person_high_id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=True),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_high_id'], ['people.id'], name=op.f('fk_pair_exclusions_person_high_id_people')),
    sa.ForeignKeyConstraint(['person_low_id'], ['people.id'], name=op.f('fk_pair_exclusions_person_low_id_people')),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_pair_exclusions_program_id_programs'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_pair_exclusions_relationship_id_relationships'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_exclusions')),
    sa.UniqueConstraint('program_id', 'person_low_id', 'person_high_id', name=op.f('uq_pair_exclusions_program_id_person_low_id_person_high_id'))
    )
    op.create_table('turn_swaps',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('relationship_id', sa.Uuid(), nullable=False),
    sa.Column('requested_by', sa.Uuid(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('turn_index', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationships.id'], name=op.f('fk_turn_swaps_relationship_id_relationships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['people.id'], name=op.f('fk_turn_swaps_requested_by_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_turn_swaps'))
    )
    with op.batch_alter_table('turn_swaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_turn_swaps_relationship_id'), ['relationship_id'], unique=False)

    op.create_table('goal_progress',
    sa.Column('goal_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('note', sa.String(length=5000), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_goal_progress_author_id_people')),
    sa.ForeignKeyConstraint(['goal_id'], ['learning_goals.id'], name=op.f('fk_goal_progress_goal_id_learning_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('goal_id', 'position', name=op.f('pk_goal_progress'))
    )
    op.create_table('meeting_reflections',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.String(length=20000), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['people.id'], name=op.f('fk_meeting_reflections_author_id_people')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_reflections_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'author_id', name=op.f('pk_meeting_reflections'))
    )
    with op.batch_alter_table('meeting_reflections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_reflections_author_id'), ['author_id'], unique=False)

    op.create_table('meeting_resources',
    sa.Column('meeting_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('suggested_by', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_resources_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'position', name=op.f('pk_meeting_resources'))
    )


def downgrade() -> None:
    op.drop_table('meeting_resources')
    with op.batch_alter_table('meeting_reflections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_reflections_author_id'))

    op.drop_table('meeting_reflections')
    op.drop_table('goal_progress')
    with op.batch_alter_table('turn_swaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_turn_swaps_relationship_id'))

    op.drop_table('turn_swaps')
    op.drop_table('pair_exclusions')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_meetings_relationship_starts')
        batch_op.drop_index(batch_op.f('ix_meetings_program_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_member_b_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_member_a_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_learning_goals_relationship_id'))

    op.drop_table('learning_goals')
    with op.batch_alter_table('relationships', schema=None) as batch_op:
        batch_op.drop_index('ix_relationships_program_status')
        batch_op.drop_index(batch_op.f('ix_relationships_member_b_id'))
        batch_op.drop_index(batch_op.f('ix_relationships_member_a_id'))

    op.drop_table('relationships')
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_person_id'))

    op.drop_table('calendar_feeds')
