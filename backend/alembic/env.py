"""Runs migrations against the URL the app gives (or DATABASE_URL when run by the alembic CLI)."""

from logging.config import fileConfig

from alembic import context

import app.models  # noqa: F401  (registers every table)
from app.core.config import get_settings
from app.core.db import Base, make_engine

config = context.config
if config.config_file_name is not None and not config.attributes.get("database_url"):
    # Only the bare alembic CLI configures logging; the app keeps its own.
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or get_settings().database_url
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # Batch migrations rebuild tables; with foreign keys on, that would cascade deletes.
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()  # end the implicit transaction so Alembic's own one commits
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,  # SQLite needs table rebuilds for most ALTERs
                compare_type=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


run_migrations_online()
