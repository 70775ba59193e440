"""a learner's text size on their account

Revision ID: f3a9d1c07b52
Revises: f3a9c6d2e1b4
Create Date: 2026-12-01 11:15:00
"""
from alembic import op
import sqlalchemy as sa

revision = 'f3a9d1c07b52'
down_revision = 'f3a9c6d2e1b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('text_size', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('text_size')
