"""session tokens (sessions end when credentials change), visit notes erased on deletion

Revision ID: a0c05cb67941
Revises: 9847d4c1f036
Create Date: 2026-12-01 08:30:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a0c05cb67941'
down_revision = '9847d4c1f036'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_hex(16)))
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32),
                              nullable=False)
    with op.batch_alter_table('household_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes_erased_at', sa.DateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('household_visits', schema=None) as batch_op:
        batch_op.drop_column('notes_erased_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
