"""indexes the ward dashboard counts from (completed lessons, active learners by month)

Revision ID: e5a1c0b2f7d3
Revises: d198772529e8
Create Date: 2026-12-01 09:20:00
"""
from alembic import op

revision = 'e5a1c0b2f7d3'
down_revision = 'd198772529e8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_progress_events_kind_learner_lesson', 'progress_events',
                    ['kind', 'learner_id', 'lesson_id'])
    op.create_index('ix_progress_events_occurred_learner', 'progress_events',
                    ['occurred_at', 'learner_id'])


def downgrade():
    op.drop_index('ix_progress_events_occurred_learner', table_name='progress_events')
    op.drop_index('ix_progress_events_kind_learner_lesson', table_name='progress_events')
