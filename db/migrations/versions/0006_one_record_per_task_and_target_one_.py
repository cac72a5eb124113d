"""one record per task and target, one correction per result, unreachable targets

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:12:39.292352
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('inspection_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_reached', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('unreached_note', sa.Text(), nullable=False, server_default=''))
        batch_op.create_unique_constraint(batch_op.f('uq_inspection_records_task_id_target_id'), ['task_id', 'target_id'])

    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_results_corrects_id'), ['corrects_id'])



def downgrade() -> None:
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_results_corrects_id'), type_='unique')

    with op.batch_alter_table('inspection_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_inspection_records_task_id_target_id'), type_='unique')
        batch_op.drop_column('unreached_note')
        batch_op.drop_column('target_reached')

