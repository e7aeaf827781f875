"""reason catalog: follow-up texts (why me / fairness, timing, already fixed), both languages

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 03:40:00

Nullable columns: an existing catalog keeps working and is filled on the next start, when
the seed loader refreshes the catalog (app.seed.loader.upsert_catalog).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

COLUMNS = ('why_me_zh', 'why_me_en', 'timing_zh', 'timing_en', 'already_fixed_zh', 'already_fixed_en')


def upgrade() -> None:
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('reasons', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
