"""guides, handouts and pack downloads

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pack_download",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("module_version_id", sa.Integer(), nullable=False),
        sa.Column("downloaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["module_id"], ["module.id"], name=op.f("fk_pack_download_module_id_module")
        ),
        sa.ForeignKeyConstraint(
            ["module_version_id"],
            ["module_version.id"],
            name=op.f("fk_pack_download_module_version_id_module_version"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_pack_download_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pack_download")),
        sa.UniqueConstraint("user_id", "module_id", name=op.f("uq_pack_download_user_id")),
    )
    with op.batch_alter_table("module_text", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guide", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("handout_html", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("module_text", schema=None) as batch_op:
        batch_op.drop_column("handout_html")
        batch_op.drop_column("guide")

    op.drop_table("pack_download")
