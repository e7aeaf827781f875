"""Migrations build the same schema as the models, from empty, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from alembic import command
from app.core.db import Base, alembic_config, upgrade_to_head


def test_empty_to_head_matches_the_models_and_back(empty_database_url):
    database_url = empty_database_url
    engine = create_engine(database_url)
    try:
        assert inspect(engine).get_table_names() == []
        upgrade_to_head(database_url)
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.connect() as connection:
            diff = compare_metadata(
                MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
        upgrade_to_head(database_url)  # running it again is harmless
        command.downgrade(alembic_config(database_url), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
