"""Procrastinate's schema under Alembic (issue #9).

Procrastinate ships its schema as SQL files inside the package (``procrastinate/sql/schema.sql`` for
a fresh database, ``sql/migrations/*.sql`` between releases). Alembic owns every table here, so an
Alembic revision applies that SQL: revision 0010 creates the schema of the pinned minor version
(``procrastinate>=3.10,<3.11`` in pyproject.toml); moving to a newer minor means a new revision that
applies the release's migration files in order. SQLite has no queue: these revisions do nothing there.

The file is executed on the migration's own connection (same transaction, under the migration
advisory lock) through asyncpg's simple-query protocol, because the schema is many statements with
``$$``-quoted function bodies: SQLAlchemy would prepare it as one statement, and splitting it on
``;`` by hand would cut those bodies.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.util import await_only

PINNED_MINOR = "3.10"

# what the schema creates, for the downgrade (procrastinate has no "drop schema" script)
_TABLES = ("procrastinate_events", "procrastinate_periodic_defers", "procrastinate_jobs", "procrastinate_workers")
_TYPES = ("procrastinate_job_to_defer_v1", "procrastinate_job_event_type", "procrastinate_job_status")


def is_queue_table(name: str | None) -> bool:
    """Procrastinate's own objects, left out of ``alembic check``'s model comparison."""
    return bool(name) and str(name).startswith("procrastinate_")


def _execute_script(bind: Connection, sql: str) -> None:
    driver: Any = bind.connection.dbapi_connection
    raw = getattr(driver, "driver_connection", None)
    if raw is not None and hasattr(raw, "execute") and bind.dialect.driver == "asyncpg":
        await_only(raw.execute(sql))  # asyncpg: a script without parameters runs as a simple query
    else:  # psycopg and other drivers run several statements without parameters
        bind.exec_driver_sql(sql.replace("%", "%%"))


def create_schema(bind: Connection) -> None:
    if bind.dialect.name != "postgresql":
        return
    import procrastinate

    version = str(getattr(procrastinate, "__version__", ""))
    if version and not version.startswith(PINNED_MINOR + "."):
        raise RuntimeError(
            f"this revision carries Procrastinate {PINNED_MINOR}'s schema but {version} is installed; "
            "install the pinned version (pip install -e .) or add a revision applying its migrations"
        )
    sql = (resources.files("procrastinate.sql") / "schema.sql").read_text(encoding="utf-8")
    _execute_script(bind, sql)


def drop_schema(bind: Connection) -> None:
    if bind.dialect.name != "postgresql":
        return
    statements = [f"DROP TABLE IF EXISTS {t} CASCADE" for t in _TABLES]
    statements.append(
        """DO $$ DECLARE f record; BEGIN
            FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
                EXECUTE 'DROP FUNCTION IF EXISTS ' || f.sig || ' CASCADE';
            END LOOP; END $$"""
    )
    statements += [f"DROP TYPE IF EXISTS {t} CASCADE" for t in _TYPES]
    _execute_script(bind, ";\n".join(statements) + ";")
