"""reason catalog: working days a reviewer takes to decide an appeal, per cause

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 03:00:00

Nullable: an existing catalog keeps working and is filled on the next start, when the seed
loader refreshes the catalog (app.seed.loader.upsert_catalog).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('appeal_review_days', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.drop_column('appeal_review_days')
