"""narration recordings, and the flag that lets an ambassador record

Revision ID: c4f18a2e9b61
Revises: 02834eb34e37
Create Date: 2026-12-01 11:10:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'c4f18a2e9b61'
down_revision = '02834eb34e37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('narration_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=5), nullable=False),
    sa.Column('lesson_id', sa.String(length=80), nullable=False),
    sa.Column('lesson_version', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.String(length=80), nullable=False),
    sa.Column('text_sha256', sa.String(length=64), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('file_name')
    )
    with op.batch_alter_table('narration_recordings', schema=None) as batch_op:
        batch_op.create_index('ix_narration_recordings_step', ['lang', 'lesson_id', 'step_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_narration_recordings_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_narration_recordings_recorded_by_id'), ['recorded_by_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('may_record_narration', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('may_record_narration')
    with op.batch_alter_table('narration_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narration_recordings_recorded_by_id'))
        batch_op.drop_index(batch_op.f('ix_narration_recordings_status'))
        batch_op.drop_index('ix_narration_recordings_step')
    op.drop_table('narration_recordings')
