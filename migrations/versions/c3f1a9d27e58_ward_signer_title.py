"""the signer's title of each ward, and the mastery cache of the certificates page

Revision ID: c3f1a9d27e58
Revises: f3a9d1c07b52
Create Date: 2026-12-01 10:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'c3f1a9d27e58'
down_revision = 'f3a9d1c07b52'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('wards') as batch:
        batch.add_column(sa.Column('signer_title', sa.String(length=200), nullable=True))
    op.create_table(
        'certificate_mastery_cache',
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=80), nullable=False),
        sa.Column('mastered_ids', sa.JSON(), nullable=False),
        sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id']),
        sa.PrimaryKeyConstraint('learner_id'),
    )


def downgrade():
    op.drop_table('certificate_mastery_cache')
    with op.batch_alter_table('wards') as batch:
        batch.drop_column('signer_title')
