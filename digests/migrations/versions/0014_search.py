"""search: full-text index of articles (FTS5 / tsvector, kept by triggers) and the quote speakers (issue 20)

SQLite: ``article_search``, an FTS5 table over ``articles.title`` and ``articles.text`` (external
content: the text is not stored twice; Porter stemming, accents folded), kept by three triggers on
``articles``. PostgreSQL: ``article_search (article_id, document tsvector)`` with a GIN index, kept
by one trigger (English stemming; the title weighted A, the body B). Both are filled here for the
articles already stored. Neither is an SQLAlchemy model (``alembic check`` skips them).

A later revision that rebuilds ``articles`` on SQLite (batch "move and copy") drops its triggers:
it must create them again (tests check that they exist at head).

``quote_speakers``: one row per attributed quote, filled here from the stored analyses with the
function ingest uses.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from alembic import op

from digests.store.search import quote_speaker_rows

revision: str = "0014"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TZ = sa.DateTime(timezone=True)

SQLITE = (
    "CREATE VIRTUAL TABLE article_search USING fts5(title, text, content='articles', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN"
    " INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN"
    " INSERT INTO article_search(article_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);"
    " END",
    "CREATE TRIGGER article_search_update AFTER UPDATE OF title, text ON articles BEGIN"
    " INSERT INTO article_search(article_search, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);"
    " INSERT INTO article_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO article_search(article_search) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS article_search_update",
    "DROP TRIGGER IF EXISTS article_search_delete",
    "DROP TRIGGER IF EXISTS article_search_insert",
    "DROP TABLE IF EXISTS article_search",
)
POSTGRES = (
    "CREATE TABLE article_search (article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,"
    " document TSVECTOR NOT NULL)",
    # the body is capped far above any article (ingest refuses 400,000 characters) but below tsvector's 1 MB
    "CREATE FUNCTION article_search_document(title TEXT, body TEXT) RETURNS TSVECTOR LANGUAGE sql IMMUTABLE AS $$"
    " SELECT setweight(to_tsvector('english', coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english', left(coalesce(body, ''), 500000)), 'B') $$",
    "CREATE FUNCTION article_search_refresh() RETURNS TRIGGER LANGUAGE plpgsql AS $$ BEGIN"
    " INSERT INTO article_search (article_id, document) VALUES (NEW.id, article_search_document(NEW.title, NEW.text))"
    " ON CONFLICT (article_id) DO UPDATE SET document = EXCLUDED.document; RETURN NULL; END $$",
    "CREATE TRIGGER article_search_refresh AFTER INSERT OR UPDATE OF title, text ON articles"
    " FOR EACH ROW EXECUTE FUNCTION article_search_refresh()",
    "INSERT INTO article_search (article_id, document) SELECT id, article_search_document(title, text) FROM articles",
    "CREATE INDEX ix_article_search_document ON article_search USING GIN (document)",
)
POSTGRES_DOWN = (
    "DROP TRIGGER IF EXISTS article_search_refresh ON articles",
    "DROP FUNCTION IF EXISTS article_search_refresh()",
    "DROP TABLE IF EXISTS article_search",
    "DROP FUNCTION IF EXISTS article_search_document(TEXT, TEXT)",
)


def upgrade() -> None:
    bind = op.get_bind()
    for statement in POSTGRES if bind.dialect.name == "postgresql" else SQLITE:
        op.execute(statement)
    op.create_table(
        "quote_speakers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
        sa.Column("quote_no", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(300), nullable=False),
        sa.Column("name_key", sa.String(300), nullable=False),
        sa.Column("surname_key", sa.String(100), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("is_key", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_quote_speakers_article_id", "quote_speakers", ["article_id"])
    op.create_index("ix_quote_speakers_surname_at", "quote_speakers", ["surname_key", "at"])
    op.create_index("ix_quote_speakers_name_key", "quote_speakers", ["name_key"])
    _fill(bind)


def _fill(bind: sa.Connection) -> None:
    articles = sa.table(
        "articles",
        sa.column("id", sa.Integer()),
        sa.column("published", TZ),
        sa.column("ingested_at", TZ),
        sa.column("analysis", sa.JSON()),
    )
    speakers = sa.table(
        "quote_speakers",
        sa.column("article_id", sa.Integer()),
        sa.column("quote_no", sa.Integer()),
        sa.column("speaker", sa.String()),
        sa.column("name_key", sa.String()),
        sa.column("surname_key", sa.String()),
        sa.column("at", TZ),
        sa.column("is_key", sa.Boolean()),
    )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(articles.c.id, articles.c.published, articles.c.ingested_at, articles.c.analysis)
            .where(articles.c.id > last)
            .order_by(articles.c.id)
            .limit(500)
        ).all()
        if not rows:
            return
        values = []
        for r in rows:
            at = r.published or r.ingested_at
            # SQLite hands back the stored UTC time without its zone
            values += quote_speaker_rows(r.id, at.replace(tzinfo=UTC) if at.tzinfo is None else at, r.analysis or {})
        if values:
            bind.execute(sa.insert(speakers), values)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_table("quote_speakers")
    for statement in POSTGRES_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN:
        op.execute(statement)
