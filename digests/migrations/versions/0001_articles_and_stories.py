"""articles and stories

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("story_id", sa.Integer(), sa.ForeignKey("stories.id", ondelete="CASCADE"), nullable=False),
        sa.Column("url", sa.String(2048), nullable=True, unique=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("title_key", sa.String(512), nullable=False),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("author", sa.String(300), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("published", TZ, nullable=True),
        sa.Column("ingested_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("analysis_version", sa.Integer(), nullable=False),
    )
    for col in ("story_id", "title_key", "content_hash", "published", "ingested_at"):
        op.create_index(f"ix_articles_{col}", "articles", [col])


def downgrade() -> None:
    op.drop_table("articles")
    op.drop_table("stories")
