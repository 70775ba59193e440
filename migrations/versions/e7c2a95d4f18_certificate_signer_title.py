"""the signer's title kept on each certificate as issued

Revision ID: e7c2a95d4f18
Revises: c9d3a7e5b210
Create Date: 2026-12-01 14:35:00

Certificates issued before keep NULL: they print the ward's current title, as before.
"""
import sqlalchemy as sa
from alembic import op

revision = 'e7c2a95d4f18'
down_revision = 'c9d3a7e5b210'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates') as batch:
        batch.add_column(sa.Column('signer_title', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates') as batch:
        batch.drop_column('signer_title')
