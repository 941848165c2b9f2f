"""Texts with the reference: one per request (unique), and each consultation's text sender

Revision ID: 0018_texts
Revises: 0017_caller_links
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018_texts'
down_revision = '0017_caller_links'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reference_texts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('handler', 'phone_menu', name='callchannel', native_enum=False, length=32), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('requested', 'sending', 'sent', 'delivered', 'failed', name='textstatus', native_enum=False, length=32), nullable=False),
    sa.Column('message_sid', sa.String(length=34), nullable=True),
    sa.Column('error_code', sa.Integer(), nullable=True),
    sa.Column('failure_reason', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sending_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('forgotten_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['requests.id'], name=op.f('fk_reference_texts_request_id_requests')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff_users.id'], name=op.f('fk_reference_texts_requested_by_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_texts')),
    sa.UniqueConstraint('message_sid', name=op.f('uq_reference_texts_message_sid')),
    sa.UniqueConstraint('request_id', name=op.f('uq_reference_texts_request_id'))
    )
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_sender', sa.String(length=20), nullable=True))



def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('text_sender')

    op.drop_table('reference_texts')
