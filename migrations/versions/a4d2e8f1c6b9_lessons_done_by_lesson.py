"""an index of the lessons each learner completed, by lesson (the certificates page counts
from it who completed every lesson of a profile)

Revision ID: a4d2e8f1c6b9
Revises: e7c2a95d4f18
Create Date: 2026-12-01 20:50:00
"""
from alembic import op

revision = 'a4d2e8f1c6b9'
down_revision = 'e7c2a95d4f18'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_tally_lessons_done_lesson_learner', 'tally_lessons_done',
                    ['lesson_id', 'learner_id'])


def downgrade():
    op.drop_index('ix_tally_lessons_done_lesson_learner', table_name='tally_lessons_done')
