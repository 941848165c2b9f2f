"""Returned forms: returns, keyings, adjudications; keying mode on consultations

Revision ID: 0003_returns
Revises: 0002_phone_menu
Create Date: 2026-11-26 13:14:06.192443

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_returns'
down_revision = '0002_phone_menu'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('returns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('pack_id', sa.Integer(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('is_late', sa.Boolean(), nullable=False),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('received', 'keyed_once', 'verified', 'in_dispute', name='returnstatus', native_enum=False, length=32), nullable=False),
    sa.Column('second_entry_required', sa.Boolean(), nullable=True),
    sa.Column('disagreement_count', sa.Integer(), nullable=True),
    sa.Column('final_answers', sa.JSON(), nullable=True),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultations.id'], name=op.f('fk_returns_consultation_id_consultations')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['returns.id'], name=op.f('fk_returns_duplicate_of_id_returns')),
    sa.ForeignKeyConstraint(['pack_id'], ['packs.id'], name=op.f('fk_returns_pack_id_packs')),
    sa.ForeignKeyConstraint(['received_by_id'], ['staff_users.id'], name=op.f('fk_returns_received_by_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_returns'))
    )
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.create_index('ix_returns_consultation_status', ['consultation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_returns_pack_id'), ['pack_id'], unique=False)

    op.create_table('adjudications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('question_code', sa.String(length=80), nullable=False),
    sa.Column('chosen_from', sa.String(length=16), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('supervisor_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_adjudications_return_id_returns')),
    sa.ForeignKeyConstraint(['supervisor_id'], ['staff_users.id'], name=op.f('fk_adjudications_supervisor_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adjudications')),
    sa.UniqueConstraint('return_id', 'question_code', name='uq_adjudications_return_question')
    )
    op.create_table('keyings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('return_id', sa.Integer(), nullable=False),
    sa.Column('keyer_id', sa.Integer(), nullable=False),
    sa.Column('entry_number', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('entry_number IN (1, 2)', name=op.f('ck_keyings_entry_1_or_2')),
    sa.ForeignKeyConstraint(['keyer_id'], ['staff_users.id'], name=op.f('fk_keyings_keyer_id_staff_users')),
    sa.ForeignKeyConstraint(['return_id'], ['returns.id'], name=op.f('fk_keyings_return_id_returns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_keyings')),
    sa.UniqueConstraint('return_id', 'entry_number', name='uq_keyings_return_entry')
    )
    with op.batch_alter_table('keyings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_keyings_keyer_id'), ['keyer_id'], unique=False)

    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keying_mode', sa.Enum('double', 'single', name='keyingmode', native_enum=False, length=32), server_default='double', nullable=False))
        batch_op.add_column(sa.Column('verification_sample_percent', sa.Integer(), server_default='10', nullable=False))


def downgrade():
    with op.batch_alter_table('consultations', schema=None) as batch_op:
        batch_op.drop_column('verification_sample_percent')
        batch_op.drop_column('keying_mode')

    with op.batch_alter_table('keyings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_keyings_keyer_id'))

    op.drop_table('keyings')
    op.drop_table('adjudications')
    with op.batch_alter_table('returns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_returns_pack_id'))
        batch_op.drop_index('ix_returns_consultation_status')

    op.drop_table('returns')
