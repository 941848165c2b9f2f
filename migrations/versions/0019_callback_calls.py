"""Callbacks with one click: each try (one live per callback, unique), and each member of staff's own phone

Revision ID: 0019_callback_calls
Revises: 0018_texts
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_callback_calls'
down_revision = '0018_texts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('callback_calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('handler_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('ringing_handler', 'ringing_caller', 'completed', 'no_answer', 'busy', 'failed', 'handler_missed', name='callbackcallstatus', native_enum=False, length=32), nullable=False),
    sa.Column('live', sa.Boolean(), nullable=True),
    sa.Column('handler_call_sid', sa.String(length=34), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_callback_calls_call_id_calls')),
    sa.ForeignKeyConstraint(['handler_id'], ['staff_users.id'], name=op.f('fk_callback_calls_handler_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_calls')),
    sa.UniqueConstraint('call_id', 'live', name='uq_callback_calls_one_live'),
    sa.UniqueConstraint('handler_call_sid', name=op.f('uq_callback_calls_handler_call_sid'))
    )
    with op.batch_alter_table('callback_calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_calls_call_id'), ['call_id'], unique=False)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))



def downgrade():
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('phone')

    with op.batch_alter_table('callback_calls', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_calls_call_id'))

    op.drop_table('callback_calls')
