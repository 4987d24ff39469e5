"""Procrastinate 3.10's job queue schema (issue 9): PostgreSQL only, nothing on SQLite

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

from digests.store.queue_schema import create_schema, drop_schema

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_schema(op.get_bind())


def downgrade() -> None:
    drop_schema(op.get_bind())
