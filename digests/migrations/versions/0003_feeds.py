"""feeds, outlets and feed state (issue 4)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("label", sa.String(100), nullable=True),
        sa.Column("owner_platform", sa.String(20), nullable=True),
        sa.Column("owner_workspace", sa.String(64), nullable=True),
        sa.Column("added_by", sa.String(64), nullable=True),
        sa.Column("interval_seconds", sa.Integer(), nullable=False),
        sa.Column("etag", sa.String(512), nullable=True),
        sa.Column("last_modified", sa.String(100), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_success", TZ, nullable=True),
        sa.Column("last_attempt", TZ, nullable=True),
        sa.Column("next_poll", TZ, nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.UniqueConstraint("url", "owner_platform", "owner_workspace", name="uq_feed_owner_url"),
    )
    op.create_index("ix_feeds_next_poll", "feeds", ["next_poll"])
    op.create_table(
        "feed_items",
        sa.Column("feed_id", sa.Integer(), sa.ForeignKey("feeds.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("guid", sa.String(1024), nullable=True),
        sa.Column("first_seen", TZ, nullable=False),
    )
    op.create_index("ix_feed_items_guid", "feed_items", ["feed_id", "guid"])
    op.create_index("ix_feed_items_article_id", "feed_items", ["article_id"])
    op.create_table(
        "outlet_mutes",
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("workspace_id", sa.String(64), primary_key=True),
        sa.Column("outlet", sa.String(200), primary_key=True),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
    )
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("public", sa.Boolean(), server_default=sa.true(), nullable=False))
        batch.add_column(sa.Column("backfill", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("label", sa.String(100), nullable=True))
        batch.add_column(sa.Column("signature", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("signature")
        batch.drop_column("label")
        batch.drop_column("backfill")
        batch.drop_column("public")
    op.drop_table("outlet_mutes")
    op.drop_table("feed_items")
    op.drop_table("feeds")
