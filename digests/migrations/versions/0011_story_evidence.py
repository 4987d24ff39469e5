"""story grouping evidence (issue 15): feature counts, the candidate index, regroup lineage,
where each publication date came from, and when a story was first posted

The new tables start empty; ``newsbot stories regroup`` fills them for the articles already stored
(and regroups them with the current rule). New articles fill them at ingest.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("date_source", sa.String(16), nullable=True))
    with op.batch_alter_table("stories") as batch:
        batch.add_column(sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE articles SET date_source = 'given' WHERE published IS NOT NULL"))
    op.create_table(
        "term_counts",
        sa.Column("key", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("df", sa.Integer(), nullable=False),
    )
    op.create_table(
        "story_keys",
        sa.Column("key", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("lo", sa.Integer(), nullable=True),
        sa.Column("hi", sa.Integer(), nullable=True),
    )
    op.create_index("ix_story_keys_key_lo", "story_keys", ["key", "lo"])
    op.create_index("ix_story_keys_article_id", "story_keys", ["article_id"])
    op.create_table(
        "story_lineage",
        sa.Column("story_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("parent_id", sa.Integer(), primary_key=True, autoincrement=False),
    )
    op.create_index("ix_story_lineage_parent_id", "story_lineage", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_story_lineage_parent_id", table_name="story_lineage")
    op.drop_table("story_lineage")
    op.drop_index("ix_story_keys_article_id", table_name="story_keys")
    op.drop_index("ix_story_keys_key_lo", table_name="story_keys")
    op.drop_table("story_keys")
    op.drop_table("term_counts")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("posted_at")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("date_source")
