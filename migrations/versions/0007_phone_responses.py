"""Surveys answered by phone: responses found by their reference, and the spoken answers' recordings

Revision ID: 0007_phone_responses
Revises: 0006_outside_area_derived
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_phone_responses"
down_revision = "0006_outside_area_derived"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "phone_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=10), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Enum("answering", "awaiting_check", "verified", name="phoneresponsestatus", native_enum=False, length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("first_call_id", sa.Integer(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_by_id", sa.Integer(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["consultation_id"], ["consultations.id"], name=op.f("fk_phone_responses_consultation_id_consultations")),
        sa.ForeignKeyConstraint(["first_call_id"], ["calls.id"], name=op.f("fk_phone_responses_first_call_id_calls")),
        sa.ForeignKeyConstraint(["checked_by_id"], ["staff_users.id"], name=op.f("fk_phone_responses_checked_by_id_staff_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_responses")),
        sa.UniqueConstraint("reference", name=op.f("uq_phone_responses_reference")),
        sa.UniqueConstraint("first_call_id", name=op.f("uq_phone_responses_first_call_id")),
    )
    op.create_index(op.f("ix_phone_responses_consultation_id"), "phone_responses", ["consultation_id"])
    op.create_table(
        "phone_recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("question_code", sa.String(length=80), nullable=False),
        sa.Column("recording_sid", sa.String(length=64), nullable=True),
        sa.Column("recording_url", sa.String(length=500), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("draft_text", sa.Text(), nullable=False),
        sa.Column("draft_status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["response_id"], ["phone_responses.id"], name=op.f("fk_phone_recordings_response_id_phone_responses")),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_phone_recordings_call_id_calls")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_recordings")),
        sa.UniqueConstraint("recording_sid", name=op.f("uq_phone_recordings_recording_sid")),
        sa.UniqueConstraint("response_id", "question_code", name="uq_phone_recordings_response_question"),
    )
    op.create_index(op.f("ix_phone_recordings_response_id"), "phone_recordings", ["response_id"])
    op.create_index(op.f("ix_phone_recordings_call_id"), "phone_recordings", ["call_id"])


def downgrade():
    op.drop_index(op.f("ix_phone_recordings_call_id"), table_name="phone_recordings")
    op.drop_index(op.f("ix_phone_recordings_response_id"), table_name="phone_recordings")
    op.drop_table("phone_recordings")
    op.drop_index(op.f("ix_phone_responses_consultation_id"), table_name="phone_responses")
    op.drop_table("phone_responses")
