"""learning goals reference their program objective with a foreign key again

Objectives are now written as a diff (their rows keep their ids when a program is edited), so the
foreign key dropped for the old delete-and-reinsert writes comes back. Removing an objective from a
program unlinks the goals that named it (ON DELETE SET NULL). Goals naming an objective that no
longer exists are unlinked first.

Revision ID: 2026_12_01_goal_objective_fk
Revises: 2026_11_22_matching_runs
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '2026_12_01_goal_objective_fk'
down_revision: str | None = '2026_11_22_matching_runs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        sa.text(
            "UPDATE learning_goals SET objective_id = NULL "
            "WHERE objective_id IS NOT NULL AND objective_id NOT IN (SELECT id FROM program_objectives)"
        )
    )
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_goals_objective_id'), ['objective_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_learning_goals_objective_id_program_objectives'),
            'program_objectives',
            ['objective_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('learning_goals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_learning_goals_objective_id_program_objectives'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_learning_goals_objective_id'))
