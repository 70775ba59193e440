"""running totals of the dashboards (tally_* tables), filled by `flask dashboard rebuild`;
indexes the dashboards count learners and households from

Revision ID: f3a9c6d2e1b4
Revises: c4f18a2e9b61
Create Date: 2026-12-01 11:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'f3a9c6d2e1b4'
down_revision = 'c4f18a2e9b61'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tally_learner_months',
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id']),
        sa.PrimaryKeyConstraint('learner_id', 'month'),
    )
    op.create_table(
        'tally_lessons_done',
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.Column('lesson_id', sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id']),
        sa.PrimaryKeyConstraint('learner_id', 'lesson_id'),
    )
    op.create_table(
        'tally_certified_learners',
        sa.Column('learner_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['learner_id'], ['users.id']),
        sa.PrimaryKeyConstraint('learner_id'),
    )
    op.create_table(
        'tally_ward_activity',
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('group', sa.String(length=30), nullable=False),
        sa.Column('learners', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id']),
        sa.PrimaryKeyConstraint('ward_id', 'month', 'group'),
    )
    op.create_table(
        'tally_ward_certified',
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('group', sa.String(length=30), nullable=False),
        sa.Column('learners', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id']),
        sa.PrimaryKeyConstraint('ward_id', 'group'),
    )
    op.create_table(
        'tally_ward_completions',
        sa.Column('ward_id', sa.Integer(), nullable=False),
        sa.Column('basis', sa.String(length=16), nullable=False),
        sa.Column('set_key', sa.String(length=80), nullable=False),
        sa.Column('some', sa.Integer(), nullable=False),
        sa.Column('every', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['ward_id'], ['wards.id']),
        sa.PrimaryKeyConstraint('ward_id', 'basis', 'set_key'),
    )
    op.create_table(
        'tally_builds',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('built_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )

    op.create_index('ix_users_ward_role_group', 'users', ['ward_id', 'role', 'group'])
    op.create_index('ix_users_ward_role_created', 'users', ['ward_id', 'role', 'created_at'])
    op.create_index('ix_households_ward_family', 'households', ['ward_id', 'digital_family'])


def downgrade():
    op.drop_index('ix_households_ward_family', table_name='households')
    op.drop_index('ix_users_ward_role_created', table_name='users')
    op.drop_index('ix_users_ward_role_group', table_name='users')
    for table in ('tally_builds', 'tally_ward_completions', 'tally_ward_certified',
                  'tally_ward_activity', 'tally_certified_learners', 'tally_lessons_done',
                  'tally_learner_months'):
        op.drop_table(table)
