"""subscription options (quiet hours, empty digests) and workspace keyword topics

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.add_column(sa.Column("quiet_hours", sa.String(16), nullable=True))
        batch.add_column(sa.Column("on_empty", sa.String(8), nullable=False, server_default="skip"))
    op.create_table(
        "workspace_topics",
        sa.Column("platform", sa.String(20), primary_key=True),
        sa.Column("workspace_id", sa.String(64), primary_key=True),
        sa.Column("topic_id", sa.String(32), primary_key=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("phrases", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workspace_topics")
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("on_empty")
        batch.drop_column("quiet_hours")
