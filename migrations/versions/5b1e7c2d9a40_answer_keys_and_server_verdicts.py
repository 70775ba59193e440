"""answer keys and server verdicts

Revision ID: 5b1e7c2d9a40
Revises: a0c05cb67941
Create Date: 2026-12-01 08:10:00.000000

Answers synced before this change carry only the phone's verdict: it moves to
`phone_correct` and `correct` (the verdict progress counts) is left empty until the server
judges the answer. Run `flask sync judge` after `flask db upgrade`.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e7c2d9a40'
down_revision = 'a0c05cb67941'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lesson_id', sa.String(length=80), nullable=False),
    sa.Column('lesson_version', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.String(length=80), nullable=False),
    sa.Column('step_type', sa.String(length=20), nullable=False),
    sa.Column('key', sa.JSON(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('lesson_id', 'lesson_version', 'step_id')
    )
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_correct', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('judged', sa.String(length=10), nullable=True))
    op.execute(
        "UPDATE progress_events SET phone_correct = correct, correct = NULL "
        "WHERE kind = 'step_answered'"
    )


def downgrade():
    op.execute(
        "UPDATE progress_events SET correct = phone_correct WHERE kind = 'step_answered'"
    )
    with op.batch_alter_table('progress_events', schema=None) as batch_op:
        batch_op.drop_column('judged')
        batch_op.drop_column('phone_correct')
    op.drop_table('answer_keys')
