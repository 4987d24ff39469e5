"""status index: article topics and status evidence kept at ingest, and the last answer per channel

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_index("ix_articles_updated_at", "articles", ["updated_at"])
    op.create_table(
        "article_topics",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("topic_id", sa.String(32), primary_key=True),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_article_topics_topic_at", "article_topics", ["topic_id", "at"])
    op.create_table(
        "status_evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("topic_id", sa.String(32), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("state_id", sa.String(32), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("cues", sa.Integer(), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        # copied from the article at ingest, so that an answer reads one table
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("url", sa.String(2048), nullable=True),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("published", TZ, nullable=True),
    )
    op.create_index("ix_status_evidence_topic_at", "status_evidence", ["topic_id", "at"])
    op.create_index("ix_status_evidence_article_id", "status_evidence", ["article_id"])
    op.create_table(
        "status_answers",
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("workspace_id", sa.String(64), primary_key=True),
        sa.Column("channel_id", sa.String(64), primary_key=True),
        sa.Column("topic_id", sa.String(32), primary_key=True),
        sa.Column("state_id", sa.String(32), nullable=True),
        sa.Column("answered_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("status_answers")
    op.drop_table("status_evidence")
    op.drop_table("article_topics")
    op.drop_index("ix_articles_updated_at", "articles")
