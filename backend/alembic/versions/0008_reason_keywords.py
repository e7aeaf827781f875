"""reason catalog: the words customers use for each cause

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 07:00:00

Nullable: an existing catalog keeps working (no keywords: follow-ups stay with the cause
explained) and is filled on the next start, when the seed loader refreshes the catalog
(app.seed.loader.upsert_catalog).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keywords', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        batch_op.drop_column('keywords')
