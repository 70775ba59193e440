"""households assigned to an ambassador

Revision ID: c9d3a7e5b210
Revises: b8e4f2a61d07
Create Date: 2026-12-01 14:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c9d3a7e5b210'
down_revision = 'b8e4f2a61d07'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assigned_to_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_households_assigned_to_id'), ['assigned_to_id'],
                              unique=False)
        batch_op.create_foreign_key('fk_households_assigned_to_id_users', 'users',
                                    ['assigned_to_id'], ['id'])


def downgrade():
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_constraint('fk_households_assigned_to_id_users', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_households_assigned_to_id'))
        batch_op.drop_column('assigned_to_id')
