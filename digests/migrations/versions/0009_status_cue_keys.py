"""status evidence: the small values scoring needs, in one covering index (issue 8)

Each cue sentence gets its time in microseconds, keys of the sentence, of its wire-copy form and
of its outlet, and whether its article was public when indexed; existing rows are filled here
with the same functions ingest uses, so the index stays usable without a rebuild.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from digests.status import micros, outlet_key, sentence_key, wire_key

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEYS = ("at_us", "wire_key", "sentence_key", "outlet_key")
_WINDOW = (
    "topic_id",
    "at_us",
    "id",
    "article_id",
    "state_id",
    "wire_key",
    "sentence_key",
    "outlet_key",
    "cues",
    "strength",
    "public",
)


def upgrade() -> None:
    with op.batch_alter_table("status_evidence") as batch:
        for name in _KEYS:
            batch.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("public", sa.Boolean(), nullable=True))
    bind = op.get_bind()
    # rows of a deleted article cannot be filled (foreign keys were not always enforced on SQLite)
    bind.execute(sa.text("DELETE FROM status_evidence WHERE article_id NOT IN (SELECT id FROM articles)"))
    _fill(bind)
    with op.batch_alter_table("status_evidence") as batch:
        for name in _KEYS:
            batch.alter_column(name, existing_type=sa.BigInteger(), nullable=False)
        batch.alter_column("public", existing_type=sa.Boolean(), nullable=False)
        batch.drop_index("ix_status_evidence_topic_at")
        batch.create_index("ix_status_evidence_window", list(_WINDOW))


def _fill(bind: sa.Connection) -> None:
    evidence = sa.table(
        "status_evidence",
        sa.column("id", sa.Integer()),
        sa.column("article_id", sa.Integer()),
        sa.column("sentence", sa.Text()),
        sa.column("title", sa.Text()),
        sa.column("source", sa.String()),
        sa.column("at", sa.DateTime(timezone=True)),
        *(sa.column(name, sa.BigInteger()) for name in _KEYS),
        sa.column("public", sa.Boolean()),
    )
    articles = sa.table("articles", sa.column("id", sa.Integer()), sa.column("public", sa.Boolean()))
    update = (
        sa.update(evidence)
        .where(evidence.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(f"new_{name}") for name in (*_KEYS, "public")})
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(
                evidence.c.id,
                evidence.c.sentence,
                evidence.c.title,
                evidence.c.source,
                evidence.c.at,
                articles.c.public,
            )
            .join(articles, articles.c.id == evidence.c.article_id)
            .where(evidence.c.id > last)
            .order_by(evidence.c.id)
            .limit(2000)
        ).all()
        if not rows:
            return
        bind.execute(
            update,
            [
                {
                    "row_id": r.id,
                    # SQLite hands back the stored UTC time without its zone
                    "new_at_us": micros(r.at if r.at.tzinfo else r.at.replace(tzinfo=UTC)),
                    "new_wire_key": wire_key(r.sentence),
                    "new_sentence_key": sentence_key(r.sentence),
                    "new_outlet_key": outlet_key(r.source, r.title),
                    "new_public": bool(r.public),
                }
                for r in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("status_evidence") as batch:
        batch.drop_index("ix_status_evidence_window")
        batch.create_index("ix_status_evidence_topic_at", ["topic_id", "at"])
        for name in (*_KEYS, "public"):
            batch.drop_column(name)
