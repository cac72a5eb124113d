"""inspection record signer, commissioned agency, result publisher and late note, follow-up closing

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 11:41:33.547219
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows get the empty value (credentials shown: the old form assumed it).
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('opened_by', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closing_note', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('inspection_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credentials_shown', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('target_signer', sa.String(length=100), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('recorded_by', sa.String(length=50), nullable=False, server_default=''))

    with op.batch_alter_table('record_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency', sa.String(length=200), nullable=False, server_default=''))

    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_by', sa.String(length=50), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('late_note', sa.Text(), nullable=False, server_default=''))



def downgrade() -> None:
    with op.batch_alter_table('results', schema=None) as batch_op:
        batch_op.drop_column('late_note')
        batch_op.drop_column('published_by')

    with op.batch_alter_table('record_items', schema=None) as batch_op:
        batch_op.drop_column('agency')

    with op.batch_alter_table('inspection_records', schema=None) as batch_op:
        batch_op.drop_column('recorded_by')
        batch_op.drop_column('target_signer')
        batch_op.drop_column('credentials_shown')

    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_column('closing_note')
        batch_op.drop_column('opened_by')

