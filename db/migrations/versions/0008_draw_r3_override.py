"""a draw prepared over unconfirmed registries: why, and who decided (R3, issue 21)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('draws', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('r3_override_reason', sa.Text(), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('r3_override_by', sa.String(length=50), nullable=False, server_default='')
        )


def downgrade() -> None:
    with op.batch_alter_table('draws', schema=None) as batch_op:
        batch_op.drop_column('r3_override_by')
        batch_op.drop_column('r3_override_reason')
