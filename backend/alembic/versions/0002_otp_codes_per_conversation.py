"""one-time codes bound to a conversation, wrong tries counted per code; no phone-wide lock

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 02:30:00

Codes issued before this revision belong to no conversation and could never be used any
more: they are deleted (they expire within minutes anyway).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.execute(sa.text("DELETE FROM otp_codes"))
    with op.batch_alter_table('otp_codes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.String(length=128), nullable=False))
        batch_op.add_column(sa.Column('failed_attempts', sa.Integer(), nullable=False))
        batch_op.create_index(batch_op.f('ix_otp_codes_conversation_id'), ['conversation_id'], unique=False)

    op.drop_table('otp_throttles')


def downgrade() -> None:
    op.create_table('otp_throttles',
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('failed_count', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('phone', name=op.f('pk_otp_throttles'))
    )
    with op.batch_alter_table('otp_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_otp_codes_conversation_id'))
        batch_op.drop_column('failed_attempts')
        batch_op.drop_column('conversation_id')
