"""matching runs: dry runs with alternative settings

Revision ID: 2026_12_01_matching_dry_runs
Revises: 2026_12_01_goal_objective_fk
Create Date: 2026-12-01 18:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '2026_12_01_matching_dry_runs'
down_revision: str | None = '2026_12_01_goal_objective_fk'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('matching_runs') as batch:
        batch.add_column(sa.Column('dry_run', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(
            sa.Column(
                'settings_overrides',
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
                server_default='{}',
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table('matching_runs') as batch:
        batch.drop_column('settings_overrides')
        batch.drop_column('dry_run')
