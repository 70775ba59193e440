"""an index of assessments by result and competency (the certificates page counts from it)

Revision ID: d7e2b4a91c30
Revises: c3f1a9d27e58
Create Date: 2026-12-01 12:05:00
"""
from alembic import op

revision = 'd7e2b4a91c30'
down_revision = 'c3f1a9d27e58'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_assessments_result_competency_learner', 'assessments',
                    ['result', 'competency_id', 'learner_id'])


def downgrade():
    op.drop_index('ix_assessments_result_competency_learner', table_name='assessments')
