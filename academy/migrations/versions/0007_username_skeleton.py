"""what each username looks like, so a look-alike name cannot be registered

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from academy.accounts.usernames import username_skeleton

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(sa.Column("username_skeleton", sa.String(length=60), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_user_account_username_skeleton"), ["username_skeleton"], unique=False
        )
    # Accounts that exist get theirs now, so a new name is checked against every one of them.
    users = sa.table(
        "user_account",
        sa.column("id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("username_skeleton", sa.String),
    )
    connection = op.get_bind()
    for user_id, name in connection.execute(sa.select(users.c.id, users.c.username)).all():
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(username_skeleton=username_skeleton(name))
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_username_skeleton"))
        batch_op.drop_column("username_skeleton")
