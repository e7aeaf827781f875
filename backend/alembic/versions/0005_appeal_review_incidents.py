"""appeal review (decision, reviewer, note, where the customer is told) and incident lifecycle
(closed_at, the conversations told about an incident)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 03:25:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

def upgrade() -> None:
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('conversation_id', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('outcome_pushed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome_delivered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_appeals_decided_by_id_agents'), 'agents', ['decided_by_id'], ['id'], ondelete='SET NULL'
        )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        'incident_notices',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('conversation_id', sa.String(length=128), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_notices_incident_id_incidents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_notices')),
        sa.UniqueConstraint('incident_id', 'conversation_id', name=op.f('uq_incident_notices_incident_id_conversation_id')),
    )
    with op.batch_alter_table('incident_notices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_notices_incident_id'), ['incident_id'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('incident_notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_notices_incident_id'))
    op.drop_table('incident_notices')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_appeals_decided_by_id_agents'), type_='foreignkey')
        batch_op.drop_column('outcome_delivered_at')
        batch_op.drop_column('outcome_pushed_at')
        batch_op.drop_column('decision_note')
        batch_op.drop_column('decided_by_id')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('language')
        batch_op.drop_column('conversation_id')
