"""each sign-in failure names the phone number tried, so its owner's right PIN takes it back
from the address's count too (a class behind one Wi-Fi is one address)

Revision ID: b5e1f3a8d2c4
Revises: a4d2e8f1c6b9
Create Date: 2026-12-08 03:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'b5e1f3a8d2c4'
down_revision = 'a4d2e8f1c6b9'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sign_in_failures') as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=15), nullable=True))
        batch_op.create_index('ix_sign_in_failures_phone', ['phone'])


def downgrade():
    with op.batch_alter_table('sign_in_failures') as batch_op:
        batch_op.drop_index('ix_sign_in_failures_phone')
        batch_op.drop_column('phone')
