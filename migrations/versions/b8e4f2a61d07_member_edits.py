"""member edits in the household history

Revision ID: b8e4f2a61d07
Revises: d7e2b4a91c30
Create Date: 2026-12-01 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8e4f2a61d07'
down_revision = 'd7e2b4a91c30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('household_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('member_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_household_changes_member_id_household_members',
                                    'household_members', ['member_id'], ['id'])


def downgrade():
    with op.batch_alter_table('household_changes', schema=None) as batch_op:
        batch_op.drop_constraint('fk_household_changes_member_id_household_members',
                                 type_='foreignkey')
        batch_op.drop_column('member_id')
